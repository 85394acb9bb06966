-- DROP EXTENSION: refused while a table is enforced (the triggers call its
-- functions); with CASCADE it removes the triggers and leaves the table.
DO $$
BEGIN
    DROP EXTENSION hrpolicy;
    RAISE EXCEPTION 'DROP EXTENSION went through with an enforced table';
EXCEPTION WHEN dependent_objects_still_exist THEN
    NULL;
END
$$;
DROP EXTENSION hrpolicy CASCADE;
DO $$
BEGIN
    IF (SELECT count(*) FROM att) <> 12 THEN
        RAISE EXCEPTION 'DROP EXTENSION changed the user''s rows';
    END IF;
    IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'att'::regclass) THEN
        RAISE EXCEPTION 'DROP EXTENSION left triggers behind';
    END IF;
    -- The schema named in the control file is not a member of the
    -- extension (PostgreSQL keeps it); it must be left empty.
    IF EXISTS (SELECT FROM pg_class WHERE relnamespace = 'hrpolicy'::regnamespace)
       OR EXISTS (SELECT FROM pg_proc WHERE pronamespace = 'hrpolicy'::regnamespace)
       OR EXISTS (SELECT FROM pg_type WHERE typnamespace = 'hrpolicy'::regnamespace)
       OR EXISTS (SELECT FROM pg_operator WHERE oprnamespace = 'hrpolicy'::regnamespace) THEN
        RAISE EXCEPTION 'DROP EXTENSION left objects in schema hrpolicy';
    END IF;
    IF EXISTS (SELECT FROM pg_proc WHERE proname LIKE 'enforce%' OR proname = 'compliance') THEN
        RAISE EXCEPTION 'DROP EXTENSION left functions behind';
    END IF;
END
$$;
SELECT 'ok: DROP EXTENSION removes its triggers and objects and keeps the user''s table' AS dropped;
