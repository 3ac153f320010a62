-- 019: the audit trail records what changed, not whole rows (issue 15).
--
-- Until now every insert, update and delete wrote the whole row as JSON, before and after: on a ten-year store
-- that was 288 MB of a 470 MB file (61 %), nearly all of it copies of rows the tables themselves hold. From here:
--   ny         only the record's key (`rad`). The row as inserted is the row now (or as it was deleted) with every
--              later change undone, and every later change records the old values of what it changed.
--   ändrad     `rad` is the key before the change; `fore`/`efter` hold the old and new values of the columns that
--              changed, nothing else. NULL values are left out (a column on one side only was NULL on the other).
--              An update that changes nothing still writes a row, `{}` on both sides: it was a save that gave the
--              record a new version, and the trail keeps who made it.
--   borttagen  the whole row as it was deleted (NULL values left out): where the record's history ends.
-- Every update of a versioned table (arende, tjansteskrivelse, sammantrade) is recorded except the version bump of
-- db/005 alone; an update that also set the version by hand used to go unrecorded, and inserts are now rebuilt from
-- every change being recorded.
-- The guarantees are those of db/005: the triggers write in the same transaction with the OS user (app_user(),
-- so a connection without it still cannot change a recorded table), the trail cannot be changed or emptied,
-- and reads of secret ärenden are still logged in `lasning` (unchanged here).
--
-- The triggers are generated from one description (AUDITED in nämndtool/store/audit.py) and the columns the
-- tables have now, by the step `andringslogg_triggrar`; a later migration that adds or rebuilds a recorded table
-- asks for them again with `-- nämndtool: step andringslogg_triggrar <tabell> …`. Columns added by migrations after
-- db/005 without new triggers (protokoll.anslag_datum_registrerat, omedelbar_anslag_registrerat,
-- paragraf_mottagare.bekraftad_enligt_import) are recorded from now on. A column added to a table with a value
-- for existing rows shows that value in the history of older inserts too (the row as inserted is read through
-- today's columns); a migration that wants otherwise records the change as an UPDATE.
--
-- Existing rows are rewritten by the step `andringslogg_kompakt` (lossless for the history: see compact_trail),
-- with the same ids, times, users and count. The rows the program writes whole for tables without triggers
-- (merged people and address-book entries) are kept as they are, with no `rad`.
--
-- Indexes: the history of an ärende or a meeting reads by `arende_id` or `sammantrade_id` (partial: most rows have
-- no meeting); `andring_rad` finds a record's later changes and deletion, which are few beside the inserts,
-- so it leaves the inserts out.

DROP TRIGGER andring_kan_inte_andras;
DROP TRIGGER andring_kan_inte_tas_bort;
DROP INDEX andring_arende;
DROP INDEX andring_sammantrade;

CREATE TABLE andring_ny (
    id              INTEGER PRIMARY KEY,
    tid             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')),
    anvandare       TEXT NOT NULL,
    tabell          TEXT NOT NULL,
    handelse        TEXT NOT NULL CHECK (handelse IN ('ny', 'ändrad', 'borttagen')),
    arende_id       INTEGER,
    sammantrade_id  INTEGER,
    rad,            -- the record's key: its id, or a JSON array of its key (parent, nr); no type, so kept as given
    fore            TEXT,   -- see above
    efter           TEXT
);

-- nämndtool: step andringslogg_kompakt

DROP TABLE andring;
ALTER TABLE andring_ny RENAME TO andring;

CREATE INDEX andring_arende ON andring(arende_id, id) WHERE arende_id IS NOT NULL;
CREATE INDEX andring_sammantrade ON andring(sammantrade_id, id) WHERE sammantrade_id IS NOT NULL;
CREATE INDEX andring_rad ON andring(tabell, rad) WHERE handelse <> 'ny';

CREATE TRIGGER andring_kan_inte_andras BEFORE UPDATE ON andring
BEGIN SELECT RAISE(ABORT, 'ändringsloggen kan inte ändras'); END;
CREATE TRIGGER andring_kan_inte_tas_bort BEFORE DELETE ON andring
BEGIN SELECT RAISE(ABORT, 'ändringsloggen kan inte ändras'); END;

-- nämndtool: step andringslogg_triggrar
