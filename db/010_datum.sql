-- 010: the dates of a protokoll in the right order, and corrections of a wrongly entered justering or anslag date.
--
-- The rules themselves (nämndtool/justering.py) are applied by the store before anything is written; the triggers
-- here are the backstop that no other path can get round. A recorded anslag date (also for the omedelbart
-- justerade §§) is locked like the justering date. A correction is a row in `datumrattelse` with the reason, who
-- and when, written in the same transaction as the change: the lock lets exactly that one change through (from the
-- recorded date to the corrected one) and the row is then marked as carried out, so it cannot be used again.

-- The day each anslag was entered: on that day a typing error in either date can still be corrected
-- (nämndtool.justering.anslag_started); from the next day the dates stand on the notice board.
ALTER TABLE protokoll ADD COLUMN anslag_datum_registrerat TEXT;
ALTER TABLE protokoll ADD COLUMN omedelbar_anslag_registrerat TEXT;

CREATE TABLE datumrattelse (
    id              INTEGER PRIMARY KEY,
    sammantrade_id  INTEGER NOT NULL REFERENCES sammantrade(id),
    falt            TEXT NOT NULL CHECK (falt IN ('justerad', 'anslag_datum', 'omedelbar_anslag')),
    fore            TEXT NOT NULL,
    efter           TEXT NOT NULL CHECK (date(efter, '+0 days') IS efter),
    skal            TEXT NOT NULL CHECK (length(trim(skal)) >= 5),
    av              TEXT NOT NULL CHECK (length(trim(av)) > 0),
    tid             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    verkstalld      INTEGER NOT NULL DEFAULT 0 CHECK (verkstalld IN (0, 1))
);
CREATE INDEX datumrattelse_sammantrade ON datumrattelse(sammantrade_id, id);

CREATE TRIGGER datumrattelse_kan_inte_tas_bort BEFORE DELETE ON datumrattelse
BEGIN
    SELECT RAISE(ABORT, 'en rättelse av ett datum kan inte tas bort');
END;

CREATE TRIGGER datumrattelse_kan_inte_andras BEFORE UPDATE ON datumrattelse
WHEN NOT (OLD.verkstalld = 0 AND NEW.verkstalld = 1 AND NEW.id = OLD.id AND NEW.sammantrade_id = OLD.sammantrade_id
          AND NEW.falt = OLD.falt AND NEW.fore = OLD.fore AND NEW.efter = OLD.efter AND NEW.skal = OLD.skal
          AND NEW.av = OLD.av AND NEW.tid = OLD.tid)
BEGIN
    SELECT RAISE(ABORT, 'en rättelse av ett datum kan inte ändras');
END;

CREATE TRIGGER datumrattelse_logg_insert AFTER INSERT ON datumrattelse
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'datumrattelse', 'ny', NULL, NEW.sammantrade_id, NULL,
            json_object('id', NEW.id, 'sammantrade_id', NEW.sammantrade_id, 'falt', NEW.falt, 'fore', NEW.fore,
                        'efter', NEW.efter, 'skal', NEW.skal, 'av', NEW.av, 'tid', NEW.tid));
END;

-- The lock of 003, with one way through for each date: a pending correction from exactly this date to exactly
-- that one. The planned justering date in the header follows a corrected justering when it was filled in from it.
DROP TRIGGER protokoll_last;
CREATE TRIGGER protokoll_last BEFORE UPDATE ON protokoll
WHEN OLD.justerad IS NOT NULL AND (
    NEW.sekreterare IS NOT OLD.sekreterare OR NEW.justering_plats IS NOT OLD.justering_plats
    OR NEW.klar_for_justering IS NOT OLD.klar_for_justering
    OR NEW.justerad_pdf_sha256 IS NOT OLD.justerad_pdf_sha256 OR NEW.sammantrade_id IS NOT OLD.sammantrade_id
    OR (NEW.justerad IS NOT OLD.justerad AND NOT EXISTS (
        SELECT 1 FROM datumrattelse WHERE sammantrade_id = OLD.sammantrade_id AND falt = 'justerad'
          AND verkstalld = 0 AND fore = OLD.justerad AND efter IS NEW.justerad))
    OR (NEW.justering_datum IS NOT OLD.justering_datum AND NOT (
        OLD.justering_datum IS OLD.justerad AND NEW.justering_datum IS NEW.justerad AND EXISTS (
            SELECT 1 FROM datumrattelse WHERE sammantrade_id = OLD.sammantrade_id AND falt = 'justerad'
              AND verkstalld = 0 AND fore = OLD.justerad AND efter IS NEW.justerad)))
    OR (OLD.anslag_datum IS NOT NULL AND NEW.anslag_datum IS NOT OLD.anslag_datum AND NOT EXISTS (
        SELECT 1 FROM datumrattelse WHERE sammantrade_id = OLD.sammantrade_id AND falt = 'anslag_datum'
          AND verkstalld = 0 AND fore = OLD.anslag_datum AND efter IS NEW.anslag_datum)))
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER protokoll_omedelbar_anslag_last BEFORE UPDATE OF omedelbar_anslag ON protokoll
WHEN OLD.omedelbar_anslag IS NOT NULL AND NEW.omedelbar_anslag IS NOT OLD.omedelbar_anslag AND NOT EXISTS (
    SELECT 1 FROM datumrattelse WHERE sammantrade_id = OLD.sammantrade_id AND falt = 'omedelbar_anslag'
      AND verkstalld = 0 AND fore = OLD.omedelbar_anslag AND efter IS NEW.omedelbar_anslag)
BEGIN
    SELECT RAISE(ABORT, 'anslaget är registrerat och datumet kan bara rättas med ett skäl');
END;

-- A date that changes comes after the one it follows: the justering after the meeting, the anslag after the
-- justering, the anslag of the omedelbart justerade §§ after the meeting. (Dates stored before this rule are left
-- as they are until they are corrected.)
CREATE TRIGGER protokoll_datum_ordning BEFORE UPDATE OF justerad, anslag_datum, omedelbar_anslag ON protokoll
WHEN (NEW.justerad IS NOT OLD.justerad AND NEW.justerad < (SELECT datum FROM sammantrade WHERE id = NEW.sammantrade_id))
     OR (NEW.anslag_datum IS NOT OLD.anslag_datum AND NEW.anslag_datum < NEW.justerad)
     OR (NEW.omedelbar_anslag IS NOT OLD.omedelbar_anslag
         AND NEW.omedelbar_anslag < (SELECT datum FROM sammantrade WHERE id = NEW.sammantrade_id))
BEGIN
    SELECT RAISE(ABORT, 'datumen i protokollet kommer i fel ordning');
END;

CREATE TRIGGER datumrattelse_verkstalls AFTER UPDATE OF justerad, anslag_datum, omedelbar_anslag ON protokoll
BEGIN
    UPDATE datumrattelse SET verkstalld = 1
    WHERE sammantrade_id = NEW.sammantrade_id AND verkstalld = 0
      AND ((falt = 'justerad' AND efter IS NEW.justerad) OR (falt = 'anslag_datum' AND efter IS NEW.anslag_datum)
           OR (falt = 'omedelbar_anslag' AND efter IS NEW.omedelbar_anslag));
END;

-- The day an anslag was entered is a fact, not a setting: once written it stays, so a correction cannot be
-- reopened by moving it.
CREATE TRIGGER protokoll_anslag_registrerat_last
BEFORE UPDATE OF anslag_datum_registrerat, omedelbar_anslag_registrerat ON protokoll
WHEN (OLD.anslag_datum_registrerat IS NOT NULL AND NEW.anslag_datum_registrerat IS NOT OLD.anslag_datum_registrerat)
     OR (OLD.omedelbar_anslag_registrerat IS NOT NULL
         AND NEW.omedelbar_anslag_registrerat IS NOT OLD.omedelbar_anslag_registrerat)
BEGIN
    SELECT RAISE(ABORT, 'dagen då anslaget registrerades kan inte ändras');
END;
