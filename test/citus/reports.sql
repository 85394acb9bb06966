-- Every report over the loaded sample, as (report, row as text), for
-- make test-citus to compare a single node's answers with the cluster's.
-- Variables: from_day, through_day (the period loaded).
COPY (
    SELECT 'compliance', c::text FROM hrpolicy.compliance(:'from_day', :'through_day') c
    UNION ALL
    SELECT 'compliance kupang', c::text FROM hrpolicy.compliance(:'from_day', :'through_day', 'kupang') c
    UNION ALL
    SELECT 'violations', v::text FROM hrpolicy.violations(:'from_day', :'through_day') v
    UNION ALL
    SELECT 'conflicts', c::text FROM hrpolicy.conflicts(:'from_day', :'through_day') c
    UNION ALL
    SELECT 'diagnose', d::text FROM hrpolicy.diagnose(:'from_day', :'through_day') d
    UNION ALL
    SELECT 'rules_in_force', concat_ws(' ', u.path, d.day, r::text)
    FROM sample.unit_path u
    CROSS JOIN (VALUES (:'from_day'::date), ('2020-11-23'), ('2020-12-08'), (:'through_day'::date)) d (day)
    CROSS JOIN LATERAL hrpolicy.rules_in_force(d.day, u.path) r
) TO STDOUT;
