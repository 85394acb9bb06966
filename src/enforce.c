/*-------------------------------------------------------------------------
 *
 * enforce.c
 *	  The per-row half of hrpolicy.enforce(): remember which days a
 *	  transaction touched in an enforced table.
 *
 * enforce() puts a deferred constraint trigger on the user's attendance
 * table whose WHEN clause calls enforce_touch() with the row's day(s).  It
 * returns true only for a day that is not pending yet, so a bulk load
 * queues one trigger event per day, not one per row.  At commit the first
 * event to fire takes all pending days of its table at once
 * (enforce_pending_days(), sorted, so that concurrent writers lock days in
 * the same order) and checks them; a day touched again after its check is
 * pending again and queues a new event.
 *
 * The states live in TopTransactionContext, with a log of the changes made
 * inside subtransactions: a subtransaction that rolls back discards the
 * events it queued and un-fires the events it fired, so its changes are
 * undone with it (days it first touched are forgotten, days it checked
 * are pending again).
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(enforce_touch);
PG_FUNCTION_INFO_V1(enforce_pending_days);

typedef struct TouchedDay
{
	Oid			relid;
	DateADT		day;
} TouchedDay;

/*
 * A day of a table is pending from its first touch until a check takes it,
 * then checked until touched again.  Only a pending day's first touch
 * queues a trigger event (the WHEN clause is true), and every firing event
 * checks all pending days of its table.
 */
typedef enum DayState
{
	DAY_UNTOUCHED = 0,
	DAY_PENDING,
	DAY_CHECKED
} DayState;

typedef struct TouchedEntry
{
	TouchedDay	key;			/* must be first */
	DayState	state;
} TouchedEntry;

/*
 * Changes made inside subtransactions, oldest first, so that a rolled-back
 * subtransaction can put every day back as it was: its trigger events are
 * discarded, and the events it fired are fired again at commit, so the
 * days it checked must be pending again and the days it first touched
 * forgotten.  A committed subtransaction's changes pass to its parent.
 */
typedef struct UndoRecord
{
	TouchedDay	key;
	DayState	previous;
	SubTransactionId subid;
} UndoRecord;

static HTAB *touched = NULL;
static UndoRecord *undo_log = NULL;
static int	undo_count = 0;
static int	undo_size = 0;
static bool callbacks_registered = false;

static void
touched_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			/* TopTransactionContext goes away with the table and the log. */
			touched = NULL;
			undo_log = NULL;
			undo_count = undo_size = 0;
			break;
		default:
			break;
	}
}

/* Set a day's state, logging the change when inside a subtransaction. */
static void
set_day_state(const TouchedDay *key, DayState state)
{
	TouchedEntry *entry;
	bool		found;
	DayState	previous;

	entry = (TouchedEntry *) hash_search(touched, key, HASH_FIND, &found);
	previous = found ? entry->state : DAY_UNTOUCHED;
	if (previous == state)
		return;

	if (GetCurrentTransactionNestLevel() > 1)
	{
		if (undo_count == undo_size)
		{
			int			size = Max(undo_size * 2, 64);

			if (undo_log == NULL)
				undo_log = MemoryContextAlloc(TopTransactionContext, sizeof(UndoRecord) * size);
			else
				undo_log = repalloc(undo_log, sizeof(UndoRecord) * size);
			undo_size = size;
		}
		undo_log[undo_count].key = *key;
		undo_log[undo_count].previous = previous;
		undo_log[undo_count].subid = GetCurrentSubTransactionId();
		undo_count++;
	}

	if (state == DAY_UNTOUCHED)
		hash_search(touched, key, HASH_REMOVE, NULL);
	else
	{
		entry = (TouchedEntry *) hash_search(touched, key, HASH_ENTER, NULL);
		entry->state = state;
	}
}

static void
touched_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	if (touched == NULL)
		return;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		/* Undo this subtransaction's changes (its children's are retagged). */
		while (undo_count > 0 && undo_log[undo_count - 1].subid == mySubid)
		{
			UndoRecord *record = &undo_log[--undo_count];
			TouchedEntry *entry;

			if (record->previous == DAY_UNTOUCHED)
				hash_search(touched, &record->key, HASH_REMOVE, NULL);
			else
			{
				entry = (TouchedEntry *) hash_search(touched, &record->key, HASH_ENTER, NULL);
				entry->state = record->previous;
			}
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		int			i = undo_count;

		/* The parent now answers for these changes. */
		while (i > 0 && undo_log[i - 1].subid == mySubid)
			undo_log[--i].subid = parentSubid;
		/* Changes that reach the top can no longer be undone alone. */
		if (parentSubid == TopSubTransactionId)
			undo_count = i;
	}
}

/* The table's name, schema-qualified and quoted as needed, for messages. */
static const char *
relation_name(Oid relid)
{
	char	   *relname = get_rel_name(relid);

	if (relname == NULL)
		return psprintf("relation with OID %u", relid);
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									  relname);
}

static void
refuse_repeatable_read(Oid relid)
{
	if (XactIsoLevel == XACT_REPEATABLE_READ)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("hrpolicy cannot enforce caps on %s under REPEATABLE READ",
						relation_name(relid)),
				 errdetail("A REPEATABLE READ snapshot cannot see rows that concurrent transactions commit, so the cap check could pass wrongly."),
				 errhint("Write attendance under READ COMMITTED or SERIALIZABLE.")));
}

static TouchedDay
day_key(Oid relid, DateADT day)
{
	TouchedDay	key;

	memset(&key, 0, sizeof(key));	/* the key is hashed as bytes */
	key.relid = relid;
	key.day = day;
	return key;
}

/* Record a touched day; true when it was not pending (a check must be queued). */
static bool
touch_day(Oid relid, DateADT day)
{
	TouchedDay	key;
	TouchedEntry *entry;
	bool		found;

	if (touched == NULL)
	{
		HASHCTL		ctl;

		if (!callbacks_registered)
		{
			RegisterXactCallback(touched_xact_callback, NULL);
			RegisterSubXactCallback(touched_subxact_callback, NULL);
			callbacks_registered = true;
		}
		ctl.keysize = sizeof(TouchedDay);
		ctl.entrysize = sizeof(TouchedEntry);
		ctl.hcxt = TopTransactionContext;
		touched = hash_create("hrpolicy touched days", 64, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}

	key = day_key(relid, day);
	entry = (TouchedEntry *) hash_search(touched, &key, HASH_FIND, &found);
	if (found && entry->state == DAY_PENDING)
		return false;
	set_day_state(&key, DAY_PENDING);
	return true;
}

/*
 * hrpolicy.enforce_touch(relation oid, day date, other_day date) -> bool
 *
 * The WHEN clause of the enforcement triggers: records the row's day (and,
 * for an UPDATE, its old day) and says whether a check must be queued.
 * NULL days are ignored: such rows belong to no day of the roster.
 */
Datum
enforce_touch(PG_FUNCTION_ARGS)
{
	Oid			relid;
	bool		queue = false;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	relid = PG_GETARG_OID(0);
	refuse_repeatable_read(relid);

	for (i = 1; i < PG_NARGS(); i++)
	{
		if (PG_ARGISNULL(i))
			continue;
		if (DATE_NOT_FINITE(PG_GETARG_DATEADT(i)))
			continue;
		if (touch_day(relid, PG_GETARG_DATEADT(i)))
			queue = true;
	}
	PG_RETURN_BOOL(queue);
}

static int
compare_days(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/*
 * hrpolicy.enforce_pending_days(relation oid) -> date[]
 *
 * The days of the table touched since they were last checked, sorted; they
 * become checked, so that a later touch queues a new check.
 */
Datum
enforce_pending_days(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	HASH_SEQ_STATUS status;
	TouchedEntry *entry;
	DateADT    *days;
	Datum	   *elems;
	int			ndays = 0;
	int			i;

	refuse_repeatable_read(relid);
	if (touched == NULL)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(DATEOID));

	days = palloc(sizeof(DateADT) * Max(hash_get_num_entries(touched), 1));
	hash_seq_init(&status, touched);
	while ((entry = (TouchedEntry *) hash_seq_search(&status)) != NULL)
	{
		if (entry->key.relid == relid && entry->state == DAY_PENDING)
			days[ndays++] = entry->key.day;
	}
	/* Mark them checked after the scan: set_day_state may enter entries. */
	for (i = 0; i < ndays; i++)
	{
		TouchedDay	key = day_key(relid, days[i]);

		set_day_state(&key, DAY_CHECKED);
	}
	if (ndays == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(DATEOID));

	qsort(days, ndays, sizeof(DateADT), compare_days);
	elems = palloc(sizeof(Datum) * ndays);
	for (i = 0; i < ndays; i++)
		elems[i] = DateADTGetDatum(days[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, ndays, DATEOID,
										  sizeof(DateADT), true, TYPALIGN_INT));
}
