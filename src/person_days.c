/*-------------------------------------------------------------------------
 *
 * person_days.c
 *	  Persons counted twice on a day: hrpolicy.person_day_hash() and the
 *	  aggregate hrpolicy.person_day_repeats().
 *
 * The roster holds one row per person per day.  Grouping a million roster
 * rows by (person, day) to find the few that repeat costs a hash table of a
 * million entries (and spills to disk under the default work_mem).  Here
 * each (person, day) is reduced to a 64-bit hash appended to an array (a
 * sequential write per row, no probing), the arrays of parallel workers
 * are concatenated, and the final function sorts the hashes by radix and
 * returns those that occur twice; the exact check then reads just the rows
 * behind them (hrpolicy.duplicate_persons()).
 *
 * A query that already groups the roster by unit and day (the check of
 * hrpolicy.enforce()) finds them in the same pass: person_day_hashes()
 * keeps each group's hashes, as bigint[], and person_day_repeats(bigint[])
 * gathers the groups' arrays into one state and returns the hashes that
 * occur twice, as the aggregate over the rows does.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/pg_locale.h"

PG_FUNCTION_INFO_V1(person_day_hash);
PG_FUNCTION_INFO_V1(person_day_repeats_accum);
PG_FUNCTION_INFO_V1(person_day_repeats_combine);
PG_FUNCTION_INFO_V1(person_day_repeats_serialize);
PG_FUNCTION_INFO_V1(person_day_repeats_deserialize);
PG_FUNCTION_INFO_V1(person_day_repeats_final);
PG_FUNCTION_INFO_V1(person_day_repeats_accum_hashes);
PG_FUNCTION_INFO_V1(person_day_hashes_final);

/*
 * What a call site knows once: whether the person's collation compares
 * bytes (its hash is then the hash of the bytes, as hashtextextended()
 * computes it, without a lookup per row), and for the aggregate's support
 * functions that they run in one of the aggregates of this file.
 */
typedef struct CallSite
{
	Oid			collation;
	bool		bytewise;
	bool		own_aggregate;
} CallSite;

static CallSite *
call_site(FunctionCallInfo fcinfo)
{
	CallSite   *site = (CallSite *) fcinfo->flinfo->fn_extra;
	Oid			collation = PG_GET_COLLATION();

	if (site == NULL || site->collation != collation)
	{
		if (site == NULL)
			site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallSite));
		site->collation = collation;
		site->bytewise = OidIsValid(collation) &&
			(hrp_collation_is_c(collation) || get_collation_isdeterministic(collation));
		fcinfo->flinfo->fn_extra = site;
	}
	return site;
}

/*
 * The hash of a person and a day.  The person is hashed as text under the
 * collation it comes with (the roster column's), so that under a
 * nondeterministic collation two spellings it holds equal ('P4', 'p4')
 * hash equal, as the exact check will group them.  Never 0.
 */
static uint64
hash_person_day(FunctionCallInfo fcinfo, Datum person, DateADT day)
{
	uint64		h;

	if (call_site(fcinfo)->bytewise)
	{
		text	   *key = DatumGetTextPP(person);

		h = DatumGetUInt64(hash_any_extended((unsigned char *) VARDATA_ANY(key),
											 VARSIZE_ANY_EXHDR(key), 0));
	}
	else
		h = DatumGetUInt64(DirectFunctionCall2Coll(hashtextextended, PG_GET_COLLATION(),
												   person, Int64GetDatum(0)));
	h = hash_bytes_uint32_extended((uint32) day, h);
	return h != 0 ? h : 1;
}

/* hrpolicy.person_day_hash(person text, day date) -> bigint */
Datum
person_day_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) hash_person_day(fcinfo, PG_GETARG_DATUM(0), PG_GETARG_DATEADT(1)));
}

/*
 * The support functions of hrpolicy.person_day_repeats() and
 * person_day_hashes() keep their state as "internal": only a superuser can
 * build another aggregate on them, but a state they did not make (or a
 * state of theirs read by another final function) would be read as the
 * wrong structure.  So each refuses to run in any aggregate but those two
 * (which share the state; a window aggregate included: it has no Aggref).
 */
static MemoryContext
check_own_aggregate(FunctionCallInfo fcinfo, const char *function, const char *role)
{
	MemoryContext aggcontext;
	CallSite   *site;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s() can only be called as an aggregate %s function", function, role)));
	site = call_site(fcinfo);
	if (!site->own_aggregate)
	{
		Aggref	   *aggref = AggGetAggref(fcinfo);
		char	   *name = aggref ? get_func_name(aggref->aggfnoid) : NULL;

		if (aggref == NULL ||
			get_func_namespace(aggref->aggfnoid) != get_func_namespace(fcinfo->flinfo->fn_oid) ||
			name == NULL ||
			(strcmp(name, "person_day_repeats") != 0 && strcmp(name, "person_day_hashes") != 0))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s() can only be called by the aggregates hrpolicy.person_day_repeats() and hrpolicy.person_day_hashes()", function)));
		site->own_aggregate = true;
	}
	return aggcontext;
}

/* The state: the hashes of the rows seen, in no order. */
typedef struct PersonDays
{
	Size		n;
	Size		capacity;
	uint64	   *keys;
} PersonDays;

static PersonDays *
person_days_new(MemoryContext context, Size capacity)
{
	PersonDays *days = MemoryContextAllocZero(context, sizeof(PersonDays));

	/* small: person_day_hashes() keeps a state per unit-day */
	days->capacity = Max(capacity, 16);
	days->keys = MemoryContextAllocHuge(context, sizeof(uint64) * days->capacity);
	return days;
}

/* Room for more hashes (doubling; within the limit of a huge allocation). */
static void
person_days_reserve(PersonDays *days, Size more)
{
	Size		need = days->n + more;

	if (need <= days->capacity)
		return;
	if (need > MaxAllocHugeSize / sizeof(uint64) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many roster rows to look for persons counted twice")));
	while (days->capacity < need)
		days->capacity *= 2;
	days->keys = repalloc_huge(days->keys, sizeof(uint64) * days->capacity);
}

/*
 * person_day_repeats_accum(state internal, person text, day date): the
 * transition of hrpolicy.person_day_repeats(); rows with a NULL person or
 * day are left out.
 */
Datum
person_day_repeats_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = check_own_aggregate(fcinfo, "hrpolicy.person_day_repeats_accum",
												   "transition");
	PersonDays *days;

	days = PG_ARGISNULL(0) ? person_days_new(aggcontext, 0) : (PersonDays *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(days);
	person_days_reserve(days, 1);
	days->keys[days->n++] = hash_person_day(fcinfo, PG_GETARG_DATUM(1), PG_GETARG_DATEADT(2));
	PG_RETURN_POINTER(days);
}

/*
 * person_day_repeats_accum_hashes(state internal, hashes bigint[]): the
 * transition of hrpolicy.person_day_repeats(bigint[]), which gathers the
 * arrays of person_day_hashes(); a NULL array is left out.
 */
Datum
person_day_repeats_accum_hashes(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = check_own_aggregate(fcinfo, "hrpolicy.person_day_repeats_accum_hashes",
												   "transition");
	PersonDays *days;
	ArrayType  *hashes;
	int			n;

	days = PG_ARGISNULL(0) ? person_days_new(aggcontext, 0) : (PersonDays *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(days);
	hashes = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(hashes) > 1 || ARR_HASNULL(hashes) || ARR_ELEMTYPE(hashes) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hrpolicy.person_day_repeats() needs the arrays of hrpolicy.person_day_hashes()"),
				 errdetail("An array of hashes has one dimension and no NULLs.")));
	n = ArrayGetNItems(ARR_NDIM(hashes), ARR_DIMS(hashes));
	person_days_reserve(days, n);
	memcpy(days->keys + days->n, ARR_DATA_PTR(hashes), sizeof(uint64) * n);
	days->n += n;
	PG_RETURN_POINTER(days);
}

/* Combine two partial states: the second's hashes appended to the first. */
Datum
person_day_repeats_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = check_own_aggregate(fcinfo, "hrpolicy.person_day_repeats_combine",
												   "combine");
	PersonDays *left;
	PersonDays *right;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	right = (PersonDays *) PG_GETARG_POINTER(1);
	left = PG_ARGISNULL(0) ? person_days_new(aggcontext, right->n) : (PersonDays *) PG_GETARG_POINTER(0);
	person_days_reserve(left, right->n);
	memcpy(left->keys + left->n, right->keys, sizeof(uint64) * right->n);
	left->n += right->n;
	PG_RETURN_POINTER(left);
}

/* A partial state as bytea, to leave a parallel worker: a version byte, then the hashes. */
Datum
person_day_repeats_serialize(PG_FUNCTION_ARGS)
{
	PersonDays *days;
	bytea	   *out;
	Size		size;

	check_own_aggregate(fcinfo, "hrpolicy.person_day_repeats_serialize", "serialization");
	days = (PersonDays *) PG_GETARG_POINTER(0);
	size = VARHDRSZ + 1 + sizeof(uint64) * days->n;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many roster rows in one parallel worker to look for persons counted twice")));
	out = palloc(size);
	SET_VARSIZE(out, size);
	*(uint8 *) VARDATA(out) = HRPOLICY_BINARY_VERSION;
	memcpy(VARDATA(out) + 1, days->keys, sizeof(uint64) * days->n);
	PG_RETURN_BYTEA_P(out);
}

/* person_day_repeats_deserialize(bytea, internal): a serialized partial state back. */
Datum
person_day_repeats_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in;
	Size		len;
	Size		n;
	PersonDays *days;

	/*
	 * It reads no state, only the bytes it is given, which it checks; the
	 * executor gives deserialization functions no Aggref to check.
	 */
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy.person_day_repeats_deserialize() can only be called as an aggregate deserialization function")));
	in = PG_GETARG_BYTEA_PP(0);
	len = VARSIZE_ANY_EXHDR(in);
	if (len < 1 || *(uint8 *) VARDATA_ANY(in) != HRPOLICY_BINARY_VERSION ||
		(len - 1) % sizeof(uint64) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid partial state of hrpolicy.person_day_repeats()")));
	n = (len - 1) / sizeof(uint64);
	days = person_days_new(CurrentMemoryContext, n);
	memcpy(days->keys, VARDATA_ANY(in) + 1, sizeof(uint64) * n);
	days->n = n;
	PG_RETURN_POINTER(days);
}

/* person_day_hashes_final(internal): the hashes of the rows seen, as bigint[], in no order. */
Datum
person_day_hashes_final(PG_FUNCTION_ARGS)
{
	PersonDays *days;
	ArrayType  *hashes;
	Size		bytes;

	check_own_aggregate(fcinfo, "hrpolicy.person_day_hashes_final", "final");
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	days = (PersonDays *) PG_GETARG_POINTER(0);
	if (days->n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	if (days->n > MaxArraySize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many roster rows in one unit-day to look for persons counted twice")));
	bytes = ARR_OVERHEAD_NONULLS(1) + sizeof(uint64) * days->n;
	if (!AllocSizeIsValid(bytes))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many roster rows in one unit-day to look for persons counted twice")));
	hashes = (ArrayType *) palloc(bytes);
	SET_VARSIZE(hashes, bytes);
	hashes->ndim = 1;
	hashes->dataoffset = 0;
	hashes->elemtype = INT8OID;
	*ARR_DIMS(hashes) = (int) days->n;
	*ARR_LBOUND(hashes) = 1;
	memcpy(ARR_DATA_PTR(hashes), days->keys, sizeof(uint64) * days->n);
	PG_RETURN_ARRAYTYPE_P(hashes);
}

/* Sort the hashes: least significant digit first, 16 bits a pass. */
static void
radix_sort(uint64 *keys, Size n)
{
	uint64	   *buffer = palloc_extended(sizeof(uint64) * Max(n, 1), MCXT_ALLOC_HUGE);
	Size	   *count = palloc(sizeof(Size) * 65536);
	int			shift;

	for (shift = 0; shift < 64; shift += 16)
	{
		Size		i;
		Size		sum = 0;
		uint64	   *swap;

		memset(count, 0, sizeof(Size) * 65536);
		for (i = 0; i < n; i++)
			count[(keys[i] >> shift) & 0xFFFF]++;
		for (i = 0; i < 65536; i++)
		{
			Size		c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			buffer[count[(keys[i] >> shift) & 0xFFFF]++] = keys[i];
		swap = keys;
		keys = buffer;
		buffer = swap;
	}
	/* four passes: the sorted hashes are back in the caller's array */
	pfree(buffer);
	pfree(count);
}

/* The hashes seen more than once, as bigint[] (empty when none). */
Datum
person_day_repeats_final(PG_FUNCTION_ARGS)
{
	PersonDays *days;
	Datum	   *repeats;
	int			n = 0;
	Size		i;

	check_own_aggregate(fcinfo, "hrpolicy.person_day_repeats_final", "final");
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	days = (PersonDays *) PG_GETARG_POINTER(0);
	radix_sort(days->keys, days->n);
	repeats = palloc(sizeof(Datum) * 16);
	for (i = 1; i < days->n; i++)
	{
		if (days->keys[i] != days->keys[i - 1] || (n > 0 && DatumGetInt64(repeats[n - 1]) == (int64) days->keys[i]))
			continue;
		if (n >= 16 && (n & (n - 1)) == 0)
		{
			if ((Size) n * 2 > MaxArraySize)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many persons counted twice to list")));
			repeats = repalloc(repeats, sizeof(Datum) * n * 2);
		}
		repeats[n++] = Int64GetDatum((int64) days->keys[i]);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(repeats, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}
