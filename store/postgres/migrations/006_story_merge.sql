-- Orders story severities for the order-independent story merge in InsertItems.
CREATE OR REPLACE FUNCTION sitrep_severity_rank(s text) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE s WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END $$;
