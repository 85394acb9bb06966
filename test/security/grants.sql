-- The grants the README recommends: analysts read, officers record decrees.
GRANT USAGE ON SCHEMA hrpolicy TO hrp_reader, hrp_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA hrpolicy TO hrp_reader, hrp_writer;
GRANT INSERT, UPDATE, DELETE ON hrpolicy.policy, hrpolicy.rule, hrpolicy.circumstance TO hrp_writer;
GRANT SELECT ON att TO hrp_reader;
