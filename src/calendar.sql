-- A picture of compliance: one row per unit, one column per day, each cell
-- coloured by the worst verdict of that unit-day.  calendar_cells() judges
-- the cells in the one pass over the roster that compliance() makes;
-- calendar_grid() lays them out, with weekends and days without roster
-- rows; calendar_svg() draws them as an SVG document and calendar() as
-- lines of text for psql.  Their words are translated like the messages;
-- every text from the catalog or the roster (unit paths, decree codes and
-- titles, report sentences) goes through xml_text() into the SVG.

-- A text as XML character data or attribute value: markup characters
-- escaped, and the characters XML 1.0 cannot hold at all (control
-- characters but tab and newline, U+FFFE and U+FFFF) left out.
CREATE FUNCTION hrpolicy.xml_text(value text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           pg_catalog.regexp_replace(
               CASE WHEN pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.=) 'UTF8'
                    THEN pg_catalog.translate(value, pg_catalog.chr(65534) OPERATOR(pg_catalog.||) pg_catalog.chr(65535), '')
                    ELSE value END,
               '[\x01-\x08\x0b\x0c\x0e-\x1f]', '', 'g'),
           '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION hrpolicy.xml_text(text) IS
    'internal: a text escaped for XML character data and attribute values, without the characters XML cannot hold';

-- The verdict of each unit-day of the period that the roster has rows for:
-- over (a cap broken), short (a minimum not met), close (every cap kept,
-- one with at most a tenth of its heads to spare), ok, no-rule (no rule in
-- force there); the report sentences of its rules and the decrees that
-- gave them.  One pass over the roster, as compliance() makes: the same
-- report query, whose unit-days without a rule are kept.
CREATE FUNCTION hrpolicy.calendar_cells(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (unit ltree, day date, verdict text, detail text, policies text[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off AS $$
DECLARE
    roster regclass;
    book hrpolicy.report_entry[];
    sqlstate_ text;
    message_ text;
    detail_ text;
    hint_ text;
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    roster := hrpolicy.roster();
    book := ARRAY(SELECT e FROM hrpolicy.report_book(from_day, through_day, scope, 'compliance') e);
    RETURN QUERY EXECUTE hrpolicy.report_query(roster, 'compliance', $q$
SELECT u.unit, u.day,
       CASE j.rank WHEN 4 THEN 'over' WHEN 3 THEN 'short' WHEN 2 THEN 'close' WHEN 1 THEN 'ok'
                   ELSE 'no-rule' END,
       j.detail, coalesce(j.policies, '{}')
FROM unit_days u
LEFT JOIN (
    SELECT t.unit_key, t.day,
           pg_catalog.max(CASE WHEN NOT t.ok AND t.cap THEN 4
                               WHEN NOT t.ok THEN 3
                               WHEN t.cap AND hrpolicy.headroom(t.tally, t.quota) OPERATOR(pg_catalog.*) 10
                                              OPERATOR(pg_catalog.<=) hrpolicy.quota_limit(t.quota, hrpolicy.total(t.tally))
                               THEN 2
                               ELSE 1 END) AS rank,
           pg_catalog.string_agg(hrpolicy.explanation(t.tally, t.quota, t.policy, t.rule, t.defined_by,
                                                      t.counts, t.who, t.unless),
                                 E'\n' ORDER BY t.policy, t.rule) AS detail,
           pg_catalog.array_agg(DISTINCT t.policy) AS policies
    FROM (SELECT x.*, x.tally OPERATOR(hrpolicy.<@) x.quota AS ok, hrpolicy.is_cap(x.quota) AS cap
          FROM tallied x) t
    GROUP BY t.unit_key, t.day) j
  ON j.unit_key OPERATOR(pg_catalog.=) u.unit_key AND j.day OPERATOR(pg_catalog.=) u.day$q$)
        USING from_day, through_day, scope, book, hrpolicy.book_filters(book);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster IS NULL THEN
        RAISE;                  -- the period or the roster's own check
    END IF;
    PERFORM hrpolicy.raise_from_report('calendar', roster, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.calendar_cells(date, date, ltree) IS
    'internal: the worst verdict of each unit-day of the period (over, short, close, ok, no-rule), its report sentences and decrees';

-- The grid of a calendar: every unit of the cells by every day of the
-- period, weekend and no-roster where no cell is, each verdict with its
-- colour, mark and words.  A picture is of at most 366 days.
CREATE FUNCTION hrpolicy.calendar_grid(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (row_number integer, unit ltree, column_number integer, day date, verdict text,
               detail text, policies text[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    IF NOT pg_catalog.isfinite(from_day) OR NOT pg_catalog.isfinite(through_day) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('a calendar shows days, not %s through %s'), from_day, through_day),
                  ERRCODE = 'datetime_field_overflow',
                  HINT = hrpolicy.gettext('Draw one calendar a month or a year.');
    END IF;
    IF through_day OPERATOR(pg_catalog.-) from_day OPERATOR(pg_catalog.>=) 366 THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('a calendar shows at most 366 days, not %s'),
                                                            through_day OPERATOR(pg_catalog.-) from_day OPERATOR(pg_catalog.+) 1),
                  ERRCODE = 'invalid_parameter_value',
                  HINT = hrpolicy.gettext('Draw one calendar a month or a year.');
    END IF;
    RETURN QUERY
    WITH cells AS MATERIALIZED (
        SELECT c.unit, c.unit::text AS unit_key, c.day, c.verdict, c.detail, c.policies
        FROM hrpolicy.calendar_cells(from_day, through_day, scope) c),
    units AS (
        SELECT (pg_catalog.row_number() OVER (ORDER BY u.unit))::integer AS i, u.unit, u.unit_key
        FROM (SELECT DISTINCT c.unit, c.unit_key FROM cells c) u),
    days AS (
        SELECT (pg_catalog.row_number() OVER (ORDER BY d))::integer AS j, d::date AS day
        FROM pg_catalog.generate_series(from_day::timestamp, through_day::timestamp, interval '1 day') d)
    SELECT u.i, u.unit, d.j, d.day,
           coalesce(c.verdict,
                    CASE WHEN pg_catalog.date_part('isodow', d.day) OPERATOR(pg_catalog.>) 5 THEN 'weekend'
                         ELSE 'no-roster' END),
           c.detail, coalesce(c.policies, '{}')
    FROM units u
    CROSS JOIN days d
    LEFT JOIN cells c ON c.unit_key OPERATOR(pg_catalog.=) u.unit_key AND c.day OPERATOR(pg_catalog.=) d.day;
END
$$;
COMMENT ON FUNCTION hrpolicy.calendar_grid(date, date, ltree) IS
    'internal: every unit by every day of the period with its verdict (weekend and no-roster where the roster has no rows)';

-- The verdicts, worst first, as the calendars draw them.
CREATE FUNCTION hrpolicy.calendar_legend()
RETURNS TABLE (n integer, verdict text, colour text, mark text, words text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT v.n, v.verdict, v.colour, v.mark, hrpolicy.gettext(v.words)
    FROM (VALUES (1, 'over', '#d32f2f', 'X', 'over a cap'),
                 (2, 'short', '#1565c0', 'v', 'short of a minimum'),
                 (3, 'close', '#ffb300', '!', 'close to a cap: a tenth of its heads or fewer to spare'),
                 (4, 'ok', '#43a047', '.', 'every rule kept'),
                 (5, 'no-rule', '#90a4ae', 'o', 'no rule in force'),
                 (6, 'weekend', '#e0e0e0', ' ', 'weekend, no roster rows'),
                 (7, 'no-roster', '#d7ccc8', '_', 'working day without roster rows (a holiday?)'))
         AS v (n, verdict, colour, mark, words)
    ORDER BY v.n;
END;
COMMENT ON FUNCTION hrpolicy.calendar_legend() IS
    'internal: each verdict of a calendar with its colour, its mark in calendar() and its words';

-- The words of the legend, marked for the translators (calendar_legend()
-- passes them to hrpolicy.gettext as values, which po_sql.py cannot see).
--   hrpolicy.gettext('over a cap')
--   hrpolicy.gettext('short of a minimum')
--   hrpolicy.gettext('close to a cap: a tenth of its heads or fewer to spare')
--   hrpolicy.gettext('every rule kept')
--   hrpolicy.gettext('no rule in force')
--   hrpolicy.gettext('weekend, no roster rows')
--   hrpolicy.gettext('working day without roster rows (a holiday?)')

-- The weekday initials over the columns, marked for the translators:
--   hrpolicy.gettext('Mo') hrpolicy.gettext('Tu') hrpolicy.gettext('We') hrpolicy.gettext('Th')
--   hrpolicy.gettext('Fr') hrpolicy.gettext('Sa') hrpolicy.gettext('Su')

CREATE FUNCTION hrpolicy.calendar_svg(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS text
LANGUAGE sql STABLE PARALLEL UNSAFE
RETURN (
WITH g AS MATERIALIZED (SELECT * FROM hrpolicy.calendar_grid(from_day, through_day, scope)),
legend AS (SELECT l.n OPERATOR(pg_catalog.-) 1 AS n, l.verdict, l.colour, l.words
           FROM hrpolicy.calendar_legend() l),
days AS (SELECT (pg_catalog.row_number() OVER (ORDER BY x.d))::integer AS j, x.d::date AS day,
                pg_catalog.date_part('isodow', x.d) OPERATOR(pg_catalog.>) 5 AS weekend,
                (ARRAY['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'])[pg_catalog.date_part('isodow', x.d)::integer] AS initial
         FROM pg_catalog.generate_series(from_day::timestamp, through_day::timestamp, interval '1 day') x(d)),
decrees AS (SELECT d.code, p.title, (pg_catalog.row_number() OVER (ORDER BY d.code))::integer AS n
            FROM (SELECT DISTINCT pg_catalog.unnest(g.policies) AS code FROM g) d
            LEFT JOIN hrpolicy.policy p ON p.code OPERATOR(pg_catalog.=) d.code),
-- the layout: cells of 24 by 20 below a title and the days' header, the
-- units' paths to their left, the legend (7 lines of 18) and the decrees
-- (lines of 16) below.  OPERATOR() gives every operator one precedence:
-- hence the parentheses.
dims AS (SELECT 8 OPERATOR(pg_catalog.+) (7 OPERATOR(pg_catalog.*)
                    coalesce((SELECT pg_catalog.max(pg_catalog.length(g.unit::text)) FROM g), 4)) AS label_w,
                64 AS grid_top, 24 AS cell_w, 20 AS cell_h,
                coalesce((SELECT pg_catalog.max(g.row_number) FROM g), 0) AS n_units,
                (SELECT pg_catalog.count(*) FROM days)::integer AS n_days,
                (SELECT pg_catalog.count(*) FROM decrees)::integer AS n_decrees,
                pg_catalog.format(hrpolicy.gettext('Attendance against the decrees: %s, %s to %s'),
                                  coalesce(scope::text, hrpolicy.gettext('every unit')), from_day, through_day) AS title),
box AS (SELECT d.*, d.grid_top OPERATOR(pg_catalog.+) (GREATEST(d.n_units, 1) OPERATOR(pg_catalog.*) d.cell_h)
                        OPERATOR(pg_catalog.+) 24 AS legend_top,
               GREATEST(d.label_w OPERATOR(pg_catalog.+) (d.n_days OPERATOR(pg_catalog.*) d.cell_w)
                                   OPERATOR(pg_catalog.+) 20,
                        20 OPERATOR(pg_catalog.+) (9 OPERATOR(pg_catalog.*) pg_catalog.length(d.title)),
                        560) AS width
        FROM dims d),
page AS (SELECT b.*, b.legend_top OPERATOR(pg_catalog.+) 146 AS decrees_top,
                b.legend_top OPERATOR(pg_catalog.+) 162
                    OPERATOR(pg_catalog.+) (16 OPERATOR(pg_catalog.*) b.n_decrees) AS height
         FROM box b)
SELECT pg_catalog.concat_ws(E'\n',
    '<?xml version="1.0" encoding="UTF-8"?>',
    pg_catalog.format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11">',
                      p.width, p.height, p.width, p.height),
    pg_catalog.format('<rect width="%s" height="%s" fill="#ffffff"/>', p.width, p.height),
    -- the title
    pg_catalog.format('<text x="10" y="22" font-size="15" font-weight="bold">%s</text>', hrpolicy.xml_text(p.title)),
    -- the days: weekday initial and day of the month over each column, weekends grey
    (SELECT pg_catalog.string_agg(pg_catalog.format(
                '<text x="%s" y="%s" text-anchor="middle"%s>%s</text><text x="%s" y="%s" text-anchor="middle"%s>%s</text>',
                p.label_w OPERATOR(pg_catalog.+) ((d.j OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) p.cell_w) OPERATOR(pg_catalog.+) (p.cell_w OPERATOR(pg_catalog./) 2),
                p.grid_top OPERATOR(pg_catalog.-) 20,
                CASE WHEN d.weekend THEN ' fill="#9e9e9e"' ELSE '' END,
                hrpolicy.xml_text(hrpolicy.gettext(d.initial)),
                p.label_w OPERATOR(pg_catalog.+) ((d.j OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) p.cell_w) OPERATOR(pg_catalog.+) (p.cell_w OPERATOR(pg_catalog./) 2),
                p.grid_top OPERATOR(pg_catalog.-) 6,
                CASE WHEN d.weekend THEN ' fill="#9e9e9e"' ELSE '' END,
                pg_catalog.date_part('day', d.day)), E'\n' ORDER BY d.j)
     FROM days d),
    -- the units, one a row
    (SELECT pg_catalog.string_agg(pg_catalog.format('<text x="%s" y="%s" text-anchor="end">%s</text>',
                p.label_w OPERATOR(pg_catalog.-) 6,
                p.grid_top OPERATOR(pg_catalog.+) ((u.row_number OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) p.cell_h) OPERATOR(pg_catalog.+) 14,
                hrpolicy.xml_text(u.unit::text)), E'\n' ORDER BY u.row_number)
     FROM (SELECT DISTINCT g.row_number, g.unit::text AS unit FROM g) u),
    -- the cells, each with its unit, day, verdict and sentences on hover
    '<g shape-rendering="crispEdges" stroke="#ffffff" stroke-width="1">',
    (SELECT pg_catalog.string_agg(pg_catalog.format(
                '<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>',
                g.verdict,
                p.label_w OPERATOR(pg_catalog.+) ((g.column_number OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) p.cell_w),
                p.grid_top OPERATOR(pg_catalog.+) ((g.row_number OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) p.cell_h),
                p.cell_w, p.cell_h, l.colour,
                hrpolicy.xml_text(pg_catalog.concat_ws(E'\n',
                    pg_catalog.format('%s, %s: %s', g.unit, g.day, l.words), g.detail))),
                E'\n' ORDER BY g.row_number, g.column_number)
     FROM g JOIN legend l ON l.verdict OPERATOR(pg_catalog.=) g.verdict),
    '</g>',
    CASE WHEN p.n_units OPERATOR(pg_catalog.=) 0
         THEN pg_catalog.format('<text x="10" y="%s">%s</text>', p.grid_top OPERATOR(pg_catalog.+) 14,
                                hrpolicy.xml_text(hrpolicy.gettext('The roster has no rows and no rule judges any unit in this period.')))
    END,
    -- the legend
    (SELECT pg_catalog.string_agg(pg_catalog.format(
                '<rect x="10" y="%s" width="14" height="14" fill="%s" stroke="#616161"/><text x="30" y="%s">%s</text>',
                p.legend_top OPERATOR(pg_catalog.+) (18 OPERATOR(pg_catalog.*) l.n), l.colour,
                p.legend_top OPERATOR(pg_catalog.+) (18 OPERATOR(pg_catalog.*) l.n) OPERATOR(pg_catalog.+) 11,
                hrpolicy.xml_text(l.words)), E'\n' ORDER BY l.n)
     FROM legend l),
    -- the decrees that judged the cells, with their titles
    pg_catalog.format('<text x="10" y="%s" font-weight="bold">%s</text>', p.decrees_top,
                      hrpolicy.xml_text(CASE WHEN p.n_decrees OPERATOR(pg_catalog.=) 0
                                             THEN hrpolicy.gettext('No decree judged these days.')
                                             ELSE hrpolicy.gettext('Decrees applied:') END)),
    (SELECT pg_catalog.string_agg(pg_catalog.format('<text x="10" y="%s">%s%s</text>',
                p.decrees_top OPERATOR(pg_catalog.+) (16 OPERATOR(pg_catalog.*) x.n),
                hrpolicy.xml_text(x.code),
                CASE WHEN x.title IS NULL THEN ''
                     ELSE ': ' OPERATOR(pg_catalog.||) hrpolicy.xml_text(x.title) END), E'\n' ORDER BY x.n)
     FROM decrees x),
    '</svg>')
FROM page p);
COMMENT ON FUNCTION hrpolicy.calendar_svg(date, date, ltree) IS
    'an SVG picture of the period: a row per unit, a column per day, each cell coloured by the worst verdict of that unit-day, its sentences on hover, a legend and the decrees applied';

CREATE FUNCTION hrpolicy.calendar(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
WITH g AS MATERIALIZED (SELECT * FROM hrpolicy.calendar_grid(from_day, through_day, scope)),
w AS (SELECT coalesce(pg_catalog.max(pg_catalog.length(g.unit::text)), 4) OPERATOR(pg_catalog.+) 1 AS label_w FROM g),
days AS (SELECT x.d::date AS day FROM pg_catalog.generate_series(from_day::timestamp, through_day::timestamp, interval '1 day') x(d)),
lines AS (
    SELECT 0 AS k, 0 AS n, pg_catalog.format(hrpolicy.gettext('Attendance against the decrees: %s, %s to %s'),
                                             coalesce(scope::text, hrpolicy.gettext('every unit')), from_day, through_day) AS line
    UNION ALL
    -- two header lines: the tens and the units of each day of the month
    SELECT 1, 0, pg_catalog.rpad('', w.label_w) OPERATOR(pg_catalog.||)
           (SELECT pg_catalog.string_agg(CASE WHEN pg_catalog.date_part('day', d.day) OPERATOR(pg_catalog.>=) 10
                                              THEN (pg_catalog.date_part('day', d.day)::integer OPERATOR(pg_catalog./) 10)::text
                                              ELSE ' ' END, '' ORDER BY d.day) FROM days d)
    FROM w
    UNION ALL
    SELECT 1, 1, pg_catalog.rpad('', w.label_w) OPERATOR(pg_catalog.||)
           (SELECT pg_catalog.string_agg((pg_catalog.date_part('day', d.day)::integer OPERATOR(pg_catalog.%) 10)::text, '' ORDER BY d.day)
            FROM days d)
    FROM w
    UNION ALL
    SELECT 2, g.row_number, pg_catalog.rpad(g.unit::text, w.label_w) OPERATOR(pg_catalog.||)
           pg_catalog.string_agg(l.mark, '' ORDER BY g.column_number)
    FROM g JOIN hrpolicy.calendar_legend() l ON l.verdict OPERATOR(pg_catalog.=) g.verdict, w
    GROUP BY g.row_number, g.unit::text, w.label_w
    UNION ALL
    SELECT 3, 0, ''
    UNION ALL
    SELECT 4, l.n,
           pg_catalog.format('%s  %s', CASE l.mark WHEN ' ' THEN hrpolicy.gettext('(blank)') ELSE l.mark END, l.words)
    FROM hrpolicy.calendar_legend() l)
SELECT x.line FROM lines x ORDER BY x.k, x.n;
END;
COMMENT ON FUNCTION hrpolicy.calendar(date, date, ltree) IS
    'the picture of calendar_svg() as lines of text for psql: a row per unit, a mark per day for the worst verdict, and the legend';
