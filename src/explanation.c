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
#include "utils/date.h"
#include "utils/datetime.h"

#include "explanation.h"
#include "quota.h"
#include "tally.h"

PG_FUNCTION_INFO_V1(explanation);
PG_FUNCTION_INFO_V1(person_explanation);

/*
 * The statuses and tags of the seeds' decrees, which a translation may
 * put in words ("office" is "hadir di kantor" in Indonesian); any other
 * word of the roster is written as it is.  A word is looked up as gettext
 * looks up a message with a context, "kind\004word"; WORD() marks them
 * for xgettext.
 */
typedef struct KnownWord
{
	const char *word;
	const char *key;
} KnownWord;

#define WORD(kind, word) {word, kind "\004" word}
static const KnownWord known_statuses[] = {
	WORD("status", "office"), WORD("status", "home"), WORD("status", "anywhere"),
	WORD("status", "leave"), WORD("status", "sick"), WORD("status", "duty"),
	WORD("status", "absent")
};
static const KnownWord known_tags[] = {
	WORD("tag", "structural"), WORD("tag", "over55"), WORD("tag", "top2")
};

/* word in the language of lc_messages when it is one of known[] */
static const char *
word_in_language(const char *word, const KnownWord *known, int nknown)
{
	int			i;

	for (i = 0; i < nknown; i++)
	{
		if (strcmp(word, known[i].word) == 0)
		{
			const char *translated = hr_gettext_cached(known[i].key);

			return translated == known[i].key ? word : translated;
		}
	}
	return word;
}

/*
 * The words of a text[], joined by sep; NULL elements left out.  Statuses
 * and tags that the catalogue knows are written in the user's language.
 */
static void
append_words(StringInfo out, ArrayType *words, const char *sep, const char *what)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	bool		first = true;
	bool		statuses = strcmp(what, "counts") == 0;

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
		char	   *word;

		if (nulls[i])
			continue;
		if (!first)
			appendStringInfoString(out, sep);
		word = TextDatumGetCString(elems[i]);
		if (statuses)
			appendStringInfoString(out, word_in_language(word, known_statuses,
														 lengthof(known_statuses)));
		else
			appendStringInfoString(out, word_in_language(word, known_tags,
														 lengthof(known_tags)));
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
				 errmsg("the difference of %lld and %lld is out of range",
						(long long) a, (long long) b)));
	return result;
}

/*
 * The rest of a row's sentence: "; <at most | exactly | at least> <allowed>
 * <allowed | required> by <policy> rule <rule> (<quota>[, from
 * <defined_by>]): <verdict>"; days: the counts are a person's days, not a
 * unit's heads.
 */
static void
append_bound_and_verdict(StringInfo out, const Tally *tally, Quota *quota, const char *policy,
						 const char *rule, const char *defined_by, bool days)
{
	bool		cap = quota_is_cap(quota);
	int64		allowed = quota_limit_of(quota, tally->total);
	bool		ok = quota_admits(quota, tally->part, tally->total);
	const char *from;

	from = strcmp(defined_by, policy) != 0 ? psprintf(hr_gettext_cached(", from %s"), defined_by) : "";
	if (cap)
		/* translator: heads, decree, rule name, quota, ", from <decree>" */
		appendStringInfo(out, hr_gettext_cached("; at most %lld allowed by %s rule %s (%s%s): "),
						 (long long) allowed, policy, rule, quota_to_cstring(quota), from);
	else if (quota->op == QUOTA_EQ)
		appendStringInfo(out, hr_gettext_cached("; exactly %lld required by %s rule %s (%s%s): "),
						 (long long) allowed, policy, rule, quota_to_cstring(quota), from);
	else
		appendStringInfo(out, hr_gettext_cached("; at least %lld required by %s rule %s (%s%s): "),
						 (long long) allowed, policy, rule, quota_to_cstring(quota), from);
	if (ok && cap && days)
		/* translator: the days a person may still spend so under a cap */
		appendStringInfo(out, hr_gettext_cached("ok, %lld more allowed"),
						 (long long) difference(allowed, tally->part));
	else if (ok && cap)
		appendStringInfo(out, hr_gettext_cached("ok, %lld more may come in"),
						 (long long) difference(allowed, tally->part));
	else if (ok)
		appendStringInfoString(out, hr_gettext_cached("ok"));
	else if (tally->part > allowed)
		appendStringInfo(out, hr_gettext_cached("over by %lld"),
						 (long long) difference(tally->part, allowed));
	else if (tally->part < allowed)
		appendStringInfo(out, hr_gettext_cached("short by %lld"),
						 (long long) difference(allowed, tally->part));
	else if (days)
		appendStringInfoString(out, hr_gettext_cached("the share cannot be met exactly with whole days"));
	else
		appendStringInfoString(out, hr_gettext_cached("the share cannot be met exactly with whole heads"));
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
	StringInfoData out;
	StringInfoData who_words;
	StringInfoData unless_words;
	StringInfoData count_words;
	const char *unless_text = "";

	if (tally->total < 0 || tally->part < 0 || tally->part > tally->total)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tally %s is out of range", tally_to_cstring(tally))));

	initStringInfo(&who_words);
	if (has_words(who))
		append_words(&who_words, who, " ", "who");
	initStringInfo(&unless_words);
	if (has_words(unless))
	{
		append_words(&unless_words, unless, ", ", "unless");
		/* translator: the tags a rule exempts, after the group it covers */
		unless_text = psprintf(hr_gettext_cached(" (not %s)"), unless_words.data);
	}
	initStringInfo(&count_words);
	/* translator: joins the statuses a rule counts: "in office or duty" */
	append_words(&count_words, counts, hr_gettext_cached(" or "), "counts");

	initStringInfo(&out);
	if (has_words(who))
		/* translator: part, total, the tags of the group, the exempt, the statuses counted: "2 of 4 structural in office" */
		appendStringInfo(&out, hr_gettext_cached("%lld of %lld %s%s in %s"),
						 (long long) tally->part, (long long) tally->total,
						 who_words.data, unless_text, count_words.data);
	else
		/* translator: part, total, the exempt, the statuses counted: "4 of 12 in office" */
		appendStringInfo(&out, hr_gettext_cached("%lld of %lld%s in %s"),
						 (long long) tally->part, (long long) tally->total,
						 unless_text, count_words.data);
	append_bound_and_verdict(&out, tally, quota, policy, rule, defined_by, false);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/*
 * The months, which a translation may name in its language.
 */
static const KnownWord month_words[] = {
	WORD("month", "January"), WORD("month", "February"), WORD("month", "March"),
	WORD("month", "April"), WORD("month", "May"), WORD("month", "June"),
	WORD("month", "July"), WORD("month", "August"), WORD("month", "September"),
	WORD("month", "October"), WORD("month", "November"), WORD("month", "December")
};

/*
 * The statuses a person-period rule counts, in words ("home or anywhere"),
 * and what the days counted are: in the office when office is among them,
 * away from it when each is home or anywhere, and otherwise days of those
 * statuses (a roster's own words, such as hadir, say nothing of where).
 */
char *
person_count_words(ArrayType *counts, PersonDays *days)
{
	StringInfoData words;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (ARR_NDIM(counts) > 1 || ARR_ELEMTYPE(counts) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the counts of hrpolicy.person_explanation() must be a one-dimensional text[]")));
	initStringInfo(&words);
	append_words(&words, counts, hr_gettext_cached(" or "), "counts");
	deconstruct_array(counts, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	*days = n > 0 ? PERSON_DAYS_AWAY : PERSON_DAYS_WITH_STATUS;
	for (i = 0; i < n; i++)
	{
		char	   *status = nulls[i] ? NULL : TextDatumGetCString(elems[i]);

		if (status != NULL && strcmp(status, "office") == 0)
		{
			*days = PERSON_DAYS_IN_OFFICE;
			break;
		}
		if (status == NULL || (strcmp(status, "home") != 0 && strcmp(status, "anywhere") != 0))
			*days = PERSON_DAYS_WITH_STATUS;
	}
	return words.data;
}

/*
 * The period of a person-period row in words: "in the week of 21 April
 * 2025" (week) or "in April 2025".  The day must start such a period.
 */
char *
person_period_words(bool week, DateADT start)
{
	int			year;
	int			month;
	int			mday;
	const char *month_name;
	const char *era;

	if (DATE_NOT_FINITE(start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a period cannot start at an infinite day")));
	j2date(start + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	if (week ? j2day(start + POSTGRES_EPOCH_JDATE) != 1 : mday != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 week ? errmsg("a person-week period starts on a Monday")
				 : errmsg("a person-month period starts on the first of a month")));

	month_name = word_in_language(month_words[month - 1].word, month_words, lengthof(month_words));
	/* translator: after a year before the common era */
	era = year > 0 ? "" : hr_gettext_cached(" BC");
	if (week)
		/* translator: the day, month and year a week starts on, and " BC" or nothing */
		return psprintf(hr_gettext_cached("in the week of %d %s %d%s"), mday, month_name,
						year > 0 ? year : 1 - year, era);
	/* translator: a month, its year, and " BC" or nothing */
	return psprintf(hr_gettext_cached("in %s %d%s"), month_name,
					year > 0 ? year : 1 - year, era);
}

/*
 * The sentence of a person-period row, from its parts in words (above):
 * "3 of 5 working days away from the office (home or anywhere) in the week
 * of 21 April 2025; at most 2 allowed by PermenPANRB-4/2025 rule
 * fwa-location (<=2): over by 1"; with office among the counts, "4 of 5
 * working days in office in April 2025; ..."; with statuses that are
 * neither, "2 of 5 working days with status hadir in ...".
 */
void
append_person_sentence(StringInfo out, const Tally *tally, Quota *quota, const char *policy,
					   const char *rule, const char *defined_by, const char *count_words,
					   PersonDays days, const char *period_words)
{
	const char *format;

	if (tally->total < 0 || tally->part < 0 || tally->part > tally->total)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tally %s is out of range", tally_to_cstring(tally))));
	switch (days)
	{
		case PERSON_DAYS_IN_OFFICE:
			/* translator: part, total, the statuses counted, the period: "4 of 5 working days in office in the week of 21 April 2025" */
			format = hr_gettext_cached("%lld of %lld working days in %s %s");
			break;
		case PERSON_DAYS_AWAY:
			/* translator: part, total, the statuses counted, the period: "3 of 5 working days away from the office (home) in the week of 21 April 2025" */
			format = hr_gettext_cached("%lld of %lld working days away from the office (%s) %s");
			break;
		default:
			/* translator: part, total, the statuses counted (a roster's own words), the period: "2 of 5 working days with status hadir in the week of 21 April 2025" */
			format = hr_gettext_cached("%lld of %lld working days with status %s %s");
			break;
	}
	appendStringInfo(out, format, (long long) tally->part, (long long) tally->total,
					 count_words, period_words);
	append_bound_and_verdict(out, tally, quota, policy, rule, defined_by, true);
}

/*
 * hrpolicy.person_explanation(tally, quota, policy, rule, defined_by,
 *                             counts text[], per text, first_day date)
 *
 * The sentence of a person-period row (append_person_sentence()).
 */
Datum
person_explanation(PG_FUNCTION_ARGS)
{
	Tally	   *tally = PG_GETARG_TALLY_P(0);
	Quota	   *quota = PG_GETARG_QUOTA_P(1);
	char	   *policy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *rule = text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *defined_by = text_to_cstring(PG_GETARG_TEXT_PP(4));
	ArrayType  *counts = PG_GETARG_ARRAYTYPE_P(5);
	bool		week = person_period_is_week(PG_GETARG_TEXT_PP(6));
	char	   *period_words = person_period_words(week, PG_GETARG_DATEADT(7));
	char	   *count_words;
	PersonDays	days;
	StringInfoData out;

	count_words = person_count_words(counts, &days);
	initStringInfo(&out);
	append_person_sentence(&out, tally, quota, policy, rule, defined_by, count_words, days,
						   period_words);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* Whether a person period is person-week (true) or person-month (false). */
bool
person_period_is_week(const text *per)
{
	int			len = VARSIZE_ANY_EXHDR(per);
	const char *data = VARDATA_ANY(per);

	if (len == 11 && memcmp(data, "person-week", 11) == 0)
		return true;
	if (len == 12 && memcmp(data, "person-month", 12) == 0)
		return false;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("\"%s\" is not a person period", text_to_cstring(per)),
			 errhint("A person period is person-week or person-month.")));
	pg_unreachable();
}
