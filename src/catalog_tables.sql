-- The policy catalog: decrees (policy), their quota rules (rule), the
-- facts that switch conditional rules on (circumstance), and the roster
-- chosen for the reports (roster_source).  The tables hold the users' rows:
-- an upgrade keeps them, while the functions and triggers that check them
-- (catalog.sql) are made anew.
--
-- Row-local rules are CHECK constraints (they hold even with triggers
-- disabled); a BEFORE trigger raises the same refusals first, with a message
-- that names the decree and says what is wrong.  Rules between rows (amends
-- and revokes name existing decrees, no amendment cycles) are deferrable
-- constraint triggers, so a set of decrees can be loaded in any order with
-- SET CONSTRAINTS ALL DEFERRED.

CREATE TABLE hrpolicy.policy (
    code text PRIMARY KEY,
    title text,
    issuer text,
    issued_on date,
    valid hrpolicy.validity NOT NULL,
    scope ltree,
    amends text[] NOT NULL DEFAULT '{}',
    revokes text[] NOT NULL DEFAULT '{}',
    note text,
    CONSTRAINT policy_code_not_blank CHECK (pg_catalog.btrim(code) OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT policy_window_not_empty CHECK (NOT pg_catalog.isempty(valid)),
    CONSTRAINT policy_amends_not_self CHECK (NOT code OPERATOR(pg_catalog.=) ANY (amends)),
    CONSTRAINT policy_revokes_not_self CHECK (NOT code OPERATOR(pg_catalog.=) ANY (revokes)),
    CONSTRAINT policy_references_not_null CHECK (
        pg_catalog.array_position(amends, NULL::text) IS NULL
        AND pg_catalog.array_position(revokes, NULL::text) IS NULL)
);
COMMENT ON TABLE hrpolicy.policy IS
    'decrees: a code, a window in force, the units covered (scope: NULL = every unit, else that subtree), and the decrees it amends or revokes';
COMMENT ON COLUMN hrpolicy.policy.code IS 'the decree''s number, as cited by others (e.g. SE-67/2020)';
COMMENT ON COLUMN hrpolicy.policy.valid IS 'the window in force, both ends inclusive; an open end means until revoked';
COMMENT ON COLUMN hrpolicy.policy.scope IS 'the unit path covered with everything below it; NULL covers every unit';
COMMENT ON COLUMN hrpolicy.policy.amends IS 'decrees this one amends: from its first day their rules apply only through it, overridden by name';
COMMENT ON COLUMN hrpolicy.policy.revokes IS 'decrees this one revokes: they end the day before its first day';

CREATE INDEX policy_valid_idx ON hrpolicy.policy USING gist (valid);
CREATE INDEX policy_scope_idx ON hrpolicy.policy USING gist (scope);
CREATE INDEX policy_scope_btree_idx ON hrpolicy.policy (scope);
-- Decrees for every unit (scope NULL): a GiST index finds NULLs only by
-- reading all of itself.
CREATE INDEX policy_unscoped_idx ON hrpolicy.policy USING gist (valid) WHERE scope IS NULL;
-- Resolution probes these per decree in force; without a pending list every
-- probe is a single index descent.
CREATE INDEX policy_amends_idx ON hrpolicy.policy USING gin (amends) WITH (fastupdate = off);
CREATE INDEX policy_revokes_idx ON hrpolicy.policy USING gin (revokes) WITH (fastupdate = off);

CREATE TABLE hrpolicy.rule (
    policy text NOT NULL REFERENCES hrpolicy.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    name text NOT NULL,
    quota hrpolicy.quota NOT NULL,
    counts text[] NOT NULL DEFAULT '{office}',
    who text[] NOT NULL DEFAULT '{}',
    unless text[] NOT NULL DEFAULT '{}',
    excused text[] NOT NULL DEFAULT '{}',
    only_when text,
    per text NOT NULL DEFAULT 'unit-day',
    CONSTRAINT rule_policy_name_only_when_key UNIQUE NULLS NOT DISTINCT (policy, name, only_when),
    CONSTRAINT rule_name_not_blank CHECK (pg_catalog.btrim(name) OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT rule_counts_not_empty CHECK (pg_catalog.cardinality(counts) OPERATOR(pg_catalog.>) 0),
    CONSTRAINT rule_lists_not_null CHECK (
        pg_catalog.array_position(counts, NULL::text) IS NULL
        AND pg_catalog.array_position(who, NULL::text) IS NULL
        AND pg_catalog.array_position(unless, NULL::text) IS NULL
        AND pg_catalog.array_position(excused, NULL::text) IS NULL),
    CONSTRAINT rule_counts_not_excused CHECK (NOT counts OPERATOR(pg_catalog.&&) excused),
    CONSTRAINT rule_who_not_unless CHECK (NOT who OPERATOR(pg_catalog.&&) unless),
    CONSTRAINT rule_only_when_not_blank CHECK (
        pg_catalog.ltrim(only_when, '!') OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT rule_per_known CHECK (
        per OPERATOR(pg_catalog.=) ANY (ARRAY['unit-day', 'person-week', 'person-month']))
);
COMMENT ON TABLE hrpolicy.rule IS
    'quota rules of a decree: on each unit and day, the roster rows whose tags contain all of who and none of unless, less those whose status is excused, form the base; the part counts those whose status is in counts';
COMMENT ON COLUMN hrpolicy.rule.name IS 'the rule''s name; an amending decree overrides an amended decree''s rule of the same name';
COMMENT ON COLUMN hrpolicy.rule.counts IS 'statuses counted in the part (default: office)';
COMMENT ON COLUMN hrpolicy.rule.who IS 'tags a roster row must all have to be covered (default: everyone)';
COMMENT ON COLUMN hrpolicy.rule.unless IS 'tags that exempt a roster row (e.g. over55)';
COMMENT ON COLUMN hrpolicy.rule.excused IS 'statuses that leave the base (e.g. leave, sick)';
COMMENT ON COLUMN hrpolicy.rule.only_when IS
    'a circumstance label: the rule applies to a unit on a day only when such a circumstance covers them; !label: only when none does';
COMMENT ON COLUMN hrpolicy.rule.per IS
    'what the quota bounds: unit-day (the unit''s heads on each day), person-week (each person''s days in an ISO week, Monday to Sunday) or person-month (in a calendar month)';

CREATE TABLE hrpolicy.circumstance (
    scope ltree NOT NULL,
    valid hrpolicy.validity NOT NULL,
    label text NOT NULL,
    note text,
    CONSTRAINT circumstance_window_not_empty CHECK (NOT pg_catalog.isempty(valid)),
    CONSTRAINT circumstance_label_plain CHECK (
        pg_catalog.btrim(label) OPERATOR(pg_catalog.<>) ''
        AND pg_catalog.left(label, 1) OPERATOR(pg_catalog.<>) '!')
);
COMMENT ON TABLE hrpolicy.circumstance IS
    'labelled facts about a unit subtree over a window (zone:high, ppkm:3, closed, public-service); rules with only_when apply where they hold';

CREATE INDEX circumstance_label_idx ON hrpolicy.circumstance (label);
CREATE INDEX circumstance_scope_idx ON hrpolicy.circumstance USING gist (scope);
CREATE INDEX circumstance_valid_idx ON hrpolicy.circumstance USING gist (valid);

-- pg_dump keeps the rows users put in the catalog.
SELECT pg_catalog.pg_extension_config_dump('hrpolicy.policy', '');
SELECT pg_catalog.pg_extension_config_dump('hrpolicy.rule', '');
SELECT pg_catalog.pg_extension_config_dump('hrpolicy.circumstance', '');

-- The roster the reports read, as chosen with use_roster() (roster.sql): kept
-- by name (schema-qualified and quoted), so that it survives reconnects,
-- pg_dump and pg_upgrade (which refuses reg* columns in user tables).
CREATE TABLE hrpolicy.roster_source (
    singleton boolean PRIMARY KEY DEFAULT true,
    relation text NOT NULL,
    chosen_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    chosen_by name NOT NULL DEFAULT CURRENT_USER,
    CONSTRAINT roster_source_one_row CHECK (singleton)
);
COMMENT ON TABLE hrpolicy.roster_source IS
    'the relation the reports read as the roster, as set by hrpolicy.use_roster()';
SELECT pg_catalog.pg_extension_config_dump('hrpolicy.roster_source', '');
