/*-------------------------------------------------------------------------
 *
 * resolution.c
 *	  The amendment graph of the policy catalog: which decrees a decree
 *	  carries through its amendments, and at what distance (resolution);
 *	  and whether a decree would amend itself (the catalog's cycle check).
 *
 * A decree carries the rules of every decree it amends, recursively, and
 * an amender nearer to it overrides a farther one by name: resolution
 * needs, for each decree in force, every decree it reaches through
 * "amends" with its shortest distance.  Walking every path in SQL
 * (WITH RECURSIVE carrying the path) is exponential in a graph where each
 * decree amends all earlier ones, and even a recursive UNION pays a query
 * step per level of a long chain.  Here the walk is breadth-first in
 * memory with a visited mark, and each decree it reaches is read once,
 * through the primary key of hrpolicy.policy: a walk is linear in the
 * decrees and amendments it reaches.
 *
 * The reads go through the index directly, so the caller's SELECT right on
 * hrpolicy.policy is checked here, as a query would check it.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"
#include "utils/rangetypes.h"
#include "utils/date.h"
#include "executor/spi.h"
#include "parser/parse_func.h"
#include "nodes/makefuncs.h"
#include "access/relscan.h"

PG_FUNCTION_INFO_V1(amendment_lineage);
PG_FUNCTION_INFO_V1(amendment_cycle);

/* One decree of the graph: its code and the decrees it amends. */
typedef struct Decree
{
	char	   *code;
	bool		read;			/* its row has been looked up */
	bool		exists;			/* ... and found */
	int			namends;
	int		   *amends;			/* positions in the graph */
	int			seen;			/* the walk that last reached it */
	int			depth;
	int			parent;			/* the decree it was reached from, or -1 */
	bool		walked;			/* a walk started from it */
} Decree;

typedef struct CodeEntry
{
	char	   *code;			/* hash key: a pointer to the code */
	int			position;
} CodeEntry;

typedef struct Graph
{
	Relation	policy;
	Relation	primary_key;
	AttrNumber	amends_attnum;
	Snapshot	snapshot;
	int			ndecrees;
	int			allocated;
	Decree	   *decrees;
	HTAB	   *index;			/* code -> position in decrees */
} Graph;

/* The index is keyed by a pointer to the code: codes have no length limit. */
static uint32
code_hash(const void *key, Size keysize)
{
	const char *code = *(char *const *) key;

	return hash_bytes((const unsigned char *) code, strlen(code));
}

static int
code_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(char *const *) key1, *(char *const *) key2);
}

/* The position of a decree, added unread when new. */
static int
decree_position(Graph *graph, const char *code)
{
	CodeEntry  *entry;
	bool		found;
	char	   *copy;

	entry = (CodeEntry *) hash_search(graph->index, &code, HASH_FIND, NULL);
	if (entry != NULL)
		return entry->position;

	if (graph->ndecrees == graph->allocated)
	{
		graph->allocated *= 2;
		graph->decrees = repalloc(graph->decrees, sizeof(Decree) * graph->allocated);
	}
	copy = pstrdup(code);
	memset(&graph->decrees[graph->ndecrees], 0, sizeof(Decree));
	graph->decrees[graph->ndecrees].code = copy;
	graph->decrees[graph->ndecrees].seen = -1;
	entry = (CodeEntry *) hash_search(graph->index, &copy, HASH_ENTER, &found);
	entry->position = graph->ndecrees;
	return graph->ndecrees++;
}

/* Look a decree up by its code and learn what it amends. */
static void
read_decree(Graph *graph, int position)
{
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	Datum		code = CStringGetTextDatum(graph->decrees[position].code);

	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   graph->primary_key->rd_indcollation[0], F_TEXTEQ, code);
	scan = systable_beginscan(graph->policy, RelationGetRelid(graph->primary_key), true,
							  graph->snapshot, 1, &key);
	tuple = systable_getnext(scan);
	graph->decrees[position].read = true;
	if (HeapTupleIsValid(tuple))
	{
		bool		isnull;
		Datum		amends = heap_getattr(tuple, graph->amends_attnum,
										  RelationGetDescr(graph->policy), &isnull);

		graph->decrees[position].exists = true;
		if (!isnull)
		{
			Datum	   *elems;
			bool	   *nulls;
			int			nelems;
			int		   *targets;
			int			n = 0;
			int			k;

			deconstruct_array(DatumGetArrayTypePCopy(amends), TEXTOID, -1, false,
							  TYPALIGN_INT, &elems, &nulls, &nelems);
			targets = palloc(sizeof(int) * Max(nelems, 1));
			for (k = 0; k < nelems; k++)
				if (!nulls[k])
					targets[n++] = decree_position(graph, TextDatumGetCString(elems[k]));
			/* decree_position may have moved the array: index it afresh */
			graph->decrees[position].amends = targets;
			graph->decrees[position].namends = n;
		}
	}
	systable_endscan(scan);
}

static Graph *
open_graph(FunctionCallInfo fcinfo)
{
	Graph	   *graph = palloc0(sizeof(Graph));
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			policy = get_relname_relid("policy", namespace);
	AclResult	acl;
	Oid			primary_key;
	HASHCTL		ctl;

	if (!OidIsValid(policy))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"hrpolicy.policy\" does not exist")));
	acl = pg_class_aclcheck(policy, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, "policy");

	graph->policy = table_open(policy, AccessShareLock);
	primary_key = hrp_primary_key_index(graph->policy);
	if (!OidIsValid(primary_key))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("hrpolicy.policy has no primary key")));
	graph->primary_key = index_open(primary_key, AccessShareLock);
	graph->amends_attnum = get_attnum(policy, "amends");
	if (graph->amends_attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("hrpolicy.policy has no column \"amends\"")));
	graph->snapshot = GetActiveSnapshot();

	graph->allocated = 64;
	graph->decrees = palloc(sizeof(Decree) * graph->allocated);
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(CodeEntry);
	ctl.hash = code_hash;
	ctl.match = code_match;
	ctl.hcxt = CurrentMemoryContext;
	graph->index = hash_create("hrpolicy amendment graph", 64, &ctl,
							   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	return graph;
}

static void
close_graph(Graph *graph)
{
	index_close(graph->primary_key, AccessShareLock);
	table_close(graph->policy, AccessShareLock);
}

/*
 * Breadth-first walk from start through "amends": every existing decree
 * reached gets its depth and parent, marked with the walk's number.
 * Returns the positions reached (start first) and their count.
 */
static int *
walk(Graph *graph, int start, int walk_number, int *nreached)
{
	int			size = 64;
	int		   *queue = palloc(sizeof(int) * size);
	int			head = 0;
	int			tail = 0;

	graph->decrees[start].seen = walk_number;
	graph->decrees[start].depth = 0;
	graph->decrees[start].parent = -1;
	queue[tail++] = start;
	while (head < tail)
	{
		int			current = queue[head++];
		int			k;

		CHECK_FOR_INTERRUPTS();
		if (!graph->decrees[current].read)
			read_decree(graph, current);
		for (k = 0; k < graph->decrees[current].namends; k++)
		{
			int			next = graph->decrees[current].amends[k];
			Decree	   *amended;

			if (!graph->decrees[next].read)
				read_decree(graph, next);
			amended = &graph->decrees[next];
			/* an unknown code (a deferred reference) amends nothing yet */
			if (!amended->exists || amended->seen == walk_number)
				continue;
			amended->seen = walk_number;
			amended->depth = graph->decrees[current].depth + 1;
			amended->parent = current;
			if (tail == size)
			{
				size *= 2;
				queue = repalloc(queue, sizeof(int) * size);
			}
			queue[tail++] = next;
		}
	}
	*nreached = tail;
	return queue;
}

/*
 * hrpolicy.amendment_lineage(codes text[])
 *   RETURNS TABLE (root text, ancestor text, depth integer)
 *
 * For each code (NULLs, repeats and unknown codes give nothing), itself at
 * depth 0 and every decree it amends, directly or through others, at its
 * shortest distance.
 */
Datum
amendment_lineage(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *roots = PG_GETARG_ARRAYTYPE_P(0);
	Graph	   *graph;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			i;

	if (ARR_NDIM(roots) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the codes of hrpolicy.amendment_lineage() must be a one-dimensional array")));
	InitMaterializedSRF(fcinfo, 0);
	graph = open_graph(fcinfo);
	deconstruct_array(roots, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	for (i = 0; i < nelems; i++)
	{
		int			start;
		int		   *reached;
		int			nreached;
		int			k;

		if (nulls[i])
			continue;
		start = decree_position(graph, TextDatumGetCString(elems[i]));
		if (!graph->decrees[start].read)
			read_decree(graph, start);
		if (!graph->decrees[start].exists || graph->decrees[start].walked)
			continue;
		graph->decrees[start].walked = true;
		reached = walk(graph, start, i, &nreached);
		for (k = 0; k < nreached; k++)
		{
			Decree	   *decree = &graph->decrees[reached[k]];
			Datum		values[3];
			bool		isnull[3] = {false, false, false};

			values[0] = elems[i];
			values[1] = CStringGetTextDatum(decree->code);
			values[2] = Int32GetDatum(decree->depth);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
		}
		pfree(reached);
	}
	close_graph(graph);
	return (Datum) 0;
}

/*
 * hrpolicy.amendment_cycle(code text) RETURNS text[]
 *
 * The shortest chain code -> ... -> code through "amends", or NULL when
 * the decree does not amend itself.  VOLATILE: called from a trigger, it
 * reads the graph as the trigger's statement sees it.
 */
Datum
amendment_cycle(PG_FUNCTION_ARGS)
{
	Graph	   *graph = open_graph(fcinfo);
	int			start = decree_position(graph, text_to_cstring(PG_GETARG_TEXT_PP(0)));
	int		   *reached;
	int			nreached;
	int			k;

	read_decree(graph, start);
	if (!graph->decrees[start].exists)
	{
		close_graph(graph);
		PG_RETURN_NULL();
	}
	reached = walk(graph, start, 0, &nreached);
	/* The decree amends itself when a decree it reaches amends it. */
	for (k = 0; k < nreached; k++)
	{
		Decree	   *decree = &graph->decrees[reached[k]];
		int			j;

		for (j = 0; j < decree->namends; j++)
		{
			int			length;
			Datum	   *chain;
			int			at;
			int			pos;

			if (decree->amends[j] != start)
				continue;
			length = decree->depth + 2;
			chain = palloc(sizeof(Datum) * length);
			pos = length - 1;
			chain[pos--] = CStringGetTextDatum(graph->decrees[start].code);
			for (at = reached[k]; at >= 0; at = graph->decrees[at].parent)
				chain[pos--] = CStringGetTextDatum(graph->decrees[at].code);
			close_graph(graph);
			PG_RETURN_ARRAYTYPE_P(construct_array(chain, length, TEXTOID, -1, false,
												  TYPALIGN_INT));
		}
	}
	close_graph(graph);
	PG_RETURN_NULL();
}

/* ---------------------------------------------------------------------
 * The rules in force for one unit on one day
 *
 * hrpolicy.rules_in_force() answers an application's point lookups; as a
 * SQL query over rule_book() it cost more to plan (about a millisecond)
 * than to run.  Here the same resolution is done in C: the decrees whose
 * scope covers the unit come from the btree index on policy.scope, one
 * probe per ancestor of the unit and one for the unscoped decrees; those
 * whose window holds the day (the unscoped ones from a partial index on
 * the window) and that no amender or revoker has ended by then are in force; their lineage is walked as above; their rules and the
 * circumstances of only_when are read with plans prepared once per
 * session.  report_properties and resolution_properties check that it
 * agrees with rule_book(), which the reports read.
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(resolve_rules);

typedef struct SessionPlans
{
	SPIPlanPtr	enders;			/* amenders and revokers of decrees */
	SPIPlanPtr	rules;			/* the rules of decrees */
	SPIPlanPtr	condition;		/* condition_holds(label, unit, day) */
	Oid			unit_type;		/* the ltree type the plans were made for */
} SessionPlans;

static SessionPlans session_plans;

static SPIPlanPtr
keep_plan(const char *query, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare(query, nargs, argtypes);

	if (plan == NULL || SPI_keepplan(plan) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not prepare a query of rules_in_force(): %s",
						SPI_result_code_string(SPI_result))));
	return plan;
}

static void
prepare_session_plans(Oid unit_type)
{
	Oid			text_array[1] = {TEXTARRAYOID};
	Oid			condition_args[3] = {TEXTOID, unit_type, DATEOID};

	if (session_plans.unit_type == unit_type && session_plans.rules != NULL)
		return;
	if (session_plans.rules != NULL)
	{
		SPI_freeplan(session_plans.enders);
		SPI_freeplan(session_plans.rules);
		SPI_freeplan(session_plans.condition);
		memset(&session_plans, 0, sizeof(session_plans));
	}
	/* one probe of the GIN indexes per decree (an overlap with all of them
	 * at once is estimated to match many rows, and read sequentially) */
	session_plans.enders = keep_plan(
		"SELECT x.code, COALESCE(pg_catalog.lower(o.valid), '-infinity'::pg_catalog.date) "
		"FROM pg_catalog.unnest($1) x (code) "
		"JOIN hrpolicy.policy o "
		"  ON o.amends OPERATOR(pg_catalog.@>) ARRAY[x.code] "
		"  OR o.revokes OPERATOR(pg_catalog.@>) ARRAY[x.code]",
		1, text_array);
	session_plans.rules = keep_plan(
		"SELECT r.policy, r.name, r.quota, r.only_when, r.per "
		"FROM pg_catalog.unnest($1) x (code) "
		"JOIN hrpolicy.rule r ON r.policy OPERATOR(pg_catalog.=) x.code",
		1, text_array);
	session_plans.condition = keep_plan(
		"SELECT hrpolicy.condition_holds($1, $2, $3)", 3, condition_args);
	session_plans.unit_type = unit_type;
}

/* A decree whose scope covers the unit, with its window. */
typedef struct Candidate
{
	char	   *code;
	bool		in_force;
} Candidate;

/*
 * The decrees whose scope covers the unit and whose window holds the day:
 * the unscoped ones from the partial GiST index on their window, then one
 * probe of the btree index on policy.scope for each scope that covers the
 * unit (the root '' and every ancestor of the unit down to itself).
 */
static Candidate *
covering_decrees(FunctionCallInfo fcinfo, Graph *graph, Datum unit, Oid unit_type,
				 DateADT day, int *ncandidates)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			index_oid = get_relname_relid("policy_scope_btree_idx", namespace);
	Oid			unscoped_oid = get_relname_relid("policy_unscoped_idx", namespace);
	Relation	index;
	Oid			equality;
	Oid			validity_type;
	TypeCacheEntry *typcache;
	AttrNumber	code_attnum = get_attnum(RelationGetRelid(graph->policy), "code");
	AttrNumber	valid_attnum = get_attnum(RelationGetRelid(graph->policy), "valid");
	AttrNumber	scope_attnum = get_attnum(RelationGetRelid(graph->policy), "scope");
	ArrayType  *scopes;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			probe;
	int			size = 16;
	Candidate  *candidates = palloc(sizeof(Candidate) * size);
	int			n = 0;

	if (!OidIsValid(index_oid) || !OidIsValid(unscoped_oid) || code_attnum == InvalidAttrNumber ||
		valid_attnum == InvalidAttrNumber || scope_attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("the catalog of hrpolicy lacks the indexes policy_scope_btree_idx and policy_unscoped_idx")));
	index = index_open(index_oid, AccessShareLock);
	equality = get_opfamily_member(index->rd_opfamily[0], unit_type, unit_type, BTEqualStrategyNumber);
	if (!OidIsValid(equality))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("the index policy_scope_btree_idx does not compare units")));
	validity_type = get_atttype(RelationGetRelid(graph->policy), valid_attnum);
	typcache = lookup_type_cache(validity_type, TYPECACHE_RANGE_INFO);
	if (typcache->rngelemtype == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("hrpolicy.policy.valid is not a range")));

	/* every scope that covers the unit: unit_and_ancestors(unit) */
	scopes = DatumGetArrayTypeP(OidFunctionCall1(
		LookupFuncName(list_make2(makeString("hrpolicy"), makeString("unit_and_ancestors")),
					   1, &unit_type, false),
		unit));
	deconstruct_array(scopes, unit_type, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);

	for (probe = -1; probe < nelems; probe++)
	{
		ScanKeyData key;
		SysScanDesc scan;
		HeapTuple	tuple;

		if (probe < 0)
		{
			/*
			 * The unscoped decrees (scope NULL) whose window holds the day,
			 * from their partial GiST index on the window.
			 */
			ScanKeyEntryInitialize(&key, 0, valid_attnum, RANGESTRAT_CONTAINS_ELEM, DATEOID,
								   InvalidOid, F_RANGE_CONTAINS_ELEM, DateADTGetDatum(day));
			scan = systable_beginscan(graph->policy, unscoped_oid, true, graph->snapshot, 1, &key);
		}
		else
		{
			if (nulls[probe])
				continue;
			ScanKeyEntryInitialize(&key, 0, scope_attnum, BTEqualStrategyNumber, unit_type,
								   index->rd_indcollation[0], get_opcode(equality), elems[probe]);
			scan = systable_beginscan(graph->policy, index_oid, true, graph->snapshot, 1, &key);
		}
		while ((tuple = systable_getnext(scan)) != NULL)
		{
			bool		isnull;
			Datum		valid = heap_getattr(tuple, valid_attnum, RelationGetDescr(graph->policy), &isnull);
			Datum		code;

			CHECK_FOR_INTERRUPTS();
			if (isnull ||
				!range_contains_elem_internal(typcache, DatumGetRangeTypeP(valid), DateADTGetDatum(day)))
				continue;
			code = heap_getattr(tuple, code_attnum, RelationGetDescr(graph->policy), &isnull);
			if (isnull)
				continue;
			if (n == size)
			{
				size *= 2;
				candidates = repalloc(candidates, sizeof(Candidate) * size);
			}
			candidates[n].code = TextDatumGetCString(code);
			candidates[n].in_force = true;
			n++;
		}
		systable_endscan(scan);
	}
	index_close(index, AccessShareLock);
	*ncandidates = n;
	return candidates;
}

/* A text[] of the codes of the candidates in force (or all of them). */
static Datum
codes_array(Candidate *candidates, int n, bool in_force_only)
{
	Datum	   *codes = palloc(sizeof(Datum) * Max(n, 1));
	int			k = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (!in_force_only || candidates[i].in_force)
			codes[k++] = CStringGetTextDatum(candidates[i].code);
	return PointerGetDatum(construct_array(codes, k, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * A decree stops being in force on its own from the first day of the
 * first decree that amends or revokes it (an amender without a first day
 * ends it always).
 */
static void
drop_ended(Candidate *candidates, int n, DateADT day)
{
	Datum		args[1] = {codes_array(candidates, n, false)};
	uint64		row;
	int			ret;

	ret = SPI_execute_plan(session_plans.enders, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not read the amendments: %s", SPI_result_code_string(ret))));
	for (row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *ended = SPI_getvalue(tuple, desc, 1);
		DateADT		starts = DatumGetDateADT(SPI_getbinval(tuple, desc, 2, &isnull));
		int			i;

		if (isnull || ended == NULL || starts > day)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(candidates[i].code, ended) == 0)
				candidates[i].in_force = false;
	}
	SPI_freetuptable(SPI_tuptable);
}

/* A rule row of an ancestor, with the depth at which a root reaches it. */
typedef struct FoundRule
{
	int			root;			/* position of the root among the candidates */
	char	   *name;
	char	   *defined_by;
	int			depth;
	Datum		quota;
	char	   *only_when;		/* NULL: always */
	char	   *per;			/* unit-day, person-week, person-month */
} FoundRule;

/* By root, then name, then depth: the nearest rows of a name come first. */
static int
compare_found(const void *a, const void *b)
{
	const FoundRule *x = (const FoundRule *) a;
	const FoundRule *y = (const FoundRule *) b;
	int			c;

	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	return (x->depth > y->depth) - (x->depth < y->depth);
}

/* A lineage entry: a root reaches a decree (its graph position) at a depth. */
typedef struct Reach
{
	int			root;
	int			depth;
	int			next;			/* the next entry of the same decree, or -1 */
} Reach;

/*
 * hrpolicy.resolve_rules(day date, unit ltree)
 *   RETURNS TABLE (policy text, rule text, quota hrpolicy.quota,
 *                  defined_by text, only_when text, per text)
 *
 * The rules checked for the unit on the day, in no order (rules_in_force()
 * sorts them): for every decree in force there whose scope covers the
 * unit, its own rules and those it carries through amendments, overridden
 * by name at the nearest distance, whose only_when holds.
 */
Datum
resolve_rules(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DateADT		day = PG_GETARG_DATEADT(0);
	Datum		unit = PG_GETARG_DATUM(1);
	Oid		   *argtypes;
	int			nargs;
	Oid			unit_type;
	Graph	   *graph;
	Candidate  *candidates;
	int			ncandidates;
	Reach	   *reaches;
	int			nreaches = 0;
	int			reaches_size = 16;
	int		   *first_reach;	/* per graph position: its first entry, or -1 */
	int			npositions;
	FoundRule  *found;
	int			nfound = 0;
	int			found_size = 16;
	Datum	   *ancestor_codes;
	int			nancestors = 0;
	Datum		args[1];
	uint64		row;
	int			ret;
	int			i;

	get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
	unit_type = argtypes[1];
	InitMaterializedSRF(fcinfo, 0);
	if (DATE_NOT_FINITE(day))
		return (Datum) 0;		/* no decree is in force on infinity */
	graph = open_graph(fcinfo);
	candidates = covering_decrees(fcinfo, graph, unit, unit_type, day, &ncandidates);
	if (ncandidates == 0)
	{
		close_graph(graph);
		return (Datum) 0;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not connect to SPI")));
	prepare_session_plans(unit_type);
	drop_ended(candidates, ncandidates, day);

	/* Each decree in force and every decree it carries, at its distance. */
	reaches = palloc(sizeof(Reach) * reaches_size);
	for (i = 0; i < ncandidates; i++)
	{
		int			start;
		int		   *reached;
		int			nreached;
		int			k;

		if (!candidates[i].in_force)
			continue;
		start = decree_position(graph, candidates[i].code);
		if (!graph->decrees[start].read)
			read_decree(graph, start);
		if (!graph->decrees[start].exists || graph->decrees[start].walked)
			continue;			/* a decree covering the unit twice counts once */
		graph->decrees[start].walked = true;
		reached = walk(graph, start, i, &nreached);
		for (k = 0; k < nreached; k++)
		{
			if (nreaches == reaches_size)
			{
				reaches_size *= 2;
				reaches = repalloc(reaches, sizeof(Reach) * reaches_size);
			}
			reaches[nreaches].root = i;
			reaches[nreaches].depth = graph->decrees[reached[k]].depth;
			reaches[nreaches].next = reached[k];	/* the position, for now */
			nreaches++;
		}
	}
	close_graph(graph);
	if (nreaches == 0)
	{
		SPI_finish();
		return (Datum) 0;
	}

	/* Chain the entries of each decree, and list the decrees once. */
	npositions = graph->ndecrees;
	first_reach = palloc(sizeof(int) * npositions);
	for (i = 0; i < npositions; i++)
		first_reach[i] = -1;
	ancestor_codes = palloc(sizeof(Datum) * nreaches);
	for (i = 0; i < nreaches; i++)
	{
		int			position = reaches[i].next;

		if (first_reach[position] < 0)
			ancestor_codes[nancestors++] = CStringGetTextDatum(graph->decrees[position].code);
		reaches[i].next = first_reach[position];
		first_reach[position] = i;
	}

	/* The rules of those decrees, read once. */
	args[0] = PointerGetDatum(construct_array(ancestor_codes, nancestors, TEXTOID, -1, false, TYPALIGN_INT));
	ret = SPI_execute_plan(session_plans.rules, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("hrpolicy could not read the rules: %s", SPI_result_code_string(ret))));
	found = palloc(sizeof(FoundRule) * found_size);
	for (row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *policy = SPI_getvalue(tuple, desc, 1);
		bool		isnull;
		int			k;
		int			position = decree_position(graph, policy);

		CHECK_FOR_INTERRUPTS();
		if (position >= npositions)
			continue;			/* a decree the walks did not reach */
		for (k = first_reach[position]; k >= 0; k = reaches[k].next)
		{
			FoundRule  *rule;

			if (nfound == found_size)
			{
				found_size *= 2;
				found = repalloc_huge(found, sizeof(FoundRule) * found_size);
			}
			rule = &found[nfound++];
			rule->root = reaches[k].root;
			rule->defined_by = policy;
			rule->depth = reaches[k].depth;
			rule->name = SPI_getvalue(tuple, desc, 2);
			rule->quota = SPI_getbinval(tuple, desc, 3, &isnull);
			rule->only_when = SPI_getvalue(tuple, desc, 4);
			rule->per = SPI_getvalue(tuple, desc, 5);
		}
	}

	/*
	 * For each root and rule name, the rows at the nearest depth that has
	 * one, whose condition holds.
	 */
	qsort(found, nfound, sizeof(FoundRule), compare_found);
	for (i = 0; i < nfound; i++)
	{
		FoundRule  *rule = &found[i];
		Datum		values[6];
		bool		isnull[6] = {false, false, false, false, false, false};
		int			nearest = i;

		/* the first row of this root and name has the nearest depth */
		while (nearest > 0 && found[nearest - 1].root == rule->root &&
			   strcmp(found[nearest - 1].name, rule->name) == 0)
			nearest--;
		if (found[nearest].depth != rule->depth)
			continue;
		if (rule->only_when != NULL)
		{
			Datum		condition_args[3] = {CStringGetTextDatum(rule->only_when), unit, DateADTGetDatum(day)};
			bool		holds_null;

			ret = SPI_execute_plan(session_plans.condition, condition_args, NULL, true, 1);
			if (ret != SPI_OK_SELECT || SPI_processed != 1)
				ereport(ERROR,
						(errcode(ERRCODE_INTERNAL_ERROR),
						 errmsg("hrpolicy could not read the circumstances: %s", SPI_result_code_string(ret))));
			if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &holds_null)) ||
				holds_null)
				continue;
		}
		values[0] = CStringGetTextDatum(candidates[rule->root].code);
		values[1] = CStringGetTextDatum(rule->name);
		values[2] = rule->quota;
		values[3] = CStringGetTextDatum(rule->defined_by);
		if (rule->only_when == NULL)
			isnull[4] = true;
		else
			values[4] = CStringGetTextDatum(rule->only_when);
		values[5] = CStringGetTextDatum(rule->per != NULL ? rule->per : "unit-day");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
	}
	SPI_finish();
	return (Datum) 0;
}
