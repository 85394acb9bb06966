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

/* the statuses counted in words; *office: office is one of them */
extern char *person_count_words(ArrayType *counts, bool *office);

/* "in the week of 21 April 2025" or "in April 2025"; ERROR for a day that starts no such period */
extern char *person_period_words(bool week, DateADT start);

/* the whole sentence of a person-period row */
extern void append_person_sentence(StringInfo out, const Tally *tally, Quota *quota,
								   const char *policy, const char *rule,
								   const char *defined_by, const char *count_words,
								   bool office, const char *period_words);

#endif							/* HRPOLICY_EXPLANATION_H */
