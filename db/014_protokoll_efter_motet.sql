-- 014: the protokoll after the meeting (issue 13).
--
-- A vote records what ja and nej stood for (the voteringsproposition: "ja för bifall till ordförandens förslag,
-- nej för bifall till Anders Göleviks (C) yrkande"), so the counts say what was decided. The attendance keeps a
-- vice ordförande as such: `narvaro.roll` may be 'vice_ordforande' (the table is rebuilt, since SQLite cannot
-- change a CHECK; its lock and audit triggers are made again as they were).

ALTER TABLE paragraf ADD COLUMN proposition_ja TEXT;
ALTER TABLE paragraf ADD COLUMN proposition_nej TEXT;

DROP TRIGGER paragraf_logg_insert;
DROP TRIGGER paragraf_logg_update;
DROP TRIGGER paragraf_logg_delete;

CREATE TRIGGER paragraf_logg_insert AFTER INSERT ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'ny', NEW.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), NULL, json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'organ_id', NEW.organ_id, 'ar', NEW.ar, 'nr', NEW.nr, 'dagordning_nr', NEW.dagordning_nr, 'rubrik', NEW.rubrik, 'arende_id', NEW.arende_id, 'propositionsordning', NEW.propositionsordning, 'votering_ja', NEW.votering_ja, 'votering_nej', NEW.votering_nej, 'votering_avstar', NEW.votering_avstar, 'votering_resultat', NEW.votering_resultat, 'proposition_ja', NEW.proposition_ja, 'proposition_nej', NEW.proposition_nej, 'omedelbart_justerad', NEW.omedelbart_justerad, 'berord', NEW.berord, 'skickas_av', NEW.skickas_av));
END;

CREATE TRIGGER paragraf_logg_update AFTER UPDATE ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'ändrad', NEW.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'organ_id', OLD.organ_id, 'ar', OLD.ar, 'nr', OLD.nr, 'dagordning_nr', OLD.dagordning_nr, 'rubrik', OLD.rubrik, 'arende_id', OLD.arende_id, 'propositionsordning', OLD.propositionsordning, 'votering_ja', OLD.votering_ja, 'votering_nej', OLD.votering_nej, 'votering_avstar', OLD.votering_avstar, 'votering_resultat', OLD.votering_resultat, 'proposition_ja', OLD.proposition_ja, 'proposition_nej', OLD.proposition_nej, 'omedelbart_justerad', OLD.omedelbart_justerad, 'berord', OLD.berord, 'skickas_av', OLD.skickas_av), json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'organ_id', NEW.organ_id, 'ar', NEW.ar, 'nr', NEW.nr, 'dagordning_nr', NEW.dagordning_nr, 'rubrik', NEW.rubrik, 'arende_id', NEW.arende_id, 'propositionsordning', NEW.propositionsordning, 'votering_ja', NEW.votering_ja, 'votering_nej', NEW.votering_nej, 'votering_avstar', NEW.votering_avstar, 'votering_resultat', NEW.votering_resultat, 'proposition_ja', NEW.proposition_ja, 'proposition_nej', NEW.proposition_nej, 'omedelbart_justerad', NEW.omedelbart_justerad, 'berord', NEW.berord, 'skickas_av', NEW.skickas_av));
END;

CREATE TRIGGER paragraf_logg_delete AFTER DELETE ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'borttagen', OLD.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = OLD.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'organ_id', OLD.organ_id, 'ar', OLD.ar, 'nr', OLD.nr, 'dagordning_nr', OLD.dagordning_nr, 'rubrik', OLD.rubrik, 'arende_id', OLD.arende_id, 'propositionsordning', OLD.propositionsordning, 'votering_ja', OLD.votering_ja, 'votering_nej', OLD.votering_nej, 'votering_avstar', OLD.votering_avstar, 'votering_resultat', OLD.votering_resultat, 'proposition_ja', OLD.proposition_ja, 'proposition_nej', OLD.proposition_nej, 'omedelbart_justerad', OLD.omedelbart_justerad, 'berord', OLD.berord, 'skickas_av', OLD.skickas_av), NULL);
END;

CREATE TABLE narvaro_ny (
    id             INTEGER PRIMARY KEY,
    protokoll_id   INTEGER NOT NULL REFERENCES protokoll(id) ON DELETE CASCADE,
    nr             INTEGER NOT NULL CHECK (nr >= 1),
    person_id      INTEGER REFERENCES person(id) ON DELETE SET NULL,
    namn           TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    roll           TEXT NOT NULL CHECK (roll IN ('ordforande', 'vice_ordforande', 'ledamot', 'ersattare',
                                                 'tjansteperson')),
    parti          TEXT,
    titel          TEXT,
    tjanstgor      INTEGER NOT NULL DEFAULT 0 CHECK (tjanstgor IN (0, 1)),
    ersatter       TEXT,
    forhinder      INTEGER NOT NULL DEFAULT 0 CHECK (forhinder IN (0, 1)),
    fran_paragraf  INTEGER CHECK (fran_paragraf >= 1),
    till_paragraf  INTEGER CHECK (till_paragraf >= 1),
    CHECK (NOT (forhinder = 1 AND tjanstgor = 1)),
    CHECK (ersatter IS NULL OR (roll = 'ersattare' AND tjanstgor = 1)),
    CHECK (roll != 'tjansteperson' OR tjanstgor = 0),
    CHECK (fran_paragraf IS NULL OR till_paragraf IS NULL OR till_paragraf >= fran_paragraf),
    UNIQUE (protokoll_id, nr)
);
INSERT INTO narvaro_ny (id, protokoll_id, nr, person_id, namn, roll, parti, titel, tjanstgor, ersatter, forhinder,
                        fran_paragraf, till_paragraf)
SELECT id, protokoll_id, nr, person_id, namn, roll, parti, titel, tjanstgor, ersatter, forhinder, fran_paragraf,
       till_paragraf
FROM narvaro;
DROP TABLE narvaro;
ALTER TABLE narvaro_ny RENAME TO narvaro;

CREATE TRIGGER narvaro_last_insert BEFORE INSERT ON narvaro
WHEN (SELECT justerad FROM protokoll WHERE id = NEW.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER narvaro_last_update BEFORE UPDATE ON narvaro
WHEN (SELECT justerad FROM protokoll WHERE id = OLD.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER narvaro_last_delete BEFORE DELETE ON narvaro
WHEN (SELECT justerad FROM protokoll WHERE id = OLD.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER narvaro_logg_insert AFTER INSERT ON narvaro
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'narvaro', 'ny', NULL, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), NULL, json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'nr', NEW.nr, 'person_id', NEW.person_id, 'namn', NEW.namn, 'roll', NEW.roll, 'parti', NEW.parti, 'titel', NEW.titel, 'tjanstgor', NEW.tjanstgor, 'ersatter', NEW.ersatter, 'forhinder', NEW.forhinder, 'fran_paragraf', NEW.fran_paragraf, 'till_paragraf', NEW.till_paragraf));
END;

CREATE TRIGGER narvaro_logg_update AFTER UPDATE ON narvaro
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'narvaro', 'ändrad', NULL, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'nr', OLD.nr, 'person_id', OLD.person_id, 'namn', OLD.namn, 'roll', OLD.roll, 'parti', OLD.parti, 'titel', OLD.titel, 'tjanstgor', OLD.tjanstgor, 'ersatter', OLD.ersatter, 'forhinder', OLD.forhinder, 'fran_paragraf', OLD.fran_paragraf, 'till_paragraf', OLD.till_paragraf), json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'nr', NEW.nr, 'person_id', NEW.person_id, 'namn', NEW.namn, 'roll', NEW.roll, 'parti', NEW.parti, 'titel', NEW.titel, 'tjanstgor', NEW.tjanstgor, 'ersatter', NEW.ersatter, 'forhinder', NEW.forhinder, 'fran_paragraf', NEW.fran_paragraf, 'till_paragraf', NEW.till_paragraf));
END;

CREATE TRIGGER narvaro_logg_delete AFTER DELETE ON narvaro
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'narvaro', 'borttagen', NULL, (SELECT sammantrade_id FROM protokoll WHERE id = OLD.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'nr', OLD.nr, 'person_id', OLD.person_id, 'namn', OLD.namn, 'roll', OLD.roll, 'parti', OLD.parti, 'titel', OLD.titel, 'tjanstgor', OLD.tjanstgor, 'ersatter', OLD.ersatter, 'forhinder', OLD.forhinder, 'fran_paragraf', OLD.fran_paragraf, 'till_paragraf', OLD.till_paragraf), NULL);
END;
