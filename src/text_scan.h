/*-------------------------------------------------------------------------
 *
 * text_scan.h
 *	  Scanning helpers shared by the text parsers of hrpolicy.quota and
 *	  hrpolicy.tally.
 *
 * Plain C with no server dependency, like the parsers themselves, so that
 * they build and fuzz outside PostgreSQL.  Whitespace is what the C locale
 * calls space, independent of the server's locale.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_TEXT_SCAN_H
#define HRPOLICY_TEXT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The parsers' details are translated where the server reports them
 * (hr_gettext in quota.c and tally.c); this marks them for xgettext.
 */
#ifndef gettext_noop
#define gettext_noop(x) (x)
#endif

static inline bool
scan_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool
scan_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline const char *
scan_skip_spaces(const char *p)
{
	while (scan_is_space(*p))
		p++;
	return p;
}

/*
 * Read the decimal digits at p as an unsigned number.  Returns the position
 * after them, or NULL when p holds no digit.  A number above max sets
 * *overflow and reads as max + 1 (all its digits are consumed all the
 * same), so that a caller's range check refuses it.
 */
static inline const char *
scan_digits(const char *p, uint64_t max, uint64_t *value, bool *overflow)
{
	uint64_t	number = 0;

	*overflow = false;
	if (!scan_is_digit(*p))
		return NULL;
	for (; scan_is_digit(*p); p++)
	{
		unsigned	digit = (unsigned) (*p - '0');

		if (*overflow || number > (max - digit) / 10)
			*overflow = true;
		else
			number = number * 10 + digit;
	}
	*value = *overflow ? max + 1 : number;
	return p;
}

#endif							/* HRPOLICY_TEXT_SCAN_H */
