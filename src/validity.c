/*-------------------------------------------------------------------------
 *
 * validity.c
 *	  hrpolicy.validity: a decree's window in force, a range of dates kept
 *	  in the form decrees are written in, both ends inclusive.
 *
 * PostgreSQL's own daterange canonicalizes to [lower, upper); decrees say
 * "from 24 to 31 March", so our canonical form is [lower, upper] and
 * upper() is the last day in force.  The range machinery (adjacency,
 * union, multiranges, GiST) works through this function, which is why it
 * must agree with itself exactly.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "miscadmin.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/regproc.h"
#include "utils/builtins.h"

#include "text_scan.h"
#include "validity.h"

PG_FUNCTION_INFO_V1(validity_in);
PG_FUNCTION_INFO_V1(validity_canonical);
PG_FUNCTION_INFO_V1(validity_days);
PG_FUNCTION_INFO_V1(validity_working_days);

#if PG_VERSION_NUM >= 160000
#define RANGE_SERIALIZE(typcache, lower, upper, empty, escontext) \
	range_serialize((typcache), (lower), (upper), (empty), (escontext))
#else
#define RANGE_SERIALIZE(typcache, lower, upper, empty, escontext) \
	range_serialize((typcache), (lower), (upper), (empty))
#endif

/*
 * The window [first, last] (both inclusive; first <= last) as a value of
 * the range type validity_type (hrpolicy.validity).
 */
Datum
validity_from_days(Oid validity_type, DateADT first, DateADT last)
{
	TypeCacheEntry *typcache = lookup_type_cache(validity_type, TYPECACHE_RANGE_INFO);
	RangeBound	lower;
	RangeBound	upper;

	if (typcache->rngelemtype == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("type %s is not a range type", format_type_be(validity_type))));
	lower.val = DateADTGetDatum(first);
	lower.infinite = false;
	lower.inclusive = true;
	lower.lower = true;
	upper.val = DateADTGetDatum(last);
	upper.infinite = false;
	upper.inclusive = true;
	upper.lower = false;
	return RangeTypePGetDatum(RANGE_SERIALIZE(typcache, &lower, &upper, false, NULL));
}

static bool
bound_is_finite_date(const RangeBound *bound)
{
	return !bound->infinite && !DATE_NOT_FINITE(DatumGetDateADT(bound->val));
}

/*
 * Move an exclusive bound one day inward and make it inclusive: (a → [a+1,
 * b) → b-1].  Leaves infinite bounds alone.  False when there is no day
 * inward: an exclusive bound at the very end of the date range encloses no
 * valid date on that side, so the window holds no day at all.
 */
static bool
include_bound(RangeBound *bound, int step)
{
	DateADT		day;

	if (bound->inclusive || !bound_is_finite_date(bound))
		return true;
	day = DatumGetDateADT(bound->val) + step;
	if (!IS_VALID_DATE(day))
		return false;
	bound->val = DateADTGetDatum(day);
	bound->inclusive = true;
	return true;
}

Datum
validity_canonical(PG_FUNCTION_ARGS)
{
	RangeType  *range = PG_GETARG_RANGE_P(0);
	TypeCacheEntry *typcache;
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;

	typcache = range_get_typcache(fcinfo, RangeTypeGetOid(range));
	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
		PG_RETURN_RANGE_P(range);

	/* "(24 March, 25 March)" and "[, 4714-11-24 BC)" hold no day at all. */
	if (!include_bound(&lower, 1) || !include_bound(&upper, -1) ||
		(bound_is_finite_date(&lower) && bound_is_finite_date(&upper) &&
		 DatumGetDateADT(lower.val) > DatumGetDateADT(upper.val)))
		PG_RETURN_RANGE_P(make_empty_range(typcache));

	PG_RETURN_RANGE_P(RANGE_SERIALIZE(typcache, &lower, &upper, false,
									  fcinfo->context));
}

/*
 * How people write a window when they do not write a range: "first..last",
 * "first - last", "first to last", "first s/d last" (sampai dengan),
 * "first sampai last".  Longer separators first, so that " - " wins over
 * the hyphens of ISO dates.
 */
static const char *const window_separators[] = {
	"..", " - ", "\xe2\x80\x93", "\xe2\x80\x94", " to ", " until ", " through ",
	" s/d ", " s.d. ", " sd ", " sampai ", " hingga ", " ~ ",
};

static char *
trimmed_copy(const char *start, size_t len)
{
	while (len > 0 && scan_is_space(*start))
	{
		start++;
		len--;
	}
	while (len > 0 && scan_is_space(start[len - 1]))
		len--;
	return pnstrdup(start, len);
}

/* Looks like a date as people type one: digits with -, / or . between. */
static bool
looks_like_date(const char *s)
{
	int			digits = 0;

	for (; *s; s++)
	{
		if (scan_is_digit(*s))
			digits++;
		else if (*s != '-' && *s != '/' && *s != '.')
			return false;
	}
	return digits >= 6;
}

/*
 * Split a window written as two dates with a separator.  An ISO date
 * followed by a hyphen and another ISO date ("2020-04-01-2020-04-21") is
 * split at its eleventh character.
 */
static bool
split_window(const char *input, char **first, char **last)
{
	size_t		i;
	size_t		len = strlen(input);

	for (i = 0; i < lengthof(window_separators); i++)
	{
		const char *at = strstr(input, window_separators[i]);

		if (at != NULL)
		{
			*first = trimmed_copy(input, at - input);
			*last = trimmed_copy(at + strlen(window_separators[i]),
								 len - (at - input) - strlen(window_separators[i]));
			return true;
		}
	}
	if (len >= 21 && input[10] == '-')
	{
		*first = trimmed_copy(input, 10);
		*last = trimmed_copy(input + 11, len - 11);
		if (looks_like_date(*first) && looks_like_date(*last))
			return true;
	}
	return false;
}

/*
 * A date as the server reads it (DateStyle), in ISO form (year first), or
 * the text as it is when it is not one: the hint then shows which day
 * each date means, however it was typed.  Reads with the parser of
 * date_in, which reports errors by code rather than raising them.
 */
static char *
as_iso_date(char *text)
{
	char	   *iso;

	char		workbuf[MAXDATELEN + 1];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	struct pg_tm tt;
	fsec_t		fsec;
	int			tz;
	int			julian;

	if (ParseDateTime(text, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf) != 0)
		return text;
#if PG_VERSION_NUM >= 160000
	{
		DateTimeErrorExtra extra;

		if (DecodeDateTime(field, ftype, nf, &dtype, &tt, &fsec, &tz, &extra) != 0)
			return text;
	}
#else
	if (DecodeDateTime(field, ftype, nf, &dtype, &tt, &fsec, &tz) != 0)
		return text;
#endif
	if (dtype != DTK_DATE || !IS_VALID_JULIAN(tt.tm_year, tt.tm_mon, tt.tm_mday))
		return text;
	julian = date2j(tt.tm_year, tt.tm_mon, tt.tm_mday);
	j2date(julian, &tt.tm_year, &tt.tm_mon, &tt.tm_mday);
	iso = psprintf("%04d-%02d-%02d%s", tt.tm_year > 0 ? tt.tm_year : -(tt.tm_year - 1),
				   tt.tm_mon, tt.tm_mday, tt.tm_year > 0 ? "" : " BC");
	return strcmp(iso, text) == 0 ? text : iso;
}

/* How the server read the dates of a hint it wrote year first. */
static const char *
date_order_note(void)
{
	return DateOrder == DATEORDER_DMY ? " (the dates as DateStyle reads them, day first)"
		: DateOrder == DATEORDER_MDY ? " (the dates as DateStyle reads them, month first)"
		: " (the dates as DateStyle reads them)";
}

/*
 * hrpolicy.validity's input function: PostgreSQL's range input, behind a
 * check that turns the ways people write a window without brackets into
 * an error that shows the range to write instead.  The install script
 * makes it the type's input function (a range type cannot name its own).
 */
Datum
validity_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	Oid			type = PG_GETARG_OID(1);
	const char *start = scan_skip_spaces(input);
	char	   *text;
	char	   *first;
	char	   *last;

	if (type != get_func_rettype(fcinfo->flinfo->fn_oid))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s reads only values of type %s",
						format_procedure(fcinfo->flinfo->fn_oid),
						format_type_be(get_func_rettype(fcinfo->flinfo->fn_oid)))));
	if (*start == '[' || *start == '(' || pg_strncasecmp(start, "empty", 5) == 0)
		return range_in(fcinfo);

	text = trimmed_copy(start, strlen(start));
	if (split_window(text, &first, &last) && first[0] != '\0')
	{
		char	   *iso_first = as_iso_date(first);
		char	   *iso_last = as_iso_date(last);
		const char *read_as = (iso_first != first || iso_last != last) ? date_order_note() : "";

		HRP_INPUT_ERROR(fcinfo->context,
						errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("invalid input syntax for type %s: \"%s\"", "hrpolicy.validity", input),
						errdetail("A window is a range of days in brackets, both days inclusive."),
						last[0] != '\0'
						? errhint("Write '[%s,%s]'%s.", iso_first, iso_last, read_as)
						: errhint("Write '[%s,)' for a window with no last day%s.", iso_first, read_as));
	}
	if (looks_like_date(text))
	{
		char	   *day = as_iso_date(text);
		const char *read_as = day != text ? date_order_note() : "";

		HRP_INPUT_ERROR(fcinfo->context,
						errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("invalid input syntax for type %s: \"%s\"", "hrpolicy.validity", input),
						errdetail("A window is a range of days in brackets, both days inclusive."),
						errhint("Write '[%s,%s]' for that day alone, or '[%s,)' for a window with no last day%s.",
								day, day, day, read_as));
	}
	HRP_INPUT_ERROR(fcinfo->context,
					errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					errmsg("invalid input syntax for type %s: \"%s\"", "hrpolicy.validity", input),
					errdetail("A window is a range of days in brackets, both days inclusive: [2020-03-24,2020-03-31], [2020-03-24,) with no last day, or empty."));
}

/*
 * First and last day of a window, or false when it has no finite end (an
 * open or infinite bound) and so no day count.  Empty windows give
 * first > last.
 */
static bool
validity_days_of(FunctionCallInfo fcinfo, RangeType *range,
				 DateADT *first, DateADT *last)
{
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, RangeTypeGetOid(range));
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;

	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
	{
		*first = 1;
		*last = 0;
		return true;
	}
	if (!bound_is_finite_date(&lower) || !bound_is_finite_date(&upper))
		return false;

	/* Canonical values are inclusive; stay correct for any input anyway. */
	*first = DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	*last = DatumGetDateADT(upper.val) - (upper.inclusive ? 0 : 1);
	return true;
}

/* hrpolicy.days(validity): days in force; NULL when the window is open. */
Datum
validity_days(PG_FUNCTION_ARGS)
{
	DateADT		first;
	DateADT		last;

	if (!validity_days_of(fcinfo, PG_GETARG_RANGE_P(0), &first, &last))
		PG_RETURN_NULL();
	if (first > last)
		PG_RETURN_INT32(0);
	/* Valid dates span fewer than 2^31 days, so this cannot overflow. */
	PG_RETURN_INT32((int32) ((int64) last - first + 1));
}

static bool
is_weekday(DateADT day)
{
	int			dow = j2day(day + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */

	return dow >= 1 && dow <= 5;
}

int
compare_dates(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/*
 * hrpolicy.working_days(validity, holidays date[]): Mondays to Fridays in
 * force, less the holidays that fall on one of them (each counted once).
 * NULL when the window is open.
 */
Datum
validity_working_days(PG_FUNCTION_ARGS)
{
	ArrayType  *holidays = PG_GETARG_ARRAYTYPE_P(1);
	DateADT		first;
	DateADT		last;
	int64		span;
	int64		count;
	int64		rest;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	DateADT    *days;
	int			ndays = 0;
	int			i;

	if (!validity_days_of(fcinfo, PG_GETARG_RANGE_P(0), &first, &last))
		PG_RETURN_NULL();
	if (first > last)
		PG_RETURN_INT32(0);

	span = (int64) last - first + 1;
	count = (span / 7) * 5;
	for (rest = span - span % 7; rest < span; rest++)
		if (is_weekday((DateADT) (first + rest)))
			count++;

	deconstruct_array(holidays, DATEOID, sizeof(DateADT), true,
					  TYPALIGN_INT, &elems, &nulls, &nelems);
	days = palloc(sizeof(DateADT) * Max(nelems, 1));
	for (i = 0; i < nelems; i++)
	{
		DateADT		day;

		if (nulls[i])
			continue;
		day = DatumGetDateADT(elems[i]);
		if (!DATE_NOT_FINITE(day) && day >= first && day <= last &&
			is_weekday(day))
			days[ndays++] = day;
	}
	qsort(days, ndays, sizeof(DateADT), compare_dates);
	for (i = 0; i < ndays; i++)
		if (i == 0 || days[i] != days[i - 1])
			count--;

	PG_RETURN_INT32((int32) count);
}
