-- 007: secrecy with one source of truth.
--
-- Secrecy belongs to the ärende, and to a stand-alone agenda item (one without an ärende) only. Everything else
-- derives it when it is read: the views punkt_sekretess and paragraf_sekretess are the only way the program reads
-- an item's or a §'s secrecy, so no derived row keeps a copy that can fall out of step. Secrecy is only ever
-- lifted by an explicit, recorded act (sekretess_havd): no import, edit or agenda change can lift it.

-- Before the § loses its own flag, whatever it said is carried over to its source, so nothing secret becomes
-- public by the move. The agenda lock of a justerat protokoll is lifted for this one statement and put back.
DROP TRIGGER dagordningspunkt_last_update;

UPDATE arende SET sekretess = 1,
       sekretess_lagrum = coalesce(sekretess_lagrum,
                                   (SELECT g.sekretess_lagrum FROM paragraf g WHERE g.arende_id = arende.id
                                    AND g.sekretess = 1 AND g.sekretess_lagrum IS NOT NULL LIMIT 1))
WHERE sekretess = 0 AND id IN (SELECT arende_id FROM paragraf WHERE sekretess = 1 AND arende_id IS NOT NULL);

UPDATE dagordningspunkt SET sekretess = 1,
       sekretess_lagrum = coalesce(sekretess_lagrum,
           (SELECT g.sekretess_lagrum FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
            WHERE p.sammantrade_id = dagordningspunkt.sammantrade_id AND g.dagordning_nr = dagordningspunkt.nr))
WHERE sekretess = 0 AND arende_id IS NULL AND EXISTS (
    SELECT 1 FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
    WHERE p.sammantrade_id = dagordningspunkt.sammantrade_id AND g.dagordning_nr = dagordningspunkt.nr
      AND g.sekretess = 1);

-- An item with an ärende keeps no secrecy of its own: what it had is the ärende's (the old triggers made sure).
UPDATE arende SET sekretess = 1,
       sekretess_lagrum = coalesce(sekretess_lagrum,
                                   (SELECT d.sekretess_lagrum FROM dagordningspunkt d WHERE d.arende_id = arende.id
                                    AND d.sekretess = 1 AND d.sekretess_lagrum IS NOT NULL LIMIT 1))
WHERE sekretess = 0 AND id IN (SELECT arende_id FROM dagordningspunkt WHERE sekretess = 1 AND arende_id IS NOT NULL);
DROP TRIGGER hemligt_arende_kan_inte_bli_offentlig_punkt_vid_andring;
UPDATE dagordningspunkt SET sekretess = 0, sekretess_lagrum = NULL WHERE arende_id IS NOT NULL AND sekretess = 1;

CREATE TRIGGER dagordningspunkt_last_update BEFORE UPDATE ON dagordningspunkt
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = OLD.sammantrade_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och dagordningen kan inte ändras');
END;

-- The § no longer has a secrecy of its own.
DROP TRIGGER paragraf_logg_insert;
DROP TRIGGER paragraf_logg_update;
DROP TRIGGER paragraf_logg_delete;
ALTER TABLE paragraf DROP COLUMN sekretess_lagrum;
ALTER TABLE paragraf DROP COLUMN sekretess;

CREATE TRIGGER paragraf_logg_insert AFTER INSERT ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'ny', NEW.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), NULL, json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'organ_id', NEW.organ_id, 'ar', NEW.ar, 'nr', NEW.nr, 'dagordning_nr', NEW.dagordning_nr, 'rubrik', NEW.rubrik, 'arende_id', NEW.arende_id, 'propositionsordning', NEW.propositionsordning, 'votering_ja', NEW.votering_ja, 'votering_nej', NEW.votering_nej, 'votering_avstar', NEW.votering_avstar, 'votering_resultat', NEW.votering_resultat, 'omedelbart_justerad', NEW.omedelbart_justerad, 'berord', NEW.berord, 'skickas_av', NEW.skickas_av));
END;

CREATE TRIGGER paragraf_logg_update AFTER UPDATE ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'ändrad', NEW.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'organ_id', OLD.organ_id, 'ar', OLD.ar, 'nr', OLD.nr, 'dagordning_nr', OLD.dagordning_nr, 'rubrik', OLD.rubrik, 'arende_id', OLD.arende_id, 'propositionsordning', OLD.propositionsordning, 'votering_ja', OLD.votering_ja, 'votering_nej', OLD.votering_nej, 'votering_avstar', OLD.votering_avstar, 'votering_resultat', OLD.votering_resultat, 'omedelbart_justerad', OLD.omedelbart_justerad, 'berord', OLD.berord, 'skickas_av', OLD.skickas_av), json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'organ_id', NEW.organ_id, 'ar', NEW.ar, 'nr', NEW.nr, 'dagordning_nr', NEW.dagordning_nr, 'rubrik', NEW.rubrik, 'arende_id', NEW.arende_id, 'propositionsordning', NEW.propositionsordning, 'votering_ja', NEW.votering_ja, 'votering_nej', NEW.votering_nej, 'votering_avstar', NEW.votering_avstar, 'votering_resultat', NEW.votering_resultat, 'omedelbart_justerad', NEW.omedelbart_justerad, 'berord', NEW.berord, 'skickas_av', NEW.skickas_av));
END;

CREATE TRIGGER paragraf_logg_delete AFTER DELETE ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'borttagen', OLD.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = OLD.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'organ_id', OLD.organ_id, 'ar', OLD.ar, 'nr', OLD.nr, 'dagordning_nr', OLD.dagordning_nr, 'rubrik', OLD.rubrik, 'arende_id', OLD.arende_id, 'propositionsordning', OLD.propositionsordning, 'votering_ja', OLD.votering_ja, 'votering_nej', OLD.votering_nej, 'votering_avstar', OLD.votering_avstar, 'votering_resultat', OLD.votering_resultat, 'omedelbart_justerad', OLD.omedelbart_justerad, 'berord', OLD.berord, 'skickas_av', OLD.skickas_av), NULL);
END;

-- An item with an ärende takes the ärende's secrecy when read; its own columns only matter without an ärende.
-- The copies the old triggers kept in step (ärende → item) are no longer needed, and the refusals that depended
-- on them are replaced by the derivation (an item with a secret ärende is secret, whatever its own column says).
DROP TRIGGER arende_blir_hemligt_gor_punkterna_hemliga;
DROP TRIGGER hemligt_arende_kan_inte_bli_offentlig_punkt;

CREATE VIEW punkt_sekretess AS
SELECT d.id AS dagordningspunkt_id, d.sammantrade_id, d.nr,
       CASE WHEN a.id IS NOT NULL THEN a.sekretess ELSE d.sekretess END AS sekretess,
       CASE WHEN a.id IS NOT NULL THEN a.sekretess_lagrum ELSE d.sekretess_lagrum END AS sekretess_lagrum
FROM dagordningspunkt d LEFT JOIN arende a ON a.id = d.arende_id;

-- A § is secret when its ärende or its agenda item is. A § that has neither (it cannot be made so by the program)
-- is treated as secret: unknown is never public.
CREATE VIEW paragraf_sekretess AS
SELECT g.id AS paragraf_id,
       CASE WHEN a.id IS NULL AND ps.dagordningspunkt_id IS NULL THEN 1
            ELSE max(coalesce(a.sekretess, 0), coalesce(ps.sekretess, 0)) END AS sekretess,
       CASE WHEN coalesce(a.sekretess, 0) = 1 THEN a.sekretess_lagrum
            WHEN coalesce(ps.sekretess, 0) = 1 THEN ps.sekretess_lagrum END AS sekretess_lagrum
FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
LEFT JOIN arende a ON a.id = g.arende_id
LEFT JOIN punkt_sekretess ps ON ps.sammantrade_id = p.sammantrade_id AND ps.nr = g.dagordning_nr;

-- An agenda item that has a § cannot be deleted: the § finds its item (and so its secrecy) by number.
CREATE TRIGGER dagordningspunkt_med_paragraf_tas_inte_bort BEFORE DELETE ON dagordningspunkt
WHEN EXISTS (SELECT 1 FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
             WHERE p.sammantrade_id = OLD.sammantrade_id AND g.dagordning_nr = OLD.nr)
BEGIN
    SELECT RAISE(ABORT, 'punkten har en paragraf i protokollet och kan inte tas bort');
END;

-- Lifting secrecy: one explicit act with a reason, recorded with who and when. The row is written first; the
-- change it allows uses it up (verkstalld), so each lift needs its own recorded decision.
CREATE TABLE sekretess_havd (
    id                   INTEGER PRIMARY KEY,
    arende_id            INTEGER REFERENCES arende(id),
    dagordningspunkt_id  INTEGER,            -- no foreign key: the record outlives the item
    sammantrade_id       INTEGER,
    punkt_rubrik         TEXT,
    skal                 TEXT NOT NULL CHECK (length(trim(skal)) >= 3),
    av                   TEXT NOT NULL CHECK (length(trim(av)) > 0),
    tid                  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    tidigare_lagrum      TEXT,
    verkstalld           INTEGER NOT NULL DEFAULT 0 CHECK (verkstalld IN (0, 1)),
    CHECK ((arende_id IS NULL) <> (dagordningspunkt_id IS NULL))
);

CREATE TRIGGER sekretess_havd_kan_inte_tas_bort BEFORE DELETE ON sekretess_havd
BEGIN
    SELECT RAISE(ABORT, 'ett beslut att häva sekretess kan inte tas bort');
END;

CREATE TRIGGER sekretess_havd_kan_inte_andras BEFORE UPDATE ON sekretess_havd
WHEN NOT (OLD.verkstalld = 0 AND NEW.verkstalld = 1 AND NEW.id = OLD.id AND NEW.arende_id IS OLD.arende_id
          AND NEW.dagordningspunkt_id IS OLD.dagordningspunkt_id AND NEW.skal = OLD.skal AND NEW.av = OLD.av
          AND NEW.tid = OLD.tid)
BEGIN
    SELECT RAISE(ABORT, 'ett beslut att häva sekretess kan inte ändras');
END;

CREATE TRIGGER arende_sekretess_havs_bara_med_beslut BEFORE UPDATE OF sekretess ON arende
WHEN OLD.sekretess = 1 AND NEW.sekretess = 0
     AND NOT EXISTS (SELECT 1 FROM sekretess_havd WHERE arende_id = OLD.id AND verkstalld = 0)
BEGIN
    SELECT RAISE(ABORT, 'sekretessen kan bara hävas med ett eget beslut (namndtool case unseal)');
END;

CREATE TRIGGER arende_sekretess_havd AFTER UPDATE OF sekretess ON arende
WHEN OLD.sekretess = 1 AND NEW.sekretess = 0
BEGIN
    UPDATE sekretess_havd SET verkstalld = 1 WHERE arende_id = OLD.id AND verkstalld = 0;
END;

-- A stand-alone item (or one losing its ärende) cannot go from secret to public without a recorded decision.
CREATE TRIGGER punkt_sekretess_havs_bara_med_beslut BEFORE UPDATE OF sekretess, arende_id ON dagordningspunkt
WHEN NEW.arende_id IS NULL AND NEW.sekretess = 0
     AND (OLD.sekretess = 1 OR coalesce((SELECT sekretess FROM arende WHERE id = OLD.arende_id), 0) = 1)
     AND NOT EXISTS (SELECT 1 FROM sekretess_havd WHERE dagordningspunkt_id = OLD.id AND verkstalld = 0)
BEGIN
    SELECT RAISE(ABORT, 'sekretessen kan bara hävas med ett eget beslut (namndtool meeting unseal-item)');
END;

CREATE TRIGGER punkt_sekretess_havd AFTER UPDATE OF sekretess ON dagordningspunkt
WHEN OLD.sekretess = 1 AND NEW.sekretess = 0
BEGIN
    UPDATE sekretess_havd SET verkstalld = 1 WHERE dagordningspunkt_id = OLD.id AND verkstalld = 0;
END;

-- A confirmation of a recipient's address that came in an import file is a claim, not a confirmation: it is kept
-- apart and never satisfies the address rule for a secret §. Confirmations recorded as made by "import" before
-- this migration become such claims.
ALTER TABLE paragraf_mottagare ADD COLUMN bekraftad_enligt_import INTEGER NOT NULL DEFAULT 0
    CHECK (bekraftad_enligt_import IN (0, 1));
UPDATE paragraf_mottagare SET adress_bekraftad = 0, bekraftad_av = NULL, bekraftad_datum = NULL,
       bekraftad_enligt_import = 1
WHERE adress_bekraftad = 1 AND bekraftad_av = 'import';

-- Every public output that left the program: what, for which meeting, where to, when and by whom. When an
-- ärende is made secret afterwards, this says where a public version went so the secretary can withdraw it.
CREATE TABLE offentliggorande (
    id              INTEGER PRIMARY KEY,
    tid             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    av              TEXT NOT NULL,
    slag            TEXT NOT NULL,
    sammantrade_id  INTEGER REFERENCES sammantrade(id) ON DELETE SET NULL,
    arende_id       INTEGER REFERENCES arende(id) ON DELETE SET NULL,
    mal             TEXT NOT NULL,
    sha256          TEXT
);
CREATE INDEX offentliggorande_sammantrade ON offentliggorande(sammantrade_id);
CREATE INDEX offentliggorande_arende ON offentliggorande(arende_id);

