/*-------------------------------------------------------------------------
 *
 * tally_each.c
 *	  hrpolicy.tally_each(status, tags, filters): the tallies of many rules
 *	  over the same roster rows, in one pass.
 *
 * A report groups the roster by unit and day, as the cheapest count would,
 * and this aggregate keeps one tally per rule of the period's rule book.
 * Each rule is a filter: a row is in its base when its tags hold every tag
 * of "who" and none of "unless" and its status is not "excused"; it counts
 * in the part when its status is in "counts".  The filters are compiled
 * once per query into bit masks over the tags and statuses they mention,
 * so that a row costs one pass over its tags plus a few word operations
 * per rule, whatever the strings.
 *
 * The state is a hrpolicy.tally[] (a plain SQL type, so parallel workers
 * combine it without serialization), updated in place while the executor
 * runs it as an aggregate.
 *
 * Compiled filters are kept for the transaction, a few at a time, and
 * found again by their contents: Citus's partial-aggregate wrapper
 * (worker_partial_agg) calls the transition function through a fresh
 * FmgrInfo on every row, so nothing kept in fn_extra survives from one row
 * to the next there, and the filters come inside a new row value each time.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/executor.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "tally.h"

PG_FUNCTION_INFO_V1(tally_each_accum);
PG_FUNCTION_INFO_V1(tally_each_combine);

/* A set of tags or statuses, as bits over a vocabulary. */
typedef uint64 WordSet;
#define MAX_WORDS 64			/* vocabulary size of one kind, per query */

typedef struct CompiledRule
{
	WordSet		who;			/* tags all required */
	WordSet		unless;			/* tags none allowed */
	WordSet		excused;		/* statuses leaving the base */
	WordSet		counts;			/* statuses counted in the part */
	bool		nobody;			/* a NULL filter: covers no row */
} CompiledRule;

/*
 * A vocabulary: its words, found through an open-addressing table of
 * VOCABULARY_SLOTS (more than twice MAX_WORDS, so probes stay short) keyed
 * by a cheap hash of the word's length and a few of its bytes.
 */
#define VOCABULARY_SLOTS 256
StaticAssertDecl(MAX_WORDS < 128 && VOCABULARY_SLOTS > 2 * MAX_WORDS, "vocabulary slots hold word indexes as int8");

typedef struct Vocabulary
{
	int			n;
	text	   *words[MAX_WORDS];
	int8		slots[VOCABULARY_SLOTS];	/* word index + 1; 0 = empty */
} Vocabulary;

static inline uint32
word_hash(const char *data, int len)
{
	uint32		h = (uint32) len * 0x9E3779B1u;

	if (len > 0)
	{
		h ^= (uint32) (unsigned char) data[0] * 0x85EBCA77u;
		h ^= (uint32) (unsigned char) data[len - 1] * 0xC2B2AE3Du;
		h ^= (uint32) (unsigned char) data[len / 2] * 0x27D4EB2Fu;
	}
	h ^= h >> 15;
	return h % VOCABULARY_SLOTS;
}

/*
 * Rows fall into few classes: a status and a set of the tags the rules
 * name.  Which rules a class is in the base and in the part of is worked
 * out once per class, as bit sets over the rules (CHUNK rules a word), and
 * kept in a small direct-mapped cache; a row then costs a lookup and one
 * add per rule.
 */
#define CHUNK 64
#define CLASS_SLOTS 256

typedef struct RowClass
{
	bool		used;
	int			status_bit;		/* -1: a status no rule names */
	WordSet		tags;
} RowClass;

typedef struct CompiledFilters
{
	MemoryContext context;		/* holds all of this */
	uint64		id;				/* unique in the backend: never reused */
	bytea	   *source;			/* a copy of the filters array, to recognise it */
	int			nrules;
	CompiledRule *rules;
	Vocabulary	tags;
	Vocabulary	statuses;
	Oid			tally_type;
	Oid			filter_type;
	int			nchunks;		/* words of a rule bit set */
	RowClass	classes[CLASS_SLOTS];
	uint64	   *class_bits;		/* per slot: base words, then part words */
} CompiledFilters;

static bool
same_text(const text *a, const char *data, int len)
{
	return VARSIZE_ANY_EXHDR(a) == len && memcmp(VARDATA_ANY(a), data, len) == 0;
}

/* The bit of a word, or -1 when the vocabulary does not hold it. */
static int
word_index(const Vocabulary *vocab, const char *data, int len)
{
	uint32		slot = word_hash(data, len);

	while (vocab->slots[slot] != 0)
	{
		int			i = vocab->slots[slot] - 1;

		if (same_text(vocab->words[i], data, len))
			return i;
		slot = (slot + 1) % VOCABULARY_SLOTS;
	}
	return -1;
}

/* Add a word the vocabulary does not hold yet; returns its bit. */
static int
add_word(Vocabulary *vocab, text *word)
{
	uint32		slot = word_hash(VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word));

	while (vocab->slots[slot] != 0)
		slot = (slot + 1) % VOCABULARY_SLOTS;
	vocab->words[vocab->n] = word;
	vocab->slots[slot] = (int8) (vocab->n + 1);
	return vocab->n++;
}

/* The bits of a text[] of words, adding them to the vocabulary. */
static WordSet
compile_words(Vocabulary *vocab, Datum array_datum, bool isnull, const char *field)
{
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			i;
	WordSet		set = 0;

	if (isnull)
		return 0;
	array = DatumGetArrayTypeP(array_datum);
	if (ARR_ELEMTYPE(array) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s of a hrpolicy.rule_filter must be text[]", field)));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	for (i = 0; i < nelems; i++)
	{
		text	   *word;
		int			bit;

		if (nulls[i])
			continue;			/* the catalog refuses NULLs; a NULL matches nothing */
		word = DatumGetTextPP(elems[i]);
		bit = word_index(vocab, VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word));
		if (bit < 0)
		{
			if (vocab->n >= MAX_WORDS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("the rules of the period name more than %d distinct values in %s",
								MAX_WORDS, field),
						 errdetail("hrpolicy.tally_each() compiles the rules' tags and statuses into %d-bit sets.",
								   MAX_WORDS)));
			bit = add_word(vocab, (text *) PG_DETOAST_DATUM_COPY(PointerGetDatum(word)));
		}
		set |= UINT64CONST(1) << bit;
	}
	return set;
}

/* A type of the extension, found beside the function being called. */
static Oid
type_beside_function(FunctionCallInfo fcinfo, const char *name)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									   CStringGetDatum(name),
									   ObjectIdGetDatum(namespace));

	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type \"%s\" of hrpolicy was not found beside function %s",
						name, format_procedure(fcinfo->flinfo->fn_oid))));
	return type;
}

/*
 * Whether the aggregate call being run passes its filters (the third
 * argument) as a constant of the plan: its value then stays at one address,
 * unchanged, for the life of the query.
 */
static bool
filters_are_constant(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	TargetEntry *filters;

	if (aggref == NULL || list_length(aggref->args) != 3)
		return false;
	filters = (TargetEntry *) lthird(aggref->args);
	return IsA(filters->expr, Const) && !((Const *) filters->expr)->constisnull;
}

/*
 * The filters compiled in this transaction, newest first, at most
 * MAX_COMPILED of them (filters that change from row to row must not pile
 * up), each in its own context under filters_context, a child of
 * TopTransactionContext; a reset callback forgets them all when the
 * transaction ends.
 */
#define MAX_COMPILED 4

static MemoryContext filters_context = NULL;
static CompiledFilters *compiled[MAX_COMPILED];
static int	ncompiled = 0;
static uint64 next_compiled_id = 1;

/*
 * What a call site (an FmgrInfo) remembers: the entry it used last, by
 * address and id (valid only while an entry of that id is still kept), and
 * the address of its filters when they are a constant of the plan.
 */
typedef struct CallSite
{
	CompiledFilters *last;
	uint64		last_id;
	Pointer		constant;
} CallSite;

static void
forget_compiled(void *arg)
{
	filters_context = NULL;
	ncompiled = 0;
}

/* Whether the cached entry is still kept: compares addresses only. */
static bool
still_kept(const CompiledFilters *entry, uint64 id)
{
	int			i;

	for (i = 0; i < ncompiled; i++)
		if (compiled[i] == entry && compiled[i]->id == id)
			return true;
	return false;
}

/*
 * Compare contents, not headers: the same array may come with a short
 * header (read from a tuplestore) while the cached copy has a long one.
 */
static bool
same_filters(const CompiledFilters *entry, const bytea *raw)
{
	return VARSIZE_ANY_EXHDR(entry->source) == VARSIZE_ANY_EXHDR(raw) &&
		memcmp(VARDATA_ANY(entry->source), VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw)) == 0;
}

/* Compile the filters into a new entry, in its own context. */
static CompiledFilters *
compile_filters(FunctionCallInfo fcinfo, Datum filters_datum)
{
	MemoryContext context;
	MemoryContext old;
	CompiledFilters *cache;
	ArrayType  *filters;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			i;

	if (filters_context == NULL)
	{
		MemoryContextCallback *callback;

		filters_context = AllocSetContextCreate(TopTransactionContext,
												"hrpolicy tally_each filters",
												ALLOCSET_SMALL_SIZES);
		callback = MemoryContextAlloc(filters_context, sizeof(MemoryContextCallback));
		callback->func = forget_compiled;
		callback->arg = NULL;
		MemoryContextRegisterResetCallback(filters_context, callback);
		ncompiled = 0;
	}
	context = AllocSetContextCreate(filters_context, "hrpolicy compiled filters",
									ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(context);
	cache = palloc0(sizeof(CompiledFilters));
	cache->context = context;
	cache->source = (bytea *) PG_DETOAST_DATUM_COPY(filters_datum);
	cache->tally_type = type_beside_function(fcinfo, "tally");
	cache->filter_type = type_beside_function(fcinfo, "rule_filter");

	filters = DatumGetArrayTypeP(PointerGetDatum(cache->source));
	if (ARR_NDIM(filters) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the filters of hrpolicy.tally_each() must be a one-dimensional array")));
	if (ARR_ELEMTYPE(filters) != cache->filter_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the filters of hrpolicy.tally_each() must be of type hrpolicy.rule_filter[], not %s[]",
						format_type_be(ARR_ELEMTYPE(filters)))));
	get_typlenbyvalalign(ARR_ELEMTYPE(filters), &typlen, &typbyval, &typalign);
	deconstruct_array(filters, ARR_ELEMTYPE(filters), typlen, typbyval, typalign,
					  &elems, &nulls, &nelems);
	cache->nrules = nelems;
	cache->rules = palloc0(sizeof(CompiledRule) * Max(nelems, 1));
	for (i = 0; i < nelems; i++)
	{
		HeapTupleHeader filter;
		CompiledRule *rule = &cache->rules[i];
		Datum		field;
		bool		isnull;

		if (nulls[i])
		{
			rule->nobody = true;
			continue;
		}
		filter = DatumGetHeapTupleHeader(elems[i]);
		if (HeapTupleHeaderGetTypeId(filter) != cache->filter_type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("filter %d of hrpolicy.tally_each() is not a hrpolicy.rule_filter", i + 1)));
		field = GetAttributeByNum(filter, 1, &isnull);
		rule->counts = compile_words(&cache->statuses, field, isnull, "counts and excused");
		field = GetAttributeByNum(filter, 2, &isnull);
		rule->who = compile_words(&cache->tags, field, isnull, "who and unless");
		field = GetAttributeByNum(filter, 3, &isnull);
		rule->unless = compile_words(&cache->tags, field, isnull, "who and unless");
		field = GetAttributeByNum(filter, 4, &isnull);
		rule->excused = compile_words(&cache->statuses, field, isnull, "counts and excused");
	}
	cache->nchunks = (nelems + CHUNK - 1) / CHUNK;
	cache->class_bits = palloc0(sizeof(uint64) * CLASS_SLOTS * 2 * Max(cache->nchunks, 1));
	MemoryContextSwitchTo(old);

	/* Kept only once compiled; the oldest makes room. */
	if (ncompiled == MAX_COMPILED)
		MemoryContextDelete(compiled[--ncompiled]->context);
	memmove(&compiled[1], &compiled[0], sizeof(CompiledFilters *) * ncompiled);
	compiled[0] = cache;
	ncompiled++;
	cache->id = next_compiled_id++;
	return cache;
}

/*
 * The compiled form of the filters argument: the one this call site used
 * last, or one kept for the transaction with the same contents, or a new
 * one.
 */
static CompiledFilters *
compiled_filters(FunctionCallInfo fcinfo, Datum filters_datum)
{
	CallSite   *site = (CallSite *) fcinfo->flinfo->fn_extra;
	bytea	   *raw;
	CompiledFilters *cache = NULL;
	int			i;

	if (site == NULL)
	{
		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallSite));
		fcinfo->flinfo->fn_extra = site;
	}
	else if (site->last != NULL && still_kept(site->last, site->last_id))
	{
		/*
		 * Filters passed as a constant (the reports pass them as a
		 * parameter, which the plan holds as one) come at the same address
		 * on every row, with the same contents: known by their address.
		 * Not otherwise: a per-row argument may reuse the same memory for
		 * other filters.
		 */
		if (site->constant != NULL && DatumGetPointer(filters_datum) == site->constant)
			return site->last;
		raw = DatumGetByteaPP(filters_datum);
		if (same_filters(site->last, raw))
			return site->last;
	}

	raw = DatumGetByteaPP(filters_datum);
	for (i = 0; i < ncompiled && cache == NULL; i++)
		if (same_filters(compiled[i], raw))
			cache = compiled[i];
	if (cache == NULL)
	{
		site->last = NULL;		/* in case compiling fails */
		cache = compile_filters(fcinfo, filters_datum);
	}
	site->last = cache;
	site->last_id = cache->id;
	site->constant = filters_are_constant(fcinfo) ? DatumGetPointer(filters_datum) : NULL;
	return cache;
}

/*
 * The rules whose base and whose part a row of this status and these tags
 * is in, as bit sets: from the cache, or worked out and cached.
 */
static const uint64 *
row_class_bits(CompiledFilters *cache, int status_bit, WordSet row_tags)
{
	uint32		slot = (uint32) ((row_tags * UINT64CONST(0x9E3779B97F4A7C15)) >> 40);
	RowClass   *class;
	uint64	   *bits;
	WordSet		status_set = status_bit >= 0 ? UINT64CONST(1) << status_bit : 0;
	int			i;

	slot = (slot ^ (uint32) (status_bit + 1) * 2654435761u) % CLASS_SLOTS;
	class = &cache->classes[slot];
	bits = cache->class_bits + (Size) slot * 2 * cache->nchunks;
	if (class->used && class->status_bit == status_bit && class->tags == row_tags)
		return bits;

	memset(bits, 0, sizeof(uint64) * 2 * cache->nchunks);
	for (i = 0; i < cache->nrules; i++)
	{
		const CompiledRule *rule = &cache->rules[i];

		if (rule->nobody ||
			(row_tags & rule->who) != rule->who ||
			(row_tags & rule->unless) != 0 ||
			(status_set & rule->excused) != 0)
			continue;
		bits[i / CHUNK] |= UINT64CONST(1) << (i % CHUNK);
		if (status_set & rule->counts)
			bits[cache->nchunks + i / CHUNK] |= UINT64CONST(1) << (i % CHUNK);
	}
	class->used = true;
	class->status_bit = status_bit;
	class->tags = row_tags;
	return bits;
}

/* A state of n zero tallies, in the current memory context. */
static ArrayType *
zero_tallies(int n, Oid tally_type)
{
	Size		size;
	ArrayType  *array;

	if (n == 0)
		return construct_empty_array(tally_type);	/* '{}', as for NULL filters */
	size = ARR_OVERHEAD_NONULLS(1) + sizeof(Tally) * n;
	array = palloc0(size);
	SET_VARSIZE(array, size);
	array->ndim = 1;
	array->dataoffset = 0;
	array->elemtype = tally_type;
	*ARR_DIMS(array) = n;
	*ARR_LBOUND(array) = 1;
	return array;
}

/*
 * Check a state (or a partial state to combine) before touching its data:
 * the caller may be an aggregate that a user built on these functions, with
 * any tally[] as its state.  n < 0 accepts any length.  Returns the length.
 */
static int
check_tallies(ArrayType *array, int n, Oid tally_type, const char *what)
{
	int			have;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the %s of hrpolicy.tally_each() must be a one-dimensional array", what)));
	if (ARR_ELEMTYPE(array) != tally_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s of hrpolicy.tally_each() must be of type hrpolicy.tally[], not %s[]",
						what, format_type_be(ARR_ELEMTYPE(array)))));
	if (ARR_HASNULL(array) && array_contains_nulls(array))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the %s of hrpolicy.tally_each() cannot hold NULL tallies", what)));
	have = ARR_NDIM(array) == 0 ? 0 : ARR_DIMS(array)[0];
	if (n >= 0 && have != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s of hrpolicy.tally_each() holds %d tallies, not %d", what, have, n),
				 errdetail("Every row of a group must pass the same filters, and partial states must come from the same filters."),
				 errhint("Build the filters once per query, as compliance() does.")));
	return have;
}

/*
 * tally_each_accum(state tally[], status text, tags text[], filters rule_filter[])
 *
 * Not STRICT: a NULL status leaves the row out of every tally, NULL tags
 * are no tags, NULL filters are no rules.  A new state is made in the
 * current memory context; the executor copies it into the aggregate's.
 */
Datum
tally_each_accum(PG_FUNCTION_ARGS)
{
	CompiledFilters *compiled;
	ArrayType  *state;
	Tally	   *tallies;
	WordSet		row_tags = 0;
	int			status_bit;
	text	   *status;
	const uint64 *class_bits;
	int			chunk;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy.tally_each_accum() can only be called as an aggregate transition function")));

	if (PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_ARRAYTYPE_P(construct_empty_array(type_beside_function(fcinfo, "tally")));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	compiled = compiled_filters(fcinfo, PG_GETARG_DATUM(3));

	if (PG_ARGISNULL(0))
		state = zero_tallies(compiled->nrules, compiled->tally_type);
	else
	{
		state = PG_GETARG_ARRAYTYPE_P(0);
		check_tallies(state, compiled->nrules, compiled->tally_type, "state");
	}
	if (PG_ARGISNULL(1) || compiled->nrules == 0)
		PG_RETURN_ARRAYTYPE_P(state);

	status = PG_GETARG_TEXT_PP(1);
	status_bit = word_index(&compiled->statuses, VARDATA_ANY(status), VARSIZE_ANY_EXHDR(status));

	if (!PG_ARGISNULL(2) && compiled->tags.n > 0)
	{
		ArrayType  *tags = PG_GETARG_ARRAYTYPE_P(2);
		array_iter	iter;
		int			ntags = ArrayGetNItems(ARR_NDIM(tags), ARR_DIMS(tags));

		if (ARR_ELEMTYPE(tags) != TEXTOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the tags of hrpolicy.tally_each() must be text[]")));
		array_iter_setup(&iter, (AnyArrayType *) tags);
		for (i = 0; i < ntags; i++)
		{
			bool		isnull;
			Datum		tag = array_iter_next(&iter, &isnull, i, -1, false, TYPALIGN_INT);
			int			bit;

			if (isnull)
				continue;
			bit = word_index(&compiled->tags, VARDATA_ANY(DatumGetPointer(tag)),
							 VARSIZE_ANY_EXHDR(DatumGetPointer(tag)));
			if (bit >= 0)
				row_tags |= UINT64CONST(1) << bit;
		}
	}

	tallies = (Tally *) ARR_DATA_PTR(state);
	class_bits = row_class_bits(compiled, status_bit, row_tags);
	for (chunk = 0; chunk < compiled->nchunks; chunk++)
	{
		uint64		base = class_bits[chunk];
		uint64		part = class_bits[compiled->nchunks + chunk];
		Tally	   *t = tallies + chunk * CHUNK;
		int			n = Min(CHUNK, compiled->nrules - chunk * CHUNK);

		for (i = 0; i < n; i++)
		{
			/* adds of 0 or 1: only a total at the very top can overflow */
			if (unlikely(t[i].total == PG_INT64_MAX) && ((base >> i) & 1))
				report_tally_overflow();
			t[i].total += (base >> i) & 1;
			t[i].part += (part >> i) & 1;	/* part <= total */
		}
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/*
 * Combine two partial states: add the tallies rule by rule into the first.
 * A NULL first state takes the second as it is (the executor copies it).
 */
Datum
tally_each_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *left;
	ArrayType  *right;
	Oid			tally_type;
	Tally	   *a;
	Tally	   *b;
	int			n;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy.tally_each_combine() can only be called as an aggregate combine function")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	tally_type = type_beside_function(fcinfo, "tally");
	right = PG_GETARG_ARRAYTYPE_P(1);
	n = check_tallies(right, -1, tally_type, "partial state");
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(right);
	left = PG_GETARG_ARRAYTYPE_P(0);
	check_tallies(left, n, tally_type, "state");
	a = (Tally *) ARR_DATA_PTR(left);
	b = (Tally *) ARR_DATA_PTR(right);
	for (i = 0; i < n; i++)
		if (pg_add_s64_overflow(a[i].part, b[i].part, &a[i].part) ||
			pg_add_s64_overflow(a[i].total, b[i].total, &a[i].total))
			report_tally_overflow();
	PG_RETURN_ARRAYTYPE_P(left);
}
