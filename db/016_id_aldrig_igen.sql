-- 016: an id is never given out again (issue 13). Without AUTOINCREMENT SQLite hands the highest id of a table
-- to the next new row once that row is deleted, so after a merge of duplicates (person, mottagare) or the removal
-- of a meeting, an item or a handling, a view, a script or an exported file still holding the old id would address
-- a different row: a decision sent to the wrong recipient. Every table whose rows can be deleted or merged away and
-- whose ids are held outside one transaction gets AUTOINCREMENT by SQLite's table rebuild
-- (https://www.sqlite.org/lang_altertable.html#otheralter), which the runner (store/migrations.py) carries out for
-- the tables named on the line below, from the store's own schema: new table, copy, drop, rename, and the table's
-- indexes and triggers (audit trail, justering lock, secrecy, normalisation) recreated exactly as they were
-- written; views name tables by name and need nothing. Foreign keys are off meanwhile and checked before commit.
-- Not rebuilt: the append-only records whose triggers refuse DELETE (andring, lasning, sekretess_havd,
-- datumrattelse, register_identitet), rows that are never deleted (offentliggorande, normalisering) and the
-- WITHOUT ROWID tables keyed by (parent, nr) rather than a generated id (paragraf_mottagare, beslut, yrkande, rost,
-- anteckning, justerare, beslutsmottagare, utskick).
-- nämndtool: autoincrement namnd organ person uppdrag mottagare arende handling tjansteskrivelse
-- nämndtool: autoincrement sammantrade dagordningspunkt protokoll narvaro paragraf delegationsbeslut

-- Each counts on from the highest id it holds or is known to have held: its rows (recorded by the copy), the
-- removed rows in the audit trail, the merged-away rows in normalisering, and the ärenden and meetings the audit
-- trail names.
INSERT INTO sqlite_sequence (name, seq)
WITH rebuilt (name) AS (VALUES ('namnd'), ('organ'), ('person'), ('uppdrag'), ('mottagare'), ('arende'),
    ('handling'), ('tjansteskrivelse'), ('sammantrade'), ('dagordningspunkt'), ('protokoll'), ('narvaro'),
    ('paragraf'), ('delegationsbeslut'))
SELECT name, 0 FROM rebuilt WHERE name NOT IN (SELECT name FROM sqlite_sequence);

UPDATE sqlite_sequence SET seq = max(seq, coalesce((
    WITH seen (name, id) AS (
        SELECT tabell, CAST(json_extract(fore, '$.id') AS INTEGER) FROM andring
        WHERE handelse = 'borttagen' AND json_valid(fore)
        UNION ALL SELECT tabell, dubblett_id FROM normalisering
        UNION ALL SELECT 'arende', arende_id FROM andring
        UNION ALL SELECT 'sammantrade', sammantrade_id FROM andring
    )
    SELECT max(id) FROM seen WHERE seen.name = sqlite_sequence.name), 0));
