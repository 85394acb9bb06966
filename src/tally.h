/*-------------------------------------------------------------------------
 *
 * tally.h
 *	  hrpolicy.tally: part of a total ("3 of 12 in office").
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_TALLY_H
#define HRPOLICY_TALLY_H

#include "postgres.h"

#include "fmgr.h"
#include "pg_compat.h"
#include "tally_text.h"

/* The on-disk value: two int64, double-aligned, passed by reference. */
typedef TallyValue Tally;

StaticAssertDecl(sizeof(Tally) == 16, "hrpolicy.tally must be 16 bytes");

#define DatumGetTallyP(X)		((Tally *) DatumGetPointer(X))
#define TallyPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_TALLY_P(n)	DatumGetTallyP(PG_GETARG_DATUM(n))
#define PG_RETURN_TALLY_P(x)	return TallyPGetDatum(x)

extern char *tally_to_cstring(const Tally *tally);

/*
 * hrpolicy.headroom(): under a cap, how many more may come in; under a
 * minimum, how many beyond it are in; under an exact quota, minus the
 * distance to it.  ERROR 22003 when it does not fit in an int64.
 */
struct QuotaValue;
extern int64 tally_headroom_of(const Tally *tally, const struct QuotaValue *quota);

/* ERROR 22003: a part or total would not fit in an int64. */
pg_noreturn extern void report_tally_overflow(void);

#endif							/* HRPOLICY_TALLY_H */
