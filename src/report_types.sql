-- The rule book of one report, as the report query receives it: one entry
-- per filter that tally_each() counts, numbered k from 1 in the order of
-- the filters.  what is 'rule' (a rule of the period's book), 'pair' (for
-- conflicts(): a cap cap_k and a minimum min_k that could conflict) or
-- 'word' (for diagnose(): a tag or status the rules name).
CREATE TYPE hrpolicy.report_entry AS (
    k integer,
    what text,
    policy text,
    policy_scope ltree,
    in_force hrpolicy.validity,
    rule text,
    defined_by text,
    quota hrpolicy.quota,
    counts text[],
    who text[],
    unless text[],
    excused text[],
    only_when text,
    cap_k integer,
    min_k integer,
    is_tag boolean,
    word text,
    filter hrpolicy.rule_filter
);
COMMENT ON TYPE hrpolicy.report_entry IS
    'internal: an entry of a report''s rule book (a rule, a pair of rules that could conflict, or a word the rules name) with the filter tally_each() counts for it';

-- A person rule as person_tallies() reads it: the filter of rule_filter,
-- then its reach (the days in force, both inclusive, NULL for an open end;
-- the decree's scope as a dotted path, NULL for every unit; only_when),
-- also: the number of another entry whose reach must hold too (the pairs
-- of capacity_conflicts()), and tally: the number of the tally it counts
-- in, NULL for its own (the entries of one rule row that several decrees
-- apply, an amended one and its amender, share one: a row counts once).
CREATE TYPE hrpolicy.period_filter AS (
    counts text[], who text[], unless text[], excused text[],
    first_day date, last_day date, scope text, only_when text, also integer,
    tally integer);
COMMENT ON TYPE hrpolicy.period_filter IS
    'internal: a person-period rule as hrpolicy.person_tallies() counts it: its filter, the days in force, the scope (a dotted path) and only_when';

-- A circumstance as person_tallies() reads it.
CREATE TYPE hrpolicy.period_fact AS (scope text, first_day date, last_day date, label text);
COMMENT ON TYPE hrpolicy.period_fact IS
    'internal: a circumstance as hrpolicy.person_tallies() reads it: a scope (a dotted path), its days (both inclusive) and its label';
