-- hrpolicy 0.2.0 -> 0.3.0, last: the tables 0.2.0 enforced are enforced
-- again, with the triggers of 0.3.0 (every day from now on checked).
DO $upgrade$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT e.tbl, e.day_column FROM pg_temp.hrpolicy_upgrade_enforced e ORDER BY e.tbl LOOP
        PERFORM hrpolicy.enforce(t.tbl, t.day_column);
    END LOOP;
END
$upgrade$;
DROP TABLE pg_temp.hrpolicy_upgrade_enforced;
