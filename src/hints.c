/*-------------------------------------------------------------------------
 *
 * hints.c
 *	  Hints added to errors that PostgreSQL raises outside hrpolicy's own
 *	  code but that hrpolicy's users meet first.
 *
 * ltree refuses a label with a space or other punctuation (and, before
 * PostgreSQL 16, a hyphen) with "ltree syntax error at character 6" and
 * nothing else; unit names such as "Dinas Kesehatan", and on 15 codes
 * such as PEMKOT-PROBOLINGGO, are exactly that.  Once the
 * library is loaded in a session (any hrpolicy function loads it, and so
 * does session_preload_libraries = 'hrpolicy'), such an error gains a hint
 * that names hrpolicy.label().  The hook only adds a hint where there is
 * none, to errors raised by ltree's parser; it changes nothing else.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include "utils/elog.h"
#include "utils/memutils.h"

static emit_log_hook_type previous_emit_log_hook = NULL;

static void
add_error_hints(ErrorData *edata)
{
	if (edata->elevel >= ERROR &&
		edata->hint == NULL &&
		edata->sqlerrcode == ERRCODE_SYNTAX_ERROR &&
		edata->funcname != NULL &&
		(strcmp(edata->funcname, "parse_ltree") == 0 ||
		 strcmp(edata->funcname, "parse_lquery") == 0))
		edata->hint = MemoryContextStrdup(ErrorContext, hr_gettext(
										  "An ltree label holds only letters, digits and _ (and - from PostgreSQL 16 on): "
										  "make a unit path's labels from codes and names with hrpolicy.label(), "
										  "e.g. hrpolicy.label('Dinas Kesehatan') is dinas_kesehatan."));
	if (previous_emit_log_hook)
		previous_emit_log_hook(edata);
}

void
install_error_hints(void)
{
	previous_emit_log_hook = emit_log_hook;
	emit_log_hook = add_error_hints;
}
