/*-------------------------------------------------------------------------
 *
 * fuzz_tally.c
 *	  libFuzzer harness for the hrpolicy.tally text parser (src/tally_text.c).
 *
 * 1. Text: the bytes, as a NUL-terminated string ending at the input's last
 *	  byte, are refused with a detail sentence, or accepted as a value that
 *	  validates (0 <= part <= total), whose canonical text "part/total"
 *	  fits TALLY_TEXT_MAXLEN, parses back to the same value and formats to
 *	  itself.  An accepted input also agrees with an independent reading
 *	  by strtoll of its digits.
 *
 * 2. Binary: the first 16 bytes, taken as the two big-endian int64 that
 *	  tally_recv reads, are refused by tally_validate or round-trip
 *	  through the canonical text.
 *
 * Any violation calls abort().
 *
 *-------------------------------------------------------------------------
 */
#include "tally_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fail(const char *what, const char *input, const char *canonical)
{
	fprintf(stderr, "fuzz_tally: %s\n  input:     \"%s\"\n  canonical: \"%s\"\n",
			what, input, canonical ? canonical : "(none)");
	abort();
}

static char *
format_checked(const TallyValue *t, const char *input)
{
	char	   *buf = malloc(TALLY_TEXT_MAXLEN);
	size_t		len;
	size_t		i;
	int			slashes = 0;

	if (buf == NULL)
		abort();
	memset(buf, 0x7f, TALLY_TEXT_MAXLEN);
	tally_format(t, buf);
	len = strnlen(buf, TALLY_TEXT_MAXLEN);
	if (len >= TALLY_TEXT_MAXLEN - 1)
		fail("canonical text fills TALLY_TEXT_MAXLEN (truncated?)", input, NULL);
	for (i = 0; i < len; i++)
	{
		if (buf[i] == '/')
			slashes++;
		else if (buf[i] < '0' || buf[i] > '9')
			fail("canonical text has a character outside 0-9 and /", input, buf);
	}
	if (slashes != 1 || buf[0] == '/' || buf[len - 1] == '/')
		fail("canonical text is not digits/digits", input, buf);
	return buf;
}

static void
check_round_trip(const TallyValue *value, const char *input)
{
	const char *detail = NULL;
	TallyValue	again;
	char	   *canonical;
	char	   *canonical2;

	if (tally_validate(value, &detail) != TALLY_TEXT_OK)
		fail("an accepted value does not validate", input, NULL);
	canonical = format_checked(value, input);
	memset(&again, 0xa5, sizeof(again));
	detail = NULL;
	if (tally_parse(canonical, &again, &detail) != TALLY_TEXT_OK)
		fail(detail ? detail : "canonical text is refused", input, canonical);
	if (again.part != value->part || again.total != value->total)
		fail("canonical text parses to a different value", input, canonical);
	canonical2 = format_checked(&again, input);
	if (strcmp(canonical, canonical2) != 0)
		fail("canonical text is not a fixed point", input, canonical2);
	free(canonical);
	free(canonical2);
}

/*
 * An accepted tally is "[ws] [-[ws]] digits [ws] / [ws] [-[ws]] digits [ws]"
 * and its parts are non-negative, so a minus sign can only precede zero.
 * Read both numbers again with strtoll and compare.
 */
static void
check_against_strtoll(const TallyValue *value, const char *input)
{
	const char *p = input;
	long long	n[2];
	int			i;

	for (i = 0; i < 2; i++)
	{
		char	   *end;

		while (*p && *p != '-' && (*p < '0' || *p > '9'))
			p++;
		if (*p == '-')
		{
			p++;
			while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
				p++;
		}
		errno = 0;
		n[i] = strtoll(p, &end, 10);
		if (end == p || errno != 0)
			fail("accepted, but strtoll cannot read a number", input, NULL);
		p = end;
	}
	if (n[0] != value->part || n[1] != value->total)
		fail("accepted value differs from strtoll's reading", input, NULL);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char	   *str = malloc(size + 1);
	TallyValue	value;
	const char *detail;
	TallyTextResult r;

	if (str == NULL)
		abort();
	memcpy(str, data, size);
	str[size] = '\0';
	memset(&value, 0xa5, sizeof(value));
	detail = NULL;
	r = tally_parse(str, &value, &detail);
	if (r == TALLY_TEXT_OK)
	{
		check_round_trip(&value, str);
		check_against_strtoll(&value, str);
	}
	else if (r != TALLY_TEXT_SYNTAX && r != TALLY_TEXT_RANGE)
		fail("unknown result code", str, NULL);
	else if (detail == NULL || detail[0] == '\0')
		fail("refused without a detail", str, NULL);

	if (size >= 16)
	{
		TallyValue	raw;
		uint64_t	part = 0;
		uint64_t	total = 0;
		int			i;

		for (i = 0; i < 8; i++)
		{
			part = (part << 8) | data[i];
			total = (total << 8) | data[8 + i];
		}
		raw.part = (int64_t) part;
		raw.total = (int64_t) total;
		detail = NULL;
		if (tally_validate(&raw, &detail) == TALLY_TEXT_OK)
			check_round_trip(&raw, "(binary fields)");
		else if (detail == NULL || detail[0] == '\0')
			fail("binary fields refused without a detail", "(binary fields)", NULL);
	}

	free(str);
	return 0;
}
