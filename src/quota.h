/*-------------------------------------------------------------------------
 *
 * quota.h
 *	  hrpolicy.quota: a bound on a tally (<=25%, >=2, ...).
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_QUOTA_H
#define HRPOLICY_QUOTA_H

#include "postgres.h"

#include "fmgr.h"
#include "quota_text.h"

/*
 * The on-disk value: 8 bytes, int4-aligned, passed by reference.  Values are
 * always built zeroed, so the two padding bytes are zero.
 */
typedef QuotaValue Quota;

StaticAssertDecl(sizeof(Quota) == 8, "hrpolicy.quota must be 8 bytes");

#define DatumGetQuotaP(X)		((Quota *) DatumGetPointer(X))
#define QuotaPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_QUOTA_P(n)	DatumGetQuotaP(PG_GETARG_DATUM(n))
#define PG_RETURN_QUOTA_P(x)	return QuotaPGetDatum(x)

/* Does the quota admit part heads out of total?  Exact integer arithmetic. */
extern bool quota_admits(const Quota *quota, int64 part, int64 total);

/*
 * For a cap (<, <=) the most heads admitted out of total; for a minimum or
 * an exact quota (>=, >, =) the fewest required.
 */
extern int64 quota_limit_of(const Quota *quota, int64 total);

/* True for <= and <: quotas that limit how many may come in. */
static inline bool
quota_is_cap(const Quota *quota)
{
	return quota->op == QUOTA_LT || quota->op == QUOTA_LE;
}

/* Canonical text, palloc'd. */
extern char *quota_to_cstring(const Quota *quota);

#endif							/* HRPOLICY_QUOTA_H */
