-- 005: the audit trail, the log of reads of secret ärenden, and record versions for concurrent editing.
--
-- Every insert, update and delete of an ärende, its tjänsteskrivelse and handlingar, a meeting and its agenda, and
-- the protokoll with all its parts is written to `andring` by triggers, in the same transaction as the change,
-- with the OS user (the function app_user(), which Nämndtool registers on each connection), the time, and the old
-- and new row as JSON. Neither log can be changed or emptied. A connection without app_user() (another SQLite
-- tool) cannot change these tables at all, so no change goes unrecorded.
-- Generated once from the table definitions; edit by hand from here on.

CREATE TABLE andring (
    id              INTEGER PRIMARY KEY,
    tid             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')),
    anvandare       TEXT NOT NULL,
    tabell          TEXT NOT NULL,
    handelse        TEXT NOT NULL CHECK (handelse IN ('ny', 'ändrad', 'borttagen')),
    arende_id       INTEGER,
    sammantrade_id  INTEGER,
    fore            TEXT,   -- the row before, as JSON (NULL for a new row)
    efter           TEXT    -- the row after, as JSON (NULL for a deleted row)
);
CREATE INDEX andring_arende ON andring(arende_id, id);
CREATE INDEX andring_sammantrade ON andring(sammantrade_id, id);

CREATE TABLE lasning (
    id         INTEGER PRIMARY KEY,
    tid        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')),
    anvandare  TEXT NOT NULL,
    arende_id  INTEGER NOT NULL REFERENCES arende(id),
    hur        TEXT NOT NULL   -- where it was read: "öppnat i programmet", "namndtool case show" …
);
CREATE INDEX lasning_arende ON lasning(arende_id, id);

CREATE TRIGGER andring_kan_inte_andras BEFORE UPDATE ON andring
BEGIN SELECT RAISE(ABORT, 'ändringsloggen kan inte ändras'); END;
CREATE TRIGGER andring_kan_inte_tas_bort BEFORE DELETE ON andring
BEGIN SELECT RAISE(ABORT, 'ändringsloggen kan inte ändras'); END;
CREATE TRIGGER lasning_kan_inte_andras BEFORE UPDATE ON lasning
BEGIN SELECT RAISE(ABORT, 'läsloggen kan inte ändras'); END;
CREATE TRIGGER lasning_kan_inte_tas_bort BEFORE DELETE ON lasning
BEGIN SELECT RAISE(ABORT, 'läsloggen kan inte ändras'); END;

ALTER TABLE arende ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER arende_ny_version AFTER UPDATE ON arende WHEN NEW.version = OLD.version
BEGIN UPDATE arende SET version = OLD.version + 1 WHERE id = NEW.id; END;

ALTER TABLE tjansteskrivelse ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER tjansteskrivelse_ny_version AFTER UPDATE ON tjansteskrivelse WHEN NEW.version = OLD.version
BEGIN UPDATE tjansteskrivelse SET version = OLD.version + 1 WHERE id = NEW.id; END;

ALTER TABLE sammantrade ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER sammantrade_ny_version AFTER UPDATE ON sammantrade WHEN NEW.version = OLD.version
BEGIN UPDATE sammantrade SET version = OLD.version + 1 WHERE id = NEW.id; END;

CREATE TRIGGER arende_logg_insert AFTER INSERT ON arende
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'arende', 'ny', NEW.id, NULL, NULL, json_object('id', NEW.id, 'namnd_id', NEW.namnd_id, 'ar', NEW.ar, 'lopnr', NEW.lopnr, 'klassificering', NEW.klassificering, 'rubrik', NEW.rubrik, 'offentlig_rubrik', NEW.offentlig_rubrik, 'handlaggare_id', NEW.handlaggare_id, 'status', NEW.status, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'extern_referens', NEW.extern_referens, 'svar_senast', NEW.svar_senast, 'omedelbar_justering', NEW.omedelbar_justering, 'registrerad', NEW.registrerad, 'avslutad', NEW.avslutad, 'avslutad_av', NEW.avslutad_av, 'version', NEW.version));
END;

CREATE TRIGGER arende_logg_update AFTER UPDATE ON arende WHEN NEW.version = OLD.version
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'arende', 'ändrad', NEW.id, NULL, json_object('id', OLD.id, 'namnd_id', OLD.namnd_id, 'ar', OLD.ar, 'lopnr', OLD.lopnr, 'klassificering', OLD.klassificering, 'rubrik', OLD.rubrik, 'offentlig_rubrik', OLD.offentlig_rubrik, 'handlaggare_id', OLD.handlaggare_id, 'status', OLD.status, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'extern_referens', OLD.extern_referens, 'svar_senast', OLD.svar_senast, 'omedelbar_justering', OLD.omedelbar_justering, 'registrerad', OLD.registrerad, 'avslutad', OLD.avslutad, 'avslutad_av', OLD.avslutad_av, 'version', OLD.version), json_object('id', NEW.id, 'namnd_id', NEW.namnd_id, 'ar', NEW.ar, 'lopnr', NEW.lopnr, 'klassificering', NEW.klassificering, 'rubrik', NEW.rubrik, 'offentlig_rubrik', NEW.offentlig_rubrik, 'handlaggare_id', NEW.handlaggare_id, 'status', NEW.status, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'extern_referens', NEW.extern_referens, 'svar_senast', NEW.svar_senast, 'omedelbar_justering', NEW.omedelbar_justering, 'registrerad', NEW.registrerad, 'avslutad', NEW.avslutad, 'avslutad_av', NEW.avslutad_av, 'version', NEW.version));
END;

CREATE TRIGGER arende_logg_delete AFTER DELETE ON arende
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'arende', 'borttagen', OLD.id, NULL, json_object('id', OLD.id, 'namnd_id', OLD.namnd_id, 'ar', OLD.ar, 'lopnr', OLD.lopnr, 'klassificering', OLD.klassificering, 'rubrik', OLD.rubrik, 'offentlig_rubrik', OLD.offentlig_rubrik, 'handlaggare_id', OLD.handlaggare_id, 'status', OLD.status, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'extern_referens', OLD.extern_referens, 'svar_senast', OLD.svar_senast, 'omedelbar_justering', OLD.omedelbar_justering, 'registrerad', OLD.registrerad, 'avslutad', OLD.avslutad, 'avslutad_av', OLD.avslutad_av, 'version', OLD.version), NULL);
END;

CREATE TRIGGER tjansteskrivelse_logg_insert AFTER INSERT ON tjansteskrivelse
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'tjansteskrivelse', 'ny', NEW.arende_id, NULL, NULL, json_object('id', NEW.id, 'arende_id', NEW.arende_id, 'forvaltning', NEW.forvaltning, 'enhet', NEW.enhet, 'handlaggare_id', NEW.handlaggare_id, 'datum', NEW.datum, 'ert_datum', NEW.ert_datum, 'er_beteckning', NEW.er_beteckning, 'mottagare', NEW.mottagare, 'rubrik', NEW.rubrik, 'sammanfattning', NEW.sammanfattning, 'version', NEW.version));
END;

CREATE TRIGGER tjansteskrivelse_logg_update AFTER UPDATE ON tjansteskrivelse WHEN NEW.version = OLD.version
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'tjansteskrivelse', 'ändrad', NEW.arende_id, NULL, json_object('id', OLD.id, 'arende_id', OLD.arende_id, 'forvaltning', OLD.forvaltning, 'enhet', OLD.enhet, 'handlaggare_id', OLD.handlaggare_id, 'datum', OLD.datum, 'ert_datum', OLD.ert_datum, 'er_beteckning', OLD.er_beteckning, 'mottagare', OLD.mottagare, 'rubrik', OLD.rubrik, 'sammanfattning', OLD.sammanfattning, 'version', OLD.version), json_object('id', NEW.id, 'arende_id', NEW.arende_id, 'forvaltning', NEW.forvaltning, 'enhet', NEW.enhet, 'handlaggare_id', NEW.handlaggare_id, 'datum', NEW.datum, 'ert_datum', NEW.ert_datum, 'er_beteckning', NEW.er_beteckning, 'mottagare', NEW.mottagare, 'rubrik', NEW.rubrik, 'sammanfattning', NEW.sammanfattning, 'version', NEW.version));
END;

CREATE TRIGGER tjansteskrivelse_logg_delete AFTER DELETE ON tjansteskrivelse
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'tjansteskrivelse', 'borttagen', OLD.arende_id, NULL, json_object('id', OLD.id, 'arende_id', OLD.arende_id, 'forvaltning', OLD.forvaltning, 'enhet', OLD.enhet, 'handlaggare_id', OLD.handlaggare_id, 'datum', OLD.datum, 'ert_datum', OLD.ert_datum, 'er_beteckning', OLD.er_beteckning, 'mottagare', OLD.mottagare, 'rubrik', OLD.rubrik, 'sammanfattning', OLD.sammanfattning, 'version', OLD.version), NULL);
END;

CREATE TRIGGER forslag_logg_insert AFTER INSERT ON forslag
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'forslag', 'ny', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, NULL, json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'text', NEW.text));
END;

CREATE TRIGGER forslag_logg_update AFTER UPDATE ON forslag
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'forslag', 'ändrad', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'text', OLD.text), json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'text', NEW.text));
END;

CREATE TRIGGER forslag_logg_delete AFTER DELETE ON forslag
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'forslag', 'borttagen', (SELECT arende_id FROM tjansteskrivelse WHERE id = OLD.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'text', OLD.text), NULL);
END;

CREATE TRIGGER avsnitt_logg_insert AFTER INSERT ON avsnitt
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'avsnitt', 'ny', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, NULL, json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'rubrik', NEW.rubrik, 'text', NEW.text));
END;

CREATE TRIGGER avsnitt_logg_update AFTER UPDATE ON avsnitt
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'avsnitt', 'ändrad', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'rubrik', OLD.rubrik, 'text', OLD.text), json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'rubrik', NEW.rubrik, 'text', NEW.text));
END;

CREATE TRIGGER avsnitt_logg_delete AFTER DELETE ON avsnitt
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'avsnitt', 'borttagen', (SELECT arende_id FROM tjansteskrivelse WHERE id = OLD.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'rubrik', OLD.rubrik, 'text', OLD.text), NULL);
END;

CREATE TRIGGER listad_handling_logg_insert AFTER INSERT ON listad_handling
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'listad_handling', 'ny', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, NULL, json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'titel', NEW.titel));
END;

CREATE TRIGGER listad_handling_logg_update AFTER UPDATE ON listad_handling
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'listad_handling', 'ändrad', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'titel', OLD.titel), json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'titel', NEW.titel));
END;

CREATE TRIGGER listad_handling_logg_delete AFTER DELETE ON listad_handling
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'listad_handling', 'borttagen', (SELECT arende_id FROM tjansteskrivelse WHERE id = OLD.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'titel', OLD.titel), NULL);
END;

CREATE TRIGGER undertecknare_logg_insert AFTER INSERT ON undertecknare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'undertecknare', 'ny', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, NULL, json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'namn', NEW.namn, 'titel', NEW.titel));
END;

CREATE TRIGGER undertecknare_logg_update AFTER UPDATE ON undertecknare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'undertecknare', 'ändrad', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'namn', OLD.namn, 'titel', OLD.titel), json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'namn', NEW.namn, 'titel', NEW.titel));
END;

CREATE TRIGGER undertecknare_logg_delete AFTER DELETE ON undertecknare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'undertecknare', 'borttagen', (SELECT arende_id FROM tjansteskrivelse WHERE id = OLD.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'namn', OLD.namn, 'titel', OLD.titel), NULL);
END;

CREATE TRIGGER beslutsmottagare_logg_insert AFTER INSERT ON beslutsmottagare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'beslutsmottagare', 'ny', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, NULL, json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'mottagare_id', NEW.mottagare_id));
END;

CREATE TRIGGER beslutsmottagare_logg_update AFTER UPDATE ON beslutsmottagare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'beslutsmottagare', 'ändrad', (SELECT arende_id FROM tjansteskrivelse WHERE id = NEW.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'mottagare_id', OLD.mottagare_id), json_object('tjansteskrivelse_id', NEW.tjansteskrivelse_id, 'nr', NEW.nr, 'mottagare_id', NEW.mottagare_id));
END;

CREATE TRIGGER beslutsmottagare_logg_delete AFTER DELETE ON beslutsmottagare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'beslutsmottagare', 'borttagen', (SELECT arende_id FROM tjansteskrivelse WHERE id = OLD.tjansteskrivelse_id), NULL, json_object('tjansteskrivelse_id', OLD.tjansteskrivelse_id, 'nr', OLD.nr, 'mottagare_id', OLD.mottagare_id), NULL);
END;

CREATE TRIGGER handling_logg_insert AFTER INSERT ON handling
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'handling', 'ny', NEW.arende_id, NULL, NULL, json_object('id', NEW.id, 'arende_id', NEW.arende_id, 'riktning', NEW.riktning, 'datum', NEW.datum, 'motpart', NEW.motpart, 'beskrivning', NEW.beskrivning, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'fil_sha256', NEW.fil_sha256, 'filnamn', NEW.filnamn, 'bilaga_nr', NEW.bilaga_nr, 'registrerad_av', NEW.registrerad_av, 'registrerad', NEW.registrerad));
END;

CREATE TRIGGER handling_logg_update AFTER UPDATE ON handling
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'handling', 'ändrad', NEW.arende_id, NULL, json_object('id', OLD.id, 'arende_id', OLD.arende_id, 'riktning', OLD.riktning, 'datum', OLD.datum, 'motpart', OLD.motpart, 'beskrivning', OLD.beskrivning, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'fil_sha256', OLD.fil_sha256, 'filnamn', OLD.filnamn, 'bilaga_nr', OLD.bilaga_nr, 'registrerad_av', OLD.registrerad_av, 'registrerad', OLD.registrerad), json_object('id', NEW.id, 'arende_id', NEW.arende_id, 'riktning', NEW.riktning, 'datum', NEW.datum, 'motpart', NEW.motpart, 'beskrivning', NEW.beskrivning, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'fil_sha256', NEW.fil_sha256, 'filnamn', NEW.filnamn, 'bilaga_nr', NEW.bilaga_nr, 'registrerad_av', NEW.registrerad_av, 'registrerad', NEW.registrerad));
END;

CREATE TRIGGER handling_logg_delete AFTER DELETE ON handling
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'handling', 'borttagen', OLD.arende_id, NULL, json_object('id', OLD.id, 'arende_id', OLD.arende_id, 'riktning', OLD.riktning, 'datum', OLD.datum, 'motpart', OLD.motpart, 'beskrivning', OLD.beskrivning, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'fil_sha256', OLD.fil_sha256, 'filnamn', OLD.filnamn, 'bilaga_nr', OLD.bilaga_nr, 'registrerad_av', OLD.registrerad_av, 'registrerad', OLD.registrerad), NULL);
END;

CREATE TRIGGER sammantrade_logg_insert AFTER INSERT ON sammantrade
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'sammantrade', 'ny', NULL, NEW.id, NULL, json_object('id', NEW.id, 'organ_id', NEW.organ_id, 'datum', NEW.datum, 'tid', NEW.tid, 'plats', NEW.plats, 'ordforande_id', NEW.ordforande_id, 'forhinder_namn', NEW.forhinder_namn, 'forhinder_epost', NEW.forhinder_epost, 'forhinder_telefon', NEW.forhinder_telefon, 'status', NEW.status, 'version', NEW.version));
END;

CREATE TRIGGER sammantrade_logg_update AFTER UPDATE ON sammantrade WHEN NEW.version = OLD.version
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'sammantrade', 'ändrad', NULL, NEW.id, json_object('id', OLD.id, 'organ_id', OLD.organ_id, 'datum', OLD.datum, 'tid', OLD.tid, 'plats', OLD.plats, 'ordforande_id', OLD.ordforande_id, 'forhinder_namn', OLD.forhinder_namn, 'forhinder_epost', OLD.forhinder_epost, 'forhinder_telefon', OLD.forhinder_telefon, 'status', OLD.status, 'version', OLD.version), json_object('id', NEW.id, 'organ_id', NEW.organ_id, 'datum', NEW.datum, 'tid', NEW.tid, 'plats', NEW.plats, 'ordforande_id', NEW.ordforande_id, 'forhinder_namn', NEW.forhinder_namn, 'forhinder_epost', NEW.forhinder_epost, 'forhinder_telefon', NEW.forhinder_telefon, 'status', NEW.status, 'version', NEW.version));
END;

CREATE TRIGGER sammantrade_logg_delete AFTER DELETE ON sammantrade
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'sammantrade', 'borttagen', NULL, OLD.id, json_object('id', OLD.id, 'organ_id', OLD.organ_id, 'datum', OLD.datum, 'tid', OLD.tid, 'plats', OLD.plats, 'ordforande_id', OLD.ordforande_id, 'forhinder_namn', OLD.forhinder_namn, 'forhinder_epost', OLD.forhinder_epost, 'forhinder_telefon', OLD.forhinder_telefon, 'status', OLD.status, 'version', OLD.version), NULL);
END;

CREATE TRIGGER dagordningspunkt_logg_insert AFTER INSERT ON dagordningspunkt
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'dagordningspunkt', 'ny', NEW.arende_id, NEW.sammantrade_id, NULL, json_object('id', NEW.id, 'sammantrade_id', NEW.sammantrade_id, 'nr', NEW.nr, 'rubrik', NEW.rubrik, 'typ', NEW.typ, 'arende_id', NEW.arende_id, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'anteckning', NEW.anteckning));
END;

CREATE TRIGGER dagordningspunkt_logg_update AFTER UPDATE ON dagordningspunkt
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'dagordningspunkt', 'ändrad', NEW.arende_id, NEW.sammantrade_id, json_object('id', OLD.id, 'sammantrade_id', OLD.sammantrade_id, 'nr', OLD.nr, 'rubrik', OLD.rubrik, 'typ', OLD.typ, 'arende_id', OLD.arende_id, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'anteckning', OLD.anteckning), json_object('id', NEW.id, 'sammantrade_id', NEW.sammantrade_id, 'nr', NEW.nr, 'rubrik', NEW.rubrik, 'typ', NEW.typ, 'arende_id', NEW.arende_id, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'anteckning', NEW.anteckning));
END;

CREATE TRIGGER dagordningspunkt_logg_delete AFTER DELETE ON dagordningspunkt
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'dagordningspunkt', 'borttagen', OLD.arende_id, OLD.sammantrade_id, json_object('id', OLD.id, 'sammantrade_id', OLD.sammantrade_id, 'nr', OLD.nr, 'rubrik', OLD.rubrik, 'typ', OLD.typ, 'arende_id', OLD.arende_id, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'anteckning', OLD.anteckning), NULL);
END;

CREATE TRIGGER protokoll_logg_insert AFTER INSERT ON protokoll
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'protokoll', 'ny', NULL, NEW.sammantrade_id, NULL, json_object('id', NEW.id, 'sammantrade_id', NEW.sammantrade_id, 'sekreterare', NEW.sekreterare, 'justering_plats', NEW.justering_plats, 'justering_datum', NEW.justering_datum, 'forvaringsplats', NEW.forvaringsplats, 'klar_for_justering', NEW.klar_for_justering, 'justerad', NEW.justerad, 'justerad_pdf_sha256', NEW.justerad_pdf_sha256, 'anslag_datum', NEW.anslag_datum, 'omedelbar_anslag', NEW.omedelbar_anslag));
END;

CREATE TRIGGER protokoll_logg_update AFTER UPDATE ON protokoll
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'protokoll', 'ändrad', NULL, NEW.sammantrade_id, json_object('id', OLD.id, 'sammantrade_id', OLD.sammantrade_id, 'sekreterare', OLD.sekreterare, 'justering_plats', OLD.justering_plats, 'justering_datum', OLD.justering_datum, 'forvaringsplats', OLD.forvaringsplats, 'klar_for_justering', OLD.klar_for_justering, 'justerad', OLD.justerad, 'justerad_pdf_sha256', OLD.justerad_pdf_sha256, 'anslag_datum', OLD.anslag_datum, 'omedelbar_anslag', OLD.omedelbar_anslag), json_object('id', NEW.id, 'sammantrade_id', NEW.sammantrade_id, 'sekreterare', NEW.sekreterare, 'justering_plats', NEW.justering_plats, 'justering_datum', NEW.justering_datum, 'forvaringsplats', NEW.forvaringsplats, 'klar_for_justering', NEW.klar_for_justering, 'justerad', NEW.justerad, 'justerad_pdf_sha256', NEW.justerad_pdf_sha256, 'anslag_datum', NEW.anslag_datum, 'omedelbar_anslag', NEW.omedelbar_anslag));
END;

CREATE TRIGGER protokoll_logg_delete AFTER DELETE ON protokoll
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'protokoll', 'borttagen', NULL, OLD.sammantrade_id, json_object('id', OLD.id, 'sammantrade_id', OLD.sammantrade_id, 'sekreterare', OLD.sekreterare, 'justering_plats', OLD.justering_plats, 'justering_datum', OLD.justering_datum, 'forvaringsplats', OLD.forvaringsplats, 'klar_for_justering', OLD.klar_for_justering, 'justerad', OLD.justerad, 'justerad_pdf_sha256', OLD.justerad_pdf_sha256, 'anslag_datum', OLD.anslag_datum, 'omedelbar_anslag', OLD.omedelbar_anslag), NULL);
END;

CREATE TRIGGER justerare_logg_insert AFTER INSERT ON justerare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'justerare', 'ny', NULL, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), NULL, json_object('protokoll_id', NEW.protokoll_id, 'nr', NEW.nr, 'namn', NEW.namn));
END;

CREATE TRIGGER justerare_logg_update AFTER UPDATE ON justerare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'justerare', 'ändrad', NULL, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), json_object('protokoll_id', OLD.protokoll_id, 'nr', OLD.nr, 'namn', OLD.namn), json_object('protokoll_id', NEW.protokoll_id, 'nr', NEW.nr, 'namn', NEW.namn));
END;

CREATE TRIGGER justerare_logg_delete AFTER DELETE ON justerare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'justerare', 'borttagen', NULL, (SELECT sammantrade_id FROM protokoll WHERE id = OLD.protokoll_id), json_object('protokoll_id', OLD.protokoll_id, 'nr', OLD.nr, 'namn', OLD.namn), NULL);
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

CREATE TRIGGER paragraf_logg_insert AFTER INSERT ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'ny', NEW.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), NULL, json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'organ_id', NEW.organ_id, 'ar', NEW.ar, 'nr', NEW.nr, 'dagordning_nr', NEW.dagordning_nr, 'rubrik', NEW.rubrik, 'arende_id', NEW.arende_id, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'propositionsordning', NEW.propositionsordning, 'votering_ja', NEW.votering_ja, 'votering_nej', NEW.votering_nej, 'votering_avstar', NEW.votering_avstar, 'votering_resultat', NEW.votering_resultat, 'omedelbart_justerad', NEW.omedelbart_justerad, 'berord', NEW.berord, 'skickas_av', NEW.skickas_av));
END;

CREATE TRIGGER paragraf_logg_update AFTER UPDATE ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'ändrad', NEW.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = NEW.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'organ_id', OLD.organ_id, 'ar', OLD.ar, 'nr', OLD.nr, 'dagordning_nr', OLD.dagordning_nr, 'rubrik', OLD.rubrik, 'arende_id', OLD.arende_id, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'propositionsordning', OLD.propositionsordning, 'votering_ja', OLD.votering_ja, 'votering_nej', OLD.votering_nej, 'votering_avstar', OLD.votering_avstar, 'votering_resultat', OLD.votering_resultat, 'omedelbart_justerad', OLD.omedelbart_justerad, 'berord', OLD.berord, 'skickas_av', OLD.skickas_av), json_object('id', NEW.id, 'protokoll_id', NEW.protokoll_id, 'organ_id', NEW.organ_id, 'ar', NEW.ar, 'nr', NEW.nr, 'dagordning_nr', NEW.dagordning_nr, 'rubrik', NEW.rubrik, 'arende_id', NEW.arende_id, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'propositionsordning', NEW.propositionsordning, 'votering_ja', NEW.votering_ja, 'votering_nej', NEW.votering_nej, 'votering_avstar', NEW.votering_avstar, 'votering_resultat', NEW.votering_resultat, 'omedelbart_justerad', NEW.omedelbart_justerad, 'berord', NEW.berord, 'skickas_av', NEW.skickas_av));
END;

CREATE TRIGGER paragraf_logg_delete AFTER DELETE ON paragraf
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf', 'borttagen', OLD.arende_id, (SELECT sammantrade_id FROM protokoll WHERE id = OLD.protokoll_id), json_object('id', OLD.id, 'protokoll_id', OLD.protokoll_id, 'organ_id', OLD.organ_id, 'ar', OLD.ar, 'nr', OLD.nr, 'dagordning_nr', OLD.dagordning_nr, 'rubrik', OLD.rubrik, 'arende_id', OLD.arende_id, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'propositionsordning', OLD.propositionsordning, 'votering_ja', OLD.votering_ja, 'votering_nej', OLD.votering_nej, 'votering_avstar', OLD.votering_avstar, 'votering_resultat', OLD.votering_resultat, 'omedelbart_justerad', OLD.omedelbart_justerad, 'berord', OLD.berord, 'skickas_av', OLD.skickas_av), NULL);
END;

CREATE TRIGGER beslut_logg_insert AFTER INSERT ON beslut
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'beslut', 'ny', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), NULL, json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'text', NEW.text));
END;

CREATE TRIGGER beslut_logg_update AFTER UPDATE ON beslut
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'beslut', 'ändrad', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'text', OLD.text), json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'text', NEW.text));
END;

CREATE TRIGGER beslut_logg_delete AFTER DELETE ON beslut
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'beslut', 'borttagen', (SELECT arende_id FROM paragraf WHERE id = OLD.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'text', OLD.text), NULL);
END;

CREATE TRIGGER yrkande_logg_insert AFTER INSERT ON yrkande
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'yrkande', 'ny', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), NULL, json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'av', NEW.av, 'text', NEW.text));
END;

CREATE TRIGGER yrkande_logg_update AFTER UPDATE ON yrkande
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'yrkande', 'ändrad', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'av', OLD.av, 'text', OLD.text), json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'av', NEW.av, 'text', NEW.text));
END;

CREATE TRIGGER yrkande_logg_delete AFTER DELETE ON yrkande
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'yrkande', 'borttagen', (SELECT arende_id FROM paragraf WHERE id = OLD.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'av', OLD.av, 'text', OLD.text), NULL);
END;

CREATE TRIGGER rost_logg_insert AFTER INSERT ON rost
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'rost', 'ny', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), NULL, json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'namn', NEW.namn, 'rost', NEW.rost));
END;

CREATE TRIGGER rost_logg_update AFTER UPDATE ON rost
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'rost', 'ändrad', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'namn', OLD.namn, 'rost', OLD.rost), json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'namn', NEW.namn, 'rost', NEW.rost));
END;

CREATE TRIGGER rost_logg_delete AFTER DELETE ON rost
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'rost', 'borttagen', (SELECT arende_id FROM paragraf WHERE id = OLD.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'namn', OLD.namn, 'rost', OLD.rost), NULL);
END;

CREATE TRIGGER anteckning_logg_insert AFTER INSERT ON anteckning
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'anteckning', 'ny', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), NULL, json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'slag', NEW.slag, 'av', NEW.av, 'text', NEW.text));
END;

CREATE TRIGGER anteckning_logg_update AFTER UPDATE ON anteckning
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'anteckning', 'ändrad', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'slag', OLD.slag, 'av', OLD.av, 'text', OLD.text), json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'slag', NEW.slag, 'av', NEW.av, 'text', NEW.text));
END;

CREATE TRIGGER anteckning_logg_delete AFTER DELETE ON anteckning
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'anteckning', 'borttagen', (SELECT arende_id FROM paragraf WHERE id = OLD.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'slag', OLD.slag, 'av', OLD.av, 'text', OLD.text), NULL);
END;

CREATE TRIGGER jav_logg_insert AFTER INSERT ON jav
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'jav', 'ny', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), NULL, json_object('paragraf_id', NEW.paragraf_id, 'namn', NEW.namn));
END;

CREATE TRIGGER jav_logg_update AFTER UPDATE ON jav
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'jav', 'ändrad', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'namn', OLD.namn), json_object('paragraf_id', NEW.paragraf_id, 'namn', NEW.namn));
END;

CREATE TRIGGER jav_logg_delete AFTER DELETE ON jav
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'jav', 'borttagen', (SELECT arende_id FROM paragraf WHERE id = OLD.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'namn', OLD.namn), NULL);
END;

CREATE TRIGGER paragraf_mottagare_logg_insert AFTER INSERT ON paragraf_mottagare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf_mottagare', 'ny', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), NULL, json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'mottagare_id', NEW.mottagare_id, 'adress_bekraftad', NEW.adress_bekraftad, 'bekraftad_av', NEW.bekraftad_av, 'bekraftad_datum', NEW.bekraftad_datum));
END;

CREATE TRIGGER paragraf_mottagare_logg_update AFTER UPDATE ON paragraf_mottagare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf_mottagare', 'ändrad', (SELECT arende_id FROM paragraf WHERE id = NEW.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = NEW.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'mottagare_id', OLD.mottagare_id, 'adress_bekraftad', OLD.adress_bekraftad, 'bekraftad_av', OLD.bekraftad_av, 'bekraftad_datum', OLD.bekraftad_datum), json_object('paragraf_id', NEW.paragraf_id, 'nr', NEW.nr, 'mottagare_id', NEW.mottagare_id, 'adress_bekraftad', NEW.adress_bekraftad, 'bekraftad_av', NEW.bekraftad_av, 'bekraftad_datum', NEW.bekraftad_datum));
END;

CREATE TRIGGER paragraf_mottagare_logg_delete AFTER DELETE ON paragraf_mottagare
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'paragraf_mottagare', 'borttagen', (SELECT arende_id FROM paragraf WHERE id = OLD.paragraf_id), (SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id WHERE g.id = OLD.paragraf_id), json_object('paragraf_id', OLD.paragraf_id, 'nr', OLD.nr, 'mottagare_id', OLD.mottagare_id, 'adress_bekraftad', OLD.adress_bekraftad, 'bekraftad_av', OLD.bekraftad_av, 'bekraftad_datum', OLD.bekraftad_datum), NULL);
END;

CREATE TRIGGER delegationsbeslut_logg_insert AFTER INSERT ON delegationsbeslut
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'delegationsbeslut', 'ny', NEW.arende_id, NULL, NULL, json_object('id', NEW.id, 'namnd_id', NEW.namnd_id, 'datum', NEW.datum, 'beslutsfattare', NEW.beslutsfattare, 'delegationspunkt', NEW.delegationspunkt, 'beskrivning', NEW.beskrivning, 'arende_id', NEW.arende_id, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'anmald_vid', NEW.anmald_vid));
END;

CREATE TRIGGER delegationsbeslut_logg_update AFTER UPDATE ON delegationsbeslut
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'delegationsbeslut', 'ändrad', NEW.arende_id, NULL, json_object('id', OLD.id, 'namnd_id', OLD.namnd_id, 'datum', OLD.datum, 'beslutsfattare', OLD.beslutsfattare, 'delegationspunkt', OLD.delegationspunkt, 'beskrivning', OLD.beskrivning, 'arende_id', OLD.arende_id, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'anmald_vid', OLD.anmald_vid), json_object('id', NEW.id, 'namnd_id', NEW.namnd_id, 'datum', NEW.datum, 'beslutsfattare', NEW.beslutsfattare, 'delegationspunkt', NEW.delegationspunkt, 'beskrivning', NEW.beskrivning, 'arende_id', NEW.arende_id, 'sekretess', NEW.sekretess, 'sekretess_lagrum', NEW.sekretess_lagrum, 'anmald_vid', NEW.anmald_vid));
END;

CREATE TRIGGER delegationsbeslut_logg_delete AFTER DELETE ON delegationsbeslut
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'delegationsbeslut', 'borttagen', OLD.arende_id, NULL, json_object('id', OLD.id, 'namnd_id', OLD.namnd_id, 'datum', OLD.datum, 'beslutsfattare', OLD.beslutsfattare, 'delegationspunkt', OLD.delegationspunkt, 'beskrivning', OLD.beskrivning, 'arende_id', OLD.arende_id, 'sekretess', OLD.sekretess, 'sekretess_lagrum', OLD.sekretess_lagrum, 'anmald_vid', OLD.anmald_vid), NULL);
END;
