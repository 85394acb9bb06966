/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  Guards of the policy catalog that SQL cannot express: the lock under
 *	  which the amendment graph changes, and the refusal of a DROP
 *	  EXTENSION that would silently take the decrees with it.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/table.h"
#include "access/tableam.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(lock_amendments);
PG_FUNCTION_INFO_V1(keep_decrees);

/* A relation of the extension, found beside the function being called. */
static Oid
catalog_relation(FunctionCallInfo fcinfo, const char *name)
{
	return get_relname_relid(name, get_func_namespace(fcinfo->flinfo->fn_oid));
}

/*
 * hrpolicy.lock_amendments() RETURNS void
 *
 * Serialises the transactions that change the amendment graph, so that
 * two of them cannot close a cycle between them: each checks the graph
 * after the other's commit.  Only a role that may write hrpolicy.policy
 * may take it, so no reader can stall catalog writers.
 */
Datum
lock_amendments(PG_FUNCTION_ARGS)
{
	Oid			policy = catalog_relation(fcinfo, "policy");
	LOCKTAG		tag;

	if (!OidIsValid(policy) ||
		pg_class_aclmask(policy, GetUserId(), ACL_INSERT | ACL_UPDATE | ACL_DELETE,
						 ACLMASK_ANY) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to lock the amendment graph"),
				 errdetail("Only roles that may write hrpolicy.policy take this lock.")));
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, 0, 0, HRPOLICY_LOCK_FIELD4 + HRPOLICY_LOCK_AMENDMENTS);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
	PG_RETURN_VOID();
}

/* Does the relation hold any row, as of now?  The caller holds a lock. */
static bool
holds_rows(Oid relid)
{
	Relation	rel = table_open(relid, NoLock);
	Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
	TableScanDesc scan = table_beginscan(rel, snapshot, 0, NULL);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	bool		found = table_scan_getnextslot(scan, ForwardScanDirection, slot);

	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, NoLock);
	return found;
}

/*
 * hrpolicy.keep_decrees(): an event trigger on DROP EXTENSION.
 *
 * DROP EXTENSION drops the catalog tables with the rows users put in
 * them.  Without CASCADE, PostgreSQL refuses only when objects outside the
 * extension depend on it; the decrees are not objects, so it would drop
 * them silently.  This refuses, for the owner of the extension, a DROP
 * EXTENSION hrpolicy without CASCADE while decrees or circumstances are
 * recorded.  The tables are locked as the drop would lock them, so that no
 * decree can be committed between this check and the drop.
 */
Datum
keep_decrees(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	DropStmt   *stmt;
	ListCell   *cell;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hrpolicy.keep_decrees() can only be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (!IsA(trigdata->parsetree, DropStmt))
		PG_RETURN_VOID();
	stmt = (DropStmt *) trigdata->parsetree;
	if (stmt->removeType != OBJECT_EXTENSION || stmt->behavior == DROP_CASCADE)
		PG_RETURN_VOID();

	foreach(cell, stmt->objects)
	{
		Node	   *name = lfirst(cell);
		Oid			extension;
		Oid			policy;
		Oid			circumstance;

		if (!IsA(name, String) || strcmp(strVal(name), "hrpolicy") != 0)
			continue;
		extension = get_extension_oid("hrpolicy", true);
		/* Let DROP itself refuse a role that does not own the extension. */
		if (!OidIsValid(extension) || !hrp_extension_ownercheck(extension, GetUserId()))
			continue;
		policy = catalog_relation(fcinfo, "policy");
		circumstance = catalog_relation(fcinfo, "circumstance");
		if (OidIsValid(policy))
			LockRelationOid(policy, AccessExclusiveLock);
		if (OidIsValid(circumstance))
			LockRelationOid(circumstance, AccessExclusiveLock);
		if ((OidIsValid(policy) && holds_rows(policy)) ||
			(OidIsValid(circumstance) && holds_rows(circumstance)))
			ereport(ERROR,
					(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
					 errmsg("cannot drop extension hrpolicy while its catalog holds decrees"),
					 errdetail("Dropping the extension drops hrpolicy.policy, hrpolicy.rule and hrpolicy.circumstance with every row in them."),
					 errhint("Save them first (pg_dump --data-only --schema=hrpolicy), then use DROP EXTENSION hrpolicy CASCADE.")));
	}
	PG_RETURN_VOID();
}
