/*-------------------------------------------------------------------------
 *
 * earlier_releases.c
 *	  C symbols that the frozen install scripts of earlier releases name.
 *
 * ALTER EXTENSION hrpolicy UPDATE starts from an earlier release installed
 * with this library, so every symbol its scripts name must load.  Those of
 * functions this release renamed call the new ones; those of 0.2.0's
 * enforcement, which this library cannot run, refuse writes to the tables
 * it enforced until the extension is updated.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

PG_FUNCTION_INFO_V1(quota_cap);
PG_FUNCTION_INFO_V1(quota_percent_of);
PG_FUNCTION_INFO_V1(enforce_pending_days);
PG_FUNCTION_INFO_V1(enforce_touch);

extern Datum is_cap(PG_FUNCTION_ARGS);
extern Datum is_percent(PG_FUNCTION_ARGS);

/* 0.1.0 and 0.2.0: hrpolicy.is_cap(quota) */
Datum
quota_cap(PG_FUNCTION_ARGS)
{
	return is_cap(fcinfo);
}

/* 0.1.0 and 0.2.0: hrpolicy.is_percent(quota) */
Datum
quota_percent_of(PG_FUNCTION_ARGS)
{
	return is_percent(fcinfo);
}

static void
refuse_earlier_enforcement(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("the enforcement of hrpolicy 0.2.0 cannot run with the library of a later release"),
			 errhint("Run ALTER EXTENSION hrpolicy UPDATE.")));
}

/* 0.2.0: hrpolicy.enforce_pending_days(oid), called by its enforce_check(). */
Datum
enforce_pending_days(PG_FUNCTION_ARGS)
{
	refuse_earlier_enforcement();
	PG_RETURN_NULL();
}

/* 0.2.0: hrpolicy.enforce_touch(oid, date, date), its triggers' WHEN clause. */
Datum
enforce_touch(PG_FUNCTION_ARGS)
{
	refuse_earlier_enforcement();
	PG_RETURN_NULL();
}
