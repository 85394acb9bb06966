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
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/executor.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
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
} CompiledRule;

typedef struct Vocabulary
{
	int			n;
	text	   *words[MAX_WORDS];
} Vocabulary;

typedef struct CompiledFilters
{
	MemoryContext context;		/* holds all of this; replaced on recompile */
	bytea	   *source;			/* a copy of the filters array, to recognise it */
	int			nrules;
	CompiledRule *rules;
	Vocabulary	tags;
	Vocabulary	statuses;
	Oid			tally_type;
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
	int			i;

	for (i = 0; i < vocab->n; i++)
		if (same_text(vocab->words[i], data, len))
			return i;
	return -1;
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
			bit = vocab->n;
			vocab->words[vocab->n++] = (text *) PG_DETOAST_DATUM_COPY(PointerGetDatum(word));
		}
		set |= UINT64CONST(1) << bit;
	}
	return set;
}

static Oid
tally_type_of(FunctionCallInfo fcinfo)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									   CStringGetDatum("tally"),
									   ObjectIdGetDatum(namespace));

	if (!OidIsValid(type))
		elog(ERROR, "type tally not found beside function %u", fcinfo->flinfo->fn_oid);
	return type;
}

/*
 * The compiled form of the filters argument, cached in fn_extra for the
 * life of the query and recompiled only if another array comes.
 */
static CompiledFilters *
compiled_filters(FunctionCallInfo fcinfo, Datum filters_datum)
{
	CompiledFilters *cache = (CompiledFilters *) fcinfo->flinfo->fn_extra;
	bytea	   *raw = DatumGetByteaPP(filters_datum);
	MemoryContext old;
	ArrayType  *filters;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			i;

	/*
	 * Compare contents, not headers: the same array may come with a short
	 * header (read from a tuplestore) while the cached copy has a long one.
	 * Not the pointer either: a per-row argument may reuse the same memory
	 * for other filters.
	 */
	if (cache != NULL &&
		VARSIZE_ANY_EXHDR(cache->source) == VARSIZE_ANY_EXHDR(raw) &&
		memcmp(VARDATA_ANY(cache->source), VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw)) == 0)
		return cache;

	/* Filters that change from row to row must not pile up. */
	if (cache != NULL)
	{
		fcinfo->flinfo->fn_extra = NULL;	/* in case compiling fails */
		MemoryContextDelete(cache->context);
	}
	{
		MemoryContext context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
													  "hrpolicy tally_each filters",
													  ALLOCSET_SMALL_SIZES);

		old = MemoryContextSwitchTo(context);
		cache = palloc0(sizeof(CompiledFilters));
		cache->context = context;
	}
	cache->source = (bytea *) PG_DETOAST_DATUM_COPY(filters_datum);
	cache->tally_type = tally_type_of(fcinfo);

	filters = DatumGetArrayTypeP(PointerGetDatum(cache->source));
	if (ARR_NDIM(filters) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the filters of hrpolicy.tally_each() must be a one-dimensional array")));
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
			/* A NULL filter covers nobody: who requires an impossible tag. */
			rule->who = ~UINT64CONST(0);
			continue;
		}
		filter = DatumGetHeapTupleHeader(elems[i]);
		field = GetAttributeByNum(filter, 1, &isnull);
		rule->counts = compile_words(&cache->statuses, field, isnull, "counts and excused");
		field = GetAttributeByNum(filter, 2, &isnull);
		rule->who = compile_words(&cache->tags, field, isnull, "who and unless");
		field = GetAttributeByNum(filter, 3, &isnull);
		rule->unless = compile_words(&cache->tags, field, isnull, "who and unless");
		field = GetAttributeByNum(filter, 4, &isnull);
		rule->excused = compile_words(&cache->statuses, field, isnull, "counts and excused");
	}
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

static ArrayType *
zero_tallies(int n, Oid tally_type)
{
	Size		size = ARR_OVERHEAD_NONULLS(1) + sizeof(Tally) * n;
	ArrayType  *array = palloc0(size);

	SET_VARSIZE(array, size);
	array->ndim = 1;
	array->dataoffset = 0;
	array->elemtype = tally_type;
	*ARR_DIMS(array) = n;
	*ARR_LBOUND(array) = 1;
	return array;
}

static void
check_tallies(ArrayType *array, int n)
{
	int			have = ARR_NDIM(array) == 0 ? 0 : ARR_DIMS(array)[0];

	if (ARR_NDIM(array) > 1 || ARR_HASNULL(array) || have != n)
		elog(ERROR, "hrpolicy.tally_each() state does not match its %d rules", n);
}

/*
 * tally_each_accum(state tally[], status text, tags text[], filters rule_filter[])
 *
 * Not STRICT: a NULL status leaves the row out of every tally, NULL tags
 * are no tags, NULL filters are no rules.
 */
Datum
tally_each_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	CompiledFilters *compiled;
	ArrayType  *state;
	Tally	   *tallies;
	WordSet		row_tags = 0;
	int			status_bit;
	text	   *status;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy.tally_each_accum() can only be called as an aggregate transition function")));

	if (PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
		{
			MemoryContext old = MemoryContextSwitchTo(aggcontext);
			ArrayType  *empty = construct_empty_array(tally_type_of(fcinfo));

			MemoryContextSwitchTo(old);
			PG_RETURN_ARRAYTYPE_P(empty);
		}
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	compiled = compiled_filters(fcinfo, PG_GETARG_DATUM(3));

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		state = zero_tallies(compiled->nrules, compiled->tally_type);
		MemoryContextSwitchTo(old);
	}
	else
	{
		state = PG_GETARG_ARRAYTYPE_P(0);
		check_tallies(state, compiled->nrules);
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
			elog(ERROR, "hrpolicy.tally_each() expects tags of type text[]");
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
	for (i = 0; i < compiled->nrules; i++)
	{
		const CompiledRule *rule = &compiled->rules[i];
		WordSet		status_set = status_bit >= 0 ? UINT64CONST(1) << status_bit : 0;

		if ((row_tags & rule->who) != rule->who ||
			(row_tags & rule->unless) != 0 ||
			(status_set & rule->excused) != 0)
			continue;
		if (unlikely(pg_add_s64_overflow(tallies[i].total, 1, &tallies[i].total)))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("hrpolicy.tally out of range")));
		if (status_set & rule->counts)
			tallies[i].part++;	/* part <= total, which did not overflow */
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Combine two partial states: add the tallies rule by rule. */
Datum
tally_each_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ArrayType  *left;
	ArrayType  *right;
	Tally	   *a;
	Tally	   *b;
	int			n;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy.tally_each_combine() can only be called as an aggregate combine function")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	right = PG_GETARG_ARRAYTYPE_P(1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);
		ArrayType  *copy = (ArrayType *) palloc(VARSIZE(right));

		memcpy(copy, right, VARSIZE(right));
		MemoryContextSwitchTo(old);
		PG_RETURN_ARRAYTYPE_P(copy);
	}
	left = PG_GETARG_ARRAYTYPE_P(0);
	n = ArrayGetNItems(ARR_NDIM(left), ARR_DIMS(left));
	check_tallies(right, n);
	a = (Tally *) ARR_DATA_PTR(left);
	b = (Tally *) ARR_DATA_PTR(right);
	for (i = 0; i < n; i++)
		if (pg_add_s64_overflow(a[i].part, b[i].part, &a[i].part) ||
			pg_add_s64_overflow(a[i].total, b[i].total, &a[i].total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("hrpolicy.tally out of range")));
	PG_RETURN_ARRAYTYPE_P(left);
}
