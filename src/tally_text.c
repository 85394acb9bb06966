/*-------------------------------------------------------------------------
 *
 * tally_text.c
 *	  Parse and format "part/total", without the server.
 *
 * Both numbers are non-negative int64 and part <= total.  Whitespace is
 * free around the numbers and the slash.
 *
 *-------------------------------------------------------------------------
 */
#include "tally_text.h"
#include "text_scan.h"

#include <inttypes.h>
#include <stdio.h>

/*
 * Read an optionally signed decimal integer.  Returns the position after it,
 * or NULL when there are no digits.  *overflow is set when the magnitude
 * does not fit in int64; *negative when a minus sign was read.
 */
static const char *
read_integer(const char *p, int64_t *value, bool *negative, bool *overflow)
{
	uint64_t	magnitude;

	*negative = false;
	if (*p == '-')
	{
		*negative = true;
		p = scan_skip_spaces(p + 1);
	}
	p = scan_digits(p, (uint64_t) INT64_MAX, &magnitude, overflow);
	if (p == NULL)
		return NULL;
	*value = *overflow ? INT64_MAX : (int64_t) magnitude;
	if (*negative)
		*value = -*value;
	return p;
}

TallyTextResult
tally_validate(const TallyValue *t, const char **detail)
{
	if (t->part < 0 || t->total < 0)
	{
		*detail = gettext_noop("The part and the total of a tally cannot be negative.");
		return TALLY_TEXT_RANGE;
	}
	if (t->part > t->total)
	{
		*detail = gettext_noop("The part of a tally cannot exceed its total.");
		return TALLY_TEXT_RANGE;
	}
	return TALLY_TEXT_OK;
}

TallyTextResult
tally_parse(const char *str, TallyValue *result, const char **detail)
{
	const char *p = scan_skip_spaces(str);
	bool		negative;
	bool		overflow;
	bool		any_negative;
	bool		any_overflow;

	if (*p == '\0')
	{
		*detail = gettext_noop("A tally cannot be empty: write part/total, for example 3/12.");
		return TALLY_TEXT_SYNTAX;
	}
	p = read_integer(p, &result->part, &negative, &overflow);
	if (p == NULL)
	{
		*detail = gettext_noop("A tally is written part/total, for example 3/12.");
		return TALLY_TEXT_SYNTAX;
	}
	any_negative = negative;
	any_overflow = overflow;
	p = scan_skip_spaces(p);
	if (*p != '/')
	{
		*detail = gettext_noop("Expected a slash between the part and the total, as in 3/12.");
		return TALLY_TEXT_SYNTAX;
	}
	p = scan_skip_spaces(p + 1);
	p = read_integer(p, &result->total, &negative, &overflow);
	if (p == NULL)
	{
		*detail = gettext_noop("Expected a whole number after the slash, as in 3/12.");
		return TALLY_TEXT_SYNTAX;
	}
	any_negative |= negative;
	any_overflow |= overflow;
	p = scan_skip_spaces(p);
	if (*p != '\0')
	{
		*detail = gettext_noop("Unexpected text after the total: a tally is two whole numbers, part/total.");
		return TALLY_TEXT_SYNTAX;
	}
	if (any_overflow)
	{
		*detail = gettext_noop("The part and the total must be at most 9223372036854775807.");
		return TALLY_TEXT_RANGE;
	}
	if (any_negative)
	{
		*detail = gettext_noop("The part and the total of a tally cannot be negative.");
		return TALLY_TEXT_RANGE;
	}
	return tally_validate(result, detail);
}

void
tally_format(const TallyValue *t, char *buf)
{
	snprintf(buf, TALLY_TEXT_MAXLEN, "%" PRId64 "/%" PRId64, t->part, t->total);
}
