/*-------------------------------------------------------------------------
 *
 * enforce.c
 *	  The per-row half of hrpolicy.enforce(): remember which days a
 *	  transaction touched in an enforced table.
 *
 * enforce() puts a deferred constraint trigger on the user's attendance
 * table whose WHEN clause calls enforce_touch() with the row's day(s).  It
 * returns true only for a day the transaction has not touched yet, so a
 * bulk load queues one trigger event per day, not one per row.  At commit
 * the first event to fire takes all pending days of its table at once
 * (enforce_pending_days(), sorted, so that concurrent writers lock days in
 * the same order) and checks them.
 *
 * The set lives in TopTransactionContext.  Each entry remembers the
 * subtransaction that recorded it: when that subtransaction aborts its
 * trigger events are discarded, so its entries must go too, or a later
 * touch of the same day in the parent would queue no event and the day
 * would go unchecked.
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

typedef struct TouchedEntry
{
	TouchedDay	key;			/* must be first */
	SubTransactionId subid;		/* the subtransaction that recorded it */
} TouchedEntry;

static HTAB *touched = NULL;
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
			/* TopTransactionContext goes away with the table. */
			touched = NULL;
			break;
		default:
			break;
	}
}

static void
touched_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS status;
	TouchedEntry *entry;

	if (touched == NULL ||
		(event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB))
		return;

	hash_seq_init(&status, touched);
	while ((entry = (TouchedEntry *) hash_seq_search(&status)) != NULL)
	{
		if (entry->subid != mySubid)
			continue;
		if (event == SUBXACT_EVENT_ABORT_SUB)
			hash_search(touched, &entry->key, HASH_REMOVE, NULL);	/* allowed mid-scan */
		else
			entry->subid = parentSubid;
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

/* Record a day; true when it was not pending yet. */
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

	memset(&key, 0, sizeof(key));
	key.relid = relid;
	key.day = day;
	entry = (TouchedEntry *) hash_search(touched, &key, HASH_ENTER, &found);
	if (!found)
		entry->subid = GetCurrentSubTransactionId();
	return !found;
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
 * stop being pending, so that a later touch queues a new check.
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
		if (entry->key.relid != relid)
			continue;
		days[ndays++] = entry->key.day;
		hash_search(touched, &entry->key, HASH_REMOVE, NULL);
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
