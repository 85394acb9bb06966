/*-------------------------------------------------------------------------
 *
 * hrpolicy.c
 *	  Module entry point of hrpolicy: work-arrangement decrees, quotas and
 *	  tallies for PostgreSQL HR databases.
 *
 * The types live in quota.c, tally.c and validity.c; the reports' engine
 * in tally_each.c; the write-time enforcement in enforce.c; the catalog
 * and the reports are SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	bind_message_catalog();
	install_error_hints();
}
