/*-------------------------------------------------------------------------
 *
 * validity.h
 *	  hrpolicy.validity: a decree's window in force, and days.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_VALIDITY_H
#define HRPOLICY_VALIDITY_H

#include "postgres.h"

#include "utils/date.h"

/* qsort() comparator of DateADT values, in calendar order. */
extern int	compare_dates(const void *a, const void *b);

/* The window [first, last], both inclusive, as a hrpolicy.validity. */
extern Datum validity_from_days(Oid validity_type, DateADT first, DateADT last);

#endif							/* HRPOLICY_VALIDITY_H */
