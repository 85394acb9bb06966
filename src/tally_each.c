/*-------------------------------------------------------------------------
 *
 * tally_each.c
 *	  hrpolicy.tally_each(status, tags, filters): the tallies of many rules
 *	  over the same roster rows, in one pass.
 *
 * A report groups the roster by unit and day, as the cheapest count would,
 * and this aggregate keeps one tally per rule of the period's rule book.
 * Each rule is a filter, compiled into bit sets (rule_filters.c), so that
 * a row costs one pass over its tags plus one add per rule, whatever the
 * strings.
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
#include "port/pg_bitutils.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "rule_filters.h"
#include "tally.h"

PG_FUNCTION_INFO_V1(tally_each_accum);
PG_FUNCTION_INFO_V1(tally_each_combine);

typedef struct CompiledFilters
{
	MemoryContext context;		/* holds all of this */
	uint64		id;				/* unique in the backend: never reused */
	bytea	   *source;			/* a copy of the filters array, to recognise it */
	Oid			tally_type;
	Oid			filter_type;
	RuleSet		rules;
} CompiledFilters;


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
	rule_set_init(&cache->rules, nelems);
	for (i = 0; i < nelems; i++)
	{
		HeapTupleHeader filter;

		if (nulls[i])
			continue;			/* covers nobody */
		filter = DatumGetHeapTupleHeader(elems[i]);
		if (HeapTupleHeaderGetTypeId(filter) != cache->filter_type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("filter %d of hrpolicy.tally_each() is not a hrpolicy.rule_filter", i + 1)));
		rule_set_compile(&cache->rules, i, filter, "hrpolicy.tally_each()");
	}
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
	RuleSet    *rules;
	ArrayType  *state;
	Tally	   *tallies;
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
	rules = &compiled->rules;

	if (PG_ARGISNULL(0))
		state = zero_tallies(rules->nrules, compiled->tally_type);
	else
	{
		state = PG_GETARG_ARRAYTYPE_P(0);
		check_tallies(state, rules->nrules, compiled->tally_type, "state");
	}
	if (PG_ARGISNULL(1) || rules->nrules == 0)
		PG_RETURN_ARRAYTYPE_P(state);

	class_bits = rule_set_datum_bits(rules, PG_GETARG_TEXT_PP(1), PG_GETARG_DATUM(2),
									 PG_ARGISNULL(2), "hrpolicy.tally_each()");
	/*
	 * Only the rules whose base holds the row are touched: a row is in the
	 * base of a few of many rules that select on tags.
	 */
	tallies = (Tally *) ARR_DATA_PTR(state);
	for (chunk = 0; chunk < rules->nchunks; chunk++)
	{
		uint64		base = class_bits[chunk];
		uint64		part = class_bits[rules->nchunks + chunk];
		Tally	   *t = tallies + chunk * RULE_CHUNK;

		for (; base != 0; base &= base - 1)
		{
			i = pg_rightmost_one_pos64(base);
			/* adds of 1: only a total at the very top can overflow */
			if (unlikely(t[i].total == PG_INT64_MAX))
				report_tally_overflow();
			t[i].total++;
		}
		for (; part != 0; part &= part - 1)
			t[pg_rightmost_one_pos64(part)].part++;	/* part <= total */
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
