/*-------------------------------------------------------------------------
 *
 * rule_filters.h
 *	  Rules compiled into bit sets over the tags and statuses they name:
 *	  which rules' base and part a roster row is in, for the aggregates that
 *	  count many rules in one pass (tally_each.c, person_period.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_RULE_FILTERS_H
#define HRPOLICY_RULE_FILTERS_H

#include "access/htup_details.h"
#include "utils/array.h"

/* A set of tags or statuses, as bits over a vocabulary. */
typedef uint64 WordSet;
#define MAX_WORDS 64			/* vocabulary size of one kind, per query */

/*
 * A vocabulary: its words, found through an open-addressing table of
 * VOCABULARY_SLOTS (more than twice MAX_WORDS, so probes stay short).
 */
#define VOCABULARY_SLOTS 256

typedef struct Vocabulary
{
	int			n;
	text	   *words[MAX_WORDS];
	int8		slots[VOCABULARY_SLOTS];	/* word index + 1; 0 = empty */
} Vocabulary;

typedef struct CompiledRule
{
	WordSet		who;			/* tags all required */
	WordSet		unless;			/* tags none allowed */
	WordSet		excused;		/* statuses leaving the base */
	WordSet		counts;			/* statuses counted in the part */
	bool		nobody;			/* a NULL filter: covers no row */
} CompiledRule;

/*
 * Rows fall into few classes: a status and a set of the tags the rules
 * name.  Which rules a class is in the base and in the part of is worked
 * out once per class, as bit sets over the rules (RULE_CHUNK rules a word),
 * and kept in a small direct-mapped cache.
 */
#define RULE_CHUNK 64
#define CLASS_SLOTS 256

typedef struct RowClass
{
	bool		used;
	int			status_bit;		/* -1: a status no rule names */
	WordSet		tags;
} RowClass;

/*
 * The tag sets of the tags arrays rows came with, found again by their
 * bytes: a roster holds a few distinct arrays (a person's tags are the same
 * every day), so that most rows cost a hash and a compare of their array
 * instead of a look-up of every tag.  Arrays longer than TAGS_BYTES are
 * looked up each time.
 */
#define TAGS_SLOTS 256
#define TAGS_BYTES 240

typedef struct TagsSlot
{
	uint32		hash;
	int			len;			/* -1: empty */
	WordSet		tags;
	char		bytes[TAGS_BYTES];
} TagsSlot;

/* The compiled rules of one query; allocate with palloc0. */
typedef struct RuleSet
{
	MemoryContext context;		/* where the set lives */
	int			nrules;
	CompiledRule *rules;
	Vocabulary	tags;
	Vocabulary	statuses;
	int			nchunks;		/* words of a rule bit set */
	RowClass	classes[CLASS_SLOTS];
	uint64	   *class_bits;		/* per slot: base words, then part words */
	TagsSlot   *tags_slots;		/* made on first use */
} RuleSet;

/*
 * Start a rule set of nrules rules, all covering nobody until compiled, in
 * the current memory context (which must outlive it).
 */
extern void rule_set_init(RuleSet *set, int nrules);

/*
 * Compile rule i from a composite whose first four attributes are
 * counts, who, unless and excused (text[]); NULL covers nobody.
 * caller names the SQL function for error messages.
 */
extern void rule_set_compile(RuleSet *set, int i, HeapTupleHeader filter,
							 const char *caller);

/*
 * The rules whose base (words 0 .. nchunks-1) and part (words nchunks ..
 * 2 nchunks - 1) a row of this status and these tags is in.  NULL tags are
 * no tags; status must not be NULL.
 */
extern const uint64 *rule_set_row_bits(RuleSet *set, text *status, ArrayType *tags,
									   const char *caller);

/*
 * The same, with the tags as the datum a tuple holds (maybe with a short
 * header, not detoasted): each distinct array of tags is looked up once.
 * tags_null: no tags.
 */
extern const uint64 *rule_set_datum_bits(RuleSet *set, text *status, Datum tags,
										 bool tags_null, const char *caller);

/* A type of the extension, found beside the function being called. */
extern Oid	type_beside_function(FunctionCallInfo fcinfo, const char *name);

/*
 * The elements of a one-dimensional array of the given type, an argument
 * of caller (named in the errors: 2202E for more dimensions, 42804 for
 * another element type).
 */
extern void array_elements(Datum array_datum, Oid type, const char *what, const char *caller,
						   Datum **elems, bool **nulls, int *n);

#endif							/* HRPOLICY_RULE_FILTERS_H */
