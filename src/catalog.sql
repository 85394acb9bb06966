-- The checks of the policy catalog: row checks with readable refusals,
-- references between decrees (deferrable, like foreign keys), renames
-- that cascade into the amends and revokes that cite a decree, and the
-- refusal of a DROP EXTENSION that would take the decrees with it.  The
-- C parts are in catalog.c.

-- Row checks with readable refusals.
CREATE FUNCTION hrpolicy.policy_check_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF btrim(NEW.code) = '' THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('a policy code cannot be blank'),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('The code is the decree''s number, as other decrees cite it.');
    END IF;
    IF isempty(NEW.valid) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('policy "%s" has an empty window: %s'), NEW.code, NEW.valid),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('A decree is in force on at least one day; write its dates as [first,last].');
    END IF;
    IF NEW.code = ANY (NEW.amends) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('policy "%s" amends itself'), NEW.code),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('A decree can amend only other decrees.');
    END IF;
    IF NEW.code = ANY (NEW.revokes) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('policy "%s" revokes itself'), NEW.code),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('To end a decree, give its window a last day.');
    END IF;
    IF array_position(NEW.amends, NULL::text) IS NOT NULL
       OR array_position(NEW.revokes, NULL::text) IS NOT NULL THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('policy "%s" lists a NULL code in amends or revokes'), NEW.code),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('amends and revokes hold the codes of existing decrees.');
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER policy_check_row BEFORE INSERT OR UPDATE ON hrpolicy.policy
    FOR EACH ROW EXECUTE FUNCTION hrpolicy.policy_check_row();

CREATE FUNCTION hrpolicy.rule_check_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    overlap text[];
    near text;
BEGIN
    -- The foreign key refuses a rule of an unknown decree too, but without
    -- saying which rule or what was probably meant.
    IF NEW.policy IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.policy IS DISTINCT FROM OLD.policy)
       AND NOT EXISTS (SELECT FROM hrpolicy.policy p WHERE p.code = NEW.policy) THEN
        near := hrpolicy.nearest_word(NEW.policy, ARRAY(SELECT p.code FROM hrpolicy.policy p ORDER BY p.code));
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" names unknown decree "%s"'), NEW.name, NEW.policy),
                  ERRCODE = 'foreign_key_violation',
                  DETAIL = hrpolicy.gettext('A rule belongs to a decree recorded in hrpolicy.policy.'),
                  HINT = CASE WHEN near IS NOT NULL THEN pg_catalog.format(hrpolicy.gettext('Did you mean decree "%s"? '), near) ELSE '' END
                         || hrpolicy.gettext('A rule''s decree must be in hrpolicy.policy before the rule, even under SET CONSTRAINTS ALL DEFERRED: insert the decree first.');
    END IF;
    IF btrim(NEW.name) = '' THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('a rule of policy "%s" has a blank name'), NEW.policy),
                  ERRCODE = 'check_violation';
    END IF;
    IF cardinality(NEW.counts) = 0 THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" of policy "%s" counts no status'), NEW.name, NEW.policy),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('counts lists the statuses that count in the part, such as {office}.');
    END IF;
    IF array_position(NEW.counts, NULL::text) IS NOT NULL
       OR array_position(NEW.who, NULL::text) IS NOT NULL
       OR array_position(NEW.unless, NULL::text) IS NOT NULL
       OR array_position(NEW.excused, NULL::text) IS NOT NULL THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" of policy "%s" has a NULL in counts, who, unless or excused'), NEW.name, NEW.policy),
                  ERRCODE = 'check_violation';
    END IF;
    overlap := ARRAY(SELECT unnest(NEW.counts) INTERSECT SELECT unnest(NEW.excused) ORDER BY 1);
    IF cardinality(overlap) > 0 THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" of policy "%s" both counts and excuses status "%s"'), NEW.name, NEW.policy, overlap[1]),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('An excused status leaves the base, so it cannot count in the part.');
    END IF;
    overlap := ARRAY(SELECT unnest(NEW.who) INTERSECT SELECT unnest(NEW.unless) ORDER BY 1);
    IF cardinality(overlap) > 0 THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" of policy "%s" both requires and exempts tag "%s"'), NEW.name, NEW.policy, overlap[1]),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('Such a rule would cover nobody.');
    END IF;
    IF ltrim(NEW.only_when, '!') = '' THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" of policy "%s" has a blank only_when'), NEW.name, NEW.policy),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('only_when is a circumstance label, or NULL for a rule that always applies.');
    END IF;
    IF NEW.per IS NOT NULL AND NEW.per <> ALL (ARRAY['unit-day', 'person-week', 'person-month']) THEN
        near := hrpolicy.nearest_word(NEW.per, ARRAY['unit-day', 'person-week', 'person-month']);
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('rule "%s" of policy "%s" has an unknown per "%s"'), NEW.name, NEW.policy, NEW.per),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('per is unit-day (the unit''s heads on each day), person-week (each person''s days in an ISO week) or person-month (in a calendar month).'),
                  HINT = CASE WHEN near IS NOT NULL THEN pg_catalog.format(hrpolicy.gettext('Did you mean "%s"?'), near)
                              ELSE hrpolicy.gettext('Leave per out for a rule of each unit and day; write ''person-week'' for "at most 2 days a week" of each person.') END;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER rule_check_row BEFORE INSERT OR UPDATE ON hrpolicy.rule
    FOR EACH ROW EXECUTE FUNCTION hrpolicy.rule_check_row();

CREATE FUNCTION hrpolicy.circumstance_check_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF isempty(NEW.valid) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('circumstance "%s" at %s has an empty window: %s'), NEW.label, NEW.scope, NEW.valid),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('A circumstance holds on at least one day; write its dates as [first,last].');
    END IF;
    IF btrim(NEW.label) = '' OR left(NEW.label, 1) = '!' THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('circumstance label "%s" is not allowed'), NEW.label),
                  ERRCODE = 'check_violation',
                  DETAIL = hrpolicy.gettext('A label is a non-blank word such as zone:high or closed; a leading ! is kept for rules meaning "when not".');
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER circumstance_check_row BEFORE INSERT OR UPDATE ON hrpolicy.circumstance
    FOR EACH ROW EXECUTE FUNCTION hrpolicy.circumstance_check_row();

-- The lock under which the amendment graph changes (catalog.c); the cycle
-- check's walk of the graph is hrpolicy.amendment_cycle() (resolution.c).
CREATE FUNCTION hrpolicy.lock_amendments() RETURNS void
AS 'MODULE_PATHNAME', 'lock_amendments'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION hrpolicy.lock_amendments() IS
    'internal: takes the transaction lock under which the amendment graph changes; only roles that may write hrpolicy.policy may take it';

-- References between decrees.  Like a foreign key, the check locks each
-- referenced decree (FOR KEY SHARE) so that a concurrent DELETE waits, and
-- an update checks only the references it adds: a rename (which cascades
-- into the amends and revokes that cite the decree) adds none, so decrees
-- citing each other can be renamed in one UPDATE.  A missing code is an
-- error only while some decree still cites it, so a check that runs late
-- (deferred to commit) judges the rows as they are then, whatever became
-- of the row that queued it (renamed, changed or deleted since).  The
-- amendment graph changes under hrpolicy.lock_amendments(), so that two
-- writers cannot close a cycle between them; REPEATABLE READ is refused,
-- as its snapshot would hide what a concurrent writer committed.
CREATE FUNCTION hrpolicy.refuse_repeatable_read(what text) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF current_setting('transaction_isolation') = 'repeatable read' THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('hrpolicy cannot check %s under REPEATABLE READ'), what),
                  ERRCODE = 'feature_not_supported',
                  DETAIL = hrpolicy.gettext('A REPEATABLE READ snapshot cannot see decrees that concurrent transactions commit, so the check could pass wrongly.'),
                  HINT = hrpolicy.gettext('Record decrees under READ COMMITTED or SERIALIZABLE.');
    END IF;
END
$$;
COMMENT ON FUNCTION hrpolicy.refuse_repeatable_read(text) IS
    'internal: raises 0A000 under REPEATABLE READ, where a check cannot see concurrent commits';

CREATE FUNCTION hrpolicy.policy_check_references() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    added_amends text[] := NEW.amends;
    added_revokes text[] := NEW.revokes;
    referenced record;
    citing record;
    cycle text[];
    near text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        added_amends := ARRAY(SELECT unnest(NEW.amends) EXCEPT SELECT unnest(OLD.amends));
        added_revokes := ARRAY(SELECT unnest(NEW.revokes) EXCEPT SELECT unnest(OLD.revokes));
    END IF;
    IF cardinality(added_amends) = 0 AND cardinality(added_revokes) = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM hrpolicy.refuse_repeatable_read('references between decrees');

    FOR referenced IN
        SELECT a.code, 'amends' AS how FROM unnest(added_amends) AS a (code)
        UNION ALL
        SELECT r.code, 'revokes' FROM unnest(added_revokes) AS r (code)
    LOOP
        PERFORM FROM hrpolicy.policy p WHERE p.code = referenced.code FOR KEY SHARE;
        CONTINUE WHEN FOUND;
        SELECT c.code INTO citing
        FROM (SELECT p.code FROM hrpolicy.policy p
              WHERE referenced.how = 'amends' AND p.amends @> ARRAY[referenced.code]
              UNION ALL
              SELECT p.code FROM hrpolicy.policy p
              WHERE referenced.how = 'revokes' AND p.revokes @> ARRAY[referenced.code]) c
        ORDER BY c.code
        LIMIT 1;
        IF FOUND THEN
            near := hrpolicy.nearest_word(referenced.code, ARRAY(SELECT p.code FROM hrpolicy.policy p ORDER BY p.code));
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(CASE referenced.how WHEN 'amends' THEN hrpolicy.gettext('policy "%s" amends unknown policy "%s"')
                                                                 ELSE hrpolicy.gettext('policy "%s" revokes unknown policy "%s"') END,
                                                            citing.code, referenced.code),
                  ERRCODE = 'foreign_key_violation',
                      DETAIL = pg_catalog.format(hrpolicy.gettext('%s must name decrees already in hrpolicy.policy.'), referenced.how::text),
                      HINT = CASE WHEN near IS NOT NULL THEN pg_catalog.format(hrpolicy.gettext('Did you mean "%s"? '), near) ELSE '' END
                             || pg_catalog.format(hrpolicy.gettext('Insert the %s decree first, or SET CONSTRAINTS ALL DEFERRED to load decrees in any order.'),
                                       CASE referenced.how WHEN 'amends' THEN hrpolicy.gettext('amended')
                                                                 ELSE hrpolicy.gettext('revoked') END);
        END IF;
    END LOOP;

    IF cardinality(added_amends) > 0 THEN
        PERFORM hrpolicy.lock_amendments();
        cycle := hrpolicy.amendment_cycle(NEW.code);
        IF cycle IS NOT NULL THEN
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('policy "%s" would amend itself through %s'), NEW.code,
                            CASE WHEN cardinality(cycle) <= 12 THEN array_to_string(cycle, ' -> ')
                                 ELSE format('%s -> ... (%s more) -> %s',
                                             array_to_string(cycle[1:5], ' -> '),
                                             cardinality(cycle) - 10,
                                             array_to_string(cycle[cardinality(cycle) - 4:], ' -> '))
                            END), ERRCODE = 'check_violation',
                      DETAIL = hrpolicy.gettext('Amendments cannot form a cycle: a decree cannot be in force through itself.');
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER policy_check_references
    AFTER INSERT OR UPDATE OF amends, revokes ON hrpolicy.policy
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION hrpolicy.policy_check_references();

-- A decree that others amend or revoke cannot be deleted from under them.
CREATE FUNCTION hrpolicy.policy_check_referenced() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citing record;
BEGIN
    PERFORM hrpolicy.refuse_repeatable_read('the deletion of a decree');
    -- Deleted and inserted again in the transaction (a deferred check):
    -- the citations still name a decree, as a foreign key would see it.
    IF EXISTS (SELECT FROM hrpolicy.policy p WHERE p.code = OLD.code) THEN
        RETURN NULL;
    END IF;
    -- Two probes, each answered by its GIN index (no ORDER BY in them: it
    -- would tempt the planner into walking the primary key).
    SELECT c.code, c.how INTO citing
    FROM (SELECT p.code, 'amended' AS how FROM hrpolicy.policy p
          WHERE p.amends @> ARRAY[OLD.code]
          UNION ALL
          SELECT p.code, 'revoked' FROM hrpolicy.policy p
          WHERE p.revokes @> ARRAY[OLD.code]) c
    ORDER BY c.code, c.how
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(CASE citing.how WHEN 'amended' THEN hrpolicy.gettext('policy "%s" is amended by policy "%s"')
                                                           ELSE hrpolicy.gettext('policy "%s" is revoked by policy "%s"') END,
                                                      OLD.code, citing.code),
                  ERRCODE = 'foreign_key_violation',
                  DETAIL = hrpolicy.gettext('Deleting it would leave a reference to a decree that does not exist.'),
                  HINT = pg_catalog.format(hrpolicy.gettext('Remove "%s" from the amends or revokes of "%s" first, or delete both.'),
                                OLD.code, citing.code);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER policy_check_referenced
    AFTER DELETE ON hrpolicy.policy
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION hrpolicy.policy_check_referenced();

-- Renaming a decree renames it where others cite it, as rule.policy does
-- through its ON UPDATE CASCADE foreign key.
CREATE FUNCTION hrpolicy.policy_rename_references() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE hrpolicy.policy
    SET amends = array_replace(amends, OLD.code, NEW.code),
        revokes = array_replace(revokes, OLD.code, NEW.code)
    WHERE amends @> ARRAY[OLD.code] OR revokes @> ARRAY[OLD.code];
    RETURN NULL;
END
$$;

CREATE TRIGGER policy_rename_references
    AFTER UPDATE OF code ON hrpolicy.policy
    FOR EACH ROW WHEN (OLD.code OPERATOR(pg_catalog.<>) NEW.code)
    EXECUTE FUNCTION hrpolicy.policy_rename_references();

-- A statement writing decrees, rules or circumstances waits for the
-- enforcement checks in flight, and the checks that start later wait for
-- its transaction (enforce.c): no commit is checked against caps that
-- change under it.
CREATE FUNCTION hrpolicy.catalog_write_waits() RETURNS trigger
AS 'MODULE_PATHNAME', 'catalog_write_waits' LANGUAGE C;
COMMENT ON FUNCTION hrpolicy.catalog_write_waits() IS
    'internal: before each statement writing the catalog, waits for the enforcement checks in flight and holds off later ones until the transaction ends';
CREATE TRIGGER policy_waits_for_checks BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrpolicy.policy
    FOR EACH STATEMENT EXECUTE FUNCTION hrpolicy.catalog_write_waits();
CREATE TRIGGER rule_waits_for_checks BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrpolicy.rule
    FOR EACH STATEMENT EXECUTE FUNCTION hrpolicy.catalog_write_waits();
CREATE TRIGGER circumstance_waits_for_checks BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON hrpolicy.circumstance
    FOR EACH STATEMENT EXECUTE FUNCTION hrpolicy.catalog_write_waits();

-- DROP EXTENSION hrpolicy without CASCADE is refused while decrees are
-- recorded: PostgreSQL would drop the catalog tables with their rows.
CREATE FUNCTION hrpolicy.keep_decrees() RETURNS event_trigger
AS 'MODULE_PATHNAME', 'keep_decrees' LANGUAGE C;
COMMENT ON FUNCTION hrpolicy.keep_decrees() IS
    'internal: the event trigger that refuses DROP EXTENSION hrpolicy without CASCADE while decrees are recorded';
CREATE EVENT TRIGGER hrpolicy_keep_decrees ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION')
    EXECUTE FUNCTION hrpolicy.keep_decrees();
COMMENT ON EVENT TRIGGER hrpolicy_keep_decrees IS
    'refuses DROP EXTENSION hrpolicy without CASCADE while decrees or circumstances are recorded';

