-- hrpolicy is a trusted extension: a database owner who is not a superuser
-- may create it.  Its objects are then owned by the bootstrap superuser,
-- so the role that created it gets every right on the catalog, with the
-- right to grant them on (see the README for a reader and a writer role).
-- Other roles get nothing on the tables; functions stay executable by all,
-- as they read only what the caller may read.
GRANT USAGE ON SCHEMA hrpolicy TO @extowner@ WITH GRANT OPTION;
GRANT ALL ON TABLE hrpolicy.policy, hrpolicy.rule, hrpolicy.circumstance,
                   hrpolicy.roster_source
    TO @extowner@ WITH GRANT OPTION;
GRANT SELECT ON TABLE hrpolicy.enforcement TO @extowner@ WITH GRANT OPTION;
