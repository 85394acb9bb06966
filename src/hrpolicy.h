/*-------------------------------------------------------------------------
 *
 * hrpolicy.h
 *	  Definitions shared by the C sources of hrpolicy.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_H
#define HRPOLICY_H

#include "postgres.h"

/*
 * hrpolicy's messages are translated in a text domain of its own
 * (hrpolicy-15 on PostgreSQL 15): ereport() is a macro that names
 * TEXTDOMAIN where it is used, so redefining it after postgres.h (which
 * defines it as NULL, PostgreSQL's domain) is enough, as PL/pgSQL does;
 * _PG_init binds the domain (messages.c).
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("hrpolicy")

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "pg_compat.h"

/*
 * Input functions report bad text as soft errors on PostgreSQL 16 and later
 * (so that pg_input_is_valid works) and as plain errors before that.
 * Usage: HRP_INPUT_ERROR(fcinfo->context, errcode(...), errmsg(...), ...);
 * it returns from the calling function.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define HRP_INPUT_ERROR(escontext, ...) \
	ereturn((escontext), (Datum) 0, __VA_ARGS__)
#else
#define HRP_INPUT_ERROR(escontext, ...) \
	do { \
		(void) (escontext); \
		ereport(ERROR, __VA_ARGS__); \
		pg_unreachable(); \
	} while (0)
#endif

/*
 * hrpolicy's locks are transaction-level advisory locks whose fourth key
 * field is HRPOLICY_LOCK_FIELD4 plus a kind: no SQL function produces
 * these (pg_advisory_lock and its kin use 1 and 2), so no role can take or
 * hold them from SQL; only the extension's C code takes them, for the
 * roles its triggers run for.  The first field is the database; pg_locks
 * shows them as advisory locks with objsubid 0x4851 and up.
 */
#define HRPOLICY_LOCK_FIELD4		0x4850
#define HRPOLICY_LOCK_AMENDMENTS	1	/* the amendment graph */
#define HRPOLICY_LOCK_ROSTER		2	/* every day of a roster (its OID) */
#define HRPOLICY_LOCK_DAY			3	/* one day of a roster */
#define HRPOLICY_LOCK_CATALOG		4	/* the decrees, as enforcement reads them */

/*
 * The message buffer of a receive function.  The server's binary input
 * hands it a StringInfo; a superuser could also make it the final function
 * of an aggregate whose "internal" state is something else, which it would
 * read as a buffer: refuse to be called from an aggregate.
 */
static inline StringInfo
receive_buffer(FunctionCallInfo fcinfo, const char *type)
{
	if (AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the receive function of %s cannot be called from an aggregate", type)));
	return (StringInfo) PG_GETARG_POINTER(0);
}

/* hints.c: hints added to errors of ltree's parser. */
extern void install_error_hints(void);

/*
 * messages.c: a text of hrpolicy's own in the language of lc_messages.
 * hr_gettext() is gettext() in hrpolicy's domain (plain _() would look in
 * PostgreSQL's); gettext_noop() marks a text translated later.
 */
#define hr_gettext(msgid) dgettext(TEXTDOMAIN, (msgid))
extern void bind_message_catalog(void);
/* hr_gettext() remembered while lc_messages stays; msgid a string constant */
extern const char *hr_gettext_cached(const char *msgid) pg_attribute_format_arg(1);

/* The version byte that starts every binary send format of hrpolicy. */
#define HRPOLICY_BINARY_VERSION 1

#endif							/* HRPOLICY_H */
