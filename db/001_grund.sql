-- 001: the foundation. Nämnd and organ, people, ärenden with their diary series, handlingar and files,
-- tjänsteskrivelser, sammanträden and agenda items. CHECK, UNIQUE and triggers make invalid states impossible
-- even for code that bypasses the store layer.

CREATE TABLE namnd (
    id           INTEGER PRIMARY KEY,
    namn         TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    kod          TEXT NOT NULL UNIQUE
                 CHECK (length(kod) BETWEEN 2 AND 10 AND kod NOT GLOB '*[^A-ZÅÄÖ]*'),
    forvaltning  TEXT,
    kommun       TEXT,
    adress       TEXT
);

-- The nämnd itself and its utskott. Each organ has its own meetings and its own § series.
CREATE TABLE organ (
    id        INTEGER PRIMARY KEY,
    namnd_id  INTEGER NOT NULL REFERENCES namnd(id) ON DELETE CASCADE,
    namn      TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    typ       TEXT NOT NULL CHECK (typ IN ('namnd', 'utskott')),
    UNIQUE (namnd_id, namn)
);
CREATE UNIQUE INDEX organ_en_namnd_per_namnd ON organ(namnd_id) WHERE typ = 'namnd';

CREATE TABLE person (
    id       INTEGER PRIMARY KEY,
    namn     TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    titel    TEXT,
    parti    TEXT,
    roll     TEXT NOT NULL DEFAULT 'tjansteperson'
             CHECK (roll IN ('ledamot', 'ersattare', 'tjansteperson')),
    epost    TEXT CHECK (epost IS NULL OR instr(epost, '@') > 1),
    telefon  TEXT
);
CREATE INDEX person_namn ON person(namn);

-- A förtroendevald's seat in an organ for a term (mandatperiod).
CREATE TABLE uppdrag (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    organ_id   INTEGER NOT NULL REFERENCES organ(id) ON DELETE CASCADE,
    roll       TEXT NOT NULL CHECK (roll IN ('ordforande', 'vice_ordforande', 'ledamot', 'ersattare')),
    fran       TEXT NOT NULL CHECK (date(fran, '+0 days') IS fran),
    till       TEXT CHECK (till IS NULL OR (date(till, '+0 days') IS till AND till >= fran)),
    UNIQUE (person_id, organ_id, fran)
);

CREATE TABLE arende (
    id                   INTEGER PRIMARY KEY,
    namnd_id             INTEGER NOT NULL REFERENCES namnd(id),
    ar                   INTEGER CHECK (ar BETWEEN 1900 AND 2199),
    lopnr                INTEGER CHECK (lopnr >= 1),
    klassificering       TEXT,
    rubrik               TEXT NOT NULL CHECK (length(trim(rubrik)) > 0),
    offentlig_rubrik     TEXT,
    handlaggare_id       INTEGER REFERENCES person(id) ON DELETE SET NULL,
    status               TEXT NOT NULL DEFAULT 'inkommet'
                         CHECK (status IN ('inkommet', 'under_beredning', 'klart_for_namnd', 'beslutat', 'avslutat')),
    sekretess            INTEGER NOT NULL DEFAULT 0 CHECK (sekretess IN (0, 1)),
    sekretess_lagrum     TEXT CHECK (sekretess_lagrum IS NULL OR sekretess = 1),
    extern_referens      TEXT,
    svar_senast          TEXT CHECK (svar_senast IS NULL OR date(svar_senast, '+0 days') IS svar_senast),
    omedelbar_justering  INTEGER CHECK (omedelbar_justering IN (0, 1)),
    registrerad          TEXT CHECK (registrerad IS NULL OR date(registrerad, '+0 days') IS registrerad),
    avslutad             TEXT CHECK (avslutad IS NULL OR date(avslutad, '+0 days') IS avslutad),
    -- An ärende without a number (Meddelanden, Anmälan av delegationsbeslut) has neither year nor number.
    CHECK ((ar IS NULL) = (lopnr IS NULL)),
    -- The year of a diary number is the year of registration.
    CHECK (ar IS NULL OR registrerad IS NULL OR ar = CAST(substr(registrerad, 1, 4) AS INTEGER)),
    UNIQUE (namnd_id, ar, lopnr)
);
CREATE INDEX arende_handlaggare ON arende(handlaggare_id);
CREATE INDEX arende_status ON arende(status);

-- The highest number ever given per nämnd and year. It only grows, so a number is never given twice,
-- even after its ärende is deleted.
CREATE TABLE diarieserie (
    namnd_id  INTEGER NOT NULL REFERENCES namnd(id),
    ar        INTEGER NOT NULL,
    senaste   INTEGER NOT NULL CHECK (senaste >= 0),
    PRIMARY KEY (namnd_id, ar)
) WITHOUT ROWID;

CREATE TRIGGER diarieserie_raknar_aldrig_bakat BEFORE UPDATE OF senaste ON diarieserie
WHEN NEW.senaste < OLD.senaste
BEGIN
    SELECT RAISE(ABORT, 'diarieserien får inte räknas bakåt');
END;

CREATE TRIGGER arende_flyttar_diarieserien AFTER INSERT ON arende
WHEN NEW.lopnr IS NOT NULL
BEGIN
    INSERT INTO diarieserie (namnd_id, ar, senaste) VALUES (NEW.namnd_id, NEW.ar, NEW.lopnr)
    ON CONFLICT (namnd_id, ar) DO UPDATE SET senaste = max(senaste, excluded.senaste);
END;

CREATE TRIGGER arende_nytt_nummer_flyttar_diarieserien AFTER UPDATE OF ar, lopnr ON arende
WHEN NEW.lopnr IS NOT NULL
BEGIN
    INSERT INTO diarieserie (namnd_id, ar, senaste) VALUES (NEW.namnd_id, NEW.ar, NEW.lopnr)
    ON CONFLICT (namnd_id, ar) DO UPDATE SET senaste = max(senaste, excluded.senaste);
END;

-- Stored files, content-addressed: the bytes live in the store's file folder under their SHA-256.
CREATE TABLE fil (
    sha256   TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    storlek  INTEGER NOT NULL CHECK (storlek >= 0),
    skadad   TEXT  -- why the file cannot be read as what it claims to be (a damaged PDF); NULL when fine
) WITHOUT ROWID;

-- A document registered in an ärende. A bilaga to the tjänsteskrivelse has its position in bilaga_nr.
CREATE TABLE handling (
    id                INTEGER PRIMARY KEY,
    arende_id         INTEGER NOT NULL REFERENCES arende(id) ON DELETE CASCADE,
    riktning          TEXT NOT NULL CHECK (riktning IN ('in', 'ut', 'upprattad')),
    datum             TEXT CHECK (datum IS NULL OR date(datum, '+0 days') IS datum),
    motpart           TEXT,
    beskrivning       TEXT NOT NULL CHECK (length(trim(beskrivning)) > 0),
    sekretess         INTEGER NOT NULL DEFAULT 0 CHECK (sekretess IN (0, 1)),
    sekretess_lagrum  TEXT CHECK (sekretess_lagrum IS NULL OR sekretess = 1),
    fil_sha256        TEXT REFERENCES fil(sha256),
    filnamn           TEXT,
    bilaga_nr         INTEGER CHECK (bilaga_nr >= 1),
    CHECK ((filnamn IS NULL) = (fil_sha256 IS NULL)),
    UNIQUE (arende_id, bilaga_nr)
);
CREATE INDEX handling_fil ON handling(fil_sha256);

CREATE TABLE tjansteskrivelse (
    id              INTEGER PRIMARY KEY,
    arende_id       INTEGER NOT NULL UNIQUE REFERENCES arende(id) ON DELETE CASCADE,
    forvaltning     TEXT,
    enhet           TEXT,
    handlaggare_id  INTEGER REFERENCES person(id) ON DELETE SET NULL,
    datum           TEXT CHECK (datum IS NULL OR date(datum, '+0 days') IS datum),
    ert_datum       TEXT CHECK (ert_datum IS NULL OR date(ert_datum, '+0 days') IS ert_datum),
    er_beteckning   TEXT,
    mottagare       TEXT,
    rubrik          TEXT,
    sammanfattning  TEXT
);

CREATE TABLE forslag (
    tjansteskrivelse_id  INTEGER NOT NULL REFERENCES tjansteskrivelse(id) ON DELETE CASCADE,
    nr                   INTEGER NOT NULL CHECK (nr >= 1),
    text                 TEXT NOT NULL CHECK (length(trim(text)) > 0),
    PRIMARY KEY (tjansteskrivelse_id, nr)
) WITHOUT ROWID;

CREATE TABLE avsnitt (
    tjansteskrivelse_id  INTEGER NOT NULL REFERENCES tjansteskrivelse(id) ON DELETE CASCADE,
    nr                   INTEGER NOT NULL CHECK (nr >= 1),
    rubrik               TEXT,
    text                 TEXT,
    PRIMARY KEY (tjansteskrivelse_id, nr)
) WITHOUT ROWID;

-- "Ärendets handlingar" as the handläggare listed them (compared with the attached bilagor when rendering).
CREATE TABLE listad_handling (
    tjansteskrivelse_id  INTEGER NOT NULL REFERENCES tjansteskrivelse(id) ON DELETE CASCADE,
    nr                   INTEGER NOT NULL CHECK (nr >= 1),
    titel                TEXT NOT NULL CHECK (length(trim(titel)) > 0),
    PRIMARY KEY (tjansteskrivelse_id, nr)
) WITHOUT ROWID;

CREATE TABLE undertecknare (
    tjansteskrivelse_id  INTEGER NOT NULL REFERENCES tjansteskrivelse(id) ON DELETE CASCADE,
    nr                   INTEGER NOT NULL CHECK (nr >= 1),
    namn                 TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    titel                TEXT,
    PRIMARY KEY (tjansteskrivelse_id, nr)
) WITHOUT ROWID;

-- The address book of decision recipients: a body ("Kommunstyrelsen", "Akten") or a person at an address.
CREATE TABLE mottagare (
    id      INTEGER PRIMARY KEY,
    namn    TEXT NOT NULL CHECK (length(trim(namn)) > 0),
    adress  TEXT,
    epost   TEXT CHECK (epost IS NULL OR instr(epost, '@') > 1)
);
CREATE UNIQUE INDEX mottagare_unik ON mottagare(namn, coalesce(adress, ''), coalesce(epost, ''));

-- "Beslutet skickas till", in the order printed.
CREATE TABLE beslutsmottagare (
    tjansteskrivelse_id  INTEGER NOT NULL REFERENCES tjansteskrivelse(id) ON DELETE CASCADE,
    nr                   INTEGER NOT NULL CHECK (nr >= 1),
    mottagare_id         INTEGER NOT NULL REFERENCES mottagare(id),
    PRIMARY KEY (tjansteskrivelse_id, nr)
) WITHOUT ROWID;

CREATE TABLE sammantrade (
    id                 INTEGER PRIMARY KEY,
    organ_id           INTEGER NOT NULL REFERENCES organ(id),
    datum              TEXT NOT NULL CHECK (date(datum, '+0 days') IS datum),
    tid                TEXT CHECK (tid IS NULL OR (length(tid) = 5 AND time(tid) IS tid || ':00')),
    plats              TEXT,
    ordforande_id      INTEGER REFERENCES person(id) ON DELETE SET NULL,
    forhinder_namn     TEXT,
    forhinder_epost    TEXT,
    forhinder_telefon  TEXT,
    status             TEXT NOT NULL DEFAULT 'planerat'
                       CHECK (status IN ('planerat', 'kallat', 'genomfort', 'justerat')),
    UNIQUE (organ_id, datum)
);

CREATE TABLE dagordningspunkt (
    id                INTEGER PRIMARY KEY,
    sammantrade_id    INTEGER NOT NULL REFERENCES sammantrade(id) ON DELETE CASCADE,
    nr                INTEGER NOT NULL CHECK (nr >= 1),
    rubrik            TEXT NOT NULL CHECK (length(trim(rubrik)) > 0),
    typ               TEXT NOT NULL CHECK (typ IN ('standard', 'tema', 'arende')),
    arende_id         INTEGER REFERENCES arende(id),
    sekretess         INTEGER NOT NULL DEFAULT 0 CHECK (sekretess IN (0, 1)),
    sekretess_lagrum  TEXT CHECK (sekretess_lagrum IS NULL OR sekretess = 1),
    anteckning        TEXT,
    UNIQUE (sammantrade_id, nr)
);
CREATE INDEX dagordningspunkt_arende ON dagordningspunkt(arende_id);

-- Secrecy spreads both ways between an agenda item and its ärende, and never silently goes away:
-- a secret ärende cannot sit on the agenda as a public item.
CREATE TRIGGER punkt_hemlig_gor_arendet_hemligt AFTER INSERT ON dagordningspunkt
WHEN NEW.sekretess = 1 AND NEW.arende_id IS NOT NULL
BEGIN
    UPDATE arende SET sekretess = 1, sekretess_lagrum = coalesce(sekretess_lagrum, NEW.sekretess_lagrum)
    WHERE id = NEW.arende_id;
END;

CREATE TRIGGER punkt_blir_hemlig_gor_arendet_hemligt AFTER UPDATE OF sekretess, arende_id ON dagordningspunkt
WHEN NEW.sekretess = 1 AND NEW.arende_id IS NOT NULL
BEGIN
    UPDATE arende SET sekretess = 1, sekretess_lagrum = coalesce(sekretess_lagrum, NEW.sekretess_lagrum)
    WHERE id = NEW.arende_id;
END;

CREATE TRIGGER hemligt_arende_kan_inte_bli_offentlig_punkt BEFORE INSERT ON dagordningspunkt
WHEN NEW.sekretess = 0 AND (SELECT sekretess FROM arende WHERE id = NEW.arende_id) = 1
BEGIN
    SELECT RAISE(ABORT, 'ett sekretessärende kan inte stå som offentlig punkt på dagordningen');
END;

CREATE TRIGGER hemligt_arende_kan_inte_bli_offentlig_punkt_vid_andring BEFORE UPDATE OF sekretess, arende_id ON dagordningspunkt
WHEN NEW.sekretess = 0 AND (SELECT sekretess FROM arende WHERE id = NEW.arende_id) = 1
BEGIN
    SELECT RAISE(ABORT, 'ett sekretessärende kan inte stå som offentlig punkt på dagordningen');
END;

CREATE TRIGGER arende_blir_hemligt_gor_punkterna_hemliga AFTER UPDATE OF sekretess ON arende
WHEN NEW.sekretess = 1
BEGIN
    UPDATE dagordningspunkt SET sekretess = 1, sekretess_lagrum = coalesce(sekretess_lagrum, NEW.sekretess_lagrum)
    WHERE arende_id = NEW.id AND sekretess = 0;
END;
