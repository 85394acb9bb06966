-- hrpolicy is a trusted extension: a database owner who is not a superuser
-- may create it.  Its objects are then owned by the bootstrap superuser,
-- and the role that created it gets what using it needs, with the right to
-- grant it on (see the README for a reader and a writer role): USAGE on
-- the schema, and reading and writing the catalog's rows.  Never TRIGGER,
-- REFERENCES or TRUNCATE: a trigger on a catalog table would run its
-- owner's code as whoever writes decrees, the superuser included (through
-- the ON UPDATE CASCADE of rule.policy, for one).  Other roles get nothing
-- on the tables.  Functions stay executable by all, as they read only what
-- the caller may read, but for the internal ones below.
GRANT USAGE ON SCHEMA hrpolicy TO @extowner@ WITH GRANT OPTION;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON TABLE hrpolicy.policy, hrpolicy.rule, hrpolicy.circumstance, hrpolicy.roster_source
    TO @extowner@ WITH GRANT OPTION;
GRANT SELECT ON TABLE hrpolicy.enforcement TO @extowner@ WITH GRANT OPTION;

-- Support functions that only the extension's own aggregates and triggers
-- call.  The executor checks EXECUTE on an aggregate's support functions
-- against the aggregate's owner, so tally_each() keeps working for all.
REVOKE EXECUTE ON FUNCTION
    hrpolicy.tally_each_accum(hrpolicy.tally[], text, text[], hrpolicy.rule_filter[]),
    hrpolicy.tally_each_combine(hrpolicy.tally[], hrpolicy.tally[]),
    hrpolicy.person_day_repeats_accum(internal, text, date),
    hrpolicy.person_day_repeats_combine(internal, internal),
    hrpolicy.person_day_repeats_serialize(internal),
    hrpolicy.person_day_repeats_deserialize(bytea, internal),
    hrpolicy.person_day_repeats_final(internal),
    hrpolicy.person_tally_accum(internal, ltree, date, text, text[], hrpolicy.period_filter[],
                                hrpolicy.period_fact[]),
    hrpolicy.person_tally_combine(internal, internal),
    hrpolicy.person_tally_serialize(internal),
    hrpolicy.person_tally_deserialize(bytea, internal),
    hrpolicy.person_tally_tallies(internal),
    hrpolicy.person_tally_units(internal),
    hrpolicy.person_tally_entries(internal)
FROM PUBLIC;
