/*-------------------------------------------------------------------------
 *
 * words.c
 *	  The words users type into the catalog and their rosters: an ltree
 *	  label made from a unit's code or name (hrpolicy.label), and the word
 *	  of a list nearest to a misspelt one (hrpolicy.nearest_word, behind the
 *	  hints of hrpolicy.diagnose).
 *
 * A label depends on nothing but its input: not on the server's locale
 * (ltree's own idea of a letter does) nor its encoding, so that the paths
 * a roster builds with it never change under it.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(label);
PG_FUNCTION_INFO_V1(nearest_word);

/* The longest label ltree takes on every supported PostgreSQL version. */
#define LABEL_MAX_LENGTH 255
/* Labels made of a hash: a letter and 8 hex digits. */
#define LABEL_HASH_LENGTH 9

/*
 * Latin letters with diacritics, U+00C0 to U+017F, as the ASCII letters a
 * reader would write without them; "" for the two signs of that block
 * (U+00D7 multiplication, U+00F7 division), which separate words.
 */
static const char *const latin_letters[] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* U+00C0 */
	"e", "e", "e", "e", "i", "i", "i", "i",	/* U+00C8 */
	"d", "n", "o", "o", "o", "o", "o", "",	/* U+00D0 */
	"o", "u", "u", "u", "u", "y", "th", "ss",	/* U+00D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* U+00E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",	/* U+00E8 */
	"d", "n", "o", "o", "o", "o", "o", "",	/* U+00F0 */
	"o", "u", "u", "u", "u", "y", "th", "y",	/* U+00F8 */
	"a", "a", "a", "a", "a", "a", "c", "c",	/* U+0100 */
	"c", "c", "c", "c", "c", "c", "d", "d",	/* U+0108 */
	"d", "d", "e", "e", "e", "e", "e", "e",	/* U+0110 */
	"e", "e", "e", "e", "g", "g", "g", "g",	/* U+0118 */
	"g", "g", "g", "g", "h", "h", "h", "h",	/* U+0120 */
	"i", "i", "i", "i", "i", "i", "i", "i",	/* U+0128 */
	"i", "i", "ij", "ij", "j", "j", "k", "k",	/* U+0130 */
	"k", "l", "l", "l", "l", "l", "l", "l",	/* U+0138 */
	"l", "l", "l", "n", "n", "n", "n", "n",	/* U+0140 */
	"n", "n", "ng", "ng", "o", "o", "o", "o",	/* U+0148 */
	"o", "o", "oe", "oe", "r", "r", "r", "r",	/* U+0150 */
	"r", "r", "s", "s", "s", "s", "s", "s",	/* U+0158 */
	"s", "s", "t", "t", "t", "t", "t", "t",	/* U+0160 */
	"u", "u", "u", "u", "u", "u", "u", "u",	/* U+0168 */
	"u", "u", "u", "u", "w", "w", "y", "y",	/* U+0170 */
	"y", "z", "z", "z", "z", "z", "z", "s",	/* U+0178 */
};

#define LATIN_FIRST 0x00C0
#define LATIN_LAST	0x017F

/* FNV-1a, 32 bits: the same on every platform and release. */
#define FNV_OFFSET 2166136261u

static uint32
fnv1a(uint32 hash, const unsigned char *bytes, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		hash ^= bytes[i];
		hash *= 16777619u;
	}
	return hash;
}

/* A character with no Unicode code point known (a byte of SQL_ASCII). */
#define NO_CODE_POINT ((pg_wchar) 0xFFFFFFFF)

/*
 * The Unicode code point of the character at bytes (of the database
 * encoding), and its width in bytes.  Whatever the encoding, the same
 * character gives the same code point, so that a label never depends on
 * the database it is made in.
 */
static pg_wchar
code_point_at(const unsigned char *bytes, int left, int encoding, Oid to_utf8, int *width)
{
	unsigned char utf8[64];
	int			w;

	if (bytes[0] < 0x80)
	{
		*width = 1;				/* ASCII, in every server encoding */
		return bytes[0];
	}
	if (encoding == PG_UTF8 || encoding == PG_SQL_ASCII)
	{
		/* SQL_ASCII holds any bytes: read them as UTF-8 where they are */
		w = pg_utf_mblen(bytes);
		if (w <= left && pg_utf8_islegal(bytes, w))
		{
			*width = w;
			return utf8_to_unicode(bytes);
		}
		*width = 1;
		return NO_CODE_POINT;
	}
	w = Min(pg_encoding_mblen(encoding, (const char *) bytes), left);
	*width = w;
	if (OidIsValid(to_utf8) &&
		pg_do_encoding_conversion_buf(to_utf8, encoding, PG_UTF8, unconstify(unsigned char *, bytes), w,
									  utf8, sizeof(utf8), true) == w)
		return utf8_to_unicode(utf8);
	return NO_CODE_POINT;
}

/*
 * hrpolicy.label(name text) -> text
 *
 * Letters and digits kept, ASCII letters in lower case and Latin letters
 * with diacritics without them (é -> e, ß -> ss, combining accents
 * dropped); every run of anything else (spaces, dots, hyphens,
 * underscores, other scripts) becomes one '_', none at either end.  So
 * 'PEMKOT-PROBOLINGGO' -> pemkot_probolinggo, '4.01.01' -> 4_01_01,
 * 'Dinas Kesehatan' -> dinas_kesehatan.  A name with no letter or digit
 * left becomes 'u' and 8 hex digits of a hash of its characters; a label
 * longer than ltree takes is cut and ends with '_' and that hash, so that
 * two long names do not meet.  The hash reads code points, not bytes: the
 * same name gives the same label in a database of any encoding.
 */
Datum
label(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	const unsigned char *bytes = (const unsigned char *) VARDATA_ANY(name);
	int			len = VARSIZE_ANY_EXHDR(name);
	int			encoding = GetDatabaseEncoding();
	Oid			to_utf8 = InvalidOid;
	StringInfoData out;
	bool		separate = false;
	uint32		hash = FNV_OFFSET;
	int			i = 0;

	if (encoding != PG_UTF8 && encoding != PG_SQL_ASCII)
		to_utf8 = FindDefaultConversionProc(encoding, PG_UTF8);

	initStringInfo(&out);
	while (i < len)
	{
		int			width;
		pg_wchar	cp = code_point_at(bytes + i, len - i, encoding, to_utf8, &width);
		const char *letters = NULL;
		char		ascii[2] = {0, 0};

		if (cp == NO_CODE_POINT)
		{
			static const unsigned char marker = 0xFF;	/* never in UTF-8 */

			hash = fnv1a(fnv1a(hash, &marker, 1), bytes + i, width);
		}
		else
		{
			unsigned char utf8[8];

			unicode_to_utf8(cp, utf8);
			hash = fnv1a(hash, utf8, pg_utf_mblen(utf8));
		}
		i += width;

		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			ascii[0] = (char) cp;
		else if (cp >= 'A' && cp <= 'Z')
			ascii[0] = (char) (cp - 'A' + 'a');
		if (ascii[0] != '\0')
			letters = ascii;
		else if (cp >= LATIN_FIRST && cp <= LATIN_LAST && latin_letters[cp - LATIN_FIRST][0] != '\0')
			letters = latin_letters[cp - LATIN_FIRST];
		else if (cp >= 0x0300 && cp <= 0x036F)
			continue;			/* a combining accent: part of its letter */

		if (letters == NULL)
			separate = true;
		else
		{
			if (separate && out.len > 0)
				appendStringInfoChar(&out, '_');
			separate = false;
			appendStringInfoString(&out, letters);
		}
	}

	if (out.len == 0)
		appendStringInfo(&out, "u%08x", hash);
	else if (out.len > LABEL_MAX_LENGTH)
	{
		out.len = LABEL_MAX_LENGTH - LABEL_HASH_LENGTH;
		out.data[out.len] = '\0';
		appendStringInfo(&out, "_%08x", hash);
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/*
 * The edit distance (insertions, deletions, substitutions of one
 * character) between a and b, or limit + 1 when it exceeds limit; ASCII
 * letters compare without case.
 */
static int
edit_distance(const pg_wchar *a, int alen, const pg_wchar *b, int blen, int limit)
{
	int		   *row;
	int			i,
				j;
	int			result;

	if (abs(alen - blen) > limit)
		return limit + 1;
	row = palloc((blen + 1) * sizeof(int));
	for (j = 0; j <= blen; j++)
		row[j] = j;
	for (i = 1; i <= alen; i++)
	{
		int			diagonal = row[0];
		int			smallest;
		pg_wchar	ca = a[i - 1];

		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		row[0] = i;
		smallest = row[0];
		for (j = 1; j <= blen; j++)
		{
			pg_wchar	cb = b[j - 1];
			int			above = row[j];
			int			best;

			if (cb >= 'A' && cb <= 'Z')
				cb += 'a' - 'A';
			best = diagonal + (ca == cb ? 0 : 1);
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diagonal = above;
			row[j] = best;
			if (best < smallest)
				smallest = best;
		}
		if (smallest > limit)
		{
			pfree(row);
			return limit + 1;
		}
	}
	result = row[blen];
	pfree(row);
	return result > limit ? limit + 1 : result;
}

/*
 * The value of a Roman numeral of up to 8 letters (I to XXXIX), or 0 when
 * the letters are not one.  Ranks are often written so (eselon II).
 */
static int
roman_value(const char *letters, int len)
{
	static const char *const numerals[] = {
		"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"
	};
	int			tens;

	for (tens = 0; tens <= 3; tens++)
	{
		int			ones;

		for (ones = 0; ones <= 9; ones++)
		{
			char		numeral[16];
			int			n;

			if (tens == 0 && ones == 0)
				continue;
			n = snprintf(numeral, sizeof(numeral), "%.*s%s",
						 tens, "XXX", numerals[ones]);
			if (n == len && pg_strncasecmp(numeral, letters, len) == 0)
				return tens * 10 + ones;
		}
	}
	return 0;
}

static inline bool
ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * The word with each Roman numeral that stands alone between separators
 * written in digits (eselon:II -> eselon:2), or NULL when it has none.
 */
static char *
roman_as_digits(const char *word, int len)
{
	StringInfoData out;
	bool		changed = false;
	int			i = 0;

	initStringInfo(&out);
	while (i < len)
	{
		int			start = i;
		int			value;

		if (!ascii_alnum(word[i]))
		{
			appendStringInfoChar(&out, word[i++]);
			continue;
		}
		while (i < len && ascii_alnum(word[i]))
			i++;
		value = i - start <= 8 ? roman_value(word + start, i - start) : 0;
		if (value > 0)
		{
			appendStringInfo(&out, "%d", value);
			changed = true;
		}
		else
			appendBinaryStringInfo(&out, word + start, i - start);
	}
	if (!changed)
	{
		pfree(out.data);
		return NULL;
	}
	return out.data;
}

/* Whether the bytes hold an ASCII letter. */
static bool
has_letter(const char *word, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if ((word[i] >= 'a' && word[i] <= 'z') || (word[i] >= 'A' && word[i] <= 'Z'))
			return true;
	return false;
}

/* Words longer than this are never compared: no misspelling is that long. */
#define NEAREST_MAX_CHARS 200

static pg_wchar *
to_wchars(const char *bytes, int len, int *nchars)
{
	pg_wchar   *chars = palloc((len + 1) * sizeof(pg_wchar));

	*nchars = pg_mb2wchar_with_len(bytes, chars, len);
	return chars;
}

/*
 * hrpolicy.nearest_word(word text, candidates text[]) -> text
 *
 * A candidate that is word with its Roman numerals in digits (eselon:II,
 * eselon:2), or with its numbers in Roman numerals (eselon:2, eselon:II);
 * else the candidate nearest to word by edit distance (ASCII
 * letters compared without case), when it is near enough to be a
 * misspelling of it: at
 * most one edit for a word of up to 5 characters, two up to 8, a third of
 * its length beyond.  NULL when none is, when word itself is a candidate,
 * or when word is longer than 200 characters.  Ties go to the earlier
 * candidate, so callers list the likelier ones first.  NULL elements are
 * skipped.
 */
Datum
nearest_word(PG_FUNCTION_ARGS)
{
	text	   *word = PG_GETARG_TEXT_PP(0);
	ArrayType  *candidates = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	int			wlen;
	pg_wchar   *wchars;
	int			limit;
	int			best = -1;
	int			best_distance;
	int			i;
	char	   *digits;
	bool		word_has_letter;

	if (ARR_NDIM(candidates) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the candidates of hrpolicy.nearest_word() must be a one-dimensional array")));
	if (ARR_ELEMTYPE(candidates) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the candidates of hrpolicy.nearest_word() must be text")));
	if (pg_mbstrlen_with_len(VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word)) > NEAREST_MAX_CHARS)
		PG_RETURN_NULL();
	wchars = to_wchars(VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word), &wlen);
	limit = wlen <= 5 ? 1 : wlen <= 8 ? 2 : wlen / 3;
	best_distance = limit + 1;

	deconstruct_array(candidates, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);

	/* The word itself is there: nothing is misspelt. */
	for (i = 0; i < count; i++)
		if (!nulls[i] &&
			VARSIZE_ANY_EXHDR(DatumGetTextPP(elems[i])) == VARSIZE_ANY_EXHDR(word) &&
			memcmp(VARDATA_ANY(DatumGetTextPP(elems[i])), VARDATA_ANY(word),
				   VARSIZE_ANY_EXHDR(word)) == 0)
			PG_RETURN_NULL();

	/* A rank in Roman numerals where the candidates write it in digits. */
	digits = roman_as_digits(VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word));
	if (digits != NULL)
	{
		size_t		dlen = strlen(digits);

		for (i = 0; i < count; i++)
			if (!nulls[i] &&
				VARSIZE_ANY_EXHDR(DatumGetTextPP(elems[i])) == dlen &&
				pg_strncasecmp(VARDATA_ANY(DatumGetTextPP(elems[i])), digits, dlen) == 0)
				PG_RETURN_DATUM(elems[i]);
	}

	word_has_letter = has_letter(VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word));
	/*
	 * A rank in digits where a candidate writes it in Roman numerals (a word
	 * with letters besides: 10 is no misspelling of x).
	 */
	for (i = 0; word_has_letter && i < count; i++)
	{
		text	   *candidate;
		char	   *candidate_digits;

		if (nulls[i])
			continue;
		candidate = DatumGetTextPP(elems[i]);
		if (VARSIZE_ANY_EXHDR(candidate) > NEAREST_MAX_CHARS * MAX_MULTIBYTE_CHAR_LEN)
			continue;
		candidate_digits = roman_as_digits(VARDATA_ANY(candidate), VARSIZE_ANY_EXHDR(candidate));
		if (candidate_digits != NULL &&
			strlen(candidate_digits) == VARSIZE_ANY_EXHDR(word) &&
			pg_strncasecmp(candidate_digits, VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word)) == 0)
			PG_RETURN_DATUM(elems[i]);
	}

	for (i = 0; i < count; i++)
	{
		text	   *candidate;
		int			clen;
		pg_wchar   *cchars;
		int			distance;

		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			continue;
		candidate = DatumGetTextPP(elems[i]);
		if (VARSIZE_ANY_EXHDR(candidate) > NEAREST_MAX_CHARS * MAX_MULTIBYTE_CHAR_LEN)
			continue;
		cchars = to_wchars(VARDATA_ANY(candidate), VARSIZE_ANY_EXHDR(candidate), &clen);
		distance = edit_distance(wchars, wlen, cchars, clen, Min(limit, best_distance - 1));
		pfree(cchars);
		if (distance < best_distance)
		{
			best = i;
			best_distance = distance;
			if (distance == 0)
				break;			/* the same word but for case: none nearer */
		}
	}
	if (best < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(elems[best]);
}
