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
#include "utils/memutils.h"
#include "utils/pg_locale.h"

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
 * gettext() costs a search of the domain's catalogue on every call, and
 * more where lc_messages names a locale without one (C.UTF-8, en_US): a
 * report writes a sentence of several texts per row.  hr_gettext_cached()
 * remembers the translations of up to CACHED_TEXTS texts, by the address
 * of their msgid (a string constant), until lc_messages changes.  It
 * returns msgid itself when the catalogue has no translation, as gettext
 * does.
 */
#define CACHED_TEXTS 64

typedef struct CachedText
{
	const char *msgid;
	char	   *translation;	/* NULL: msgid itself */
} CachedText;

static CachedText cached_texts[CACHED_TEXTS];
static int	n_cached_texts = 0;
static char *cached_for_locale = NULL;

const char *
hr_gettext_cached(const char *msgid)
{
	const char *locale = locale_messages ? locale_messages : "";
	const char *translation;
	int			i;

	if (cached_for_locale == NULL || strcmp(cached_for_locale, locale) != 0)
	{
		for (i = 0; i < n_cached_texts; i++)
			if (cached_texts[i].translation)
				pfree(cached_texts[i].translation);
		n_cached_texts = 0;
		if (cached_for_locale)
			pfree(cached_for_locale);
		cached_for_locale = MemoryContextStrdup(TopMemoryContext, locale);
	}
	for (i = 0; i < n_cached_texts; i++)
		if (cached_texts[i].msgid == msgid)
			return cached_texts[i].translation ? cached_texts[i].translation : msgid;
	translation = hr_gettext(msgid);
	if (n_cached_texts < CACHED_TEXTS)
	{
		cached_texts[n_cached_texts].msgid = msgid;
		cached_texts[n_cached_texts].translation =
			translation == msgid ? NULL : MemoryContextStrdup(TopMemoryContext, translation);
		n_cached_texts++;
	}
	return translation;
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
