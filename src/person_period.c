/*-------------------------------------------------------------------------
 *
 * person_period.c
 *	  Person-period rules: each person's days in an ISO week or a calendar
 *	  month, tallied against every person-period rule at once.
 *
 * person_compliance() groups the roster by person and period, as the
 * plainest count per person and week would, and counts every rule of the
 * period's rule book with the aggregate hrpolicy.person_tallies().  Unlike a
 * unit-day report, a rule applies row by row: a person may change unit in
 * the middle of a week, a decree may start on a Wednesday, a circumstance
 * may hold on some days only.  So the aggregate also knows each rule's
 * reach (the days it is in force, the scope of its decree, its only_when)
 * and the circumstances of the period, and works out which rules apply to
 * a row's unit and day, once per unit (the scopes covering it) and once per
 * unit-day (windows and circumstances), in small caches.
 *
 * The state (internal) keeps, per rule, the tally and the day and unit of
 * the last row in its base: the unit the report shows.  Parallel workers
 * serialize it with the unit's path as text.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "executor/executor.h"
#include "libpq/pqformat.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "person_period.h"
#include "rule_filters.h"
#include "tally.h"
#include "validity.h"

PG_FUNCTION_INFO_V1(week_start);
PG_FUNCTION_INFO_V1(month_start);
PG_FUNCTION_INFO_V1(person_period);
PG_FUNCTION_INFO_V1(person_tally_accum);
PG_FUNCTION_INFO_V1(person_tally_combine);
PG_FUNCTION_INFO_V1(person_tally_serialize);
PG_FUNCTION_INFO_V1(person_tally_deserialize);
PG_FUNCTION_INFO_V1(person_tally_tallies);
PG_FUNCTION_INFO_V1(person_tally_units);
PG_FUNCTION_INFO_V1(person_tally_entries);

#define CALLER "hrpolicy.person_tallies()"

/* ----------------------------------------------------------------
 * Periods
 * ----------------------------------------------------------------
 */

/* hrpolicy.week_start(day date) RETURNS date: the Monday of its ISO week */
Datum
week_start(PG_FUNCTION_ARGS)
{
	DateADT		day = PG_GETARG_DATEADT(0);
	int			dow;

	if (DATE_NOT_FINITE(day))
		PG_RETURN_DATEADT(day);
	dow = j2day(day + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */
	day -= (dow + 6) % 7;
	if (!IS_VALID_DATE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the week of that day starts before the first date PostgreSQL knows")));
	PG_RETURN_DATEADT(day);
}

/* hrpolicy.month_start(day date) RETURNS date: the first of its month */
Datum
month_start(PG_FUNCTION_ARGS)
{
	DateADT		day = PG_GETARG_DATEADT(0);
	int			year;
	int			month;
	int			mday;

	if (DATE_NOT_FINITE(day))
		PG_RETURN_DATEADT(day);
	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	day -= mday - 1;
	if (!IS_VALID_DATE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the month of that day starts before the first date PostgreSQL knows")));
	PG_RETURN_DATEADT(day);
}

/*
 * The last day of the week (week) or month that starts on a day, or
 * DATEVAL_NOEND past the last day PostgreSQL knows.
 */
DateADT
person_period_last(bool week, DateADT first)
{
	DateADT		last;
	int			year;
	int			month;
	int			mday;

	if (week)
		last = first + 6;
	else
	{
		j2date(first + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
		if (month == 12)
			last = date2j(year + 1, 1, 1) - POSTGRES_EPOCH_JDATE - 1;
		else
			last = date2j(year, month + 1, 1) - POSTGRES_EPOCH_JDATE - 1;
	}
	if (!IS_VALID_DATE(last))
		DATE_NOEND(last);
	return last;
}

/*
 * hrpolicy.person_period(per text, first_day date) RETURNS validity: the
 * week (person-week) or month (person-month) that starts on the day, both
 * ends inclusive; NULL for another per or a day that starts no such period.
 */
Datum
person_period(PG_FUNCTION_ARGS)
{
	text	   *per = PG_GETARG_TEXT_PP(0);
	DateADT		first = PG_GETARG_DATEADT(1);
	DateADT		last;
	bool		week;
	int			year;
	int			month;
	int			mday;

	if (DATE_NOT_FINITE(first))
		PG_RETURN_NULL();
	j2date(first + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	if (VARSIZE_ANY_EXHDR(per) == 11 && memcmp(VARDATA_ANY(per), "person-week", 11) == 0)
	{
		if (j2day(first + POSTGRES_EPOCH_JDATE) != 1)
			PG_RETURN_NULL();	/* not a Monday */
		week = true;
	}
	else if (VARSIZE_ANY_EXHDR(per) == 12 && memcmp(VARDATA_ANY(per), "person-month", 12) == 0)
	{
		if (mday != 1)
			PG_RETURN_NULL();
		week = false;
	}
	else
		PG_RETURN_NULL();
	last = person_period_last(week, first);
	if (DATE_NOT_FINITE(last))
		PG_RETURN_NULL();		/* past the last day PostgreSQL knows */
	PG_RETURN_DATUM(validity_from_days(get_fn_expr_rettype(fcinfo->flinfo), first, last));
}

/* ----------------------------------------------------------------
 * The compiled book: rules, their reach, the circumstances
 * ----------------------------------------------------------------
 */

/* Where and when a rule applies. */
typedef struct Reach
{
	DateADT		first;			/* in force from (DATEVAL_NOBEGIN: always) */
	DateADT		last;			/* through (DATEVAL_NOEND: open) */
	char	   *scope;			/* dotted unit path, or NULL: every unit */
	int			scope_len;
	int			label;			/* only_when's label index, or -1 */
	bool		negated;		/* only_when is !label */
	int			also;			/* another rule whose reach must hold too, or -1 */
	int			tally;			/* the tally it counts in (0-based) */
} Reach;

/* A circumstance: a label over a unit subtree and a window. */
typedef struct Fact
{
	char	   *scope;
	int			scope_len;
	DateADT		first;
	DateADT		last;
	int			label;
} Fact;

/* A unit met in the roster, keyed by its ltree bytes. */
typedef struct UnitEntry
{
	uint32		hash;
	int			key_len;
	char	   *key;
	struct varlena *value;		/* the unit (an ltree) */
	uint64	   *covers;			/* rules whose scope covers the unit */
	int			nfacts;
	int		   *facts;			/* circumstances whose scope covers it */
} UnitEntry;

#define DAY_SLOTS 4096

typedef struct DaySlot
{
	int			unit;			/* -1: empty */
	DateADT		day;
} DaySlot;

typedef struct PeriodBook
{
	MemoryContext context;
	bytea	   *book_source;
	bytea	   *facts_source;
	Pointer		book_constant;
	Pointer		facts_constant;
	Oid			filter_type;
	Oid			fact_type;
	FmgrInfo	unit_out;		/* the unit type's output function */
	Oid			unit_type;
	RuleSet		rules;
	Reach	   *reach;
	uint64		row;			/* rows counted so far, to count a row once per tally */
	uint64	   *counted_at;		/* per tally, the row that last counted in it */
	int			nlabels;
	text	  **labels;
	int			nfacts;
	Fact	   *facts;
	/* the units: open addressing over unit_slots (a power of two) */
	int			nunits;
	int			units_size;
	UnitEntry  *units;
	int			nslots;
	int		   *unit_slots;		/* unit index + 1; 0 = empty */
	/* the rules applying on a unit-day */
	DaySlot		day_keys[DAY_SLOTS];
	uint64	   *day_bits;		/* per slot, nchunks words */
} PeriodBook;


/* Whether aggregate argument argno (0-based) is a non-NULL constant. */
static bool
argument_is_constant(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	TargetEntry *arg;

	if (aggref == NULL || list_length(aggref->args) <= argno)
		return false;
	arg = (TargetEntry *) list_nth(aggref->args, argno);
	return IsA(arg->expr, Const) && !((Const *) arg->expr)->constisnull;
}

static bool
same_bytes(const bytea *a, const bytea *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/* The label index of a circumstance label, adding it. */
static int
label_index(PeriodBook *book, const char *data, int len)
{
	int			i;

	for (i = 0; i < book->nlabels; i++)
		if (VARSIZE_ANY_EXHDR(book->labels[i]) == len &&
			memcmp(VARDATA_ANY(book->labels[i]), data, len) == 0)
			return i;
	book->labels = book->nlabels == 0 ? palloc(sizeof(text *))
		: repalloc(book->labels, sizeof(text *) * (book->nlabels + 1));
	book->labels[book->nlabels] = cstring_to_text_with_len(data, len);
	return book->nlabels++;
}

/* A date field of a composite, open ends as infinities. */
static DateADT
date_field(HeapTupleHeader tuple, int attno, bool upper)
{
	bool		isnull;
	Datum		value = GetAttributeByNum(tuple, attno, &isnull);

	if (isnull)
	{
		DateADT		open;

		if (upper)
			DATE_NOEND(open);
		else
			DATE_NOBEGIN(open);
		return open;
	}
	return DatumGetDateADT(value);
}

/* A text field of a composite, as a palloc'd copy, or NULL. */
static char *
text_field(HeapTupleHeader tuple, int attno, int *len)
{
	bool		isnull;
	Datum		value = GetAttributeByNum(tuple, attno, &isnull);
	text	   *t;

	*len = 0;
	if (isnull)
		return NULL;
	t = DatumGetTextPP(value);
	*len = VARSIZE_ANY_EXHDR(t);
	return pnstrdup(VARDATA_ANY(t), *len);
}

/*
 * Compile the book (period_filter[]) and the circumstances (period_fact[])
 * of the aggregate call, cached in fn_extra for the life of the query.
 */
static PeriodBook *
period_book(FunctionCallInfo fcinfo, Datum book_datum, Datum facts_datum)
{
	PeriodBook *book = (PeriodBook *) fcinfo->flinfo->fn_extra;
	MemoryContext context;
	MemoryContext old;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (book != NULL)
	{
		if (book->book_constant == DatumGetPointer(book_datum) &&
			book->facts_constant == DatumGetPointer(facts_datum))
			return book;
		if (same_bytes(book->book_source, DatumGetByteaPP(book_datum)) &&
			same_bytes(book->facts_source, DatumGetByteaPP(facts_datum)))
			return book;

		/*
		 * One book a query: the reports pass it as a constant.  A book that
		 * changed from row to row would be compiled row after row (and a
		 * reader once crashed the server through the units an earlier book
		 * kept; the states now keep their own copies).
		 */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the book of %s changed within a query", CALLER),
				 errdetail("Every row of a query must pass the same book and circumstances."),
				 errhint("Pass them as constants, as person_compliance() does.")));
	}

	context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "hrpolicy person_tally book",
									ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(context);
	book = palloc0(sizeof(PeriodBook));
	book->context = context;
	book->book_source = (bytea *) PG_DETOAST_DATUM_COPY(book_datum);
	book->facts_source = (bytea *) PG_DETOAST_DATUM_COPY(facts_datum);
	book->filter_type = type_beside_function(fcinfo, "period_filter");
	book->fact_type = type_beside_function(fcinfo, "period_fact");
	book->unit_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	if (!OidIsValid(book->unit_type))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s cannot tell the type of its unit argument", CALLER)));
	{
		Oid			out;
		bool		varlena;

		getTypeOutputInfo(book->unit_type, &out, &varlena);
		if (!varlena)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the unit of %s must be an ltree", CALLER)));
		fmgr_info_cxt(out, &book->unit_out, context);
	}

	/* the rules: a filter (counts, who, unless, excused) and a reach */
	array_elements(PointerGetDatum(book->book_source), book->filter_type, "book", CALLER,
					   &elems, &nulls, &n);
	rule_set_init(&book->rules, n);
	book->reach = palloc0(sizeof(Reach) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		Reach	   *reach = &book->reach[i];
		HeapTupleHeader entry;
		int			len;
		char	   *only_when;
		bool		isnull;
		Datum		also;

		reach->label = -1;
		reach->also = -1;
		reach->tally = i;
		if (nulls[i])
			continue;			/* covers nobody */
		entry = DatumGetHeapTupleHeader(elems[i]);
		if (HeapTupleHeaderGetTypeId(entry) != book->filter_type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("entry %d of the book of %s is not a hrpolicy.period_filter", i + 1, CALLER)));
		rule_set_compile(&book->rules, i, entry, CALLER);
		reach->first = date_field(entry, 5, false);
		reach->last = date_field(entry, 6, true);
		reach->scope = text_field(entry, 7, &reach->scope_len);
		only_when = text_field(entry, 8, &len);
		if (only_when != NULL)
		{
			reach->negated = len > 0 && only_when[0] == '!';
			reach->label = label_index(book, only_when + reach->negated, len - reach->negated);
		}
		also = GetAttributeByNum(entry, 9, &isnull);
		if (!isnull)
		{
			int32		k = DatumGetInt32(also);

			if (k < 1 || k > n || k == i + 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("entry %d of the book of %s names entry %d as also applying", i + 1, CALLER, k),
						 errdetail("also is the number of another entry of the book, from 1 to %d.", n)));
			reach->also = k - 1;
		}
		also = GetAttributeByNum(entry, 10, &isnull);
		if (!isnull)
		{
			int32		k = DatumGetInt32(also);

			if (k < 1 || k > n)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("entry %d of the book of %s counts in tally %d", i + 1, CALLER, k),
						 errdetail("tally is a number from 1 to the number of entries, %d.", n)));
			reach->tally = k - 1;
		}
	}
	book->counted_at = palloc0(sizeof(uint64) * Max(n, 1));
	for (i = 0; i < n; i++)
		if (book->reach[i].also >= 0 && book->reach[book->reach[i].also].also >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("entry %d of the book of %s names an entry that names another", i + 1, CALLER)));

	/* the circumstances of the labels the rules name */
	array_elements(PointerGetDatum(book->facts_source), book->fact_type, "circumstances", CALLER,
					   &elems, &nulls, &n);
	book->facts = palloc0(sizeof(Fact) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		HeapTupleHeader entry;
		Fact	   *fact = &book->facts[book->nfacts];
		char	   *label;
		int			len;
		int			j;

		if (nulls[i])
			continue;
		entry = DatumGetHeapTupleHeader(elems[i]);
		if (HeapTupleHeaderGetTypeId(entry) != book->fact_type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("circumstance %d of %s is not a hrpolicy.period_fact", i + 1, CALLER)));
		label = text_field(entry, 4, &len);
		if (label == NULL)
			continue;
		fact->label = -1;
		for (j = 0; j < book->nlabels; j++)
			if (VARSIZE_ANY_EXHDR(book->labels[j]) == len &&
				memcmp(VARDATA_ANY(book->labels[j]), label, len) == 0)
				fact->label = j;
		if (fact->label < 0)
			continue;			/* no rule names it */
		fact->scope = text_field(entry, 1, &fact->scope_len);
		fact->first = date_field(entry, 2, false);
		fact->last = date_field(entry, 3, true);
		book->nfacts++;
	}

	book->units_size = 64;
	book->units = palloc0(sizeof(UnitEntry) * book->units_size);
	book->nslots = 256;
	book->unit_slots = palloc0(sizeof(int) * book->nslots);
	for (i = 0; i < DAY_SLOTS; i++)
		book->day_keys[i].unit = -1;
	book->day_bits = palloc0(sizeof(uint64) * DAY_SLOTS * Max(book->rules.nchunks, 1));
	MemoryContextSwitchTo(old);

	if (argument_is_constant(fcinfo, 4) && argument_is_constant(fcinfo, 5))
	{
		book->book_constant = DatumGetPointer(book_datum);
		book->facts_constant = DatumGetPointer(facts_datum);
	}
	fcinfo->flinfo->fn_extra = book;
	return book;
}

/* Whether a scope (a dotted path, NULL = every unit) covers a unit path. */
static bool
path_covers(const char *scope, int scope_len, const char *path, int path_len)
{
	if (scope == NULL)
		return true;
	if (scope_len == 0)
		return true;			/* the empty path: the root of every unit */
	return path_len >= scope_len && memcmp(scope, path, scope_len) == 0 &&
		(path_len == scope_len || path[scope_len] == '.');
}

static void
grow_unit_slots(PeriodBook *book)
{
	int			i;

	book->nslots *= 2;
	book->unit_slots = repalloc(book->unit_slots, sizeof(int) * book->nslots);
	memset(book->unit_slots, 0, sizeof(int) * book->nslots);
	for (i = 0; i < book->nunits; i++)
	{
		uint32		slot = book->units[i].hash & (book->nslots - 1);

		while (book->unit_slots[slot] != 0)
			slot = (slot + 1) & (book->nslots - 1);
		book->unit_slots[slot] = i + 1;
	}
}

/* The entry of a unit (an ltree datum), made when first met. */
static int
unit_entry(PeriodBook *book, Datum unit)
{
	struct varlena *value = (struct varlena *) DatumGetPointer(unit);
	const char *key;
	int			key_len;
	uint32		hash;
	uint32		slot;
	UnitEntry  *entry;
	MemoryContext old;
	char	   *path;
	int			path_len;
	int			i;

	if (VARATT_IS_EXTENDED(value))
		value = pg_detoast_datum_packed(value);
	key = VARDATA_ANY(value);
	key_len = VARSIZE_ANY_EXHDR(value);
	hash = hash_bytes((const unsigned char *) key, key_len);
	slot = hash & (book->nslots - 1);
	while (book->unit_slots[slot] != 0)
	{
		entry = &book->units[book->unit_slots[slot] - 1];
		if (entry->hash == hash && entry->key_len == key_len &&
			memcmp(entry->key, key, key_len) == 0)
			return book->unit_slots[slot] - 1;
		slot = (slot + 1) & (book->nslots - 1);
	}

	/* a unit not met yet */
	path = OutputFunctionCall(&book->unit_out, unit);
	old = MemoryContextSwitchTo(book->context);
	if (book->nunits == book->units_size)
	{
		book->units_size *= 2;
		book->units = repalloc_huge(book->units, sizeof(UnitEntry) * book->units_size);
	}
	entry = &book->units[book->nunits];
	entry->hash = hash;
	entry->key_len = key_len;
	entry->key = palloc(Max(key_len, 1));
	memcpy(entry->key, key, key_len);
	path_len = strlen(path);
	entry->value = (struct varlena *) palloc(VARHDRSZ + key_len);
	SET_VARSIZE(entry->value, VARHDRSZ + key_len);
	memcpy(VARDATA(entry->value), key, key_len);
	entry->covers = palloc0(sizeof(uint64) * Max(book->rules.nchunks, 1));
	for (i = 0; i < book->rules.nrules; i++)
		if (!book->rules.rules[i].nobody &&
			path_covers(book->reach[i].scope, book->reach[i].scope_len, path, path_len))
			entry->covers[i / RULE_CHUNK] |= UINT64CONST(1) << (i % RULE_CHUNK);
	entry->facts = palloc(sizeof(int) * Max(book->nfacts, 1));
	entry->nfacts = 0;
	for (i = 0; i < book->nfacts; i++)
		if (path_covers(book->facts[i].scope, book->facts[i].scope_len, path, path_len))
			entry->facts[entry->nfacts++] = i;
	MemoryContextSwitchTo(old);
	pfree(path);

	book->unit_slots[slot] = ++book->nunits;
	if (book->nunits * 2 > book->nslots)
		grow_unit_slots(book);
	return book->nunits - 1;
}

/* Whether rule i's reach (window, scope, only_when) holds on a unit-day. */
static bool
reach_holds(const PeriodBook *book, const UnitEntry *unit, DateADT day, int i)
{
	const Reach *reach = &book->reach[i];

	if (!(unit->covers[i / RULE_CHUNK] & (UINT64CONST(1) << (i % RULE_CHUNK))))
		return false;
	if (day < reach->first || day > reach->last)
		return false;
	if (reach->label >= 0)
	{
		bool		found = false;
		int			f;

		for (f = 0; f < unit->nfacts && !found; f++)
		{
			const Fact *fact = &book->facts[unit->facts[f]];

			found = fact->label == reach->label && day >= fact->first && day <= fact->last;
		}
		if (found == reach->negated)
			return false;
	}
	return true;
}

/* The rules that apply on a unit-day, as a bit set: cached per unit-day. */
static const uint64 *
applying(PeriodBook *book, int unit, DateADT day)
{
	uint32		slot = ((uint32) unit * 2654435761u ^ (uint32) day * 0x85EBCA77u) % DAY_SLOTS;
	uint64	   *bits = book->day_bits + (Size) slot * book->rules.nchunks;
	const UnitEntry *entry = &book->units[unit];
	int			i;

	if (book->day_keys[slot].unit == unit && book->day_keys[slot].day == day)
		return bits;
	memset(bits, 0, sizeof(uint64) * book->rules.nchunks);
	for (i = 0; i < book->rules.nrules; i++)
		if (reach_holds(book, entry, day, i) &&
			(book->reach[i].also < 0 || reach_holds(book, entry, day, book->reach[i].also)))
			bits[i / RULE_CHUNK] |= UINT64CONST(1) << (i % RULE_CHUNK);
	book->day_keys[slot].unit = unit;
	book->day_keys[slot].day = day;
	return bits;
}

/* ----------------------------------------------------------------
 * The state
 * ----------------------------------------------------------------
 */

#define PERSON_STATE_MAGIC 0x48525054	/* "HRPT" */

typedef struct PersonTally
{
	int64		part;
	int64		total;
	DateADT		last;			/* the day of the last row in the base */
	struct varlena *unit;		/* its unit, or NULL while the base is empty */
	int32		entry;			/* the entry of the book that counted it */
} PersonTally;

typedef struct PersonState
{
	uint32		magic;
	int32		n;
	Oid			unit_type;		/* the type of the units (ltree) */
	PersonTally tallies[FLEXIBLE_ARRAY_MEMBER];
} PersonState;

static PersonState *
new_state(int n, Oid unit_type)
{
	PersonState *state = palloc0(offsetof(PersonState, tallies) + sizeof(PersonTally) * Max(n, 1));

	state->magic = PERSON_STATE_MAGIC;
	state->n = n;
	state->unit_type = unit_type;
	return state;
}

/*
 * A state given as an argument: only this file's functions make them, but
 * a user may build an aggregate that hands another aggregate's internal
 * state to these functions.
 */
static PersonState *
state_argument(FunctionCallInfo fcinfo, int argno)
{
	PersonState *state = (PersonState *) PG_GETARG_POINTER(argno);

	if (state->magic != PERSON_STATE_MAGIC || state->n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the state given to %s is not one of hrpolicy.person_tallies()",
						format_procedure(fcinfo->flinfo->fn_oid))));
	return state;
}

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *what)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of hrpolicy.person_tallies()", what)));
	return context;
}

/*
 * Whether a row (day, unit) comes after another: by day, then (for two
 * rows of one day, which the roster contract forbids) by the unit's bytes,
 * so that serial and parallel plans pick the same unit.
 */
static bool
later(DateADT day_a, const struct varlena *unit_a, DateADT day_b, const struct varlena *unit_b)
{
	int			len_a = VARSIZE_ANY_EXHDR(unit_a);
	int			len_b = VARSIZE_ANY_EXHDR(unit_b);
	int			c;

	if (day_a != day_b)
		return day_a > day_b;
	c = memcmp(VARDATA_ANY(unit_a), VARDATA_ANY(unit_b), Min(len_a, len_b));
	return c > 0 || (c == 0 && len_a > len_b);
}

static bool
same_unit(const struct varlena *a, const struct varlena *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ) == 0;
}

/*
 * The state's own copy of a unit for tally k (in the aggregate's memory,
 * which lives as long as the state): the book's may not (a caller that
 * gives the transition function a fresh FmgrInfo every row gives it a
 * fresh book too).  Copied only when the unit changes, and shared by the
 * tallies of the state that hold the same unit (a person's rules mostly
 * do): a state is kept per person and week, hundreds of thousands of them.
 * Units are never freed before the state.
 */
static struct varlena *
keep_unit(PersonState *state, int k, const struct varlena *unit, MemoryContext context)
{
	struct varlena *kept = state->tallies[k].unit;
	struct varlena *copy;
	int			i;

	if (kept != NULL && same_unit(kept, unit))
		return kept;
	for (i = 0; i < state->n; i++)
		if (i != k && state->tallies[i].unit != NULL && same_unit(state->tallies[i].unit, unit))
			return state->tallies[i].unit;
	copy = (struct varlena *) MemoryContextAlloc(context, VARSIZE(unit));
	memcpy(copy, unit, VARSIZE(unit));
	return copy;
}

/*
 * person_tally_accum(state internal, unit ltree, day date, status text,
 *                    tags text[], book period_filter[], facts period_fact[])
 *
 * Not STRICT: a row without a unit, day or status counts nowhere; NULL
 * tags are no tags; NULL circumstances are none.  The book must be given.
 */
Datum
person_tally_accum(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "hrpolicy.person_tally_accum()");
	PeriodBook *book;
	PersonState *state;
	const uint64 *class_bits;
	const uint64 *applies;
	int			unit;
	DateADT		day;
	int			chunk;

	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the book of %s cannot be NULL", CALLER)));
	if (PG_ARGISNULL(6))
	{
		/* no circumstances: an empty array of them */
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the circumstances of %s cannot be NULL", CALLER),
				 errhint("Pass an empty array when there are none.")));
	}
	book = period_book(fcinfo, PG_GETARG_DATUM(5), PG_GETARG_DATUM(6));

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(context);

		state = new_state(book->rules.nrules, book->unit_type);
		MemoryContextSwitchTo(old);
	}
	else
	{
		state = state_argument(fcinfo, 0);
		if (state->n != book->rules.nrules)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the state of %s holds %d tallies, not %d", CALLER, state->n,
							book->rules.nrules),
					 errdetail("Every row of a group must pass the same book.")));
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || state->n == 0)
		PG_RETURN_POINTER(state);
	day = PG_GETARG_DATEADT(2);
	if (DATE_NOT_FINITE(day))
		PG_RETURN_POINTER(state);	/* no week holds it */

	unit = unit_entry(book, PG_GETARG_DATUM(1));
	applies = applying(book, unit, day);
	class_bits = rule_set_row_bits(&book->rules, PG_GETARG_TEXT_PP(3),
								   PG_ARGISNULL(4) ? NULL : PG_GETARG_ARRAYTYPE_P(4), CALLER);
	book->row++;
	for (chunk = 0; chunk < book->rules.nchunks; chunk++)
	{
		uint64		base = class_bits[chunk] & applies[chunk];
		uint64		part = class_bits[book->rules.nchunks + chunk];

		while (base != 0)
		{
			int			bit = pg_rightmost_one_pos64(base);
			int			i = chunk * RULE_CHUNK + bit;
			int			k = book->reach[i].tally;
			PersonTally *t = &state->tallies[k];

			base &= base - 1;
			/* entries of one rule row (inherited by two decrees) count a row once */
			if (book->counted_at[k] == book->row)
				continue;
			book->counted_at[k] = book->row;
			if (unlikely(t->total == PG_INT64_MAX))
				report_tally_overflow();
			t->total++;
			t->part += (part >> bit) & 1;
			if (t->unit == NULL || later(day, book->units[unit].value, t->last, t->unit))
			{
				t->last = day;
				t->unit = keep_unit(state, k, book->units[unit].value, context);
				t->entry = i;
			}
		}
	}
	PG_RETURN_POINTER(state);
}

/* Add tally k of b into a's: the sums, and the later of the last rows. */
static void
combine_tally(PersonState *a, const PersonState *b, int k, MemoryContext context)
{
	PersonTally *ta = &a->tallies[k];
	const PersonTally *tb = &b->tallies[k];

	if (tb->unit == NULL)
		return;					/* an empty base */
	if (pg_add_s64_overflow(ta->part, tb->part, &ta->part) ||
		pg_add_s64_overflow(ta->total, tb->total, &ta->total))
		report_tally_overflow();
	if (ta->unit == NULL || later(tb->last, tb->unit, ta->last, ta->unit))
	{
		ta->last = tb->last;
		ta->entry = tb->entry;
		ta->unit = keep_unit(a, k, tb->unit, context);
	}
}

Datum
person_tally_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = aggregate_context(fcinfo, "hrpolicy.person_tally_combine()");
	PersonState *a;
	PersonState *b;
	int			i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state_argument(fcinfo, 0));
	}
	b = state_argument(fcinfo, 1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(context);

		a = new_state(b->n, b->unit_type);
		MemoryContextSwitchTo(old);
	}
	else
		a = state_argument(fcinfo, 0);
	if (a->n != b->n || a->unit_type != b->unit_type)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("partial states of %s hold %d and %d tallies", CALLER, a->n, b->n),
				 errdetail("Partial states must come from the same book.")));
	for (i = 0; i < a->n; i++)
		combine_tally(a, b, i, context);
	PG_RETURN_POINTER(a);
}

/*
 * The serialized state: the number of tallies, then for each its part,
 * total, last day and unit (a length, -1 for none, -2 for the unit of the
 * tally before, and the path's bytes).
 */
Datum
person_tally_serialize(PG_FUNCTION_ARGS)
{
	PersonState *state;
	StringInfoData buf;
	int			i;

	aggregate_context(fcinfo, "hrpolicy.person_tally_serialize()");
	state = state_argument(fcinfo, 0);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, state->n);
	pq_sendint32(&buf, state->unit_type);
	for (i = 0; i < state->n; i++)
	{
		const PersonTally *t = &state->tallies[i];

		pq_sendint64(&buf, t->part);
		pq_sendint64(&buf, t->total);
		pq_sendint32(&buf, t->last);
		pq_sendint32(&buf, t->entry);
		if (t->unit == NULL)
			pq_sendint32(&buf, -1);
		else if (i > 0 && state->tallies[i - 1].unit != NULL &&
				 same_unit(state->tallies[i - 1].unit, t->unit))
			pq_sendint32(&buf, -2);
		else
		{
			pq_sendint32(&buf, VARSIZE_ANY_EXHDR(t->unit));
			pq_sendbytes(&buf, VARDATA_ANY(t->unit), VARSIZE_ANY_EXHDR(t->unit));
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
person_tally_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *raw;
	StringInfoData buf;
	PersonState *state;
	int32		n;
	Oid			unit_type;
	int			i;

	aggregate_context(fcinfo, "hrpolicy.person_tally_deserialize()");
	raw = PG_GETARG_BYTEA_PP(0);
	buf.data = VARDATA_ANY(raw);
	buf.len = VARSIZE_ANY_EXHDR(raw);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	n = pq_getmsgint(&buf, 4);
	unit_type = (Oid) pq_getmsgint(&buf, 4);
	/* each tally takes at least 28 bytes */
	if (n < 0 || n > (buf.len - buf.cursor) / 28)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("a serialized state of %s holds an impossible count of tallies", CALLER)));
	state = new_state(n, unit_type);
	for (i = 0; i < n; i++)
	{
		PersonTally *t = &state->tallies[i];
		int32		len;

		t->part = pq_getmsgint64(&buf);
		t->total = pq_getmsgint64(&buf);
		t->last = (DateADT) pq_getmsgint(&buf, 4);
		t->entry = pq_getmsgint(&buf, 4);
		len = pq_getmsgint(&buf, 4);
		if (t->part < 0 || t->total < 0 || t->part > t->total || len < -2 ||
			(len == -2 && (i == 0 || state->tallies[i - 1].unit == NULL)) ||
			t->entry < 0 || t->entry >= n ||
			len > buf.len - buf.cursor)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("a serialized state of %s is malformed", CALLER)));
		if (len == -2)
			t->unit = state->tallies[i - 1].unit;
		else if (len >= 0)
		{
			t->unit = (struct varlena *) palloc(VARHDRSZ + len);
			SET_VARSIZE(t->unit, VARHDRSZ + len);
			memcpy(VARDATA(t->unit), pq_getmsgbytes(&buf, len), len);
		}
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(state);
}

/* person_tally_tallies(state) RETURNS tally[]: the tally of each rule */
Datum
person_tally_tallies(PG_FUNCTION_ARGS)
{
	PersonState *state;
	Oid			tally_type;
	Size		size;
	ArrayType  *array;
	Tally	   *t;
	int			i;

	aggregate_context(fcinfo, "hrpolicy.person_tally_tallies()");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = state_argument(fcinfo, 0);
	/* (the type, looked up once a query: the report calls this per group) */
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		Oid		   *cached = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));

		*cached = type_beside_function(fcinfo, "tally");
		fcinfo->flinfo->fn_extra = cached;
	}
	tally_type = *(Oid *) fcinfo->flinfo->fn_extra;
	if (state->n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(tally_type));
	size = ARR_OVERHEAD_NONULLS(1) + sizeof(Tally) * state->n;
	array = palloc0(size);
	SET_VARSIZE(array, size);
	array->ndim = 1;
	array->dataoffset = 0;
	array->elemtype = tally_type;
	*ARR_DIMS(array) = state->n;
	*ARR_LBOUND(array) = 1;
	t = (Tally *) ARR_DATA_PTR(array);
	for (i = 0; i < state->n; i++)
	{
		t[i].part = state->tallies[i].part;
		t[i].total = state->tallies[i].total;
	}
	PG_RETURN_ARRAYTYPE_P(array);
}

/* The element type of person_tally_units()'s result, as construct_md_array() needs it. */
typedef struct UnitsType
{
	Oid			element_type;
	int16		typlen;
	bool		typbyval;
	char		typalign;
} UnitsType;

/*
 * person_tally_units(state) RETURNS ltree[]: for each rule, the unit of the
 * last row in its base (NULL when the base is empty)
 */
Datum
person_tally_units(PG_FUNCTION_ARGS)
{
	PersonState *state;
	UnitsType  *units_type;
	Oid			element_type;
	Datum	   *values;
	bool	   *nulls;
	int			dims[1];
	int			lbs[1] = {1};
	int			i;

	aggregate_context(fcinfo, "hrpolicy.person_tally_units()");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = state_argument(fcinfo, 0);
	/* (the type, looked up once a query: the report calls this per group) */
	units_type = (UnitsType *) fcinfo->flinfo->fn_extra;
	if (units_type == NULL)
	{
		units_type = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(UnitsType));
		units_type->element_type = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
		if (OidIsValid(units_type->element_type))
			get_typlenbyvalalign(units_type->element_type, &units_type->typlen,
								 &units_type->typbyval, &units_type->typalign);
		fcinfo->flinfo->fn_extra = units_type;
	}
	element_type = units_type->element_type;
	if (!OidIsValid(element_type) || element_type != state->unit_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the units of %s are of type %s, not %s", CALLER,
						format_type_be(state->unit_type), format_type_be(element_type))));
	if (state->n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(element_type));
	if (units_type->typlen != -1 || units_type->typbyval)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the units of %s must be of a varlena type", CALLER)));
	values = palloc(sizeof(Datum) * state->n);
	nulls = palloc(sizeof(bool) * state->n);
	for (i = 0; i < state->n; i++)
	{
		nulls[i] = state->tallies[i].unit == NULL;
		values[i] = nulls[i] ? (Datum) 0 : PointerGetDatum(state->tallies[i].unit);
	}
	dims[0] = state->n;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(values, nulls, 1, dims, lbs, element_type,
											 units_type->typlen, units_type->typbyval,
											 units_type->typalign));
}

/*
 * person_tally_entries(state) RETURNS int4[]: for each tally, the number
 * (from 1) of the book's entry that counted its last row (NULL when its
 * base is empty): which decree was in force on that day.
 */
Datum
person_tally_entries(PG_FUNCTION_ARGS)
{
	PersonState *state;
	Datum	   *values;
	bool	   *nulls;
	int			dims[1];
	int			lbs[1] = {1};
	int			i;

	aggregate_context(fcinfo, "hrpolicy.person_tally_entries()");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = state_argument(fcinfo, 0);
	if (state->n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT4OID));
	values = palloc(sizeof(Datum) * state->n);
	nulls = palloc(sizeof(bool) * state->n);
	for (i = 0; i < state->n; i++)
	{
		nulls[i] = state->tallies[i].unit == NULL;
		values[i] = Int32GetDatum(state->tallies[i].entry + 1);
	}
	dims[0] = state->n;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(values, nulls, 1, dims, lbs, INT4OID, 4, true,
											 TYPALIGN_INT));
}
