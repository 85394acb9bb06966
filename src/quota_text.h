/*-------------------------------------------------------------------------
 *
 * quota_text.h
 *	  Text form of hrpolicy.quota: parsing and canonical formatting.
 *
 * This part is plain C with no server dependency, so that the parser can be
 * fuzzed and unit-tested outside PostgreSQL.  quota.c wraps it with ereport.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_QUOTA_TEXT_H
#define HRPOLICY_QUOTA_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Comparison operators, in the order they sort. */
typedef enum QuotaOp
{
	QUOTA_LT = 1,				/* part < bound */
	QUOTA_LE = 2,				/* part <= bound */
	QUOTA_EQ = 3,				/* part = bound */
	QUOTA_GE = 4,				/* part >= bound */
	QUOTA_GT = 5				/* part > bound */
} QuotaOp;

/* What the amount measures. */
typedef enum QuotaUnit
{
	QUOTA_COUNT = 1,			/* a head count */
	QUOTA_PERCENT = 2			/* a share, in ten-thousandths of a percent */
} QuotaUnit;

/*
 * Percentages keep four decimals exactly: 33.33% is stored as 333300, and
 * 100% as QUOTA_PERCENT_SCALE * 100.
 */
#define QUOTA_PERCENT_DECIMALS	4
#define QUOTA_PERCENT_SCALE		10000
#define QUOTA_PERCENT_MAX		(100 * QUOTA_PERCENT_SCALE)

/* Longest canonical text: "<=" + "2147483647" or "100.0000" + "%" + NUL. */
#define QUOTA_TEXT_MAXLEN		16

typedef struct QuotaValue
{
	int32_t		amount;			/* head count, or percent * 10^4 */
	uint8_t		op;				/* QuotaOp */
	uint8_t		unit;			/* QuotaUnit */
} QuotaValue;

/* Outcome of parsing or validating; each maps to one SQLSTATE. */
typedef enum QuotaTextResult
{
	QUOTA_TEXT_OK = 0,
	QUOTA_TEXT_SYNTAX,			/* 22P02 invalid_text_representation */
	QUOTA_TEXT_RANGE			/* 22003 numeric_value_out_of_range */
} QuotaTextResult;

/*
 * Parse a NUL-terminated quota literal.  On failure, *detail points to a
 * static sentence saying what is wrong.
 */
extern QuotaTextResult quota_parse(const char *str, QuotaValue *result,
								   const char **detail);

/*
 * Check a quota built from parts (binary receive, constructors): the same
 * rules the parser applies to the values it reads.
 */
extern QuotaTextResult quota_validate(const QuotaValue *q, const char **detail);

/* Write the canonical text into buf (at least QUOTA_TEXT_MAXLEN bytes). */
extern void quota_format(const QuotaValue *q, char *buf);

/* The operator's canonical symbol, "<=" etc. */
extern const char *quota_op_symbol(QuotaOp op);

#endif							/* HRPOLICY_QUOTA_TEXT_H */
