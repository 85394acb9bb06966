/*-------------------------------------------------------------------------
 *
 * person_rows.c
 *	  The rows of person_compliance(): one per rule whose base holds a row
 *	  of a person's week or month, made from the arrays of person_tallies().
 *
 * person_compliance() writes a row for most persons of the roster, every
 * week: hundreds of thousands for a month of a city's staff.  Joining each
 * group's arrays to the rule book in SQL and calling a function per column
 * cost more than counting the rows did; this set-returning function makes
 * each row whole in C, with the book's text compiled once a query (cached
 * across the groups of the query in fn_extra) and the sentence's parts in
 * words once per book entry and period.
 *
 * It is called value-per-call, in the target list of the report's query
 * (a ProjectSet, which streams the rows: a set function in FROM would be
 * materialized group by group).  So it keeps its place in the current
 * group itself, and forgets it when the executor shuts the set down early
 * (a rescan, a LIMIT).
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "explanation.h"
#include "person_period.h"
#include "quota.h"
#include "rule_filters.h"
#include "tally.h"
#include "validity.h"

PG_FUNCTION_INFO_V1(person_rows);

#define CALLER "hrpolicy.person_rows()"

/*
 * The columns of person_rows(), in order: those of fixed width first and
 * the one most often NULL last, so that the report reads each from the row
 * at a known offset as far as it can.
 */
enum
{
	COL_TALLY,
	COL_QUOTA,
	COL_ALLOWED,
	COL_OK,
	COL_HEADROOM,
	COL_PERIOD,
	COL_UNIT,
	COL_POLICY,
	COL_RULE,
	COL_EXPLANATION,
	COL_DEFINED_BY,
	COL_ONLY_WHEN,
	NUM_COLUMNS
};

/* An entry of the book: what a row shows of the rule that counted it. */
typedef struct RowEntry
{
	bool		present;		/* a non-NULL entry */
	Datum		policy;			/* text */
	Datum		rule;			/* text */
	Datum		defined_by;		/* text */
	Datum		only_when;		/* text, or 0 for NULL */
	char	   *policy_str;
	char	   *rule_str;
	char	   *defined_by_str;
	Quota		quota;
	char	   *count_words;	/* the statuses counted, in words */
	bool		office;			/* office is among them */
} RowEntry;

/*
 * A sentence already written: most rows of a report repeat one of a few
 * dozen (a week has at most seven working days), so each is written once
 * per rule, period, part and total.
 */
#define SENTENCE_SLOTS 1024		/* a power of two */

typedef struct SentenceSlot
{
	text	   *sentence;		/* NULL: empty */
	int			entry;
	bool		week;
	DateADT		start;
	int64		part;
	int64		total;
} SentenceSlot;

typedef struct PersonRows
{
	MemoryContext book_context; /* the compiled book */
	bytea	   *book_source;	/* its bytes, to tell it again */
	Pointer		book_pointer;
	int			nentries;
	RowEntry   *entries;
	TupleDesc	tupdesc;
	Oid			validity_type;
	Oid			unit_type;
	Oid			tally_type;
	int16		unit_typlen;
	bool		unit_typbyval;
	char		unit_typalign;

	/* the period of the last group: in words, and as a validity */
	bool		period_week;
	DateADT		period_start;
	char	   *period_words;
	Datum		period;

	MemoryContext group_context;	/* the group's arrays */

	MemoryContext sentence_context; /* the sentences written */
	int			nsentences;
	SentenceSlot sentences[SENTENCE_SLOTS];

	/* the group being returned */
	bool		in_set;
	int			next;			/* the next tally to look at (0-based) */
	int			ntallies;
	const Tally *tallies;
	Datum	   *units;
	bool	   *unit_nulls;
	int32	   *entry_numbers;	/* per tally, its entry (1-based), 0 for none */
	ExprContext *econtext;		/* where the shutdown callback is registered */
} PersonRows;


/* The executor ends a set early (rescan, end of query): forget the group. */
static void
end_set(Datum arg)
{
	PersonRows *rows = (PersonRows *) DatumGetPointer(arg);

	rows->in_set = false;
	rows->econtext = NULL;
}

static void
check_array(ArrayType *array, Oid type, const char *what)
{
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the %s of %s must be a one-dimensional array", what, CALLER)));
	if (OidIsValid(type) && ARR_ELEMTYPE(array) != type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s of %s must be of type %s[], not %s[]", what, CALLER,
						format_type_be(type), format_type_be(ARR_ELEMTYPE(array)))));
}

static Datum
text_copy(HeapTupleHeader entry, int attno, char **str)
{
	bool		isnull;
	Datum		value = GetAttributeByNum(entry, attno, &isnull);
	text	   *copy;

	if (isnull)
	{
		if (str != NULL)
			*str = NULL;
		return (Datum) 0;
	}
	copy = DatumGetTextPCopy(value);
	if (str != NULL)
		*str = text_to_cstring(copy);
	return PointerGetDatum(copy);
}

static void
forget_sentences(PersonRows *rows)
{
	MemoryContextReset(rows->sentence_context);
	memset(rows->sentences, 0, sizeof(rows->sentences));
	rows->nsentences = 0;
}

/*
 * Compile the book (report_entry[]): per entry, the texts a row shows, the
 * quota and the statuses counted in words.  Kept for the query; a query
 * that passes another book gets it compiled anew.
 */
static void
compile_book(FunctionCallInfo fcinfo, PersonRows *rows, Datum book_datum)
{
	MemoryContext old;
	ArrayType  *book;
	Oid			entry_type = type_beside_function(fcinfo, "report_entry");
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (rows->book_pointer == DatumGetPointer(book_datum))
		return;
	if (rows->book_source != NULL)
	{
		bytea	   *given = DatumGetByteaPP(book_datum);

		if (VARSIZE_ANY_EXHDR(given) == VARSIZE_ANY_EXHDR(rows->book_source) &&
			memcmp(VARDATA_ANY(given), VARDATA_ANY(rows->book_source),
				   VARSIZE_ANY_EXHDR(given)) == 0)
		{
			rows->book_pointer = DatumGetPointer(book_datum);
			return;
		}
		MemoryContextReset(rows->book_context);
	}
	forget_sentences(rows);
	rows->book_pointer = NULL;
	rows->book_source = NULL;
	old = MemoryContextSwitchTo(rows->book_context);
	book = DatumGetArrayTypePCopy(book_datum);
	check_array(book, entry_type, "book");
	get_typlenbyvalalign(entry_type, &typlen, &typbyval, &typalign);
	deconstruct_array(book, entry_type, typlen, typbyval, typalign, &elems, &nulls, &n);
	rows->entries = palloc0(sizeof(RowEntry) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		RowEntry   *e = &rows->entries[i];
		HeapTupleHeader entry;
		bool		isnull;
		Datum		value;

		if (nulls[i])
			continue;
		entry = DatumGetHeapTupleHeader(elems[i]);
		value = GetAttributeByNum(entry, 1, &isnull);
		if (isnull || DatumGetInt32(value) != i + 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("entry %d of the book of %s is not numbered %d", i + 1, CALLER, i + 1),
					 errdetail("The entries of a report's book are numbered from 1, in order.")));
		e->policy = text_copy(entry, 3, &e->policy_str);
		e->rule = text_copy(entry, 6, &e->rule_str);
		e->defined_by = text_copy(entry, 7, &e->defined_by_str);
		e->only_when = text_copy(entry, 13, NULL);
		value = GetAttributeByNum(entry, 8, &isnull);
		if (e->policy == (Datum) 0 || e->rule == (Datum) 0 || e->defined_by == (Datum) 0 || isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("entry %d of the book of %s lacks its decree, rule or quota", i + 1, CALLER)));
		e->quota = *DatumGetQuotaP(value);
		value = GetAttributeByNum(entry, 9, &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("entry %d of the book of %s lacks the statuses it counts", i + 1, CALLER)));
		e->count_words = person_count_words(DatumGetArrayTypeP(value), &e->office);
		e->present = true;
	}
	rows->nentries = n;
	rows->book_source = (bytea *) book;
	MemoryContextSwitchTo(old);
	rows->book_pointer = DatumGetPointer(book_datum);
}

/*
 * The sentence of a row: the one written before for the same entry,
 * period, part and total, or a new one (the parts in words come from the
 * compiled book and the group's period).
 */
static text *
sentence_of(PersonRows *rows, int entry, const Tally *tally)
{
	RowEntry   *e = &rows->entries[entry];
	uint32		hash;
	int			slot;
	SentenceSlot *found = NULL;
	MemoryContext old;
	StringInfoData sentence;
	int			probe;

	hash = hash_combine(hash_bytes_uint32((uint32) entry),
						hash_bytes_uint32((uint32) rows->period_start));
	hash = hash_combine(hash, hash_bytes_uint32((uint32) tally->part));
	hash = hash_combine(hash, hash_bytes_uint32((uint32) tally->total));
	slot = hash & (SENTENCE_SLOTS - 1);
	for (probe = 0; probe < 8; probe++, slot = (slot + 1) & (SENTENCE_SLOTS - 1))
	{
		SentenceSlot *s = &rows->sentences[slot];

		if (s->sentence == NULL)
		{
			found = s;
			break;
		}
		if (s->entry == entry && s->week == rows->period_week &&
			s->start == rows->period_start && s->part == tally->part && s->total == tally->total)
			return s->sentence;
	}
	if (found == NULL || rows->nsentences >= SENTENCE_SLOTS / 2)
	{
		/* full, or a crowded neighbourhood: start again */
		forget_sentences(rows);
		found = &rows->sentences[hash & (SENTENCE_SLOTS - 1)];
	}

	old = MemoryContextSwitchTo(rows->sentence_context);
	initStringInfo(&sentence);
	append_person_sentence(&sentence, tally, &e->quota, e->policy_str, e->rule_str,
						   e->defined_by_str, e->count_words, e->office, rows->period_words);
	found->sentence = cstring_to_text_with_len(sentence.data, sentence.len);
	pfree(sentence.data);
	MemoryContextSwitchTo(old);
	found->entry = entry;
	found->week = rows->period_week;
	found->start = rows->period_start;
	found->part = tally->part;
	found->total = tally->total;
	rows->nsentences++;
	return found->sentence;
}

static PersonRows *
person_rows_state(FunctionCallInfo fcinfo)
{
	PersonRows *rows = (PersonRows *) fcinfo->flinfo->fn_extra;
	MemoryContext old;
	TupleDesc	tupdesc;

	if (rows != NULL)
		return rows;
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != NUM_COLUMNS)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s must be called where its row type is known", CALLER)));
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	rows = palloc0(sizeof(PersonRows));
	rows->book_context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "hrpolicy person_rows book",
											   ALLOCSET_SMALL_SIZES);
	rows->group_context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "hrpolicy person_rows group",
												ALLOCSET_SMALL_SIZES);
	rows->sentence_context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
												   "hrpolicy person_rows sentences",
												   ALLOCSET_DEFAULT_SIZES);
	rows->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
	rows->validity_type = TupleDescAttr(rows->tupdesc, COL_PERIOD)->atttypid;
	rows->unit_type = TupleDescAttr(rows->tupdesc, COL_UNIT)->atttypid;
	rows->tally_type = TupleDescAttr(rows->tupdesc, COL_TALLY)->atttypid;
	get_typlenbyvalalign(rows->unit_type, &rows->unit_typlen, &rows->unit_typbyval,
						 &rows->unit_typalign);
	rows->period_start = DATEVAL_NOBEGIN;
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = rows;
	return rows;
}

/*
 * Start returning a group: check its arrays (tallies, units and entries of
 * one length; entries within the book), and the period.
 */
static void
begin_group(FunctionCallInfo fcinfo, PersonRows *rows, ReturnSetInfo *rsi)
{
	MemoryContext old;
	ArrayType  *tallies;
	ArrayType  *units;
	ArrayType  *entries;
	bool		week = person_period_is_week(PG_GETARG_TEXT_PP(4));
	DateADT		start = PG_GETARG_DATEADT(5);
	int			n;
	int			nunits;
	Datum	   *elems;
	bool	   *nulls;
	int			nentries;
	int			i;

	/*
	 * The group's arrays, detoasted, and what is made of them live until the
	 * next group: the executor resets its own per-row memory every row.
	 */
	MemoryContextReset(rows->group_context);
	old = MemoryContextSwitchTo(rows->group_context);
	tallies = PG_GETARG_ARRAYTYPE_P(0);
	units = PG_GETARG_ARRAYTYPE_P(1);
	entries = PG_GETARG_ARRAYTYPE_P(2);
	check_array(tallies, rows->tally_type, "tallies");
	check_array(units, rows->unit_type, "units");
	check_array(entries, INT4OID, "entries");
	if (ARR_HASNULL(tallies))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the tallies of %s cannot hold NULL", CALLER)));
	n = ArrayGetNItems(ARR_NDIM(tallies), ARR_DIMS(tallies));
	deconstruct_array(units, rows->unit_type, rows->unit_typlen, rows->unit_typbyval,
					  rows->unit_typalign, &rows->units, &rows->unit_nulls, &nunits);
	deconstruct_array(entries, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &nentries);
	if (nunits != n || nentries != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s was given %d tallies, %d units and %d entries", CALLER, n, nunits, nentries),
				 errdetail("Each tally needs its unit and its entry.")));
	rows->entry_numbers = palloc(sizeof(int32) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		int32		k = nulls[i] ? 0 : DatumGetInt32(elems[i]);

		if (rows->unit_nulls[i] != nulls[i] ||
			(!nulls[i] && (k < 1 || k > rows->nentries || !rows->entries[k - 1].present)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tally %d of %s names no entry of the book", i + 1, CALLER),
					 errdetail("A tally with a unit names an entry from 1 to %d; a tally without one names none.",
							   rows->nentries)));
		rows->entry_numbers[i] = k;
	}
	rows->tallies = (const Tally *) ARR_DATA_PTR(tallies);
	rows->ntallies = n;
	rows->next = 0;
	MemoryContextSwitchTo(old);

	if (start != rows->period_start || week != rows->period_week || rows->period_words == NULL)
	{
		DateADT		last;

		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		if (rows->period_words != NULL)
		{
			pfree(rows->period_words);
			if (rows->period != (Datum) 0)
				pfree(DatumGetPointer(rows->period));
			rows->period_words = NULL;
		}
		/* (person_period_words() checks the day starts such a period) */
		rows->period_words = person_period_words(week, start);
		last = person_period_last(week, start);
		/* NULL past the last day PostgreSQL knows, as person_period() */
		rows->period = DATE_NOT_FINITE(last) ? (Datum) 0
			: validity_from_days(rows->validity_type, start, last);
		rows->period_week = week;
		rows->period_start = start;
		MemoryContextSwitchTo(old);
	}

	rows->in_set = true;
	rows->econtext = rsi->econtext;
	RegisterExprContextCallback(rsi->econtext, end_set, PointerGetDatum(rows));
}

/*
 * hrpolicy.person_rows(tallies tally[], units ltree[], entries int4[],
 *                      book report_entry[], per text, first_day date)
 *   RETURNS SETOF (period, unit, policy, rule, tally, quota, allowed, ok,
 *                  headroom, explanation, defined_by, only_when)
 *
 * The arrays are a group's person_tallies(), person_units() and
 * person_entries(); a row for each tally with a unit (a base holding a
 * row), showing the entry that counted the last row.
 */
Datum
person_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	PersonRows *rows;
	Datum		values[NUM_COLUMNS];
	bool		isnull[NUM_COLUMNS];
	const Tally *tally;
	RowEntry   *e;
	text	   *sentence;
	int			i;

	if (rsi == NULL || !IsA(rsi, ReturnSetInfo) || (rsi->allowedModes & SFRM_ValuePerCall) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s must be called where a set is accepted", CALLER)));
	rows = person_rows_state(fcinfo);
	if (!rows->in_set)
	{
		/* a new group (strict: no NULL argument reaches here) */
		compile_book(fcinfo, rows, PG_GETARG_DATUM(3));
		begin_group(fcinfo, rows, rsi);
	}

	while (rows->next < rows->ntallies && rows->unit_nulls[rows->next])
		rows->next++;
	if (rows->next >= rows->ntallies)
	{
		rows->in_set = false;
		if (rows->econtext != NULL)
			UnregisterExprContextCallback(rows->econtext, end_set, PointerGetDatum(rows));
		rows->econtext = NULL;
		rsi->isDone = ExprEndResult;
		PG_RETURN_NULL();
	}
	i = rows->next++;
	tally = &rows->tallies[i];
	e = &rows->entries[rows->entry_numbers[i] - 1];

	sentence = sentence_of(rows, rows->entry_numbers[i] - 1, tally);	/* checks the tally */

	memset(isnull, false, sizeof(isnull));
	values[COL_PERIOD] = rows->period;
	isnull[COL_PERIOD] = rows->period == (Datum) 0;
	values[COL_UNIT] = rows->units[i];
	values[COL_POLICY] = e->policy;
	values[COL_RULE] = e->rule;
	values[COL_TALLY] = TallyPGetDatum(unconstify(Tally *, tally));
	values[COL_QUOTA] = QuotaPGetDatum(&e->quota);
	values[COL_ALLOWED] = Int64GetDatum(quota_limit_of(&e->quota, tally->total));
	values[COL_OK] = BoolGetDatum(quota_admits(&e->quota, tally->part, tally->total));
	values[COL_HEADROOM] = Int64GetDatum(tally_headroom_of(tally, &e->quota));
	values[COL_EXPLANATION] = PointerGetDatum(sentence);
	values[COL_DEFINED_BY] = e->defined_by;
	values[COL_ONLY_WHEN] = e->only_when;
	isnull[COL_ONLY_WHEN] = e->only_when == (Datum) 0;

	rsi->isDone = ExprMultipleResult;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(rows->tupdesc, values, isnull)));
}
