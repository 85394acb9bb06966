/*-------------------------------------------------------------------------
 *
 * rule_filters.c
 *	  Rules compiled into bit sets over the tags and statuses they name.
 *
 * Each rule is a filter: a row is in its base when its tags hold every tag
 * of "who" and none of "unless" and its status is not "excused"; it counts
 * in the part when its status is in "counts".  The filters are compiled
 * once per query into bit masks over the tags and statuses they mention,
 * so that a row costs one pass over its tags plus a lookup of its class.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "rule_filters.h"

StaticAssertDecl(MAX_WORDS < 128 && VOCABULARY_SLOTS > 2 * MAX_WORDS,
				 "vocabulary slots hold word indexes as int8");

/* A cheap hash of a word's length and a few of its bytes. */
static inline uint32
word_hash(const char *data, int len)
{
	uint32		h = (uint32) len * 0x9E3779B1u;

	if (len > 0)
	{
		h ^= (uint32) (unsigned char) data[0] * 0x85EBCA77u;
		h ^= (uint32) (unsigned char) data[len - 1] * 0xC2B2AE3Du;
		h ^= (uint32) (unsigned char) data[len / 2] * 0x27D4EB2Fu;
	}
	h ^= h >> 15;
	return h % VOCABULARY_SLOTS;
}

/*
 * A hash of an array of tags, as bytes, for the cache of tag sets: eight
 * bytes at a time, cheaper than hash_bytes() for the few dozen bytes of a
 * row's tags (a collision costs only a look-up).
 */
static inline uint32
tags_hash(const char *data, int len)
{
	uint64		h = (uint64) len * UINT64CONST(0x9E3779B97F4A7C15);
	uint64		word;

	for (; len >= 8; data += 8, len -= 8)
	{
		memcpy(&word, data, 8);
		h = (h ^ word) * UINT64CONST(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	if (len > 0)
	{
		word = 0;
		memcpy(&word, data, len);
		h = (h ^ word) * UINT64CONST(0x94D049BB133111EB);
		h ^= h >> 29;
	}
	return (uint32) (h ^ (h >> 32));
}

static bool
same_text(const text *a, const char *data, int len)
{
	return VARSIZE_ANY_EXHDR(a) == len && memcmp(VARDATA_ANY(a), data, len) == 0;
}

/* The bit of a word, or -1 when the vocabulary does not hold it. */
static int
word_index(const Vocabulary *vocab, const char *data, int len)
{
	uint32		slot = word_hash(data, len);

	while (vocab->slots[slot] != 0)
	{
		int			i = vocab->slots[slot] - 1;

		if (same_text(vocab->words[i], data, len))
			return i;
		slot = (slot + 1) % VOCABULARY_SLOTS;
	}
	return -1;
}

/* Add a word the vocabulary does not hold yet; returns its bit. */
static int
add_word(Vocabulary *vocab, text *word)
{
	uint32		slot = word_hash(VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word));

	while (vocab->slots[slot] != 0)
		slot = (slot + 1) % VOCABULARY_SLOTS;
	vocab->words[vocab->n] = word;
	vocab->slots[slot] = (int8) (vocab->n + 1);
	return vocab->n++;
}

/* The bits of a text[] of words, adding them to the vocabulary. */
static WordSet
compile_words(Vocabulary *vocab, Datum array_datum, bool isnull, const char *field,
			  const char *caller)
{
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			i;
	WordSet		set = 0;

	if (isnull)
		return 0;
	array = DatumGetArrayTypeP(array_datum);
	if (ARR_ELEMTYPE(array) != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s of a filter of %s must be text[]", field, caller)));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	for (i = 0; i < nelems; i++)
	{
		text	   *word;
		int			bit;

		if (nulls[i])
			continue;			/* the catalog refuses NULLs; a NULL matches nothing */
		word = DatumGetTextPP(elems[i]);
		bit = word_index(vocab, VARDATA_ANY(word), VARSIZE_ANY_EXHDR(word));
		if (bit < 0)
		{
			if (vocab->n >= MAX_WORDS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("the rules of the period name more than %d distinct values in %s",
								MAX_WORDS, field),
						 errdetail("%s compiles the rules' tags and statuses into %d-bit sets.",
								   caller, MAX_WORDS)));
			bit = add_word(vocab, (text *) PG_DETOAST_DATUM_COPY(PointerGetDatum(word)));
		}
		set |= UINT64CONST(1) << bit;
	}
	return set;
}

void
rule_set_init(RuleSet *set, int nrules)
{
	int			i;

	set->context = CurrentMemoryContext;
	set->nrules = nrules;
	set->rules = palloc0(sizeof(CompiledRule) * Max(nrules, 1));
	for (i = 0; i < nrules; i++)
		set->rules[i].nobody = true;
	set->nchunks = (nrules + RULE_CHUNK - 1) / RULE_CHUNK;
	set->class_bits = palloc0(sizeof(uint64) * CLASS_SLOTS * 2 * Max(set->nchunks, 1));
}

void
rule_set_compile(RuleSet *set, int i, HeapTupleHeader filter, const char *caller)
{
	CompiledRule *rule = &set->rules[i];
	Datum		field;
	bool		isnull;

	Assert(i >= 0 && i < set->nrules);
	if (filter == NULL)
		return;
	field = GetAttributeByNum(filter, 1, &isnull);
	rule->counts = compile_words(&set->statuses, field, isnull, "counts and excused", caller);
	field = GetAttributeByNum(filter, 2, &isnull);
	rule->who = compile_words(&set->tags, field, isnull, "who and unless", caller);
	field = GetAttributeByNum(filter, 3, &isnull);
	rule->unless = compile_words(&set->tags, field, isnull, "who and unless", caller);
	field = GetAttributeByNum(filter, 4, &isnull);
	rule->excused = compile_words(&set->statuses, field, isnull, "counts and excused", caller);
	rule->nobody = false;
}

/* The bit sets of a row class: from the cache, or worked out and cached. */
static const uint64 *
row_class_bits(RuleSet *set, int status_bit, WordSet row_tags)
{
	uint32		slot = (uint32) ((row_tags * UINT64CONST(0x9E3779B97F4A7C15)) >> 40);
	RowClass   *class;
	uint64	   *bits;
	WordSet		status_set = status_bit >= 0 ? UINT64CONST(1) << status_bit : 0;
	int			i;

	slot = (slot ^ (uint32) (status_bit + 1) * 2654435761u) % CLASS_SLOTS;
	class = &set->classes[slot];
	bits = set->class_bits + (Size) slot * 2 * set->nchunks;
	if (class->used && class->status_bit == status_bit && class->tags == row_tags)
		return bits;

	memset(bits, 0, sizeof(uint64) * 2 * set->nchunks);
	for (i = 0; i < set->nrules; i++)
	{
		const CompiledRule *rule = &set->rules[i];

		if (rule->nobody ||
			(row_tags & rule->who) != rule->who ||
			(row_tags & rule->unless) != 0 ||
			(status_set & rule->excused) != 0)
			continue;
		bits[i / RULE_CHUNK] |= UINT64CONST(1) << (i % RULE_CHUNK);
		if (status_set & rule->counts)
			bits[set->nchunks + i / RULE_CHUNK] |= UINT64CONST(1) << (i % RULE_CHUNK);
	}
	class->used = true;
	class->status_bit = status_bit;
	class->tags = row_tags;
	return bits;
}

/* The tags the rules name among an array of tags. */
static WordSet
tag_set(RuleSet *set, ArrayType *tags, const char *caller)
{
	WordSet		row_tags = 0;

	if (tags != NULL && set->tags.n > 0)
	{
		array_iter	iter;
		int			ntags = ArrayGetNItems(ARR_NDIM(tags), ARR_DIMS(tags));
		int			i;

		if (ARR_ELEMTYPE(tags) != TEXTOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the tags of %s must be text[]", caller)));
		array_iter_setup(&iter, (AnyArrayType *) tags);
		for (i = 0; i < ntags; i++)
		{
			bool		isnull;
			Datum		tag = array_iter_next(&iter, &isnull, i, -1, false, TYPALIGN_INT);
			int			bit;

			if (isnull)
				continue;
			bit = word_index(&set->tags, VARDATA_ANY(DatumGetPointer(tag)),
							 VARSIZE_ANY_EXHDR(DatumGetPointer(tag)));
			if (bit >= 0)
				row_tags |= UINT64CONST(1) << bit;
		}
	}
	return row_tags;
}

const uint64 *
rule_set_row_bits(RuleSet *set, text *status, ArrayType *tags, const char *caller)
{
	int			status_bit;

	status_bit = word_index(&set->statuses, VARDATA_ANY(status), VARSIZE_ANY_EXHDR(status));
	return row_class_bits(set, status_bit, tag_set(set, tags, caller));
}

const uint64 *
rule_set_datum_bits(RuleSet *set, text *status, Datum tags, bool tags_null,
					const char *caller)
{
	int			status_bit;
	WordSet		row_tags = 0;

	status_bit = word_index(&set->statuses, VARDATA_ANY(status), VARSIZE_ANY_EXHDR(status));
	if (!tags_null && set->tags.n > 0)
	{
		struct varlena *raw = (struct varlena *) DatumGetPointer(tags);

		if (VARATT_IS_EXTERNAL(raw) || VARATT_IS_COMPRESSED(raw) ||
			VARSIZE_ANY_EXHDR(raw) > TAGS_BYTES)
			row_tags = tag_set(set, DatumGetArrayTypeP(tags), caller);
		else
		{
			const char *bytes = VARDATA_ANY(raw);
			int			len = VARSIZE_ANY_EXHDR(raw);
			uint32		hash = tags_hash(bytes, len);
			TagsSlot   *slot;

			if (set->tags_slots == NULL)
			{
				int			i;

				set->tags_slots = MemoryContextAlloc(set->context,
													 sizeof(TagsSlot) * TAGS_SLOTS);
				for (i = 0; i < TAGS_SLOTS; i++)
					set->tags_slots[i].len = -1;
			}
			slot = &set->tags_slots[hash % TAGS_SLOTS];
			if (slot->len == len && slot->hash == hash && memcmp(slot->bytes, bytes, len) == 0)
				row_tags = slot->tags;
			else
			{
				row_tags = tag_set(set, DatumGetArrayTypeP(tags), caller);
				/* kept only once looked up without error */
				slot->hash = hash;
				slot->len = len;
				slot->tags = row_tags;
				memcpy(slot->bytes, bytes, len);
			}
		}
	}
	return row_class_bits(set, status_bit, row_tags);
}

/* A type of the extension, found beside the function being called. */
Oid
type_beside_function(FunctionCallInfo fcinfo, const char *name)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									   CStringGetDatum(name),
									   ObjectIdGetDatum(namespace));

	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type \"%s\" of hrpolicy was not found beside function %s",
						name, format_procedure(fcinfo->flinfo->fn_oid))));
	return type;
}

void
array_elements(Datum array_datum, Oid type, const char *what, const char *caller,
			   Datum **elems, bool **nulls, int *n)
{
	ArrayType  *array = DatumGetArrayTypeP(array_datum);
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the %s of %s must be a one-dimensional array", what, caller)));
	if (ARR_ELEMTYPE(array) != type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s of %s must be of type %s[], not %s[]", what, caller,
						format_type_be(type), format_type_be(ARR_ELEMTYPE(array)))));
	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	deconstruct_array(array, type, typlen, typbyval, typalign, elems, nulls, n);
}
