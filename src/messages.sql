-- hrpolicy's texts in the language of lc_messages (messages.c).  RAISE
-- formats its message itself, out of gettext's reach, so the PL/pgSQL and
-- SQL code raises the format() of a text translated by this function
-- (scripts/po_sql.py extracts those texts for translators).
CREATE FUNCTION hrpolicy.gettext(msgid text) RETURNS text
AS 'MODULE_PATHNAME', 'hrpolicy_gettext' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.gettext(text) IS
    'the text in the language of lc_messages, from hrpolicy''s message catalogue (the text itself when it has no translation)';
