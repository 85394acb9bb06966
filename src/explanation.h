/*-------------------------------------------------------------------------
 *
 * explanation.h
 *	  The sentences of report rows, for C callers that write many.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_EXPLANATION_H
#define HRPOLICY_EXPLANATION_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/date.h"

#include "quota.h"
#include "tally.h"

/* person-week: true, person-month: false; ERROR 22023 for anything else */
extern bool person_period_is_week(const text *per);

/* What the days a person-period rule counts are, for its sentence. */
typedef enum PersonDays
{
	PERSON_DAYS_IN_OFFICE,		/* office is among the statuses counted */
	PERSON_DAYS_AWAY,			/* every status counted is home or anywhere */
	PERSON_DAYS_WITH_STATUS		/* statuses the extension cannot place */
} PersonDays;

/* the statuses counted in words, and what the days counted are */
extern char *person_count_words(ArrayType *counts, PersonDays *days);

/* "in the week of 21 April 2025" or "in April 2025"; ERROR for a day that starts no such period */
extern char *person_period_words(bool week, DateADT start);

/* the whole sentence of a person-period row */
extern void append_person_sentence(StringInfo out, const Tally *tally, Quota *quota,
								   const char *policy, const char *rule,
								   const char *defined_by, const char *count_words,
								   PersonDays days, const char *period_words);

#endif							/* HRPOLICY_EXPLANATION_H */
