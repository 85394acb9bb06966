/*-------------------------------------------------------------------------
 *
 * enforce.c
 *	  hrpolicy.enforce(): refuse commits that newly break a cap.
 *
 * enforce() puts a deferred constraint trigger on each table it protects.
 * Its WHEN clause, note_touched_days() (or note_touched_days_from() on a table
 * without a day column), records in this backend the roster days the row
 * touches and is true only when a check must be queued: when a touched day
 * is pending and no check event is queued yet.  So a bulk load queues one
 * event, not one per row.  The trigger function, enforce_check(), runs at
 * commit (or SET CONSTRAINTS ... IMMEDIATE): it takes every pending day at
 * once, locks them, and checks them.  Days are recorded per roster, not per
 * table: every table the roster reads writes to the same days, so the
 * tables of one roster (partitions included) serialise on the same locks.
 *
 * The check refuses a commit only for a new or worse breach on a day it
 * touched: a unit over a cap whose excess (heads in office beyond what the
 * cap allows) is greater at commit than it would be without this
 * transaction's changes.  Both states are read with the same snapshot,
 * taken after the locks; the second with its command id set before the
 * transaction's first command, so that none of its own changes are seen.
 * So a unit already over its cap blocks nothing else, and a write that
 * lowers its excess lands.  A person with more rows on a touched day than
 * without the transaction is refused too (the roster holds one row per
 * person per day).
 *
 * Nothing SQL can call marks a day checked: note_touched_days() only adds
 * pending days (a hand call can only add checks), the check is a trigger
 * function, and a commit or PREPARE with a pending day is refused by a
 * transaction callback, so a check cannot be skipped.
 *
 * The states live in TopTransactionContext, with a log of the changes made
 * inside subtransactions: a subtransaction that rolls back discards the
 * events it queued and un-fires the events it fired, so its changes are
 * undone with it (days it first touched are forgotten, days it checked are
 * pending again, a check it queued is no longer queued).
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "nodes/primnodes.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "validity.h"

PG_FUNCTION_INFO_V1(note_touched_days);
PG_FUNCTION_INFO_V1(note_touched_days_from);
PG_FUNCTION_INFO_V1(enforce_check);
PG_FUNCTION_INFO_V1(enforce_refuse_truncate);
PG_FUNCTION_INFO_V1(catalog_write_waits);

typedef enum DayState
{
	DAY_UNTOUCHED = 0,
	DAY_PENDING,				/* touched since its last check */
	DAY_CHECKED
} DayState;

typedef struct TouchedDay
{
	DateADT		day;			/* hash key */
	DayState	state;
} TouchedDay;

/*
 * What a subtransaction changed, oldest first: a day's state, the open
 * range's, or whether a check is queued.
 */
typedef enum UndoKind
{
	UNDO_DAY,
	UNDO_OPEN,
	UNDO_QUEUED
} UndoKind;

typedef struct UndoRecord
{
	UndoKind	kind;
	DateADT		day;			/* UNDO_DAY: the day; UNDO_OPEN: the range's first day */
	int			previous;		/* DayState, or bool for UNDO_QUEUED */
	SubTransactionId subid;
} UndoRecord;

typedef struct EnforcementState
{
	HTAB	   *days;			/* DateADT -> TouchedDay */
	int			npending;
	/* a write to a table without a day column touches every day from open_from on */
	DayState	open_state;
	DateADT		open_from;
	bool		queued;			/* a check event is queued and not yet fired */
	UndoRecord *undo;
	int			nundo;
	int			undo_size;
} EnforcementState;

static EnforcementState *state = NULL;
static bool callbacks_registered = false;

/* ---------------------------------------------------------------------
 * Bookkeeping
 * --------------------------------------------------------------------- */

static void
log_change(UndoKind kind, DateADT day, int previous)
{
	if (GetCurrentTransactionNestLevel() <= 1)
		return;					/* the top level is never undone alone */
	if (state->nundo == state->undo_size)
	{
		state->undo_size = Max(state->undo_size * 2, 64);
		state->undo = state->undo == NULL
			? MemoryContextAlloc(TopTransactionContext, sizeof(UndoRecord) * state->undo_size)
			: repalloc(state->undo, sizeof(UndoRecord) * state->undo_size);
	}
	state->undo[state->nundo].kind = kind;
	state->undo[state->nundo].day = day;
	state->undo[state->nundo].previous = previous;
	state->undo[state->nundo].subid = GetCurrentSubTransactionId();
	state->nundo++;
}

static DayState
day_state(DateADT day)
{
	TouchedDay *entry = (TouchedDay *) hash_search(state->days, &day, HASH_FIND, NULL);

	return entry ? entry->state : DAY_UNTOUCHED;
}

/* Set a day's state, without logging it. */
static void
put_day_state(DateADT day, DayState new_state)
{
	DayState	old_state = day_state(day);

	if (old_state == DAY_PENDING)
		state->npending--;
	if (new_state == DAY_PENDING)
		state->npending++;
	if (new_state == DAY_UNTOUCHED)
		hash_search(state->days, &day, HASH_REMOVE, NULL);
	else
		((TouchedDay *) hash_search(state->days, &day, HASH_ENTER, NULL))->state = new_state;
}

static void
set_day_state(DateADT day, DayState new_state)
{
	DayState	old_state = day_state(day);

	if (old_state == new_state)
		return;
	log_change(UNDO_DAY, day, old_state);
	put_day_state(day, new_state);
}

static void
set_open_state(DayState new_state, DateADT from)
{
	if (state->open_state == new_state && state->open_from == from)
		return;
	log_change(UNDO_OPEN, state->open_from, state->open_state);
	state->open_state = new_state;
	state->open_from = from;
}

static void
set_queued(bool queued)
{
	if (state->queued == queued)
		return;
	log_change(UNDO_QUEUED, 0, state->queued);
	state->queued = queued;
}

static bool
anything_pending(void)
{
	return state != NULL && (state->npending > 0 || state->open_state == DAY_PENDING);
}

static void
enforcement_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_PREPARE:
			/*
			 * A prepared transaction would keep the days' locks until COMMIT
			 * PREPARED, stalling every writer of those days meanwhile.
			 */
			if (state != NULL && (hash_get_num_entries(state->days) > 0 ||
								  state->open_state != DAY_UNTOUCHED))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot PREPARE a transaction that wrote a table hrpolicy enforces"),
						 errdetail("A prepared transaction would hold the roster's day locks until COMMIT PREPARED, and every writer of those days would wait for it."),
						 errhint("Commit the attendance in an ordinary transaction.")));
			/* FALLTHROUGH */
		case XACT_EVENT_PRE_COMMIT:
			/* Deferred triggers have fired: every touched day was checked. */
			if (anything_pending())
				ereport(ERROR,
						(errcode(ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION),
						 errmsg("hrpolicy refuses to commit: attendance days written in this transaction were not checked against the caps"),
						 errdetail("The check queued by enforce() did not run; hrpolicy.note_touched_days() may have been called by hand."),
						 errhint("Nothing of this transaction was saved. Write the rows again without calling hrpolicy's internal functions.")));
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			/* TopTransactionContext goes away with the state. */
			state = NULL;
			break;
		default:
			break;
	}
}

static void
enforcement_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							 SubTransactionId parentSubid, void *arg)
{
	if (state == NULL)
		return;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		/* Undo this subtransaction's changes, newest first. */
		while (state->nundo > 0 && state->undo[state->nundo - 1].subid == mySubid)
		{
			UndoRecord *record = &state->undo[--state->nundo];

			switch (record->kind)
			{
				case UNDO_DAY:
					put_day_state(record->day, (DayState) record->previous);
					break;
				case UNDO_OPEN:
					state->open_state = (DayState) record->previous;
					state->open_from = record->day;
					break;
				case UNDO_QUEUED:
					state->queued = (bool) record->previous;
					break;
			}
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		int			i = state->nundo;

		/* The parent now answers for these changes. */
		while (i > 0 && state->undo[i - 1].subid == mySubid)
			state->undo[--i].subid = parentSubid;
		/* Changes that reach the top level can no longer be undone alone. */
		if (parentSubid == TopSubTransactionId)
			state->nundo = i;
	}
}

static void
refuse_repeatable_read(void)
{
	if (XactIsoLevel == XACT_REPEATABLE_READ)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy cannot enforce caps under REPEATABLE READ"),
				 errdetail("A REPEATABLE READ snapshot cannot see rows that concurrent transactions commit, so the cap check could pass wrongly."),
				 errhint("Write attendance under READ COMMITTED or SERIALIZABLE.")));
}

static void
ensure_state(void)
{
	HASHCTL		ctl;

	if (state != NULL)
		return;
	if (!callbacks_registered)
	{
		RegisterXactCallback(enforcement_xact_callback, NULL);
		RegisterSubXactCallback(enforcement_subxact_callback, NULL);
		callbacks_registered = true;
	}
	state = MemoryContextAllocZero(TopTransactionContext, sizeof(EnforcementState));
	ctl.keysize = sizeof(DateADT);
	ctl.entrysize = sizeof(TouchedDay);
	ctl.hcxt = TopTransactionContext;
	state->days = hash_create("hrpolicy touched days", 64, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* True when a check must be queued now; the caller's event is that check. */
static bool
queue_check_if_due(void)
{
	if (state->queued || !anything_pending())
		return false;
	set_queued(true);
	return true;
}

/*
 * hrpolicy.note_touched_days(from_day date, day date, other_day date) -> bool
 *
 * The WHEN clause of the enforcement trigger of a table with a day
 * column: records the row's day (and, for an UPDATE, its old day) as
 * pending, unless it is NULL or before from_day (history is never checked),
 * and says whether a check must be queued.  A row on infinity or -infinity
 * is refused: the reports count it, and no check could.
 */
Datum
note_touched_days(PG_FUNCTION_ARGS)
{
	int			i;

	refuse_repeatable_read();
	ensure_state();
	for (i = 1; i < PG_NARGS(); i++)
	{
		DateADT		day;

		if (PG_ARGISNULL(i))
			continue;
		day = PG_GETARG_DATEADT(i);
		if (DATE_NOT_FINITE(day))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("hrpolicy cannot check attendance on %s", DATE_IS_NOBEGIN(day) ? "-infinity" : "infinity"),
					 errdetail("An enforced table holds rows of real days.")));
		if (!PG_ARGISNULL(0) && day < PG_GETARG_DATEADT(0))
			continue;
		set_day_state(day, DAY_PENDING);
	}
	PG_RETURN_BOOL(queue_check_if_due());
}

/*
 * hrpolicy.note_touched_days_from(from_day date) -> bool
 *
 * The WHEN clause of the enforcement trigger of a table without a day
 * column (staff, units: a transfer or a change of tags changes every day
 * the roster shows for that person): records every roster day from
 * from_day on as pending, or from today when from_day is NULL.  Today is
 * the date in the earliest time zone (UTC-12) when the transaction began:
 * the earliest date that is today anywhere, which the writer's TimeZone
 * setting cannot move later.
 */
Datum
note_touched_days_from(PG_FUNCTION_ARGS)
{
	DateADT		from;

	refuse_repeatable_read();
	ensure_state();
	if (PG_ARGISNULL(0))
	{
		TimestampTz earliest = GetCurrentTransactionStartTimestamp() - 12 * USECS_PER_HOUR;

		from = (DateADT) (earliest / USECS_PER_DAY - (earliest % USECS_PER_DAY < 0 ? 1 : 0));
	}
	else
		from = PG_GETARG_DATEADT(0);
	if (state->open_state != DAY_PENDING)
		set_open_state(DAY_PENDING, from);
	else if (from < state->open_from)
		set_open_state(DAY_PENDING, from);
	PG_RETURN_BOOL(queue_check_if_due());
}

/* ---------------------------------------------------------------------
 * The check
 * --------------------------------------------------------------------- */

/* Take the lock of a roster-wide or a day key: see hrpolicy.h. */
static bool
lock_enforcement(Oid roster, uint32 day_key, int kind, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, roster, day_key, HRPOLICY_LOCK_FIELD4 + kind);
	return LockAcquire(&tag, mode, false, false) == LOCKACQUIRE_OK;
}

static Datum
date_array(const DateADT *days, int ndays)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(ndays, 1));
	int			i;

	for (i = 0; i < ndays; i++)
		elems[i] = DateADTGetDatum(days[i]);
	return PointerGetDatum(construct_array(elems, ndays, DATEOID, sizeof(DateADT), true,
										   TYPALIGN_INT));
}

/* A breach of a cap, or a person's duplicate rows, as the check read them. */
typedef struct Finding
{
	char	   *key;			/* identifies it in the other state */
	DateADT		day;
	int64		measure;		/* heads (days) the cap counts; rows of the person */
	bool		broken;			/* over the cap (always, of a person's rows) */
	HeapTuple	tuple;			/* the whole row, for the message */
} Finding;

typedef struct Findings
{
	TupleDesc	desc;
	int			n;
	int			size;
	Finding    *items;
} Findings;

/*
 * One read of the touched days: with the transaction's changes, the cap
 * breaches (breaches_only); without them, every cap's row of the days that
 * read showed a breach on, so that each breach can be set beside its count
 * before the transaction, broken or not.
 */
typedef struct CheckPass
{
	bool		breaches_only;
	Oid			collation;		/* person_collation() of the roster */
	/* without the transaction: the keys of the breaches with it, to keep */
	HTAB	   *wanted_breaches;
	HTAB	   *wanted_person_breaches;
	Findings	breaches;
	Findings	duplicates;
	Findings	person_breaches;
} CheckPass;

static char *
column_text(HeapTuple tuple, TupleDesc desc, int column)
{
	char	   *value = SPI_getvalue(tuple, desc, column);

	return value ? value : "";
}

/*
 * The part of a finding's key that names its person (column 1 of
 * person_day_rows() and person_cap_breaches()).  Under a nondeterministic
 * collation of the roster's person column the spelling a row shows for a
 * person ('p1' or 'P1', one person) is whichever the grouping met first,
 * which may differ between the two reads of a check (a row moved by an
 * update, parallel workers finishing in another order): the key is then
 * the person's hash under that collation, the same for every spelling.
 */
static char *
person_key(const char *person, Oid collation)
{
	if (!OidIsValid(collation))
		return pstrdup(person);
	return psprintf("%016llx", (unsigned long long) DatumGetUInt64(
		DirectFunctionCall2Coll(hashtextextended, collation,
								PointerGetDatum(cstring_to_text(person)),
								Int64GetDatum(0))));
}

/*
 * The collation under which the roster tells persons apart when it is not
 * deterministic (InvalidOid otherwise: persons are their bytes).
 */
static Oid
person_collation(Oid roster)
{
	AttrNumber	attnum = get_attnum(roster, "person");
	Oid			type;
	int32		typmod;
	Oid			collation;

	if (attnum == InvalidAttrNumber)
		return InvalidOid;
	get_atttypetypmodcoll(roster, attnum, &type, &typmod, &collation);
	if (!OidIsValid(collation) || get_collation_isdeterministic(collation))
		return InvalidOid;
	return collation;
}

/*
 * Run a query of hrpolicy.enforcement_findings(), person_day_rows() or
 * person_cap_breaches() over (from, through, days[, hashes]) in the active
 * snapshot, adding its rows to findings.  key_columns name the columns that
 * identify a finding, the person first when person_collation is valid
 * (person_key()); measure_column gives its size (the heads or days a cap
 * counts, or the rows of a person), and headroom_column, when not 0,
 * whether the cap is broken (below 0).  With wanted, a row whose key is not
 * in it is left out.  With repeats, a row whose column repeats_column is
 * not NULL is no finding: that column is copied to *repeats (the hashes of
 * persons counted twice, of enforcement_findings()).
 */
static void
find(const char *query, DateADT from, DateADT through, const DateADT *days, int ndays,
	 Datum hashes, const int *key_columns, int nkeys, Oid person_collation,
	 int measure_column, int headroom_column, HTAB *wanted, Findings *findings,
	 int repeats_column, Datum *repeats)
{
	Oid			argtypes[4] = {DATEOID, DATEOID, DATEARRAYOID, INT8ARRAYOID};
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ndays < 0 ? 'n' : ' ', ' '};
	MemoryContext caller = CurrentMemoryContext;
	uint64		row;
	int			ret;

	args[0] = DateADTGetDatum(from);
	args[1] = DateADTGetDatum(through);
	args[2] = ndays < 0 ? (Datum) 0 : date_array(days, ndays);
	args[3] = hashes;
	ret = SPI_execute_with_args(query, hashes != (Datum) 0 ? 4 : 3, argtypes, args, nulls, true, 0);
	if (ret != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not check the caps: %s", SPI_result_code_string(ret))));
	for (row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		StringInfoData key;
		Finding    *item;
		bool		isnull;
		int64		measure;
		bool		broken;
		int			k;
		MemoryContext old;

		if (repeats != NULL)
		{
			Datum		value = SPI_getbinval(tuple, desc, repeats_column, &isnull);

			if (!isnull)
			{
				old = MemoryContextSwitchTo(caller);
				*repeats = PointerGetDatum(DatumGetArrayTypePCopy(value));
				MemoryContextSwitchTo(old);
				continue;
			}
		}
		/* each column NULL, or its length and text: no two keys run together */
		initStringInfo(&key);
		for (k = 0; k < nkeys; k++)
		{
			const char *part = SPI_getvalue(tuple, desc, key_columns[k]);

			if (part == NULL)
			{
				appendStringInfoString(&key, "N;");
				continue;
			}
			if (k == 0 && OidIsValid(person_collation))
				part = person_key(part, person_collation);
			appendStringInfo(&key, "%zu:%s;", strlen(part), part);
		}
		if (wanted != NULL && hash_search(wanted, &key.data, HASH_FIND, NULL) == NULL)
			continue;
		measure = DatumGetInt64(SPI_getbinval(tuple, desc, measure_column, &isnull));
		if (isnull)
			measure = 0;
		broken = true;
		if (headroom_column != 0)
		{
			Datum		headroom = SPI_getbinval(tuple, desc, headroom_column, &isnull);

			broken = !isnull && DatumGetInt64(headroom) < 0;
		}
		old = MemoryContextSwitchTo(caller);
		if (findings->n == findings->size)
		{
			findings->size = Max(findings->size * 2, 16);
			findings->items = findings->items == NULL
				? palloc(sizeof(Finding) * findings->size)
				: repalloc(findings->items, sizeof(Finding) * findings->size);
		}
		if (findings->desc == NULL)
			findings->desc = CreateTupleDescCopy(desc);
		item = &findings->items[findings->n++];
		item->key = pstrdup(key.data);
		item->day = DatumGetDateADT(SPI_getbinval(tuple, desc, 2, &isnull));
		item->measure = measure;
		item->broken = broken;
		item->tuple = heap_copytuple(tuple);
		MemoryContextSwitchTo(old);
	}
	SPI_freetuptable(SPI_tuptable);
}

/* [breaches_only]: the breaches, or every cap's row */
static const char *const findings_query[2] = {
	"SELECT * FROM hrpolicy.enforcement_findings($1, $2, $3, false)",
	"SELECT * FROM hrpolicy.enforcement_findings($1, $2, $3, true)"
};
static const char *const duplicates_query =
"SELECT * FROM hrpolicy.person_day_rows($1, $2, $3, NULL, $4)";
static const char *const person_breaches_query[2] = {
	"SELECT * FROM hrpolicy.person_cap_breaches($1, $2, $3, false)",
	"SELECT * FROM hrpolicy.person_cap_breaches($1, $2, $3, true)"
};

/* enforcement_findings(): unit, day, policy, rule, defined_by, only_when,
 * part, total, allowed, headroom, quota, counts, repeats */
static const int breach_key[] = {1, 2, 3, 4, 5, 6};
#define BREACH_PART 7
#define BREACH_HEADROOM 10
#define FINDINGS_REPEATS 13
/* person_cap_breaches(): person, day (the period's first), policy, rule,
 * defined_by, only_when, part, total, allowed, headroom, quota,
 * explanation, unit */
/* not the policy: it is the decree in force on the period's last base day */
static const int person_breach_key[] = {1, 2, 4, 5, 6};
#define PERSON_BREACH_PART 7
#define PERSON_BREACH_HEADROOM 10
/* person_day_rows(): person, day, rows */
static const int duplicate_key[] = {1, 2};
#define DUPLICATE_ROWS 3

/*
 * Runs of at most this many touched days are read day by day.  A period of
 * one day is read by its day (r.day = $1, see hrpolicy.report_query()), an
 * equality PostgreSQL carries across a roster view's outer join to a
 * partitioned attendance table, while a range does not: a write to a few
 * days (a week of leave) then reads those days' partition, not every
 * partition of a table holding years.  Longer runs, bulk loads, are read
 * by their range in one pass.
 */
#define DAY_BY_DAY_RUN 5

/*
 * Read the cap breaches of (from, through, days) and the hashes of persons
 * counted twice in one pass over the roster, then the rows behind those
 * hashes when there are any.
 */
static void
find_days(DateADT from, DateADT through, const DateADT *days, int ndays, CheckPass *pass)
{
	Datum		repeats = (Datum) 0;

	find(findings_query[pass->breaches_only], from, through, days, ndays, (Datum) 0,
		 breach_key, lengthof(breach_key), InvalidOid, BREACH_PART, BREACH_HEADROOM,
		 pass->wanted_breaches, &pass->breaches, FINDINGS_REPEATS, &repeats);
	if (repeats != (Datum) 0)
		find(duplicates_query, from, through, days, ndays, repeats,
			 duplicate_key, lengthof(duplicate_key), pass->collation, DUPLICATE_ROWS, 0,
			 NULL, &pass->duplicates, 0, NULL);
}

/*
 * Read the breaches and duplicates of a run of touched days from (from,
 * through, days): day by day for a short run, else in one pass; then the
 * person-period breaches of the run's weeks or months.
 */
static void
find_range(DateADT from, DateADT through, const DateADT *days, int ndays, CheckPass *pass)
{
	int			k;

	if (days != NULL && ndays <= DAY_BY_DAY_RUN)
		for (k = 0; k < ndays; k++)
			find_days(days[k], days[k], &days[k], 1, pass);
	else
		find_days(from, through, days, ndays, pass);
	find(person_breaches_query[pass->breaches_only], from, through, days, ndays, (Datum) 0,
		 person_breach_key, lengthof(person_breach_key), pass->collation, PERSON_BREACH_PART,
		 PERSON_BREACH_HEADROOM, pass->wanted_person_breaches, &pass->person_breaches, 0, NULL);
}

/*
 * Read the breaches and duplicates of the touched days: the runs of nearby
 * explicit days (one report each: a bulk load touches many days in a
 * row), and the open range from its first day through the roster's last.
 */
static void
find_all(const DateADT *days, int ndays, bool open, DateADT open_from, CheckPass *pass)
{
	int			start = 0;
	int			i;

	for (i = 1; i <= ndays; i++)
	{
		if (i < ndays && days[i] - days[i - 1] <= 7)
			continue;
		find_range(days[start], days[i - 1], &days[start], i - start, pass);
		start = i;
	}
	if (open)
		find_range(open_from, DATEVAL_NOEND, NULL, -1, pass);
}

/* The distinct days of findings, sorted. */
static DateADT *
days_of(const Findings *a, const Findings *b, const Findings *c, int *ndays)
{
	DateADT    *days = palloc(sizeof(DateADT) * Max(a->n + b->n + c->n, 1));
	int			n = 0;
	int			i;
	int			k;

	for (i = 0; i < a->n; i++)
		days[n++] = a->items[i].day;
	for (i = 0; i < b->n; i++)
		days[n++] = b->items[i].day;
	for (i = 0; i < c->n; i++)
		days[n++] = c->items[i].day;
	qsort(days, n, sizeof(DateADT), compare_dates);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || days[k - 1] != days[i])
			days[k++] = days[i];
	*ndays = k;
	return days;
}

/* Findings indexed by key (a pointer to the key string, of any length). */
static uint32
finding_hash(const void *key, Size keysize)
{
	const char *text = *(char *const *) key;

	return hash_bytes((const unsigned char *) text, strlen(text));
}

static int
finding_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(char *const *) key1, *(char *const *) key2);
}

static HTAB *
index_findings(const Findings *findings)
{
	HASHCTL		ctl;
	HTAB	   *index;
	int			i;

	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(Finding);
	ctl.hash = finding_hash;
	ctl.match = finding_match;
	ctl.hcxt = CurrentMemoryContext;
	index = hash_create("hrpolicy findings", Max(findings->n, 16), &ctl,
						HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	for (i = 0; i < findings->n; i++)
	{
		Finding    *entry = (Finding *) hash_search(index, &findings->items[i].key,
													  HASH_ENTER, NULL);

		entry->measure = findings->items[i].measure;
		entry->broken = findings->items[i].broken;
	}
	return index;
}

/* The finding of the same key without this transaction, or NULL. */
static const Finding *
finding_before(HTAB *before, const Finding *finding)
{
	return (const Finding *) hash_search(before, &finding->key, HASH_FIND, NULL);
}

/*
 * Whether a finding of the state with this transaction (a broken cap, a
 * person's rows) is one to refuse: new (none or no breach without the
 * transaction), or worse, the cap counting more heads or days than without
 * it, or the person having more rows.  A unit already over its cap may
 * lose a person at home (a sick note, a transfer out): its base, and so
 * what a percentage allows, shrinks, but no one more is counted; it may
 * not be pushed over its cap that way, nor gain a head.
 */
static bool
worse(const Finding *after, const Finding *before)
{
	return before == NULL || !before->broken || after->measure > before->measure;
}

static void
refuse_breach(const Findings *breaches, const Finding *finding, const Finding *before,
			  TriggerData *trigdata)
{
	HeapTuple	tuple = finding->tuple;
	TupleDesc	desc = breaches->desc;
	char	   *policy = column_text(tuple, desc, 3);
	char	   *defined_by = column_text(tuple, desc, 5);
	StringInfoData detail;

	initStringInfo(&detail);
	/* translator: decree, rule, quota, ", from <decree>", heads allowed, heads in all */
	appendStringInfo(&detail, hr_gettext("Decree %s, rule %s (%s%s): at most %s of %s allowed."),
					 policy, column_text(tuple, desc, 4), column_text(tuple, desc, 11),
					 strcmp(policy, defined_by) != 0 ? psprintf(hr_gettext(", from %s"), defined_by) : "",
					 column_text(tuple, desc, 9), column_text(tuple, desc, 8));
	/* translator: heads, the statuses counted */
	appendStringInfo(&detail, hr_gettext(" Without this transaction: %lld in %s."),
					 (long long) (before ? before->measure : 0), column_text(tuple, desc, 12));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("%s of %s in %s at %s on %s",
					column_text(tuple, desc, 7), column_text(tuple, desc, 8),
					column_text(tuple, desc, 12), column_text(tuple, desc, 1),
					column_text(tuple, desc, 2)),
			 errdetail_internal("%s", detail.data),
			 errhint("Nothing of this transaction was saved. Record at most the allowed number for that unit and day, or amend the decree in hrpolicy.rule."),
			 errtable(trigdata->tg_relation)));
}

static void
refuse_person_breach(const Findings *breaches, const Finding *finding, const Finding *before,
					 TriggerData *trigdata)
{
	HeapTuple	tuple = finding->tuple;
	TupleDesc	desc = breaches->desc;
	StringInfoData detail;

	initStringInfo(&detail);
	appendStringInfoString(&detail, column_text(tuple, desc, 12));
	appendStringInfoChar(&detail, '.');
	appendStringInfo(&detail, hr_gettext(" Without this transaction: %lld such days."),
					 (long long) (before ? before->measure : 0));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("person %s at %s would be over the cap of decree %s, rule %s, in the period from %s",
					column_text(tuple, desc, 1), column_text(tuple, desc, 13),
					column_text(tuple, desc, 3), column_text(tuple, desc, 4),
					column_text(tuple, desc, 2)),
			 errdetail_internal("%s", detail.data),
			 errhint("Nothing of this transaction was saved. Record at most the allowed number of days for that person and period, or amend the decree in hrpolicy.rule."),
			 errtable(trigdata->tg_relation)));
}

static void
refuse_duplicate(const Findings *duplicates, const Finding *finding, TriggerData *trigdata)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("person %s would have %s rows in the roster on %s",
					column_text(finding->tuple, duplicates->desc, 1),
					column_text(finding->tuple, duplicates->desc, 3),
					column_text(finding->tuple, duplicates->desc, 2)),
			 errdetail("The roster holds one row per person per day; a second row would count the person twice in every tally."),
			 errhint("Nothing of this transaction was saved. Update the person's row for that day instead of adding one."),
			 errtable(trigdata->tg_relation)));
}

/*
 * Lock, in day order, every day of the weeks and months of the touched days
 * that the person-period caps of the active snapshot's catalog make one
 * check (hrpolicy.enforcement_lock_days()); true when a lock was not held
 * yet.  Two writers of one person's week then wait for each other.
 */
static bool
lock_period_days(Oid roster, const DateADT *days, int ndays)
{
	Oid			argtypes[1] = {DATEARRAYOID};
	Datum		args[1];
	Datum		lock_days;
	ArrayType  *array;
	DateADT    *lock;
	bool		isnull;
	bool		acquired = false;
	int			nlock;
	int			i;

	if (ndays == 0)
		return false;
	args[0] = date_array(days, ndays);
	if (SPI_execute_with_args("SELECT hrpolicy.enforcement_lock_days($1)",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not find the days to lock")));
	lock_days = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not find the days to lock")));
	array = DatumGetArrayTypeP(lock_days);
	nlock = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	if (ARR_HASNULL(array) || ARR_ELEMTYPE(array) != DATEOID)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not find the days to lock")));
	lock = (DateADT *) ARR_DATA_PTR(array);
	for (i = 0; i < nlock; i++)
		if (lock_enforcement(roster, (uint32) lock[i], HRPOLICY_LOCK_DAY, ExclusiveLock))
			acquired = true;
	SPI_freetuptable(SPI_tuptable);
	return acquired;
}

/*
 * hrpolicy.enforce_check(): the deferred constraint trigger of enforce().
 *
 * Takes every pending day of the transaction, locks them (a shared lock on
 * the roster and an exclusive lock per day, in day order; an exclusive
 * lock on the roster when a table without a day column was written), and
 * refuses the commit on a new or worse breach or duplicate.  Under READ
 * COMMITTED the read is made after the locks, so it sees what a concurrent
 * writer of the same days committed; under SERIALIZABLE the predicate
 * locks of the read make SSI refuse one of two writers that each took the
 * last place.
 */
Datum
enforce_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HASH_SEQ_STATUS scan;
	TouchedDay *entry;
	DateADT    *days;
	int			ndays = 0;
	bool		open;
	DateADT		open_from;
	Oid			roster;
	bool		isnull;
	CheckPass	after = {0};
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hrpolicy.enforce_check() can only be called as a trigger")));
	refuse_repeatable_read();
	ensure_state();
	set_queued(false);			/* this is the queued check */
	if (!anything_pending())
		return PointerGetDatum(NULL);	/* an earlier event checked them */

	days = palloc(sizeof(DateADT) * Max(state->npending, 1));
	hash_seq_init(&scan, state->days);
	while ((entry = (TouchedDay *) hash_seq_search(&scan)) != NULL)
		if (entry->state == DAY_PENDING)
			days[ndays++] = entry->day;
	qsort(days, ndays, sizeof(DateADT), compare_dates);
	open = state->open_state == DAY_PENDING;
	open_from = state->open_from;
	/* Mark them checked first (set_day_state may change the hash table). */
	for (i = 0; i < ndays; i++)
		set_day_state(days[i], DAY_CHECKED);
	if (open)
		set_open_state(DAY_CHECKED, open_from);

	if (SPI_connect() != SPI_OK_CONNECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not connect to SPI")));
	/*
	 * The roster, checked: it exists, is not a materialized view, shows all
	 * rows, and reads the table whose trigger fired (so that nobody can fire
	 * this check, and take its locks, from a trigger on a table of their own).
	 */
	{
		Oid			argtypes[1] = {OIDOID};
		Datum		args[1] = {ObjectIdGetDatum(RelationGetRelid(trigdata->tg_relation))};

		if (SPI_execute_with_args("SELECT hrpolicy.enforcement_roster($1)::pg_catalog.oid",
								  1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("hrpolicy could not find the roster")));
	}
	roster = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	/*
	 * The catalog first: a decree written meanwhile waits until this
	 * transaction ends, and one being written makes this check wait for it
	 * (catalog_write_waits()), so no commit is checked against caps that
	 * change under it.
	 */
	lock_enforcement(InvalidOid, 0, HRPOLICY_LOCK_CATALOG, ShareLock);
	lock_enforcement(roster, 0, HRPOLICY_LOCK_ROSTER, open ? ExclusiveLock : ShareLock);
	if (!open)
	{
		/*
		 * The touched days and, with person-period caps in the catalog (which
		 * cannot change now), every day of their weeks or months, all in day
		 * order, as every writer takes them.
		 */
		PushCopiedSnapshot(GetLatestSnapshot());
		(void) lock_period_days(roster, days, ndays);
		PopActiveSnapshot();
	}

	/*
	 * After the locks, a snapshot taken now, whatever the isolation level:
	 * under SERIALIZABLE the transaction's own snapshot would not see what a
	 * writer at another isolation level committed meanwhile, and SSI does
	 * not protect against those.  The days its catalog makes one check must
	 * all be locked: were one not held yet (the catalog lock makes that
	 * impossible), it is taken and the snapshot taken again after it.  So
	 * the caps the check reads are those its locks were chosen for.
	 */
	CommandCounterIncrement();
	for (;;)
	{
		PushCopiedSnapshot(GetLatestSnapshot());
		UpdateActiveSnapshotCommandId();
		if (open || !lock_period_days(roster, days, ndays))
			break;
		PopActiveSnapshot();
	}

	/* First the state with this transaction's changes... */
	after.breaches_only = true;
	after.collation = person_collation(roster);
	find_all(days, ndays, open, open_from, &after);

	/*
	 * ... and, where that shows a breach, the same days without them: a
	 * breach is refused when it is new, or when the cap counts more heads
	 * (days) there than without this transaction (worse()).
	 */
	if (after.breaches.n > 0 || after.duplicates.n > 0 || after.person_breaches.n > 0)
	{
		CheckPass	before = {0};
		int			nfound;
		DateADT    *found_days = days_of(&after.breaches, &after.duplicates,
										 &after.person_breaches, &nfound);
		HTAB	   *index;

		before.breaches_only = false;
		before.collation = after.collation;
		before.wanted_breaches = index_findings(&after.breaches);
		before.wanted_person_breaches = index_findings(&after.person_breaches);
		PushCopiedSnapshot(GetActiveSnapshot());
		GetActiveSnapshot()->curcid = FirstCommandId;
		find_all(found_days, nfound, false, 0, &before);
		PopActiveSnapshot();

		index = index_findings(&before.breaches);
		for (i = 0; i < after.breaches.n; i++)
		{
			const Finding *was = finding_before(index, &after.breaches.items[i]);

			if (worse(&after.breaches.items[i], was))
				refuse_breach(&after.breaches, &after.breaches.items[i], was, trigdata);
		}
		index = index_findings(&before.duplicates);
		for (i = 0; i < after.duplicates.n; i++)
		{
			if (worse(&after.duplicates.items[i], finding_before(index, &after.duplicates.items[i])))
				refuse_duplicate(&after.duplicates, &after.duplicates.items[i], trigdata);
		}
		index = index_findings(&before.person_breaches);
		for (i = 0; i < after.person_breaches.n; i++)
		{
			const Finding *was = finding_before(index, &after.person_breaches.items[i]);

			if (worse(&after.person_breaches.items[i], was))
				refuse_person_breach(&after.person_breaches, &after.person_breaches.items[i],
									 was, trigdata);
		}
	}
	PopActiveSnapshot();
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * hrpolicy.catalog_write_waits(): BEFORE each statement writing a decree, a
 * rule or a circumstance.  Takes the catalog's lock in the mode that waits
 * for every enforcement check in flight (they hold it shared until their
 * transaction ends) and makes the checks that start later wait for this
 * transaction: a cap added while two writers each take the last day of a
 * person's week is either seen by both checks or by neither commit.  Only
 * on the extension's own catalog tables, or any role could stall every
 * enforced writer from a trigger on a table of its own.
 */
Datum
catalog_write_waits(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	const char *name;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hrpolicy.catalog_write_waits() can only be called as a trigger")));
	rel = trigdata->tg_relation;
	name = RelationGetRelationName(rel);
	if (RelationGetNamespace(rel) != get_func_namespace(fcinfo->flinfo->fn_oid) ||
		(strcmp(name, "policy") != 0 && strcmp(name, "rule") != 0 &&
		 strcmp(name, "circumstance") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hrpolicy.catalog_write_waits() runs only on hrpolicy's catalog, not on %s",
						RelationGetRelationName(rel))));
	lock_enforcement(InvalidOid, 0, HRPOLICY_LOCK_CATALOG, ExclusiveLock);
	return PointerGetDatum(NULL);
}

/*
 * hrpolicy.enforce_refuse_truncate(): BEFORE TRUNCATE on an enforced table
 * and each of its partitions.  TRUNCATE writes no rows, so no day would be
 * checked, and emptying one table of a roster can break a cap (its "home"
 * rows leave the base while the office rows of another table stay).
 */
Datum
enforce_refuse_truncate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hrpolicy.enforce_refuse_truncate() can only be called as a trigger")));
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot truncate %s: hrpolicy enforces caps on it",
					quote_qualified_identifier(get_namespace_name(RelationGetNamespace(trigdata->tg_relation)),
											   RelationGetRelationName(trigdata->tg_relation))),
			 errdetail("TRUNCATE removes rows without the checks of hrpolicy.enforce(), and a roster whose other rows stay could break a cap."),
			 errhint("DELETE the rows (each day is checked), or call hrpolicy.unenforce() on the table first."),
			 errtable(trigdata->tg_relation)));
	return PointerGetDatum(NULL);
}
