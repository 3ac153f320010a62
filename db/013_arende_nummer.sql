-- 013: the diary number KOD/ÅÅÅÅ:N defined once. Every query that shows an ärende's number joins this view
-- instead of spelling the expression out. An ärende without a number (lopnr NULL) has diarienummer NULL.
-- The nämnd's code is looked up by a subquery, not a join, so the view has one table in its FROM and SQLite
-- flattens it into a query even on the right of a LEFT JOIN: a join on arende_id costs one primary-key lookup.

CREATE VIEW arende_nummer AS
SELECT a.id AS arende_id,
       CASE WHEN a.lopnr IS NOT NULL
            THEN (SELECT n.kod FROM namnd n WHERE n.id = a.namnd_id) || '/' || a.ar || ':' || a.lopnr END AS diarienummer
FROM arende a;

-- The search index (db/002) takes its number from the same definition.
DROP VIEW arende_sokbar_text;
CREATE VIEW arende_sokbar_text AS
SELECT a.id AS rowid, an.diarienummer, a.rubrik, a.offentlig_rubrik, a.klassificering, a.extern_referens
FROM arende a JOIN arende_nummer an ON an.arende_id = a.id;
