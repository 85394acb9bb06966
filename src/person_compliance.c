/*-------------------------------------------------------------------------
 *
 * person_compliance.c
 *	  hrpolicy.person_compliance(): a row per person, week or month, and
 *	  person-period rule whose base holds a row of it.
 *
 * The report writes a row for most persons of the roster, every week:
 * hundreds of thousands for a month of a city's staff, each with its
 * sentence.  Counting the roster is one query (person_report_query(), by
 * person and period, with person_tallies() and its sister aggregates);
 * making the rows of each group in SQL (joining the group's arrays to the
 * rule book, a function per column, a set function per group) cost more
 * than the counting did.  So this function runs the counting query through
 * SPI into a receiver that makes each group's rows in C, straight into the
 * result: the book's texts compiled once, the period in words once per
 * period, and each sentence once per rule, period, part and total.
 *
 * What the report reads is planned in PL/pgSQL (person_compliance_plan():
 * the period's checks, the roster, each kind of period's book and query);
 * an error met while the roster is read is raised again as the other
 * reports raise it (raise_from_report()): same SQLSTATE, message, detail
 * and hint, with the report and roster named instead of the whole query.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_oper.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "explanation.h"
#include "person_period.h"
#include "quota.h"
#include "rule_filters.h"
#include "tally.h"
#include "validity.h"

PG_FUNCTION_INFO_V1(person_compliance);

#define CALLER "hrpolicy.person_compliance()"

/* the columns of person_compliance(), in order */
enum
{
	COL_PERIOD,
	COL_PERSON,
	COL_UNIT,
	COL_POLICY,
	COL_RULE,
	COL_TALLY,
	COL_QUOTA,
	COL_ALLOWED,
	COL_OK,
	COL_HEADROOM,
	COL_EXPLANATION,
	COL_DEFINED_BY,
	COL_ONLY_WHEN,
	NUM_COLUMNS
};

/* the columns of the counting query: a group's person, period and arrays */
enum
{
	GROUP_PERSON,
	GROUP_FIRST_DAY,
	GROUP_TALLIES,
	GROUP_UNITS,
	GROUP_ENTRIES,
	GROUP_COLUMNS
};

/* the columns of person_compliance_plan(), in order */
enum
{
	PLAN_ROSTER,
	PLAN_PER,
	PLAN_QUERY,
	PLAN_FIRST_DAY,
	PLAN_LAST_DAY,
	PLAN_SCOPE,
	PLAN_BOOK,
	PLAN_FILTERS,
	PLAN_FACTS,
	PLAN_COLUMNS
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
	PersonDays	days;			/* what the days counted are */
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

/*
 * A period met: its first day, and as the row shows it (a validity) and
 * the sentence names it ("in the week of 2 November 2020"), made when first
 * needed.  Kept for the kind of period read (reset with the book).
 */
#define PERIOD_SLOTS 64			/* a power of two; a year holds 53 weeks */

typedef struct PeriodSlot
{
	bool		used;
	DateADT		start;
	Datum		validity;		/* (Datum) 0: past the last day PostgreSQL knows */
	char	   *words;			/* NULL until a sentence needs them */
} PeriodSlot;

/* The receiver of the counting query, and what it makes rows with. */
typedef struct PersonRows
{
	DestReceiver pub;			/* first: the executor sees a DestReceiver */

	Tuplestorestate *store;		/* the report's rows */
	TupleDesc	result_desc;
	Oid			entry_type;		/* hrpolicy.report_entry */
	Oid			validity_type;
	Oid			unit_type;
	Oid			tally_type;
	int16		unit_typlen;
	bool		unit_typbyval;
	char		unit_typalign;

	/* the book of the kind of period being read */
	MemoryContext book_context;
	bytea	   *book_source;	/* its bytes, to tell it again */
	Pointer		book_pointer;
	int			nentries;
	RowEntry   *entries;
	bool		week;			/* person-week, else person-month */
	bool		has_scope;
	Datum		scope;
	FmgrInfo	scope_covers;	/* ltree's own @>(ltree, ltree) */

	/* the periods met (groups come by person: the weeks repeat) */
	MemoryContext period_context;	/* their validities and words */
	PeriodSlot	periods[PERIOD_SLOTS];
	PeriodSlot *period;			/* the current group's */

	MemoryContext group_context;	/* a group's arrays, reset every group */

	MemoryContext sentence_context; /* the sentences written */
	int			nsentences;
	SentenceSlot sentences[SENTENCE_SLOTS];
} PersonRows;


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
forget_periods(PersonRows *rows)
{
	MemoryContextReset(rows->period_context);
	memset(rows->periods, 0, sizeof(rows->periods));
	rows->period = NULL;
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
compile_book(PersonRows *rows, Datum book_datum)
{
	MemoryContext old;
	ArrayType  *book;
	Oid			entry_type = rows->entry_type;
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
	/* (what was made for the book before went with its memory) */
	forget_sentences(rows);
	forget_periods(rows);
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
		e->count_words = person_count_words(DatumGetArrayTypeP(value), &e->days);
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
						hash_bytes_uint32((uint32) rows->period->start));
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
		if (s->entry == entry && s->week == rows->week &&
			s->start == rows->period->start && s->part == tally->part && s->total == tally->total)
			return s->sentence;
	}
	if (found == NULL || rows->nsentences >= SENTENCE_SLOTS / 2)
	{
		/* full, or a crowded neighbourhood: start again */
		forget_sentences(rows);
		found = &rows->sentences[hash & (SENTENCE_SLOTS - 1)];
	}

	if (rows->period->words == NULL)
		rows->period->words = MemoryContextStrdup(rows->period_context,
												  person_period_words(rows->week, rows->period->start));
	old = MemoryContextSwitchTo(rows->sentence_context);
	initStringInfo(&sentence);
	append_person_sentence(&sentence, tally, &e->quota, e->policy_str, e->rule_str,
						   e->defined_by_str, e->count_words, e->days, rows->period->words);
	found->sentence = cstring_to_text_with_len(sentence.data, sentence.len);
	pfree(sentence.data);
	MemoryContextSwitchTo(old);
	found->entry = entry;
	found->week = rows->week;
	found->start = rows->period->start;
	found->part = tally->part;
	found->total = tally->total;
	rows->nsentences++;
	return found->sentence;
}

static bool
is_first_of_month(DateADT day)
{
	int			year;
	int			month;
	int			mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return mday == 1;
}

/*
 * The period of a group, found among those met or made (checked: the day
 * must start a week or a month).
 */
static PeriodSlot *
find_period(PersonRows *rows, DateADT start)
{
	int			slot = hash_bytes_uint32((uint32) start) & (PERIOD_SLOTS - 1);
	int			probe;
	PeriodSlot *period;
	DateADT		last;
	MemoryContext old;

	for (probe = 0; probe < PERIOD_SLOTS; probe++, slot = (slot + 1) & (PERIOD_SLOTS - 1))
	{
		period = &rows->periods[slot];
		if (!period->used)
			break;
		if (period->start == start)
			return period;
	}
	if (probe == PERIOD_SLOTS)
	{
		/* (more than PERIOD_SLOTS periods: start again) */
		forget_periods(rows);
		forget_sentences(rows);
		period = &rows->periods[hash_bytes_uint32((uint32) start) & (PERIOD_SLOTS - 1)];
	}
	if (DATE_NOT_FINITE(start) ||
		(rows->week ? j2day(start + POSTGRES_EPOCH_JDATE) != 1 : !is_first_of_month(start)))
		(void) person_period_words(rows->week, start);	/* raises the error */
	old = MemoryContextSwitchTo(rows->period_context);
	last = person_period_last(rows->week, start);
	/* NULL past the last day PostgreSQL knows, as person_period() */
	period->validity = DATE_NOT_FINITE(last) ? (Datum) 0
		: validity_from_days(rows->validity_type, start, last);
	MemoryContextSwitchTo(old);
	period->start = start;
	period->words = NULL;
	period->used = true;
	return period;
}

static void
rows_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	PersonRows *rows = (PersonRows *) self;

	if (typeinfo->natts != GROUP_COLUMNS ||
		TupleDescAttr(typeinfo, GROUP_PERSON)->atttypid != TEXTOID ||
		TupleDescAttr(typeinfo, GROUP_FIRST_DAY)->atttypid != DATEOID ||
		TupleDescAttr(typeinfo, GROUP_TALLIES)->atttypid != get_array_type(rows->tally_type) ||
		TupleDescAttr(typeinfo, GROUP_UNITS)->atttypid != get_array_type(rows->unit_type) ||
		TupleDescAttr(typeinfo, GROUP_ENTRIES)->atttypid != INT4ARRAYOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the counting query of %s returns other columns than person, first_day, tallies, units and entries",
						CALLER)));
}

/*
 * A group (a person's week or month): a row for each tally whose base
 * holds a row (it has a unit), showing the entry that counted the last one,
 * within the scope.
 */
static bool
rows_receive(TupleTableSlot *slot, DestReceiver *self)
{
	PersonRows *rows = (PersonRows *) self;
	MemoryContext old;
	ArrayType  *tallies_array;
	ArrayType  *units_array;
	ArrayType  *entries_array;
	const Tally *tallies;
	Datum	   *units;
	bool	   *unit_nulls;
	Datum	   *entries;
	bool	   *entry_nulls;
	int			n;
	int			nunits;
	int			nentries;
	int			i;
	Datum		values[NUM_COLUMNS];
	bool		isnull[NUM_COLUMNS];

	slot_getallattrs(slot);
	for (i = 0; i < GROUP_COLUMNS; i++)
		if (slot->tts_isnull[i])
			return true;		/* (the query makes none: no row to show) */

	MemoryContextReset(rows->group_context);
	old = MemoryContextSwitchTo(rows->group_context);
	tallies_array = DatumGetArrayTypeP(slot->tts_values[GROUP_TALLIES]);
	units_array = DatumGetArrayTypeP(slot->tts_values[GROUP_UNITS]);
	entries_array = DatumGetArrayTypeP(slot->tts_values[GROUP_ENTRIES]);
	check_array(tallies_array, rows->tally_type, "tallies");
	check_array(units_array, rows->unit_type, "units");
	check_array(entries_array, INT4OID, "entries");
	if (ARR_HASNULL(tallies_array))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the tallies of %s cannot hold NULL", CALLER)));
	n = ArrayGetNItems(ARR_NDIM(tallies_array), ARR_DIMS(tallies_array));
	tallies = (const Tally *) ARR_DATA_PTR(tallies_array);
	deconstruct_array(units_array, rows->unit_type, rows->unit_typlen, rows->unit_typbyval,
					  rows->unit_typalign, &units, &unit_nulls, &nunits);
	deconstruct_array(entries_array, INT4OID, 4, true, TYPALIGN_INT, &entries, &entry_nulls,
					  &nentries);
	if (nunits != n || nentries != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s was given %d tallies, %d units and %d entries", CALLER, n, nunits, nentries),
				 errdetail("Each tally needs its unit and its entry.")));
	rows->period = find_period(rows, DatumGetDateADT(slot->tts_values[GROUP_FIRST_DAY]));

	memset(isnull, false, sizeof(isnull));
	values[COL_PERIOD] = rows->period->validity;
	isnull[COL_PERIOD] = rows->period->validity == (Datum) 0;
	values[COL_PERSON] = slot->tts_values[GROUP_PERSON];
	for (i = 0; i < n; i++)
	{
		const Tally *tally = &tallies[i];
		int32		k = entry_nulls[i] ? 0 : DatumGetInt32(entries[i]);
		RowEntry   *e;

		if (unit_nulls[i] != entry_nulls[i] ||
			(!entry_nulls[i] && (k < 1 || k > rows->nentries || !rows->entries[k - 1].present)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tally %d of %s names no entry of the book", i + 1, CALLER),
					 errdetail("A tally with a unit names an entry from 1 to %d; a tally without one names none.",
							   rows->nentries)));
		if (unit_nulls[i])
			continue;			/* an empty base */
		if (rows->has_scope &&
			!DatumGetBool(FunctionCall2(&rows->scope_covers, rows->scope, units[i])))
			continue;
		e = &rows->entries[k - 1];
		values[COL_UNIT] = units[i];
		values[COL_POLICY] = e->policy;
		values[COL_RULE] = e->rule;
		values[COL_TALLY] = TallyPGetDatum(unconstify(Tally *, tally));
		values[COL_QUOTA] = QuotaPGetDatum(&e->quota);
		/* (the sentence first: it checks the tally) */
		values[COL_EXPLANATION] = PointerGetDatum(sentence_of(rows, k - 1, tally));
		values[COL_ALLOWED] = Int64GetDatum(quota_limit_of(&e->quota, tally->total));
		values[COL_OK] = BoolGetDatum(quota_admits(&e->quota, tally->part, tally->total));
		values[COL_HEADROOM] = Int64GetDatum(tally_headroom_of(tally, &e->quota));
		values[COL_DEFINED_BY] = e->defined_by;
		values[COL_ONLY_WHEN] = e->only_when;
		isnull[COL_ONLY_WHEN] = e->only_when == (Datum) 0;
		tuplestore_putvalues(rows->store, rows->result_desc, values, isnull);
	}
	MemoryContextSwitchTo(old);
	return true;
}

static void
rows_shutdown(DestReceiver *self)
{
}

static void
rows_destroy(DestReceiver *self)
{
}

/*
 * An error met while the counting query read the roster, raised again as
 * raise_from_report() raises the other reports' (reports.sql): same
 * SQLSTATE, message, detail and hint, the report and roster named in the
 * detail, an ltree syntax error given its hint, and a short context instead
 * of the whole generated query.
 */
/* Whether a message names ltree, in any case (as ILIKE '%ltree%'). */
static bool
names_ltree(const char *message)
{
	const char *c;

	for (c = message; *c != '\0'; c++)
		if (pg_strncasecmp(c, "ltree", 5) == 0)
			return true;
	return false;
}

/*
 * The function of the unit type's own @> operator (ltree's, in ltree's
 * schema: an operator of the same name and types planted in another schema
 * is not looked at), as scope_covers() uses it.
 */
static Oid
unit_covers_function(Oid unit_type)
{
	HeapTuple	type_tuple = SearchSysCache1(TYPEOID, ObjectIdGetDatum(unit_type));
	char	   *schema;
	Oid			operator;

	if (!HeapTupleIsValid(type_tuple))
		elog(ERROR, "cache lookup failed for type %u", unit_type);
	schema = get_namespace_name(((Form_pg_type) GETSTRUCT(type_tuple))->typnamespace);
	ReleaseSysCache(type_tuple);
	operator = OpernameGetOprid(list_make2(makeString(schema), makeString("@>")),
								unit_type, unit_type);
	if (!OidIsValid(operator))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("operator %s.@>(%s, %s) was not found", schema,
						format_type_be(unit_type), format_type_be(unit_type))));
	return get_opcode(operator);
}

pg_noreturn static void
raise_again(ErrorData *edata, const char *roster)
{
	/* translator: the report's name (person_compliance), the roster relation */
	char	   *named = psprintf(hr_gettext("Raised while hrpolicy.%s() read the roster %s."),
								 "person_compliance", roster);

	if (edata->detail == NULL || edata->detail[0] == '\0')
		edata->detail = named;
	else if (strstr(edata->detail, named) == NULL)	/* (a roster that calls the report) */
		edata->detail = psprintf("%s\n%s", edata->detail, named);
	if ((edata->hint == NULL || edata->hint[0] == '\0') &&
		edata->sqlerrcode == ERRCODE_SYNTAX_ERROR && edata->message != NULL &&
		names_ltree(edata->message))
		edata->hint = pstrdup(hr_gettext("An ltree label holds only letters, digits and _ (and - from PostgreSQL 16 on): build the roster's unit paths from codes and names with hrpolicy.label()."));
	edata->context = NULL;
	edata->internalquery = NULL;
	edata->internalpos = 0;
	edata->cursorpos = 0;
	ReThrowError(edata);
}

/*
 * hrpolicy.person_compliance(from_day date, through_day date, scope ltree)
 *   RETURNS TABLE (period, person, unit, policy, rule, tally, quota,
 *                  allowed, ok, headroom, explanation, defined_by, only_when)
 */
Datum
person_compliance(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsi;
	PersonRows *rows;
	MemoryContext context;
	MemoryContext old;
	Oid		   *argtypes;
	int			nargs;
	Datum		args[3];
	char		argnulls[3];
	SPITupleTable *plan;
	uint64		nplans;
	uint64		p;

	InitMaterializedSRF(fcinfo, 0);
	rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	if (rsi->setDesc->natts != NUM_COLUMNS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s must return %d columns", CALLER, NUM_COLUMNS)));

	context = AllocSetContextCreate(CurrentMemoryContext, "hrpolicy person_compliance",
									ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(context);
	rows = palloc0(sizeof(PersonRows));
	rows->pub.receiveSlot = rows_receive;
	rows->pub.rStartup = rows_startup;
	rows->pub.rShutdown = rows_shutdown;
	rows->pub.rDestroy = rows_destroy;
	rows->pub.mydest = DestNone;
	rows->store = rsi->setResult;
	rows->result_desc = rsi->setDesc;
	rows->entry_type = type_beside_function(fcinfo, "report_entry");
	rows->validity_type = TupleDescAttr(rsi->setDesc, COL_PERIOD)->atttypid;
	rows->unit_type = TupleDescAttr(rsi->setDesc, COL_UNIT)->atttypid;
	rows->tally_type = TupleDescAttr(rsi->setDesc, COL_TALLY)->atttypid;
	get_typlenbyvalalign(rows->unit_type, &rows->unit_typlen, &rows->unit_typbyval,
						 &rows->unit_typalign);
	rows->book_context = AllocSetContextCreate(context, "hrpolicy person_compliance book",
											   ALLOCSET_SMALL_SIZES);
	rows->group_context = AllocSetContextCreate(context, "hrpolicy person_compliance group",
												ALLOCSET_SMALL_SIZES);
	rows->sentence_context = AllocSetContextCreate(context, "hrpolicy person_compliance sentences",
												   ALLOCSET_DEFAULT_SIZES);
	rows->period_context = AllocSetContextCreate(context, "hrpolicy person_compliance periods",
												 ALLOCSET_SMALL_SIZES);
	MemoryContextSwitchTo(old);

	/* the plan: the period's checks, the roster, a query per kind of period */
	get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
	if (nargs != 3)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s must take 3 arguments", CALLER)));
	args[0] = PG_GETARG_DATUM(0);
	args[1] = PG_GETARG_DATUM(1);
	args[2] = PG_GETARG_DATUM(2);
	argnulls[0] = PG_ARGISNULL(0) ? 'n' : ' ';
	argnulls[1] = PG_ARGISNULL(1) ? 'n' : ' ';
	argnulls[2] = PG_ARGISNULL(2) ? 'n' : ' ';
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT p.roster, p.per, p.query, p.first_day, p.last_day, p.scope,"
							  " p.book, p.filters, p.facts"
							  " FROM hrpolicy.person_compliance_plan($1, $2, $3) p",
							  3, argtypes, args, argnulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "person_compliance_plan() failed");
	plan = SPI_tuptable;
	nplans = SPI_processed;
	if (plan->tupdesc->natts != PLAN_COLUMNS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("hrpolicy.person_compliance_plan() must return %d columns", PLAN_COLUMNS)));

	for (p = 0; p < nplans; p++)
	{
		HeapTuple	tuple = plan->vals[p];
		TupleDesc	desc = plan->tupdesc;
		bool		isnull;
		char	   *roster;
		char	   *per;
		char	   *query;
		ParamListInfo params;
		SPIExecuteOptions options;
		MemoryContext before = CurrentMemoryContext;
		int			i;

		roster = SPI_getvalue(tuple, desc, PLAN_ROSTER + 1);
		per = SPI_getvalue(tuple, desc, PLAN_PER + 1);
		query = SPI_getvalue(tuple, desc, PLAN_QUERY + 1);
		if (roster == NULL || per == NULL || query == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("hrpolicy.person_compliance_plan() left out the roster, period or query")));
		rows->week = strcmp(per, "person-week") == 0;
		rows->scope = SPI_getbinval(tuple, desc, PLAN_SCOPE + 1, &isnull);
		rows->has_scope = !isnull;
		if (rows->has_scope && rows->scope_covers.fn_oid == InvalidOid)
			fmgr_info_cxt(unit_covers_function(rows->unit_type), &rows->scope_covers, context);
		compile_book(rows, SPI_getbinval(tuple, desc, PLAN_BOOK + 1, &isnull));

		/* $1, $2: the first and last day read; $3 the scope; $4-$6 the book */
		params = makeParamList(6);
		params->numParams = 6;
		for (i = 0; i < 6; i++)
		{
			static const int columns[6] = {PLAN_FIRST_DAY, PLAN_LAST_DAY, PLAN_SCOPE,
			PLAN_BOOK, PLAN_FILTERS, PLAN_FACTS};

			params->params[i].value = SPI_getbinval(tuple, desc, columns[i] + 1,
													&params->params[i].isnull);
			params->params[i].pflags = PARAM_FLAG_CONST;
			params->params[i].ptype = SPI_gettypeid(desc, columns[i] + 1);
		}
		memset(&options, 0, sizeof(options));
		options.params = params;
		options.read_only = true;
		options.dest = (DestReceiver *) rows;

		PG_TRY();
		{
			if (SPI_execute_extended(query, &options) < 0)
				elog(ERROR, "the counting query of %s failed", CALLER);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(before);
			edata = CopyErrorData();
			if (edata->elevel != ERROR)
				PG_RE_THROW();	/* (FATAL and worse go their way) */
			FlushErrorState();
			raise_again(edata, roster);
		}
		PG_END_TRY();
	}
	SPI_finish();
	MemoryContextDelete(context);
	PG_RETURN_NULL();
}
