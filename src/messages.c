/*-------------------------------------------------------------------------
 *
 * messages.c
 *	  hrpolicy's messages in the language of lc_messages: its gettext text
 *	  domain, and the SQL function that translates the texts of its
 *	  PL/pgSQL and SQL code.
 *
 * The catalogues are installed where PostgreSQL's own are
 * ($(pg_config --localedir)/<lang>/LC_MESSAGES/hrpolicy-15.mo).  Debian's
 * extension_destdir setting makes the server read an extension installed
 * under a private directory (make test does that); the catalogues are
 * then read from the same place under that directory.
 *
 * PL/pgSQL's RAISE formats its message itself, so gettext never sees it:
 * hrpolicy's PL/pgSQL raises format(hrpolicy.gettext('...%s...'), ...)
 * instead, and scripts/po_sql.py extracts those texts for translators.
 *
 *-------------------------------------------------------------------------
 */
#include "hrpolicy.h"

#include <sys/stat.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"

PG_FUNCTION_INFO_V1(hrpolicy_gettext);

void
bind_message_catalog(void)
{
#ifdef ENABLE_NLS
	char		locale_path[MAXPGPATH];
	const char *destdir;

	if (my_exec_path[0] == '\0')
		return;
	get_locale_path(my_exec_path, locale_path);
	destdir = GetConfigOption("extension_destdir", true, false);
	if (destdir != NULL && destdir[0] != '\0')
	{
		char		private_path[MAXPGPATH];
		struct stat st;

		snprintf(private_path, sizeof(private_path), "%s%s", destdir, locale_path);
		if (stat(private_path, &st) == 0 && S_ISDIR(st.st_mode))
			strlcpy(locale_path, private_path, sizeof(locale_path));
	}
	bindtextdomain(TEXTDOMAIN, locale_path);
	pg_bind_textdomain_codeset(TEXTDOMAIN);
#endif
}

/*
 * hrpolicy.gettext(msgid text) -> text: msgid in the language of
 * lc_messages, or msgid itself when hrpolicy's catalogue for that language
 * has no translation of it.
 */
Datum
hrpolicy_gettext(PG_FUNCTION_ARGS)
{
	char	   *msgid = text_to_cstring(PG_GETARG_TEXT_PP(0));
	const char *translated;

	/* "" is the catalogue's header in gettext: it stays "" */
	if (msgid[0] == '\0')
		PG_RETURN_TEXT_P(cstring_to_text(""));
	translated = hr_gettext(msgid);
	PG_RETURN_TEXT_P(cstring_to_text(translated));
}
