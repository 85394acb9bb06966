-- The words users type: unit labels from codes and names, and the nearest
-- word to a misspelt one (words.c).

CREATE FUNCTION hrpolicy.label(name text) RETURNS text
    AS 'MODULE_PATHNAME', 'label' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.label(text) IS
    'an ltree label from a unit''s code or name: letters and digits in lower case (Latin diacritics dropped), every other run of characters one _, never empty: ''PEMKOT-PROBOLINGGO'' -> pemkot_probolinggo, ''4.01.01'' -> 4_01_01';

CREATE FUNCTION hrpolicy.nearest_word(word text, candidates text[]) RETURNS text
    AS 'MODULE_PATHNAME', 'nearest_word' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.nearest_word(text, text[]) IS
    'the candidate nearest to word by edit distance when near enough to be a misspelling of it (1 edit up to 5 characters, 2 up to 8, a third of the length beyond; case aside), NULL when none is or word is among them; ties go to the earlier candidate';
