-- 003: the protokoll of a meeting: attendance, paragraphs with decisions, yrkanden, votes, reservationer,
-- justering and anslag, and the dispatch of protokollsutdrag. Once justerat, the content is locked by triggers:
-- no code path, however it reaches the database, can change a justerat protokoll.

CREATE TABLE protokoll (
    id                   INTEGER PRIMARY KEY,
    sammantrade_id       INTEGER NOT NULL UNIQUE REFERENCES sammantrade(id) ON DELETE CASCADE,
    sekreterare          TEXT,
    justering_plats      TEXT,
    justering_datum      TEXT CHECK (justering_datum IS NULL OR date(justering_datum, '+0 days') IS justering_datum),
    forvaringsplats      TEXT,
    klar_for_justering   INTEGER NOT NULL DEFAULT 0 CHECK (klar_for_justering IN (0, 1)),
    justerad             TEXT CHECK (justerad IS NULL OR date(justerad, '+0 days') IS justerad),
    justerad_pdf_sha256  TEXT REFERENCES fil(sha256),
    anslag_datum         TEXT CHECK (anslag_datum IS NULL OR date(anslag_datum, '+0 days') IS anslag_datum),
    -- the omedelbart justerade paragraphs are justerade at the meeting and announced on their own
    omedelbar_anslag     TEXT CHECK (omedelbar_anslag IS NULL OR date(omedelbar_anslag, '+0 days') IS omedelbar_anslag),
    CHECK (justerad IS NULL OR klar_for_justering = 1),
    CHECK ((justerad IS NULL) = (justerad_pdf_sha256 IS NULL)),
    CHECK (anslag_datum IS NULL OR justerad IS NOT NULL)
);

CREATE TABLE justerare (
    protokoll_id  INTEGER NOT NULL REFERENCES protokoll(id) ON DELETE CASCADE,
    nr            INTEGER NOT NULL CHECK (nr >= 1),
    namn          TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    PRIMARY KEY (protokoll_id, nr)
) WITHOUT ROWID;

-- Who was there. A ledamot with förhinder is recorded (forhinder = 1, tjanstgor = 0); an ersättare called in
-- serves (tjanstgor = 1) and names whom they replace. fran_paragraf / till_paragraf record arriving or leaving
-- during the meeting (leaves after § 11: till_paragraf = 11).
CREATE TABLE narvaro (
    id             INTEGER PRIMARY KEY,
    protokoll_id   INTEGER NOT NULL REFERENCES protokoll(id) ON DELETE CASCADE,
    nr             INTEGER NOT NULL CHECK (nr >= 1),
    person_id      INTEGER REFERENCES person(id) ON DELETE SET NULL,
    namn           TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    roll           TEXT NOT NULL CHECK (roll IN ('ordforande', 'ledamot', 'ersattare', 'tjansteperson')),
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

-- A paragraph: numbered per organ through the calendar year.
CREATE TABLE paragraf (
    id                   INTEGER PRIMARY KEY,
    protokoll_id         INTEGER NOT NULL REFERENCES protokoll(id) ON DELETE CASCADE,
    organ_id             INTEGER NOT NULL REFERENCES organ(id),
    ar                   INTEGER NOT NULL CHECK (ar BETWEEN 1900 AND 2199),
    nr                   INTEGER NOT NULL CHECK (nr >= 1),
    dagordning_nr        INTEGER,
    rubrik               TEXT NOT NULL CHECK (length(trim(rubrik)) > 0),
    arende_id            INTEGER REFERENCES arende(id),
    sekretess            INTEGER NOT NULL DEFAULT 0 CHECK (sekretess IN (0, 1)),
    sekretess_lagrum     TEXT CHECK (sekretess_lagrum IS NULL OR sekretess = 1),
    propositionsordning  TEXT,
    votering_ja          INTEGER CHECK (votering_ja >= 0),
    votering_nej         INTEGER CHECK (votering_nej >= 0),
    votering_avstar      INTEGER CHECK (votering_avstar >= 0),
    votering_resultat    TEXT,
    omedelbart_justerad  INTEGER NOT NULL DEFAULT 0 CHECK (omedelbart_justerad IN (0, 1)),
    berord               TEXT,  -- whom the ärende concerns, for the försättsblad of a secret utdrag
    skickas_av           TEXT,  -- who sends the utdrag, when not the nämndsekreterare
    UNIQUE (organ_id, ar, nr),
    UNIQUE (protokoll_id, dagordning_nr)
);

CREATE TABLE beslut (
    paragraf_id  INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    nr           INTEGER NOT NULL CHECK (nr >= 1),
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    PRIMARY KEY (paragraf_id, nr)
) WITHOUT ROWID;

CREATE TABLE yrkande (
    paragraf_id  INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    nr           INTEGER NOT NULL CHECK (nr >= 1),
    av           TEXT NOT NULL CHECK (length(trim(av)) > 0),
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    PRIMARY KEY (paragraf_id, nr)
) WITHOUT ROWID;

CREATE TABLE rost (
    paragraf_id  INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    nr           INTEGER NOT NULL CHECK (nr >= 1),
    namn         TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    rost         TEXT NOT NULL CHECK (rost IN ('ja', 'nej', 'avstar')),
    PRIMARY KEY (paragraf_id, nr),
    UNIQUE (paragraf_id, namn)
) WITHOUT ROWID;

-- Reservationer and protokollsanteckningar: one text, one or more names.
CREATE TABLE anteckning (
    paragraf_id  INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    nr           INTEGER NOT NULL CHECK (nr >= 1),
    slag         TEXT NOT NULL CHECK (slag IN ('reservation', 'protokollsanteckning')),
    av           TEXT NOT NULL CHECK (length(trim(av)) > 0),  -- names separated by newlines
    text         TEXT,
    PRIMARY KEY (paragraf_id, nr)
) WITHOUT ROWID;

CREATE TABLE jav (
    paragraf_id  INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    namn         TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    PRIMARY KEY (paragraf_id, namn)
) WITHOUT ROWID;

-- "Beslutet skickas till" of a paragraph. adress_bekraftad records that the handläggare checked the postal
-- address: for a secret paragraph no utdrag is produced for an unconfirmed address.
CREATE TABLE paragraf_mottagare (
    paragraf_id       INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    nr                INTEGER NOT NULL CHECK (nr >= 1),
    mottagare_id      INTEGER NOT NULL REFERENCES mottagare(id),
    adress_bekraftad  INTEGER NOT NULL DEFAULT 0 CHECK (adress_bekraftad IN (0, 1)),
    bekraftad_av      TEXT,
    bekraftad_datum   TEXT,
    CHECK (adress_bekraftad = 0 OR (bekraftad_av IS NOT NULL AND bekraftad_datum IS NOT NULL)),
    PRIMARY KEY (paragraf_id, nr)
) WITHOUT ROWID;

-- The dispatch list: every utdrag, to whom, by which channel, and when it was sent. Not part of the justerat
-- content, so it stays editable after justering.
CREATE TABLE utskick (
    paragraf_id   INTEGER NOT NULL REFERENCES paragraf(id) ON DELETE CASCADE,
    mottagare_id  INTEGER NOT NULL REFERENCES mottagare(id),
    kanal         TEXT NOT NULL CHECK (kanal IN ('post', 'e-post', 'internpost', 'bud')),
    skickat       TEXT CHECK (skickat IS NULL OR date(skickat, '+0 days') IS skickat),
    skickat_av    TEXT,
    PRIMARY KEY (paragraf_id, mottagare_id)
) WITHOUT ROWID;

-- The lock. A protokoll is justerat when protokoll.justerad is set; from then on nothing it contains changes.
CREATE TRIGGER protokoll_last BEFORE UPDATE ON protokoll
WHEN OLD.justerad IS NOT NULL AND (
    NEW.sekreterare IS NOT OLD.sekreterare OR NEW.justering_plats IS NOT OLD.justering_plats
    OR NEW.justering_datum IS NOT OLD.justering_datum OR NEW.klar_for_justering IS NOT OLD.klar_for_justering
    OR NEW.justerad IS NOT OLD.justerad OR NEW.justerad_pdf_sha256 IS NOT OLD.justerad_pdf_sha256
    OR NEW.sammantrade_id IS NOT OLD.sammantrade_id
    OR (OLD.anslag_datum IS NOT NULL AND NEW.anslag_datum IS NOT OLD.anslag_datum))
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER protokoll_last_borttagning BEFORE DELETE ON protokoll WHEN OLD.justerad IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte tas bort');
END;

CREATE TRIGGER justerare_last_insert BEFORE INSERT ON justerare
WHEN (SELECT justerad FROM protokoll WHERE id = NEW.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER justerare_last_update BEFORE UPDATE ON justerare
WHEN (SELECT justerad FROM protokoll WHERE id = OLD.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER justerare_last_delete BEFORE DELETE ON justerare
WHEN (SELECT justerad FROM protokoll WHERE id = OLD.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

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

CREATE TRIGGER paragraf_last_insert BEFORE INSERT ON paragraf
WHEN (SELECT justerad FROM protokoll WHERE id = NEW.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER paragraf_last_update BEFORE UPDATE ON paragraf
WHEN (SELECT justerad FROM protokoll WHERE id = OLD.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER paragraf_last_delete BEFORE DELETE ON paragraf
WHEN (SELECT justerad FROM protokoll WHERE id = OLD.protokoll_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER beslut_last_insert BEFORE INSERT ON beslut
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER beslut_last_update BEFORE UPDATE ON beslut
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER beslut_last_delete BEFORE DELETE ON beslut
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER yrkande_last_insert BEFORE INSERT ON yrkande
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER yrkande_last_update BEFORE UPDATE ON yrkande
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER yrkande_last_delete BEFORE DELETE ON yrkande
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER rost_last_insert BEFORE INSERT ON rost
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER rost_last_update BEFORE UPDATE ON rost
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER rost_last_delete BEFORE DELETE ON rost
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER anteckning_last_insert BEFORE INSERT ON anteckning
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER anteckning_last_update BEFORE UPDATE ON anteckning
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER anteckning_last_delete BEFORE DELETE ON anteckning
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER jav_last_insert BEFORE INSERT ON jav
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER jav_last_update BEFORE UPDATE ON jav
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER jav_last_delete BEFORE DELETE ON jav
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER paragraf_mottagare_last_insert BEFORE INSERT ON paragraf_mottagare
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

-- Confirming a recipient's postal address stays possible after justering: it is about sending, not content.
CREATE TRIGGER paragraf_mottagare_last_update BEFORE UPDATE OF paragraf_id, nr, mottagare_id ON paragraf_mottagare
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER paragraf_mottagare_last_delete BEFORE DELETE ON paragraf_mottagare
WHEN (SELECT p.justerad FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och kan inte ändras');
END;

CREATE TRIGGER dagordningspunkt_last_insert BEFORE INSERT ON dagordningspunkt
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = NEW.sammantrade_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och dagordningen kan inte ändras');
END;

CREATE TRIGGER dagordningspunkt_last_update BEFORE UPDATE ON dagordningspunkt
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = OLD.sammantrade_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och dagordningen kan inte ändras');
END;

CREATE TRIGGER dagordningspunkt_last_delete BEFORE DELETE ON dagordningspunkt
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = OLD.sammantrade_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och dagordningen kan inte ändras');
END;

CREATE TRIGGER sammantrade_last BEFORE UPDATE OF organ_id, datum, tid, plats, ordforande_id ON sammantrade
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = OLD.id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och sammanträdet kan inte ändras');
END;
