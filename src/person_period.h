/*-------------------------------------------------------------------------
 *
 * person_period.h
 *	  The weeks and months of person-period rules.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_PERSON_PERIOD_H
#define HRPOLICY_PERSON_PERIOD_H

#include "postgres.h"

#include "utils/date.h"

/*
 * The last day of the ISO week (week) or calendar month that starts on a
 * day; DATEVAL_NOEND past the last day PostgreSQL knows.
 */
extern DateADT person_period_last(bool week, DateADT first);

#endif							/* HRPOLICY_PERSON_PERIOD_H */
