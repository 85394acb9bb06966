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

/* qsort() comparator of DateADT values, in calendar order. */
extern int	compare_dates(const void *a, const void *b);

#endif							/* HRPOLICY_VALIDITY_H */
