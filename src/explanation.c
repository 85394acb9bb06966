/*-------------------------------------------------------------------------
 *
 * explanation.c
 *	  The sentence of a report row: "4 of 12 in office; at most 3 allowed
 *	  by SE-KUPANG/2020 rule wfo-cap (<=25%): over by 1".
 *
 * A report writes one per unit, day and rule, so this is C: the same
 * sentence written by a SQL function cost more than the tally itself once
 * a catalog had dozens of rules.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "quota.h"
#include "tally.h"

PG_FUNCTION_INFO_V1(explanation);

/* The words of a text[], joined by sep; NULL elements left out. */
static void
append_words(StringInfo out, ArrayType *words, const char *sep, const char *what)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	bool		first = true;

	if (ARR_NDIM(words) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the %s of hrpolicy.explanation() must be a one-dimensional array", what)));
	if (ARR_ELEMTYPE(words) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s of hrpolicy.explanation() must be text[]", what)));
	deconstruct_array(words, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			continue;
		if (!first)
			appendStringInfoString(out, sep);
		appendStringInfoString(out, TextDatumGetCString(elems[i]));
		first = false;
	}
}

static bool
has_words(ArrayType *words)
{
	return ArrayGetNItems(ARR_NDIM(words), ARR_DIMS(words)) > 0;
}

static int64
difference(int64 a, int64 b)
{
	int64		result;

	if (pg_sub_s64_overflow(a, b, &result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the difference of " INT64_FORMAT " and " INT64_FORMAT " is out of range", a, b)));
	return result;
}

/*
 * hrpolicy.explanation(tally, quota, policy, rule, defined_by, counts,
 *                      who, unless) -> text
 *
 * "<part> of <total>[ <who>][ (not <unless>)] in <counts>; <at most |
 * exactly | at least> <allowed> <allowed | required> by <policy> rule
 * <rule> (<quota>[, from <defined_by>]): <verdict>", the verdict being
 * "ok, <n> more may come in" (a cap), "ok", "over by <n>", "short by <n>",
 * or, for an exact share that whole heads cannot meet, "the share cannot
 * be met exactly with whole heads".
 */
Datum
explanation(PG_FUNCTION_ARGS)
{
	Tally	   *tally = PG_GETARG_TALLY_P(0);
	Quota	   *quota = PG_GETARG_QUOTA_P(1);
	char	   *policy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *rule = text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *defined_by = text_to_cstring(PG_GETARG_TEXT_PP(4));
	ArrayType  *counts = PG_GETARG_ARRAYTYPE_P(5);
	ArrayType  *who = PG_GETARG_ARRAYTYPE_P(6);
	ArrayType  *unless = PG_GETARG_ARRAYTYPE_P(7);
	bool		cap = quota_is_cap(quota);
	int64		allowed;
	bool		ok;
	StringInfoData out;

	if (tally->total < 0 || tally->part < 0 || tally->part > tally->total)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tally %s is out of range", tally_to_cstring(tally))));
	allowed = quota_limit_of(quota, tally->total);
	ok = quota_admits(quota, tally->part, tally->total);

	initStringInfo(&out);
	appendStringInfo(&out, INT64_FORMAT " of " INT64_FORMAT, tally->part, tally->total);
	if (has_words(who))
	{
		appendStringInfoChar(&out, ' ');
		append_words(&out, who, " ", "who");
	}
	if (has_words(unless))
	{
		appendStringInfoString(&out, " (not ");
		append_words(&out, unless, ", ", "unless");
		appendStringInfoChar(&out, ')');
	}
	appendStringInfoString(&out, " in ");
	append_words(&out, counts, " or ", "counts");
	appendStringInfo(&out, "; %s " INT64_FORMAT " %s by %s rule %s (%s%s%s): ",
					 cap ? "at most" : quota->op == QUOTA_EQ ? "exactly" : "at least",
					 allowed, cap ? "allowed" : "required",
					 policy, rule, quota_to_cstring(quota),
					 strcmp(defined_by, policy) != 0 ? ", from " : "",
					 strcmp(defined_by, policy) != 0 ? defined_by : "");
	if (ok && cap)
		appendStringInfo(&out, "ok, " INT64_FORMAT " more may come in",
						 difference(allowed, tally->part));
	else if (ok)
		appendStringInfoString(&out, "ok");
	else if (tally->part > allowed)
		appendStringInfo(&out, "over by " INT64_FORMAT, difference(tally->part, allowed));
	else if (tally->part < allowed)
		appendStringInfo(&out, "short by " INT64_FORMAT, difference(allowed, tally->part));
	else
		appendStringInfoString(&out, "the share cannot be met exactly with whole heads");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
