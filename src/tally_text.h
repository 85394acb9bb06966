/*-------------------------------------------------------------------------
 *
 * tally_text.h
 *	  Text form of hrpolicy.tally ("3/12"): parsing and formatting.
 *
 * Plain C with no server dependency, like quota_text.h, so that the parser
 * can be fuzzed outside PostgreSQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_TALLY_TEXT_H
#define HRPOLICY_TALLY_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* "9223372036854775807/9223372036854775807" and a NUL. */
#define TALLY_TEXT_MAXLEN	44

typedef struct TallyValue
{
	int64_t		part;			/* rows counted */
	int64_t		total;			/* rows in the base */
} TallyValue;

typedef enum TallyTextResult
{
	TALLY_TEXT_OK = 0,
	TALLY_TEXT_SYNTAX,			/* 22P02 invalid_text_representation */
	TALLY_TEXT_RANGE			/* 22003 numeric_value_out_of_range */
} TallyTextResult;

extern TallyTextResult tally_parse(const char *str, TallyValue *result,
								   const char **detail);
extern TallyTextResult tally_validate(const TallyValue *t, const char **detail);
extern void tally_format(const TallyValue *t, char *buf);

#endif							/* HRPOLICY_TALLY_TEXT_H */
