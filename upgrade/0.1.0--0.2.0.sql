-- hrpolicy 0.1.0 -> 0.2.0: changes to objects that 0.1.0 already had.
-- (The objects new in 0.2.0 follow, from their own sources.)

-- Deleting decrees: probe amends and revokes through their GIN indexes.
CREATE OR REPLACE FUNCTION hrpolicy.policy_check_referenced() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citing record;
BEGIN
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
        RAISE EXCEPTION 'policy "%" is % by policy "%"', OLD.code, citing.how, citing.code
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Deleting it would leave a reference to a decree that does not exist.',
                  HINT = format('Remove "%s" from the amends or revokes of "%s" first, or delete both.',
                                OLD.code, citing.code);
    END IF;
    RETURN NULL;
END
$$;
