-- Binding the user's attendance data: the roster.
--
-- DBAs describe their own tables with a view (or table) having the columns
-- unit ltree, day date, person text, status text, tags text[], and name it
-- once with use_roster(), which records it in hrpolicy.roster_source
-- (catalog.sql).

-- Check that a relation has the roster's columns; raise a clear error
-- naming the first missing or mistyped one.
CREATE FUNCTION hrpolicy.check_roster(relation regclass) RETURNS regclass
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind "char";
    wanted record;
    found_type oid;
BEGIN
    SELECT c.relkind INTO kind FROM pg_class c WHERE c.oid = relation;
    IF kind IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('relation with OID %s does not exist'), relation::oid),
                  ERRCODE = 'undefined_table';
    END IF;
    IF kind NOT IN ('r', 'v', 'm', 'p', 'f') THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('"%s" cannot be a roster'), relation),
                  ERRCODE = 'wrong_object_type',
                  DETAIL = hrpolicy.gettext('A roster is a table, view, materialized view or foreign table.');
    END IF;
    FOR wanted IN
        SELECT w.name, w.typ
        FROM (VALUES (1, 'unit', (SELECT a.atttypid FROM pg_attribute a
                                  WHERE a.attrelid = 'hrpolicy.policy'::regclass
                                    AND a.attname = 'scope')),
                     (2, 'day', 'date'::regtype::oid),
                     (3, 'person', 'text'::regtype::oid),
                     (4, 'status', 'text'::regtype::oid),
                     (5, 'tags', 'text[]'::regtype::oid)) AS w (n, name, typ)
        ORDER BY w.n
    LOOP
        SELECT a.atttypid INTO found_type
        FROM pg_attribute a
        WHERE a.attrelid = relation AND a.attname = wanted.name
          AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('roster "%s" has no column "%s"'), relation, wanted.name),
                  ERRCODE = 'undefined_column',
                      DETAIL = hrpolicy.gettext('A roster has the columns unit ltree, day date, person text, status text, tags text[].'),
                      HINT = hrpolicy.gettext('Write a view over your attendance tables with these columns, then call hrpolicy.use_roster() on it.');
        END IF;
        IF found_type <> wanted.typ THEN
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('column "%s" of roster "%s" has type %s, not %s'), wanted.name, relation,
                            format_type(found_type, NULL), format_type(wanted.typ, NULL)),
                  ERRCODE = 'datatype_mismatch',
                      DETAIL = hrpolicy.gettext('A roster has the columns unit ltree, day date, person text, status text, tags text[].'),
                      HINT = CASE
                          WHEN wanted.name = 'tags' AND found_type IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
                              THEN hrpolicy.gettext('Make it an array in your view: string_to_array(tags, '','') AS tags for a comma-separated list, ARRAY[tags] AS tags for a single tag.')
                          WHEN wanted.name = 'unit' AND found_type IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
                              THEN hrpolicy.gettext('Make it an ltree path in your view: unit::ltree AS unit for a path such as kota.dinkes, hrpolicy.label(unit)::ltree AS unit for a code or name such as 4.01.01 or Dinas Kesehatan.')
                          WHEN wanted.name = 'unit'
                              THEN hrpolicy.gettext('Make it an ltree path in your view: hrpolicy.label(unit::text)::ltree AS unit.')
                          ELSE pg_catalog.format(hrpolicy.gettext('Cast it in your view, e.g. %s::%s AS %s.'), wanted.name,
                                      format_type(wanted.typ, NULL), wanted.name) END;
        END IF;
    END LOOP;
    RETURN relation;
END
$$;
COMMENT ON FUNCTION hrpolicy.check_roster(regclass) IS
    'raises an error naming the first missing or mistyped roster column; returns the relation when it can be a roster';

CREATE FUNCTION hrpolicy.use_roster(relation regclass) RETURNS regclass
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    qualified text;
BEGIN
    PERFORM hrpolicy.check_roster(relation);
    SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = relation;
    INSERT INTO hrpolicy.roster_source AS s (relation) VALUES (qualified)
    ON CONFLICT (singleton) DO UPDATE
        SET relation = excluded.relation, chosen_at = excluded.chosen_at, chosen_by = excluded.chosen_by;
    RETURN relation;
END
$$;
COMMENT ON FUNCTION hrpolicy.use_roster(regclass) IS
    'checks that the relation has the roster columns (unit ltree, day date, person text, status text, tags text[]) and makes it the roster the reports read';

-- The roster relation in use, checked again (it may have been dropped,
-- renamed or redefined since use_roster()).
CREATE FUNCTION hrpolicy.roster() RETURNS regclass
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    name text;
    relation regclass;
BEGIN
    SELECT s.relation INTO name FROM hrpolicy.roster_source s;
    IF name IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('no roster has been chosen'),
                  ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = hrpolicy.gettext('Call hrpolicy.use_roster(''your_schema.your_roster_view'') first.');
    END IF;
    relation := to_regclass(name);
    IF relation IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('roster relation "%s" does not exist'), name),
                  ERRCODE = 'undefined_table',
                  DETAIL = hrpolicy.gettext('It was chosen with hrpolicy.use_roster() and has since been dropped or renamed.'),
                  HINT = hrpolicy.gettext('Call hrpolicy.use_roster() again with the relation that now holds the roster.');
    END IF;
    RETURN hrpolicy.check_roster(relation);
END
$$;
COMMENT ON FUNCTION hrpolicy.roster() IS
    'the relation chosen with use_roster(), checked to still exist and have the roster columns';
