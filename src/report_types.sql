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
