/*-------------------------------------------------------------------------
 *
 * compliance_rows.c
 *	  hrpolicy.compliance_rows(unit, day, tallies, book, facts): the rows of
 *	  compliance() for one unit-day, one per rule of the book that applies
 *	  there.
 *
 * compliance() tallies every rule of the period's book on every unit-day
 * in one pass (tally_each.c), so the rows it returns number rules times
 * unit-days: with a few dozen rules, many more than the unit-days
 * themselves.  Picking the rules that apply (window, scope, only_when) and
 * filling in each row as SQL did, a join of one row per tally with the book
 * and four function calls a row, cost more than reading the roster.  Here
 * the book is compiled once per query and a row costs a few comparisons,
 * the row's own functions (quota_limit, <@, headroom, explanation, called
 * directly; explanation's sentences kept for the tallies that come again)
 * and a tuple.
 *
 * A rule applies on the unit-day, as resolution says (resolution.sql), when
 * the day is in its decree's window in force, the decree's scope is NULL
 * or covers the unit (the unit path, or one below it), and its only_when
 * is NULL, or is the label of a circumstance covering the unit on the day,
 * or is !label and no circumstance with that label does.  The
 * circumstances come as period_facts() gives them: those whose label an
 * only_when of the book names.  Rows come in the order of the book.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "rule_filters.h"
#include "tally.h"

PG_FUNCTION_INFO_V1(compliance_rows);
PG_FUNCTION_INFO_V1(applicable_rules);

/*
 * The SQL functions of a compliance row's columns, called directly so that
 * a row says what they say, errors included (quota.c, tally.c,
 * explanation.c).
 */
extern PGDLLEXPORT Datum quota_limit(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum tally_meets(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum tally_headroom(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum explanation(PG_FUNCTION_ARGS);

#define CALLER "hrpolicy.compliance_rows()"

/* The columns of a row, as the function's RETURNS TABLE lists them. */
enum
{
	COL_DAY,
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
	NCOLUMNS
};

/* The fields of a report_entry that a row copies or explains. */
enum
{
	FIELD_POLICY,
	FIELD_RULE,
	FIELD_DEFINED_BY,
	FIELD_QUOTA,
	FIELD_COUNTS,
	FIELD_WHO,
	FIELD_UNLESS,
	FIELD_ONLY_WHEN,
	NFIELDS
};

static const char *const field_names[NFIELDS] = {
	"policy", "rule", "defined_by", "quota", "counts", "who", "unless", "only_when"
};

/* A rule of the book, compiled. */
typedef struct BookRule
{
	int			k;				/* the number of its tally, from 1 */
	Datum		fields[NFIELDS];
	bool		field_nulls[NFIELDS];

	/* the window in force (in_force); never: a NULL or empty one */
	bool		never;
	bool		lower_infinite;
	bool		lower_inclusive;
	DateADT		lower;
	bool		upper_infinite;
	bool		upper_inclusive;
	DateADT		upper;

	/* the decree's scope as a dotted path; NULL: every unit */
	char	   *scope;
	int			scope_len;

	/* only_when: the circumstances of its label (without the '!') */
	bool		conditional;	/* false: no only_when, always */
	bool		negated;
	int			nfacts;
	int		   *facts;
} BookRule;

/* A circumstance (period_fact): a label over a subtree and days. */
typedef struct Fact
{
	char	   *scope;			/* a dotted path */
	int			scope_len;
	bool		first_infinite;	/* NULL first day: since always */
	DateADT		first;
	bool		last_infinite;	/* NULL last day: until revoked */
	DateADT		last;
	char	   *label;
	int			label_len;
} Fact;

/*
 * A compiled book and its circumstances, kept in fn_extra for the life of
 * the query.
 */
typedef struct CompiledBook
{
	MemoryContext context;		/* holds all of this */
	MemoryContext row_context;	/* what one row allocates */
	bytea	   *book_source;	/* copies of the arguments, to recognise them */
	bytea	   *facts_source;
	Pointer		book_address;	/* their addresses, when constants of the plan */
	Pointer		facts_address;
	Oid			tally_type;
	FmgrInfo	unit_out;		/* the unit's output function */
	int			nrules;
	BookRule   *rules;
	int			nfacts;
	Fact	   *facts;
	struct Sentence *sentences;	/* explanations made, SENTENCE_SLOTS; made on
								 * first use */
} CompiledBook;

/*
 * The explanation of a rule's row depends on the rule and the tally alone,
 * and the same tallies come again and again (a unit's heads change little
 * from day to day, a rule over a few officials sees few tallies): the
 * sentences written are kept for the query in a direct-mapped cache, each
 * slot holding the last sentence of the rules and tallies that map to it.
 */
#define SENTENCE_SLOTS 8192

typedef struct Sentence
{
	int64		part;
	int64		total;
	int			rule;			/* its index in the book; -1: empty */
	text	   *text;
} Sentence;

/* Whether a value is the one compiled: compares contents, not headers. */
static bool
same_bytes(const bytea *compiled, const bytea *raw)
{
	return VARSIZE_ANY_EXHDR(compiled) == VARSIZE_ANY_EXHDR(raw) &&
		memcmp(VARDATA_ANY(compiled), VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw)) == 0;
}

/* The attribute number of a report_entry field. */
static int
entry_field(TupleDesc desc, const char *name)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, i);

		if (!attr->attisdropped && strcmp(NameStr(attr->attname), name) == 0)
			return i;
	}
	elog(ERROR, "type hrpolicy.report_entry has no field \"%s\"", name);
	return -1;					/* keep the compiler quiet */
}

/* The window in force of a rule, from its validity range. */
static void
compile_window(BookRule *rule, Datum value, bool isnull)
{
	RangeType  *range;
	TypeCacheEntry *typcache;
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;

	rule->never = true;
	if (isnull)
		return;					/* @> of a NULL window is NULL: applies nowhere */
	range = DatumGetRangeTypeP(value);
	typcache = lookup_type_cache(RangeTypeGetOid(range), TYPECACHE_RANGE_INFO);
	if (typcache->rngelemtype == NULL || typcache->rngelemtype->type_id != DATEOID)
		elog(ERROR, "the window in force of a report_entry must be a range of dates");
	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
		return;
	rule->never = false;
	rule->lower_infinite = lower.infinite;
	rule->lower_inclusive = lower.inclusive;
	rule->lower = lower.infinite ? 0 : DatumGetDateADT(lower.val);
	rule->upper_infinite = upper.infinite;
	rule->upper_inclusive = upper.inclusive;
	rule->upper = upper.infinite ? 0 : DatumGetDateADT(upper.val);
}

/* The window holds the day, as range @> element does. */
static inline bool
window_holds(const BookRule *rule, DateADT day)
{
	if (rule->never)
		return false;
	if (!rule->lower_infinite &&
		(rule->lower > day || (rule->lower == day && !rule->lower_inclusive)))
		return false;
	if (!rule->upper_infinite &&
		(rule->upper < day || (rule->upper == day && !rule->upper_inclusive)))
		return false;
	return true;
}

/*
 * The scope covers the unit, both as dotted paths: as ltree's @> has it,
 * the unit's labels begin with all of the scope's (the empty path, the
 * root, covers every unit).  A label holds no dot, so this is a prefix
 * that ends at a dot or at the end of the unit.
 */
static inline bool
path_covers(const char *scope, int scope_len, const char *unit, int unit_len)
{
	if (scope == NULL || scope_len == 0)
		return true;
	return unit_len >= scope_len &&
		memcmp(unit, scope, scope_len) == 0 &&
		(unit_len == scope_len || unit[scope_len] == '.');
}

/*
 * The rule's only_when holds for the unit on the day: a circumstance of its
 * label covers them, or, for !label, none does.
 */
static bool
condition_holds(const CompiledBook *book, const BookRule *rule, const char *unit,
				int unit_len, DateADT day)
{
	bool		found = false;
	int			i;

	for (i = 0; i < rule->nfacts && !found; i++)
	{
		const Fact *fact = &book->facts[rule->facts[i]];

		found = (fact->first_infinite || fact->first <= day) &&
			(fact->last_infinite || day <= fact->last) &&
			path_covers(fact->scope, fact->scope_len, unit, unit_len);
	}
	return found != rule->negated;
}

/* The rule applies to the unit (a dotted path) on the day. */
static inline bool
rule_applies(const CompiledBook *book, const BookRule *rule, const char *unit, int unit_len,
			 DateADT day)
{
	return window_holds(rule, day) &&
		path_covers(rule->scope, rule->scope_len, unit, unit_len) &&
		(!rule->conditional || condition_holds(book, rule, unit, unit_len, day));
}

/* A text field of a composite as a palloc'd string; NULL when NULL. */
static char *
text_value(Datum value, bool isnull, int *len)
{
	text	   *t;

	*len = 0;
	if (isnull)
		return NULL;
	t = DatumGetTextPP(value);
	*len = VARSIZE_ANY_EXHDR(t);
	return pnstrdup(VARDATA_ANY(t), *len);
}

/* The fields of a composite value (an element of the book or circumstances). */
static void
deform_composite(HeapTupleHeader entry, TupleDesc desc, Datum *values, bool *isnull)
{
	HeapTupleData tuple;

	tuple.t_len = HeapTupleHeaderGetDatumLength(entry);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = entry;
	heap_deform_tuple(&tuple, desc, values, isnull);
}

/* A date field of a composite; NULL is an infinite end. */
static DateADT
date_value(Datum value, bool isnull, bool *infinite)
{
	*infinite = isnull;
	return isnull ? 0 : DatumGetDateADT(value);
}

/*
 * Compile the circumstances (period_fact[]), and for each rule with an
 * only_when those of its label.
 */
static void
compile_facts(FunctionCallInfo fcinfo, CompiledBook *book)
{
	Oid			fact_type = type_beside_function(fcinfo, "period_fact");
	TupleDesc	desc = lookup_rowtype_tupdesc_copy(fact_type, -1);
	Datum	   *elems;
	bool	   *nulls;
	Datum		values[4];
	bool		isnull[4];
	int			n;
	int			i;
	int			r;

	if (desc->natts != 4 ||
		TupleDescAttr(desc, 0)->atttypid != TEXTOID ||
		TupleDescAttr(desc, 1)->atttypid != DATEOID ||
		TupleDescAttr(desc, 2)->atttypid != DATEOID ||
		TupleDescAttr(desc, 3)->atttypid != TEXTOID)
		elog(ERROR, "type hrpolicy.period_fact is not (scope text, first_day date, last_day date, label text)");
	array_elements(PointerGetDatum(book->facts_source), fact_type, "circumstances", CALLER,
				   &elems, &nulls, &n);
	book->facts = palloc0(sizeof(Fact) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		HeapTupleHeader entry;
		Fact	   *fact = &book->facts[book->nfacts];

		if (nulls[i])
			continue;
		entry = DatumGetHeapTupleHeader(elems[i]);
		if (HeapTupleHeaderGetTypeId(entry) != fact_type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("circumstance %d of %s is not a hrpolicy.period_fact", i + 1, CALLER)));
		deform_composite(entry, desc, values, isnull);
		if (isnull[0] || isnull[3])
			continue;			/* covers no unit, or has no label */
		fact->scope = text_value(values[0], false, &fact->scope_len);
		fact->first = date_value(values[1], isnull[1], &fact->first_infinite);
		fact->last = date_value(values[2], isnull[2], &fact->last_infinite);
		fact->label = text_value(values[3], false, &fact->label_len);
		book->nfacts++;
	}

	for (r = 0; r < book->nrules; r++)
	{
		BookRule   *rule = &book->rules[r];
		text	   *only_when;
		const char *label;
		int			len;

		if (rule->field_nulls[FIELD_ONLY_WHEN])
			continue;
		only_when = DatumGetTextPP(rule->fields[FIELD_ONLY_WHEN]);
		label = VARDATA_ANY(only_when);
		len = VARSIZE_ANY_EXHDR(only_when);
		/* '!' is one byte in every server encoding */
		rule->conditional = true;
		rule->negated = len > 0 && label[0] == '!';
		if (rule->negated)
		{
			label++;
			len--;
		}
		rule->facts = palloc(sizeof(int) * Max(book->nfacts, 1));
		for (i = 0; i < book->nfacts; i++)
			if (book->facts[i].label_len == len && memcmp(book->facts[i].label, label, len) == 0)
				rule->facts[rule->nfacts++] = i;
	}
}

/*
 * Compile the book (report_entry[]): its rules, in its order; and the
 * circumstances (period_fact[]).
 */
static CompiledBook *
compile_book(FunctionCallInfo fcinfo, Datum book_datum, Datum facts_datum)
{
	MemoryContext context;
	MemoryContext old;
	CompiledBook *book;
	Oid			entry_type;
	Oid			unit_type;
	TupleDesc	desc;
	int			k_field;
	int			what_field;
	int			scope_field;
	int			window_field;
	int			fields[NFIELDS];
	Datum	   *elems;
	bool	   *nulls;
	Datum	   *values;
	bool	   *isnull;
	int			n;
	int			i;
	int			f;

	context = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "hrpolicy compliance book",
									ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(context);
	book = palloc0(sizeof(CompiledBook));
	book->context = context;
	book->row_context = AllocSetContextCreate(context, "hrpolicy compliance row",
											  ALLOCSET_DEFAULT_SIZES);
	book->book_source = (bytea *) PG_DETOAST_DATUM_COPY(book_datum);
	book->facts_source = (bytea *) PG_DETOAST_DATUM_COPY(facts_datum);
	book->tally_type = type_beside_function(fcinfo, "tally");
	entry_type = type_beside_function(fcinfo, "report_entry");

	unit_type = get_fn_expr_argtype(fcinfo->flinfo, 0);
	if (!OidIsValid(unit_type))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s cannot tell the type of its unit argument", CALLER)));
	{
		Oid			out;
		bool		varlena;

		getTypeOutputInfo(unit_type, &out, &varlena);
		if (!varlena)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the unit of %s must be an ltree", CALLER)));
		fmgr_info_cxt(out, &book->unit_out, context);
	}

	desc = lookup_rowtype_tupdesc_copy(entry_type, -1);
	k_field = entry_field(desc, "k");
	what_field = entry_field(desc, "what");
	scope_field = entry_field(desc, "policy_scope");
	window_field = entry_field(desc, "in_force");
	for (f = 0; f < NFIELDS; f++)
		fields[f] = entry_field(desc, field_names[f]);
	if (TupleDescAttr(desc, k_field)->atttypid != INT4OID ||
		TupleDescAttr(desc, what_field)->atttypid != TEXTOID)
		elog(ERROR, "type hrpolicy.report_entry does not have the fields compliance_rows() reads");

	array_elements(PointerGetDatum(book->book_source), entry_type, "book", CALLER, &elems, &nulls, &n);
	book->rules = palloc0(sizeof(BookRule) * Max(n, 1));
	values = palloc(sizeof(Datum) * desc->natts);
	isnull = palloc(sizeof(bool) * desc->natts);
	for (i = 0; i < n; i++)
	{
		HeapTupleHeader entry;
		BookRule   *rule = &book->rules[book->nrules];
		text	   *what;

		if (nulls[i])
			continue;			/* no rule */
		entry = DatumGetHeapTupleHeader(elems[i]);
		if (HeapTupleHeaderGetTypeId(entry) != entry_type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("entry %d of the book of %s is not a hrpolicy.report_entry", i + 1, CALLER)));
		deform_composite(entry, desc, values, isnull);

		/* rules only (not the pairs of conflicts(), the words of diagnose()) */
		if (isnull[what_field] || isnull[k_field])
			continue;
		what = DatumGetTextPP(values[what_field]);
		if (VARSIZE_ANY_EXHDR(what) != 4 || memcmp(VARDATA_ANY(what), "rule", 4) != 0)
			continue;

		rule->k = DatumGetInt32(values[k_field]);
		for (f = 0; f < NFIELDS; f++)
		{
			Form_pg_attribute attr = TupleDescAttr(desc, fields[f]);

			rule->field_nulls[f] = isnull[fields[f]];
			rule->fields[f] = isnull[fields[f]] ? (Datum) 0 :
				datumCopy(values[fields[f]], attr->attbyval, attr->attlen);
		}
		compile_window(rule, values[window_field], isnull[window_field]);
		if (!isnull[scope_field])
		{
			Oid			out;
			bool		varlena;

			getTypeOutputInfo(TupleDescAttr(desc, scope_field)->atttypid, &out, &varlena);
			rule->scope = OidOutputFunctionCall(out, values[scope_field]);
			rule->scope_len = strlen(rule->scope);
		}
		book->nrules++;
	}
	compile_facts(fcinfo, book);

	MemoryContextSwitchTo(old);
	return book;
}

/* explanation() of rule i of the book with this tally, made once. */
static Datum
rule_explanation(CompiledBook *book, int i, Datum tally)
{
	const Datum *f = book->rules[i].fields;
	int64		part = DatumGetTallyP(tally)->part;
	int64		total = DatumGetTallyP(tally)->total;
	uint64		hash;
	Sentence   *sentence;
	Datum		made;

	if (book->sentences == NULL)
	{
		int			slot;

		book->sentences = MemoryContextAllocZero(book->context, sizeof(Sentence) * SENTENCE_SLOTS);
		for (slot = 0; slot < SENTENCE_SLOTS; slot++)
			book->sentences[slot].rule = -1;
	}
	hash = (uint64) part * UINT64CONST(0x9E3779B97F4A7C15) ^
		(uint64) total * UINT64CONST(0xC2B2AE3D27D4EB4F) ^
		(uint64) i * UINT64CONST(0x165667B19E3779F9);
	sentence = &book->sentences[(hash >> 32) % SENTENCE_SLOTS];
	if (sentence->rule == i && sentence->part == part && sentence->total == total)
		return PointerGetDatum(sentence->text);
	made = DirectFunctionCall8(explanation, tally, f[FIELD_QUOTA], f[FIELD_POLICY],
							   f[FIELD_RULE], f[FIELD_DEFINED_BY], f[FIELD_COUNTS],
							   f[FIELD_WHO], f[FIELD_UNLESS]);
	/* the slot's last sentence makes way, once the new one is written */
	if (sentence->text != NULL)
		pfree(sentence->text);
	sentence->text = (text *) MemoryContextAlloc(book->context, VARSIZE_ANY(DatumGetPointer(made)));
	memcpy(sentence->text, DatumGetPointer(made), VARSIZE_ANY(DatumGetPointer(made)));
	sentence->rule = i;
	sentence->part = part;
	sentence->total = total;
	return made;
}

/*
 * The compiled book and circumstances of this call: those compiled last
 * when both come at the same addresses as constants of the plan (the
 * report passes them as parameters, which the plan holds as constants), or
 * with the same contents; else compiled anew.
 */
static CompiledBook *
compiled_book(FunctionCallInfo fcinfo, int book_arg, int facts_arg)
{
	Datum		book_datum = PG_GETARG_DATUM(book_arg);
	Datum		facts_datum = PG_GETARG_DATUM(facts_arg);
	CompiledBook *book = (CompiledBook *) fcinfo->flinfo->fn_extra;

	if (book != NULL)
	{
		if (book->book_address == DatumGetPointer(book_datum) &&
			book->facts_address == DatumGetPointer(facts_datum) &&
			book->book_address != NULL && book->facts_address != NULL)
			return book;
		if (same_bytes(book->book_source, DatumGetByteaPP(book_datum)) &&
			same_bytes(book->facts_source, DatumGetByteaPP(facts_datum)))
			return book;
		fcinfo->flinfo->fn_extra = NULL;
		MemoryContextDelete(book->context);
	}
	book = compile_book(fcinfo, book_datum, facts_datum);
	if (get_fn_expr_arg_stable(fcinfo->flinfo, book_arg))
		book->book_address = DatumGetPointer(book_datum);
	if (get_fn_expr_arg_stable(fcinfo->flinfo, facts_arg))
		book->facts_address = DatumGetPointer(facts_datum);
	fcinfo->flinfo->fn_extra = book;
	return book;
}

/*
 * hrpolicy.compliance_rows(at_unit ltree, on_day date, tallies tally[],
 *                          book report_entry[], facts period_fact[])
 *
 * A row for each rule of the book that applies on the unit-day, with the
 * tally of its number (k) among the unit-day's tallies: the columns of
 * compliance().  facts: the circumstances the book's only_when name
 * (period_facts()).  No rows when an argument is NULL.
 */
Datum
compliance_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CompiledBook *book;
	Datum	   *tallies;
	bool	   *tally_nulls;
	int			ntallies;
	char	   *unit;
	int			unit_len;
	DateADT		day;
	Datum		values[NCOLUMNS];
	bool		nulls[NCOLUMNS];
	MemoryContext old;
	int			i;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (rsinfo->setDesc->natts != NCOLUMNS)
		elog(ERROR, "%s must return %d columns", CALLER, NCOLUMNS);
	for (i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			return (Datum) 0;

	book = compiled_book(fcinfo, 3, 4);
	array_elements(PG_GETARG_DATUM(2), book->tally_type, "tallies", CALLER, &tallies, &tally_nulls,
				   &ntallies);
	unit = OutputFunctionCall(&book->unit_out, PG_GETARG_DATUM(0));
	unit_len = strlen(unit);
	day = PG_GETARG_DATEADT(1);

	values[COL_DAY] = DateADTGetDatum(day);
	nulls[COL_DAY] = false;
	values[COL_UNIT] = PG_GETARG_DATUM(0);
	nulls[COL_UNIT] = false;
	old = MemoryContextSwitchTo(book->row_context);
	for (i = 0; i < book->nrules; i++)
	{
		const BookRule *rule = &book->rules[i];
		const Datum *f = rule->fields;
		const bool *fnull = rule->field_nulls;
		Datum		tally;
		bool		measured;

		if (rule->k < 1 || rule->k > ntallies || !rule_applies(book, rule, unit, unit_len, day))
			continue;

		tally = tallies[rule->k - 1];
		measured = !tally_nulls[rule->k - 1] && !fnull[FIELD_QUOTA];
		values[COL_POLICY] = f[FIELD_POLICY];
		nulls[COL_POLICY] = fnull[FIELD_POLICY];
		values[COL_RULE] = f[FIELD_RULE];
		nulls[COL_RULE] = fnull[FIELD_RULE];
		values[COL_TALLY] = tally;
		nulls[COL_TALLY] = tally_nulls[rule->k - 1];
		values[COL_QUOTA] = f[FIELD_QUOTA];
		nulls[COL_QUOTA] = fnull[FIELD_QUOTA];
		if (measured)
		{
			values[COL_ALLOWED] = DirectFunctionCall2(quota_limit, f[FIELD_QUOTA],
													  Int64GetDatum(DatumGetTallyP(tally)->total));
			values[COL_OK] = DirectFunctionCall2(tally_meets, tally, f[FIELD_QUOTA]);
			values[COL_HEADROOM] = DirectFunctionCall2(tally_headroom, tally, f[FIELD_QUOTA]);
		}
		nulls[COL_ALLOWED] = nulls[COL_OK] = nulls[COL_HEADROOM] = !measured;
		/* explanation() is strict */
		nulls[COL_EXPLANATION] = !measured || fnull[FIELD_POLICY] || fnull[FIELD_RULE] ||
			fnull[FIELD_DEFINED_BY] || fnull[FIELD_COUNTS] || fnull[FIELD_WHO] ||
			fnull[FIELD_UNLESS];
		if (!nulls[COL_EXPLANATION])
			values[COL_EXPLANATION] = rule_explanation(book, i, tally);
		values[COL_DEFINED_BY] = f[FIELD_DEFINED_BY];
		nulls[COL_DEFINED_BY] = fnull[FIELD_DEFINED_BY];
		values[COL_ONLY_WHEN] = f[FIELD_ONLY_WHEN];
		nulls[COL_ONLY_WHEN] = fnull[FIELD_ONLY_WHEN];

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextReset(book->row_context);
	}
	MemoryContextSwitchTo(old);
	return (Datum) 0;
}

/*
 * hrpolicy.applicable_rules(at_unit ltree, on_day date, book report_entry[],
 *                           facts period_fact[]) -> integer[]
 *
 * The numbers (k) of the rules of the book that apply on the unit-day, in
 * the order of the book, as compliance_rows() picks them: the reports'
 * tallied CTE joins them to the book.  NULL when an argument is NULL.
 */
Datum
applicable_rules(PG_FUNCTION_ARGS)
{
	CompiledBook *book;
	Datum	   *ks;
	char	   *unit;
	int			unit_len;
	DateADT		day;
	int			n = 0;
	int			i;

	for (i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_NULL();
	book = compiled_book(fcinfo, 2, 3);
	unit = OutputFunctionCall(&book->unit_out, PG_GETARG_DATUM(0));
	unit_len = strlen(unit);
	day = PG_GETARG_DATEADT(1);
	ks = palloc(sizeof(Datum) * Max(book->nrules, 1));
	for (i = 0; i < book->nrules; i++)
		if (rule_applies(book, &book->rules[i], unit, unit_len, day))
			ks[n++] = Int32GetDatum(book->rules[i].k);
	PG_RETURN_ARRAYTYPE_P(construct_array(ks, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}
