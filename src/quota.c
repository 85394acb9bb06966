/*-------------------------------------------------------------------------
 *
 * quota.c
 *	  hrpolicy.quota: input/output, binary send/recv, comparison, hashing,
 *	  and the exact admission arithmetic.
 *
 * A percent quota p% admits part out of total when part * 100 compares with
 * p * total as the operator says.  With p held in ten-thousandths of a
 * percent (a), that is part * 10^6 against a * total.  Rather than widen to
 * 128 bits we split a * total = floor * 10^6 + remainder, which fits in
 * int64 for every valid a and total, and compare part with floor.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "quota.h"

#define SHARE_DENOMINATOR	INT64CONST(1000000)	/* 100 * QUOTA_PERCENT_SCALE */

PG_FUNCTION_INFO_V1(quota_in);
PG_FUNCTION_INFO_V1(quota_out);
PG_FUNCTION_INFO_V1(quota_recv);
PG_FUNCTION_INFO_V1(quota_send);
PG_FUNCTION_INFO_V1(quota_eq);
PG_FUNCTION_INFO_V1(quota_ne);
PG_FUNCTION_INFO_V1(quota_lt);
PG_FUNCTION_INFO_V1(quota_le);
PG_FUNCTION_INFO_V1(quota_gt);
PG_FUNCTION_INFO_V1(quota_ge);
PG_FUNCTION_INFO_V1(quota_cmp);
PG_FUNCTION_INFO_V1(quota_hash);
PG_FUNCTION_INFO_V1(quota_hash_extended);
PG_FUNCTION_INFO_V1(quota_limit);
PG_FUNCTION_INFO_V1(is_cap);
PG_FUNCTION_INFO_V1(is_percent);

/*
 * Split amount * total / 10^6 into floor and remainder without overflow:
 * total = q * 10^6 + r, so amount * total = amount * q * 10^6 + amount * r.
 * amount <= 10^6 keeps amount * q within int64 for any int64 total >= 0.
 */
static void
share_of(int32 amount, int64 total, int64 *floor_part, int64 *remainder)
{
	int64		q = total / SHARE_DENOMINATOR;
	int64		r = total % SHARE_DENOMINATOR;
	int64		tail = (int64) amount * r;

	Assert(amount >= 0 && amount <= QUOTA_PERCENT_MAX && total >= 0);
	*floor_part = (int64) amount * q + tail / SHARE_DENOMINATOR;
	*remainder = tail % SHARE_DENOMINATOR;
}

bool
quota_admits(const Quota *quota, int64 part, int64 total)
{
	int64		bound;
	int64		remainder = 0;

	if (quota->unit == QUOTA_PERCENT)
	{
		/* A share of nobody: the only possible part, 0, is admitted. */
		if (total == 0)
			return true;
		share_of(quota->amount, total, &bound, &remainder);
	}
	else
		bound = quota->amount;

	/*
	 * part * 10^6 against bound * 10^6 + remainder, with 0 <= remainder <
	 * 10^6; for a count quota the remainder is zero.
	 */
	switch ((QuotaOp) quota->op)
	{
		case QUOTA_LT:
			return part < bound || (part == bound && remainder > 0);
		case QUOTA_LE:
			return part <= bound;
		case QUOTA_EQ:
			return part == bound && remainder == 0;
		case QUOTA_GE:
			return part > bound || (part == bound && remainder == 0);
		case QUOTA_GT:
			return part > bound;
	}
	elog(ERROR, "unrecognized quota operator %d", quota->op);
	pg_unreachable();
}

int64
quota_limit_of(const Quota *quota, int64 total)
{
	int64		bound;
	int64		remainder = 0;

	if (quota->unit == QUOTA_PERCENT)
	{
		if (total == 0)
			return 0;
		share_of(quota->amount, total, &bound, &remainder);
	}
	else
		bound = quota->amount;

	switch ((QuotaOp) quota->op)
	{
		case QUOTA_LT:
			return remainder > 0 ? bound : bound - 1;
		case QUOTA_LE:
			return bound;
		case QUOTA_EQ:
		case QUOTA_GE:
			return remainder > 0 ? bound + 1 : bound;
		case QUOTA_GT:
			return bound + 1;
	}
	elog(ERROR, "unrecognized quota operator %d", quota->op);
	pg_unreachable();
}

char *
quota_to_cstring(const Quota *quota)
{
	char	   *buf = palloc(QUOTA_TEXT_MAXLEN);

	quota_format(quota, buf);
	return buf;
}

Datum
quota_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Quota	   *result = palloc0(sizeof(Quota));
	const char *detail = NULL;

	switch (quota_parse(str, result, &detail))
	{
		case QUOTA_TEXT_OK:
			PG_RETURN_QUOTA_P(result);
		case QUOTA_TEXT_SYNTAX:
			HRP_INPUT_ERROR(fcinfo->context,
							errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							errmsg("invalid input syntax for type %s: \"%s\"",
								   "hrpolicy.quota", str),
							errdetail_internal("%s", hr_gettext(detail)));
		case QUOTA_TEXT_RANGE:
			HRP_INPUT_ERROR(fcinfo->context,
							errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							errmsg("quota \"%s\" is out of range", str),
							errdetail_internal("%s", hr_gettext(detail)));
	}
	pg_unreachable();
}

Datum
quota_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(quota_to_cstring(PG_GETARG_QUOTA_P(0)));
}

/*
 * Binary form: a version byte, the operator byte, the unit byte, then the
 * amount as int32.  Everything is checked as the text input checks it.
 */
Datum
quota_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = receive_buffer(fcinfo, "hrpolicy.quota");
	Quota	   *result = palloc0(sizeof(Quota));
	const char *detail = NULL;
	int			version = pq_getmsgbyte(buf);

	if (version != HRPOLICY_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s",
						version, "hrpolicy.quota"),
				 errdetail("This build reads version %d.",
						   HRPOLICY_BINARY_VERSION)));
	result->op = (uint8) pq_getmsgbyte(buf);
	result->unit = (uint8) pq_getmsgbyte(buf);
	result->amount = pq_getmsgint(buf, 4);

	switch (quota_validate(result, &detail))
	{
		case QUOTA_TEXT_OK:
			break;
		case QUOTA_TEXT_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary value for type %s (operator %d, unit %d, amount %d)",
							"hrpolicy.quota", result->op, result->unit,
							result->amount),
					 errdetail_internal("%s", hr_gettext(detail))));
			break;
		case QUOTA_TEXT_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("binary quota value is out of range (operator %d, unit %d, amount %d)",
							result->op, result->unit, result->amount),
					 errdetail_internal("%s", hr_gettext(detail))));
			break;
	}
	PG_RETURN_QUOTA_P(result);
}

Datum
quota_send(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, HRPOLICY_BINARY_VERSION);
	pq_sendbyte(&buf, quota->op);
	pq_sendbyte(&buf, quota->unit);
	pq_sendint32(&buf, quota->amount);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * A total order for btree: head counts before percentages, then by amount,
 * then by operator.  It has no meaning beyond grouping and indexing.
 */
static int
quota_compare(const Quota *a, const Quota *b)
{
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	return 0;
}

#define QUOTA_COMPARISON(name, test) \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int			c = quota_compare(PG_GETARG_QUOTA_P(0), PG_GETARG_QUOTA_P(1)); \
	PG_RETURN_BOOL(test); \
}

QUOTA_COMPARISON(quota_eq, c == 0)
QUOTA_COMPARISON(quota_ne, c != 0)
QUOTA_COMPARISON(quota_lt, c < 0)
QUOTA_COMPARISON(quota_le, c <= 0)
QUOTA_COMPARISON(quota_gt, c > 0)
QUOTA_COMPARISON(quota_ge, c >= 0)

Datum
quota_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(quota_compare(PG_GETARG_QUOTA_P(0), PG_GETARG_QUOTA_P(1)));
}

/* Hash the fields, never the padding. */
static uint64
quota_key(const Quota *quota)
{
	return ((uint64) quota->unit << 40) | ((uint64) quota->op << 32) |
		(uint32) quota->amount;
}

Datum
quota_hash(PG_FUNCTION_ARGS)
{
	uint64		key = quota_key(PG_GETARG_QUOTA_P(0));

	return hash_any((unsigned char *) &key, sizeof(key));
}

Datum
quota_hash_extended(PG_FUNCTION_ARGS)
{
	uint64		key = quota_key(PG_GETARG_QUOTA_P(0));

	return hash_any_extended((unsigned char *) &key, sizeof(key),
							 PG_GETARG_INT64(1));
}

Datum
quota_limit(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	int64		total = PG_GETARG_INT64(1);

	if (total < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("total %lld is out of range for quota \"%s\"",
						(long long) total, quota_to_cstring(quota)),
				 errdetail("A total is a number of people and cannot be negative.")));
	PG_RETURN_INT64(quota_limit_of(quota, total));
}

/* hrpolicy.is_cap(quota): true for <= and <. */
Datum
is_cap(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_is_cap(PG_GETARG_QUOTA_P(0)));
}

/* hrpolicy.is_percent(quota): true for a share, false for a head count. */
Datum
is_percent(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_QUOTA_P(0)->unit == QUOTA_PERCENT);
}
