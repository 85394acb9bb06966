/*-------------------------------------------------------------------------
 *
 * quota_text.c
 *	  Parse and format the text form of hrpolicy.quota, without the server.
 *
 * Accepted forms (case-insensitive words, whitespace free around tokens):
 *
 *	  <=25%   <25%   >=2   >2   =100%   <=33.33%
 *	  at most 25%   at least 2   exactly 50%   less than 3   more than 10%
 *	  none (= <=0)   all (= >=100%)
 *
 * A percentage is 0 to 100 with at most four decimals; a head count is a
 * non-negative int32.  Quotas nothing can meet (<0, <0%, >100%) are refused.
 *
 *-------------------------------------------------------------------------
 */
#include "quota_text.h"
#include "text_scan.h"

#include <stdio.h>
#include <string.h>

static char
ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/*
 * If p starts with the word (case-insensitive, not followed by a letter),
 * return the position after it; otherwise NULL.  A space inside the word
 * matches one or more whitespace characters.
 */
static const char *
match_word(const char *p, const char *word)
{
	while (*word)
	{
		if (*word == ' ')
		{
			if (!scan_is_space(*p))
				return NULL;
			p = scan_skip_spaces(p);
			word++;
			continue;
		}
		if (ascii_lower(*p) != *word)
			return NULL;
		p++;
		word++;
	}
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
		return NULL;
	return p;
}

typedef struct OpSpelling
{
	const char *text;
	QuotaOp		op;
	bool		is_word;
} OpSpelling;

/* Longer symbols first, so that "<=" is not read as "<". */
static const OpSpelling op_spellings[] = {
	{"<=", QUOTA_LE, false},
	{">=", QUOTA_GE, false},
	{"<", QUOTA_LT, false},
	{">", QUOTA_GT, false},
	{"=", QUOTA_EQ, false},
	{"at most", QUOTA_LE, true},
	{"at least", QUOTA_GE, true},
	{"exactly", QUOTA_EQ, true},
	{"less than", QUOTA_LT, true},
	{"fewer than", QUOTA_LT, true},
	{"more than", QUOTA_GT, true},
};

const char *
quota_op_symbol(QuotaOp op)
{
	switch (op)
	{
		case QUOTA_LT:
			return "<";
		case QUOTA_LE:
			return "<=";
		case QUOTA_EQ:
			return "=";
		case QUOTA_GE:
			return ">=";
		case QUOTA_GT:
			return ">";
	}
	return "?";
}

QuotaTextResult
quota_validate(const QuotaValue *q, const char **detail)
{
	if (q->op < QUOTA_LT || q->op > QUOTA_GT)
	{
		*detail = gettext_noop("The comparison must be one of <, <=, =, >= or >.");
		return QUOTA_TEXT_SYNTAX;
	}
	if (q->unit != QUOTA_COUNT && q->unit != QUOTA_PERCENT)
	{
		*detail = gettext_noop("The amount must be a head count or a percentage.");
		return QUOTA_TEXT_SYNTAX;
	}
	if (q->amount < 0)
	{
		*detail = gettext_noop("A quota cannot be negative.");
		return QUOTA_TEXT_RANGE;
	}
	if (q->unit == QUOTA_PERCENT && q->amount > QUOTA_PERCENT_MAX)
	{
		*detail = gettext_noop("A percentage must be between 0 and 100.");
		return QUOTA_TEXT_RANGE;
	}
	if (q->op == QUOTA_LT && q->amount == 0)
	{
		*detail = q->unit == QUOTA_PERCENT ?
		/* xgettext:no-c-format */
			gettext_noop("No share is below 0%, so nothing could meet this quota; write <=0% or none.") :
			gettext_noop("No head count is below zero, so nothing could meet this quota; write none.");
		return QUOTA_TEXT_RANGE;
	}
	if (q->op == QUOTA_GT && q->unit == QUOTA_PERCENT &&
		q->amount == QUOTA_PERCENT_MAX)
	{
		/* xgettext:no-c-format */
		*detail = gettext_noop("No share is above 100%, so nothing could meet this quota.");
		return QUOTA_TEXT_RANGE;
	}
	return QUOTA_TEXT_OK;
}

QuotaTextResult
quota_parse(const char *str, QuotaValue *result, const char **detail)
{
	const char *p = scan_skip_spaces(str);
	const char *after;
	bool		found_op = false;
	bool		negative = false;
	bool		overflow;
	bool		has_point = false;
	bool		is_percent = false;
	uint64_t	integer = 0;
	uint64_t	fraction = 0;
	int			decimals = 0;
	size_t		i;

	if (*p == '\0')
	{
		/* xgettext:no-c-format */
		*detail = gettext_noop("A quota cannot be empty: write for example <=25% or at least 2.");
		return QUOTA_TEXT_SYNTAX;
	}

	/* The two quotas spelled as a single word. */
	if ((after = match_word(p, "none")) != NULL && *scan_skip_spaces(after) == '\0')
	{
		result->op = QUOTA_LE;
		result->unit = QUOTA_COUNT;
		result->amount = 0;
		return QUOTA_TEXT_OK;
	}
	if ((after = match_word(p, "all")) != NULL && *scan_skip_spaces(after) == '\0')
	{
		result->op = QUOTA_GE;
		result->unit = QUOTA_PERCENT;
		result->amount = QUOTA_PERCENT_MAX;
		return QUOTA_TEXT_OK;
	}

	for (i = 0; i < sizeof(op_spellings) / sizeof(op_spellings[0]); i++)
	{
		const OpSpelling *s = &op_spellings[i];

		if (s->is_word)
			after = match_word(p, s->text);
		else
			after = strncmp(p, s->text, strlen(s->text)) == 0 ?
				p + strlen(s->text) : NULL;
		if (after != NULL)
		{
			result->op = s->op;
			p = scan_skip_spaces(after);
			found_op = true;
			break;
		}
	}
	if (!found_op)
	{
		*detail = gettext_noop("A quota starts with a comparison: <=, <, >=, >, = or the words at most, at least, exactly, less than, more than; or is none or all.");
		return QUOTA_TEXT_SYNTAX;
	}

	if (*p == '-')
	{
		negative = true;
		p = scan_skip_spaces(p + 1);
	}
	/* Beyond a head count's range, the amount is out of range whatever its unit. */
	p = scan_digits(p, (uint64_t) INT32_MAX, &integer, &overflow);
	if (p == NULL)
	{
		*detail = gettext_noop("Expected a number after the comparison.");
		return QUOTA_TEXT_SYNTAX;
	}
	if (*p == '.')
	{
		has_point = true;
		p++;
		if (!scan_is_digit(*p))
		{
			*detail = gettext_noop("Expected digits after the decimal point.");
			return QUOTA_TEXT_SYNTAX;
		}
		while (scan_is_digit(*p))
		{
			if (decimals < QUOTA_PERCENT_DECIMALS)
				fraction = fraction * 10 + (uint64_t) (*p - '0');
			decimals++;
			p++;
		}
	}
	p = scan_skip_spaces(p);
	if (*p == '%')
	{
		is_percent = true;
		p = scan_skip_spaces(p + 1);
	}
	if (*p != '\0')
	{
		/* xgettext:no-c-format */
		*detail = gettext_noop("Unexpected text after the amount: a quota is a comparison, a number and an optional %.");
		return QUOTA_TEXT_SYNTAX;
	}

	if (is_percent)
	{
		if (decimals > QUOTA_PERCENT_DECIMALS)
		{
			*detail = gettext_noop("A percentage takes at most 4 decimal places.");
			return QUOTA_TEXT_SYNTAX;
		}
		while (decimals < QUOTA_PERCENT_DECIMALS)
		{
			fraction *= 10;
			decimals++;
		}
		if (negative)
		{
			/* -0 too: a sign is refused, as tally refuses -0/5 */
			*detail = gettext_noop("A quota cannot be negative.");
			return QUOTA_TEXT_RANGE;
		}
		if (integer > 100 ||
			integer * QUOTA_PERCENT_SCALE + fraction > QUOTA_PERCENT_MAX)
		{
			*detail = gettext_noop("A percentage must be between 0 and 100.");
			return QUOTA_TEXT_RANGE;
		}
		result->unit = QUOTA_PERCENT;
		result->amount = (int32_t) (integer * QUOTA_PERCENT_SCALE + fraction);
	}
	else
	{
		if (has_point)
		{
			/* xgettext:no-c-format */
		*detail = gettext_noop("A head count must be a whole number; write % for a share.");
			return QUOTA_TEXT_SYNTAX;
		}
		if (negative)
		{
			*detail = gettext_noop("A quota cannot be negative.");
			return QUOTA_TEXT_RANGE;
		}
		if (integer > (uint64_t) INT32_MAX)
		{
			*detail = gettext_noop("A head count must be at most 2147483647.");
			return QUOTA_TEXT_RANGE;
		}
		result->unit = QUOTA_COUNT;
		result->amount = (int32_t) integer;
	}

	return quota_validate(result, detail);
}

void
quota_format(const QuotaValue *q, char *buf)
{
	const char *op = quota_op_symbol((QuotaOp) q->op);

	if (q->unit == QUOTA_PERCENT)
	{
		int			whole = q->amount / QUOTA_PERCENT_SCALE;
		int			frac = q->amount % QUOTA_PERCENT_SCALE;
		int			digits = QUOTA_PERCENT_DECIMALS;

		if (frac == 0)
		{
			snprintf(buf, QUOTA_TEXT_MAXLEN, "%s%d%%", op, whole);
			return;
		}
		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		snprintf(buf, QUOTA_TEXT_MAXLEN, "%s%d.%0*d%%", op, whole, digits, frac);
	}
	else
		snprintf(buf, QUOTA_TEXT_MAXLEN, "%s%d", op, (int) q->amount);
}
