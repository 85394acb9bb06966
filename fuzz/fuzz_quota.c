/*-------------------------------------------------------------------------
 *
 * fuzz_quota.c
 *	  libFuzzer harness for the hrpolicy.quota text parser (src/quota_text.c).
 *
 * Two properties, checked on every input:
 *
 * 1. Text: the bytes, read as a NUL-terminated string (the copy ends at
 *	  the input's last byte, so reading past it is an ASan error), are
 *	  either refused with a detail sentence, or accepted as a value that
 *	  validates, whose canonical text fits the documented buffer, has no
 *	  whitespace, parses back to the same value, and formats to itself
 *	  (a fixed point).
 *
 * 2. Binary: the first bytes, taken as the fields quota_recv reads
 *	  (operator byte, unit byte, int32 amount), are either refused by
 *	  quota_validate or give a value whose canonical text parses back to
 *	  it: every value the binary input accepts can be printed and read.
 *
 * Any violation calls abort(), which libFuzzer reports as a crash.
 *
 *-------------------------------------------------------------------------
 */
#include "quota_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fail(const char *what, const char *input, const char *canonical)
{
	fprintf(stderr, "fuzz_quota: %s\n  input:     \"%s\"\n  canonical: \"%s\"\n",
			what, input, canonical ? canonical : "(none)");
	abort();
}

static int
same_quota(const QuotaValue *a, const QuotaValue *b)
{
	return a->op == b->op && a->unit == b->unit && a->amount == b->amount;
}

/*
 * Format q into an exactly QUOTA_TEXT_MAXLEN-byte heap buffer (so that any
 * write past the documented size is an ASan error), and check the text.
 */
static char *
format_checked(const QuotaValue *q, const char *input)
{
	char	   *buf = malloc(QUOTA_TEXT_MAXLEN);
	size_t		len;
	size_t		i;

	if (buf == NULL)
		abort();
	memset(buf, 0x7f, QUOTA_TEXT_MAXLEN);
	quota_format(q, buf);
	len = strnlen(buf, QUOTA_TEXT_MAXLEN);
	if (len == QUOTA_TEXT_MAXLEN)
		fail("canonical text is not NUL-terminated within QUOTA_TEXT_MAXLEN", input, NULL);
	/* snprintf truncation leaves exactly MAXLEN - 1 characters. */
	if (len == QUOTA_TEXT_MAXLEN - 1)
		fail("canonical text may have been truncated", input, buf);
	if (len == 0)
		fail("canonical text is empty", input, buf);
	for (i = 0; i < len; i++)
	{
		char		c = buf[i];

		if (!(c == '<' || c == '>' || c == '=' || c == '%' || c == '.' ||
			  (c >= '0' && c <= '9')))
			fail("canonical text has a character outside <>=%.0-9", input, buf);
	}
	if (strcmp(buf, quota_op_symbol((QuotaOp) q->op)) == 0 ||
		strncmp(buf, quota_op_symbol((QuotaOp) q->op),
				strlen(quota_op_symbol((QuotaOp) q->op))) != 0)
		fail("canonical text does not start with the operator and an amount", input, buf);
	if ((q->unit == QUOTA_PERCENT) != (buf[len - 1] == '%'))
		fail("canonical text's % does not match the unit", input, buf);

	/*
	 * The amount is written the one way: no leading zero (but "0"), and a
	 * percentage's decimals, 1 to 4 of them, without a trailing zero.
	 */
	{
		const char *p = buf + strlen(quota_op_symbol((QuotaOp) q->op));
		const char *point = strchr(p, '.');

		if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
			fail("canonical amount has a leading zero", input, buf);
		if (point != NULL)
		{
			size_t		decimals = strspn(point + 1, "0123456789");

			if (q->unit != QUOTA_PERCENT)
				fail("canonical head count has a decimal point", input, buf);
			if (decimals == 0 || decimals > QUOTA_PERCENT_DECIMALS ||
				point[decimals] == '0' || point[1 + decimals] != '%')
				fail("canonical percentage has 0 or >4 decimals or a trailing zero", input, buf);
		}
	}
	return buf;
}

/* value came from input; its canonical text must read back to it. */
static void
check_round_trip(const QuotaValue *value, const char *input)
{
	const char *detail = NULL;
	QuotaValue	again;
	QuotaTextResult r;
	char	   *canonical;
	char	   *canonical2;

	if (quota_validate(value, &detail) != QUOTA_TEXT_OK)
		fail("an accepted value does not validate", input, NULL);

	canonical = format_checked(value, input);
	memset(&again, 0xa5, sizeof(again));
	detail = NULL;
	r = quota_parse(canonical, &again, &detail);
	if (r != QUOTA_TEXT_OK)
		fail(detail ? detail : "canonical text is refused", input, canonical);
	if (!same_quota(value, &again))
		fail("canonical text parses to a different value", input, canonical);

	canonical2 = format_checked(&again, input);
	if (strcmp(canonical, canonical2) != 0)
		fail("canonical text is not a fixed point", input, canonical2);
	free(canonical);
	free(canonical2);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char	   *str = malloc(size + 1);
	QuotaValue	value;
	const char *detail;
	QuotaTextResult r;

	if (str == NULL)
		abort();

	/* 1. The text form. */
	memcpy(str, data, size);
	str[size] = '\0';
	memset(&value, 0xa5, sizeof(value));
	detail = NULL;
	r = quota_parse(str, &value, &detail);
	if (r == QUOTA_TEXT_OK)
		check_round_trip(&value, str);
	else if (r != QUOTA_TEXT_SYNTAX && r != QUOTA_TEXT_RANGE)
		fail("unknown result code", str, NULL);
	else if (detail == NULL || detail[0] == '\0')
		fail("refused without a detail", str, NULL);

	/* 2. The fields quota_recv reads: operator, unit, amount (big-endian). */
	if (size >= 6)
	{
		QuotaValue	raw;

		raw.op = data[0];
		raw.unit = data[1];
		raw.amount = (int32_t) (((uint32_t) data[2] << 24) |
								((uint32_t) data[3] << 16) |
								((uint32_t) data[4] << 8) |
								(uint32_t) data[5]);
		detail = NULL;
		r = quota_validate(&raw, &detail);
		if (r == QUOTA_TEXT_OK)
			check_round_trip(&raw, "(binary fields)");
		else if (detail == NULL || detail[0] == '\0')
			fail("binary fields refused without a detail", "(binary fields)", NULL);
	}

	free(str);
	return 0;
}
