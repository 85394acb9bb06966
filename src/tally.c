/*-------------------------------------------------------------------------
 *
 * tally.c
 *	  hrpolicy.tally: input/output, binary send/recv, equality and hashing,
 *	  addition, the tally() aggregates, and the tally-against-quota tests.
 *
 * The aggregate's state is a tally itself: fixed size, no "internal", so
 * partial states travel between parallel workers (or Citus nodes) as plain
 * values and combine with +.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "quota.h"
#include "tally.h"

PG_FUNCTION_INFO_V1(tally_in);
PG_FUNCTION_INFO_V1(tally_out);
PG_FUNCTION_INFO_V1(tally_recv);
PG_FUNCTION_INFO_V1(tally_send);
PG_FUNCTION_INFO_V1(tally_eq);
PG_FUNCTION_INFO_V1(tally_ne);
PG_FUNCTION_INFO_V1(tally_hash);
PG_FUNCTION_INFO_V1(tally_hash_extended);
PG_FUNCTION_INFO_V1(tally_add);
PG_FUNCTION_INFO_V1(tally_accum);
PG_FUNCTION_INFO_V1(tally_accum_weighted);
PG_FUNCTION_INFO_V1(tally_make);
PG_FUNCTION_INFO_V1(tally_part);
PG_FUNCTION_INFO_V1(tally_total);
PG_FUNCTION_INFO_V1(tally_meets);
PG_FUNCTION_INFO_V1(quota_admits_tally);
PG_FUNCTION_INFO_V1(tally_headroom);

char *
tally_to_cstring(const Tally *tally)
{
	char	   *buf = palloc(TALLY_TEXT_MAXLEN);

	tally_format(tally, buf);
	return buf;
}

void
report_tally_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("hrpolicy.tally out of range"),
			 errdetail("A part or total would exceed 9223372036854775807.")));
}

Datum
tally_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Tally	   *result = palloc(sizeof(Tally));
	const char *detail = NULL;

	switch (tally_parse(str, result, &detail))
	{
		case TALLY_TEXT_OK:
			PG_RETURN_TALLY_P(result);
		case TALLY_TEXT_SYNTAX:
			HRP_INPUT_ERROR(fcinfo->context,
							errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							errmsg("invalid input syntax for type %s: \"%s\"",
								   "hrpolicy.tally", str),
							errdetail_internal("%s", hr_gettext(detail)));
		case TALLY_TEXT_RANGE:
			HRP_INPUT_ERROR(fcinfo->context,
							errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							errmsg("tally \"%s\" is out of range", str),
							errdetail_internal("%s", hr_gettext(detail)));
	}
	pg_unreachable();
}

Datum
tally_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(tally_to_cstring(PG_GETARG_TALLY_P(0)));
}

/* Binary form: a version byte, then part and total as int64. */
Datum
tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = receive_buffer(fcinfo, "hrpolicy.tally");
	Tally	   *result = palloc(sizeof(Tally));
	const char *detail = NULL;
	int			version = pq_getmsgbyte(buf);

	if (version != HRPOLICY_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s",
						version, "hrpolicy.tally"),
				 errdetail("This build reads version %d.",
						   HRPOLICY_BINARY_VERSION)));
	result->part = pq_getmsgint64(buf);
	result->total = pq_getmsgint64(buf);
	if (tally_validate(result, &detail) != TALLY_TEXT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("binary tally value %lld/%lld is out of range",
						(long long) result->part, (long long) result->total),
				 errdetail_internal("%s", hr_gettext(detail))));
	PG_RETURN_TALLY_P(result);
}

Datum
tally_send(PG_FUNCTION_ARGS)
{
	Tally	   *tally = PG_GETARG_TALLY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, HRPOLICY_BINARY_VERSION);
	pq_sendint64(&buf, tally->part);
	pq_sendint64(&buf, tally->total);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Equality is of the pair: 1/2 and 2/4 are different tallies. */
Datum
tally_eq(PG_FUNCTION_ARGS)
{
	Tally	   *a = PG_GETARG_TALLY_P(0);
	Tally	   *b = PG_GETARG_TALLY_P(1);

	PG_RETURN_BOOL(a->part == b->part && a->total == b->total);
}

Datum
tally_ne(PG_FUNCTION_ARGS)
{
	Tally	   *a = PG_GETARG_TALLY_P(0);
	Tally	   *b = PG_GETARG_TALLY_P(1);

	PG_RETURN_BOOL(a->part != b->part || a->total != b->total);
}

Datum
tally_hash(PG_FUNCTION_ARGS)
{
	Tally	   *tally = PG_GETARG_TALLY_P(0);

	return hash_any((unsigned char *) tally, sizeof(Tally));
}

Datum
tally_hash_extended(PG_FUNCTION_ARGS)
{
	Tally	   *tally = PG_GETARG_TALLY_P(0);

	return hash_any_extended((unsigned char *) tally, sizeof(Tally),
							 PG_GETARG_INT64(1));
}

/*
 * The state to update: in an aggregate the first argument is our own
 * working copy and may be changed in place (no palloc per row); anywhere
 * else it is the caller's value and we return a new one.
 */
static Tally *
tally_state(FunctionCallInfo fcinfo)
{
	Tally	   *state = PG_GETARG_TALLY_P(0);
	Tally	   *copy;

	if (AggCheckCallContext(fcinfo, NULL) == AGG_CONTEXT_AGGREGATE)
		return state;
	copy = palloc(sizeof(Tally));
	*copy = *state;
	return copy;
}

/* tally + tally; also the aggregates' combine function. */
Datum
tally_add(PG_FUNCTION_ARGS)
{
	Tally	   *other = PG_GETARG_TALLY_P(1);
	Tally	   *result = tally_state(fcinfo);

	if (pg_add_s64_overflow(result->part, other->part, &result->part) ||
		pg_add_s64_overflow(result->total, other->total, &result->total))
		report_tally_overflow();
	PG_RETURN_TALLY_P(result);
}

/* Transition of tally(bool): NULL rows never reach here (STRICT). */
Datum
tally_accum(PG_FUNCTION_ARGS)
{
	bool		counted = PG_GETARG_BOOL(1);
	Tally	   *result = tally_state(fcinfo);

	if (pg_add_s64_overflow(result->total, 1, &result->total) ||
		pg_add_s64_overflow(result->part, counted ? 1 : 0, &result->part))
		report_tally_overflow();
	PG_RETURN_TALLY_P(result);
}

/*
 * Transition of tally(bool, bigint): each row stands for `heads` people,
 * as when counting rows already grouped with count(*).
 */
Datum
tally_accum_weighted(PG_FUNCTION_ARGS)
{
	bool		counted = PG_GETARG_BOOL(1);
	int64		heads = PG_GETARG_INT64(2);
	Tally	   *result;

	if (heads < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tally weight %lld is out of range", (long long) heads),
				 errdetail("The weight of a row is a number of people and cannot be negative.")));
	result = tally_state(fcinfo);
	if (pg_add_s64_overflow(result->total, heads, &result->total) ||
		pg_add_s64_overflow(result->part, counted ? heads : 0, &result->part))
		report_tally_overflow();
	PG_RETURN_TALLY_P(result);
}

/* hrpolicy.make_tally(part, total) */
Datum
tally_make(PG_FUNCTION_ARGS)
{
	Tally	   *result = palloc(sizeof(Tally));
	const char *detail = NULL;

	result->part = PG_GETARG_INT64(0);
	result->total = PG_GETARG_INT64(1);
	if (tally_validate(result, &detail) != TALLY_TEXT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tally %lld/%lld is out of range",
						(long long) result->part, (long long) result->total),
				 errdetail_internal("%s", hr_gettext(detail))));
	PG_RETURN_TALLY_P(result);
}

Datum
tally_part(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TALLY_P(0)->part);
}

Datum
tally_total(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TALLY_P(0)->total);
}

/* tally <@ quota: the tally meets the quota. */
Datum
tally_meets(PG_FUNCTION_ARGS)
{
	Tally	   *tally = PG_GETARG_TALLY_P(0);
	Quota	   *quota = PG_GETARG_QUOTA_P(1);

	PG_RETURN_BOOL(quota_admits(quota, tally->part, tally->total));
}

/* quota @> tally: the commutator of <@. */
Datum
quota_admits_tally(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	Tally	   *tally = PG_GETARG_TALLY_P(1);

	PG_RETURN_BOOL(quota_admits(quota, tally->part, tally->total));
}

/*
 * hrpolicy.headroom(tally, quota)
 *
 * Under a cap: how many more may come in (negative: over by that many).
 * Under a minimum: how many beyond the minimum are in (negative: short by
 * that many).  Under an exact quota: zero when the part is the required
 * count, else minus the distance to it.
 */
int64
tally_headroom_of(const Tally *tally, const Quota *quota)
{
	int64		limit = quota_limit_of(quota, tally->total);
	int64		result;
	bool		overflow;

	if (quota_is_cap(quota))
		overflow = pg_sub_s64_overflow(limit, tally->part, &result);
	else if (quota->op == QUOTA_EQ)
	{
		overflow = pg_sub_s64_overflow(limit, tally->part, &result);
		if (!overflow && result > 0)
			result = -result;
	}
	else
		overflow = pg_sub_s64_overflow(tally->part, limit, &result);

	if (overflow)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("headroom of tally %s under quota \"%s\" is out of range",
						tally_to_cstring(tally), quota_to_cstring(quota)),
				 errdetail("The difference does not fit in a bigint.")));
	return result;
}

Datum
tally_headroom(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(tally_headroom_of(PG_GETARG_TALLY_P(0), PG_GETARG_QUOTA_P(1)));
}
