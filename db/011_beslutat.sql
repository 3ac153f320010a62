-- 011: what a justerat meeting decided on is kept as it was decided.
--
-- An ärende lives on after a meeting: a later meeting may bring a new tjänsteskrivelse, new bilagor or a changed
-- rubrik. The justerat meeting's export, protokoll, utdrag, pack and archive must still show what that meeting
-- decided on. At justering, in the same transaction, the ärende content of every item on the agenda is copied
-- here (nämndtool/store/beslutat.py); the copy can never be changed or removed. Secrecy is not copied: it changes
-- after justering through its own recorded decisions (db/007) and is always read from the live views.
-- The paragraf and the agenda item keep their own rubrik already (db/003 locks them), so they are not copied.

-- The decision basis of an ärende as it stands now: what is frozen at justering. The only definition of what
-- the copy holds; the tjänsteskrivelse has the keys of store.tjansteskrivelse() that the outputs read.
CREATE VIEW arende_underlag AS
SELECT a.id AS arende_id, a.klassificering, a.rubrik, a.offentlig_rubrik, a.status, a.svar_senast,
       a.omedelbar_justering,
       (SELECT json_object(
            'forvaltning', t.forvaltning, 'enhet', t.enhet, 'handlaggare_id', t.handlaggare_id, 'datum', t.datum,
            'ert_datum', t.ert_datum, 'er_beteckning', t.er_beteckning, 'mottagare', t.mottagare, 'rubrik', t.rubrik,
            'sammanfattning', t.sammanfattning,
            'handlaggare', json((SELECT json_object('namn', p.namn, 'titel', p.titel, 'telefon', p.telefon,
                                                    'epost', p.epost) FROM person p WHERE p.id = t.handlaggare_id)),
            'forslag', json((SELECT json_group_array(text) FROM
                             (SELECT text FROM forslag WHERE tjansteskrivelse_id = t.id ORDER BY nr))),
            'avsnitt', json((SELECT json_group_array(json_object('rubrik', rubrik, 'text', text)) FROM
                             (SELECT rubrik, text FROM avsnitt WHERE tjansteskrivelse_id = t.id ORDER BY nr))),
            'handlingar', json((SELECT json_group_array(titel) FROM
                                (SELECT titel FROM listad_handling WHERE tjansteskrivelse_id = t.id ORDER BY nr))),
            'undertecknare', json((SELECT json_group_array(json_object('namn', namn, 'titel', titel)) FROM
                                   (SELECT namn, titel FROM undertecknare WHERE tjansteskrivelse_id = t.id
                                    ORDER BY nr))),
            'beslutet_skickas_till', json((SELECT json_group_array(json_object('namn', namn, 'adress', adress,
                                                                                'epost', epost)) FROM
                                           (SELECT m.namn, m.adress, m.epost FROM beslutsmottagare b
                                            JOIN mottagare m ON m.id = b.mottagare_id
                                            WHERE b.tjansteskrivelse_id = t.id ORDER BY b.nr))))
        FROM tjansteskrivelse t WHERE t.arende_id = a.id) AS tjansteskrivelse,
       (SELECT count(*) FROM handling h WHERE h.arende_id = a.id AND h.bilaga_nr IS NOT NULL) AS antal_bilagor
FROM arende a;

CREATE TABLE beslutat_arende (
    sammantrade_id       INTEGER NOT NULL REFERENCES sammantrade(id),
    arende_id            INTEGER NOT NULL REFERENCES arende(id),
    klassificering       TEXT,
    rubrik               TEXT NOT NULL,
    offentlig_rubrik     TEXT,
    status               TEXT,
    svar_senast          TEXT,
    omedelbar_justering  INTEGER,
    tjansteskrivelse     TEXT CHECK (tjansteskrivelse IS NULL OR json_valid(tjansteskrivelse)),
    antal_bilagor        INTEGER NOT NULL CHECK (antal_bilagor >= 0),
    -- 'justering': copied at the justering; 'efterhand': copied by this migration from the data as it stood then
    -- (best effort: an ärende changed between the justering and the upgrade keeps the later content).
    ursprung             TEXT NOT NULL CHECK (ursprung IN ('justering', 'efterhand')),
    fryst                TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    PRIMARY KEY (sammantrade_id, arende_id)
) WITHOUT ROWID;
CREATE INDEX beslutat_arende_arende ON beslutat_arende(arende_id);

-- The bilagor decided on, in order. The file is referenced, so it is never taken for an unused one.
CREATE TABLE beslutad_bilaga (
    sammantrade_id  INTEGER NOT NULL,
    arende_id       INTEGER NOT NULL,
    nr              INTEGER NOT NULL CHECK (nr >= 1),
    titel           TEXT NOT NULL,
    sha256          TEXT REFERENCES fil(sha256),
    filnamn         TEXT,
    PRIMARY KEY (sammantrade_id, arende_id, nr),
    FOREIGN KEY (sammantrade_id, arende_id) REFERENCES beslutat_arende(sammantrade_id, arende_id)
) WITHOUT ROWID;

-- Only a justerat meeting has a decided content, and a copy is complete when written: its bilagor are numbered
-- 1 … antal_bilagor, each once (primary key), so none can be added afterwards.
CREATE TRIGGER beslutat_arende_bara_justerat BEFORE INSERT ON beslutat_arende
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = NEW.sammantrade_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, 'bara ett justerat sammanträde har ett beslutat underlag');
END;

CREATE TRIGGER beslutad_bilaga_bara_inom_antalet BEFORE INSERT ON beslutad_bilaga
WHEN NEW.nr > coalesce((SELECT antal_bilagor FROM beslutat_arende
                        WHERE sammantrade_id = NEW.sammantrade_id AND arende_id = NEW.arende_id), 0)
BEGIN
    SELECT RAISE(ABORT, 'det beslutade underlaget är redan fullständigt och kan inte få fler bilagor');
END;

CREATE TRIGGER beslutat_arende_kan_inte_andras BEFORE UPDATE ON beslutat_arende
BEGIN
    SELECT RAISE(ABORT, 'det som beslutades vid ett justerat sammanträde kan inte ändras');
END;

CREATE TRIGGER beslutat_arende_kan_inte_tas_bort BEFORE DELETE ON beslutat_arende
BEGIN
    SELECT RAISE(ABORT, 'det som beslutades vid ett justerat sammanträde kan inte tas bort');
END;

CREATE TRIGGER beslutad_bilaga_kan_inte_andras BEFORE UPDATE ON beslutad_bilaga
BEGIN
    SELECT RAISE(ABORT, 'det som beslutades vid ett justerat sammanträde kan inte ändras');
END;

CREATE TRIGGER beslutad_bilaga_kan_inte_tas_bort BEFORE DELETE ON beslutad_bilaga
BEGIN
    SELECT RAISE(ABORT, 'det som beslutades vid ett justerat sammanträde kan inte tas bort');
END;

-- Meetings justerade before this version: copied from the data as it stands now (ursprung 'efterhand').
INSERT INTO beslutat_arende (sammantrade_id, arende_id, klassificering, rubrik, offentlig_rubrik, status,
                             svar_senast, omedelbar_justering, tjansteskrivelse, antal_bilagor, ursprung)
SELECT DISTINCT d.sammantrade_id, u.arende_id, u.klassificering, u.rubrik, u.offentlig_rubrik, u.status,
       u.svar_senast, u.omedelbar_justering, u.tjansteskrivelse, u.antal_bilagor, 'efterhand'
FROM dagordningspunkt d JOIN protokoll p ON p.sammantrade_id = d.sammantrade_id AND p.justerad IS NOT NULL
JOIN arende_underlag u ON u.arende_id = d.arende_id;

INSERT INTO beslutad_bilaga (sammantrade_id, arende_id, nr, titel, sha256, filnamn)
SELECT b.sammantrade_id, b.arende_id,
       row_number() OVER (PARTITION BY b.sammantrade_id, b.arende_id ORDER BY h.bilaga_nr),
       h.beskrivning, h.fil_sha256, h.filnamn
FROM beslutat_arende b JOIN handling h ON h.arende_id = b.arende_id AND h.bilaga_nr IS NOT NULL;

-- Every file an ärende holds or has held before a meeting: its handlingar and the bilagor a justerat meeting
-- decided on (a later meeting may have replaced them). The secrecy gate reads files through this view, so a
-- secret ärende's replaced bilaga is still known as secret everywhere.
CREATE VIEW arende_fil AS
SELECT arende_id, fil_sha256 AS sha256, filnamn, sekretess FROM handling WHERE fil_sha256 IS NOT NULL
UNION
SELECT arende_id, sha256, filnamn, 0 FROM beslutad_bilaga WHERE sha256 IS NOT NULL;
