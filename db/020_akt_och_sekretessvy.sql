-- 020: a §'s secrecy found by its keys, and the akt copies filed at justering.
--
-- paragraf_sekretess (db/007) joined the view punkt_sekretess as the right side of a LEFT JOIN. SQLite cannot
-- flatten a view that is itself a join into that place, so it built the whole view (every agenda item of the
-- store) for every lookup of one § (17–54 ms on the ten-year store, store.protokoll 0.22 s). The same definition
-- is written here with the agenda item and its ärende joined directly, so a lookup by paragraf_id uses the
-- primary keys and the UNIQUE (sammantrade_id, nr) index. Same rows, same columns, same values: an item with an
-- ärende takes the ärende's secrecy, a stand-alone item its own, a § is secret when its ärende or its item is,
-- and a § with neither is secret (unknown is never public). punkt_sekretess itself is unchanged: it is only
-- ever joined as an inner join, where SQLite flattens it.
DROP VIEW paragraf_sekretess;
CREATE VIEW paragraf_sekretess AS
SELECT g.id AS paragraf_id,
       CASE WHEN a.id IS NULL AND d.id IS NULL THEN 1
            ELSE max(coalesce(a.sekretess, 0),
                     coalesce(CASE WHEN da.id IS NOT NULL THEN da.sekretess ELSE d.sekretess END, 0)) END AS sekretess,
       CASE WHEN coalesce(a.sekretess, 0) = 1 THEN a.sekretess_lagrum
            WHEN coalesce(CASE WHEN da.id IS NOT NULL THEN da.sekretess ELSE d.sekretess END, 0) = 1
                 THEN CASE WHEN da.id IS NOT NULL THEN da.sekretess_lagrum ELSE d.sekretess_lagrum END
       END AS sekretess_lagrum
FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
LEFT JOIN arende a ON a.id = g.arende_id
LEFT JOIN dagordningspunkt d ON d.sammantrade_id = p.sammantrade_id AND d.nr = g.dagordning_nr
LEFT JOIN arende da ON da.id = d.arende_id;

-- The akt copies: in a kommun the registrator files the protokollsutdrag of each § in its ärende's akt right
-- after the justering, with the tjänsteskrivelse as it was decided. The program renders them in the justering's
-- own transaction (operations.protokoll.justera, archive.file_akt_copies) and keeps them as stored files; the
-- archive copies the recorded file instead of writing the document again (docs/arkiv.md). A store justerat
-- before this migration has no rows: its first archive export renders the copies and records them
-- (ursprung 'arkivering'). A copy is never changed or removed; when the secrecy of its § or ärende (or its
-- date, by a recorded correction) no longer matches what the copy was made with, a new one is added and the
-- newest is the one used. ``datum``, ``sekretess`` and ``sekretess_lagrum`` say what the copy was made with.
CREATE TABLE akt_dokument (
    id                INTEGER PRIMARY KEY,
    sammantrade_id    INTEGER NOT NULL REFERENCES sammantrade(id),
    arende_id         INTEGER NOT NULL REFERENCES arende(id),
    paragraf_id       INTEGER REFERENCES paragraf(id),   -- the § of an utdrag; none for the tjänsteskrivelse
    slag              TEXT NOT NULL CHECK (slag IN ('utdrag', 'tjansteskrivelse')),
    sha256            TEXT NOT NULL REFERENCES fil(sha256),
    datum             TEXT,
    sekretess         INTEGER NOT NULL CHECK (sekretess IN (0, 1)),
    sekretess_lagrum  TEXT CHECK (sekretess_lagrum IS NULL OR sekretess = 1),
    ursprung          TEXT NOT NULL CHECK (ursprung IN ('justering', 'arkivering')),
    skapad            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    CHECK ((slag = 'utdrag') = (paragraf_id IS NOT NULL))
);
CREATE INDEX akt_dokument_arende ON akt_dokument(arende_id, sammantrade_id);
CREATE INDEX akt_dokument_sammantrade ON akt_dokument(sammantrade_id);

CREATE TRIGGER akt_dokument_bara_justerat BEFORE INSERT ON akt_dokument
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = NEW.sammantrade_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, 'akthandlingar arkiveras först när protokollet är justerat');
END;

CREATE TRIGGER akt_dokument_andras_inte BEFORE UPDATE ON akt_dokument
BEGIN
    SELECT RAISE(ABORT, 'en akthandling kan inte ändras; en ny läggs till');
END;

CREATE TRIGGER akt_dokument_tas_inte_bort BEFORE DELETE ON akt_dokument
BEGIN
    SELECT RAISE(ABORT, 'en akthandling kan inte tas bort');
END;
