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
	primary_key = RelationGetPrimaryKeyIndex(graph->policy);
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
