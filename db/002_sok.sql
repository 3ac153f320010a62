-- 002: full-text search over the diary. Two FTS5 indexes over the same text: one folds å ä ö é to a a o e, so
-- "arsredovisning" finds "årsredovisning"; the other keeps the exact spelling and is used to rank exact matches first.

CREATE VIRTUAL TABLE arende_sok USING fts5(
    diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE arende_sok_exakt USING fts5(
    diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE VIEW arende_sokbar_text AS
SELECT a.id AS rowid,
       CASE WHEN a.lopnr IS NOT NULL THEN n.kod || '/' || a.ar || ':' || a.lopnr END AS diarienummer,
       a.rubrik, a.offentlig_rubrik, a.klassificering, a.extern_referens
FROM arende a JOIN namnd n ON n.id = a.namnd_id;

INSERT INTO arende_sok (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens)
    SELECT * FROM arende_sokbar_text;
INSERT INTO arende_sok_exakt (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens)
    SELECT * FROM arende_sokbar_text;

CREATE TRIGGER arende_sok_ny AFTER INSERT ON arende
BEGIN
    INSERT INTO arende_sok (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens)
        SELECT * FROM arende_sokbar_text WHERE rowid = NEW.id;
    INSERT INTO arende_sok_exakt (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens)
        SELECT * FROM arende_sokbar_text WHERE rowid = NEW.id;
END;

CREATE TRIGGER arende_sok_andrad AFTER UPDATE OF ar, lopnr, rubrik, offentlig_rubrik, klassificering, extern_referens ON arende
BEGIN
    DELETE FROM arende_sok WHERE rowid = OLD.id;
    DELETE FROM arende_sok_exakt WHERE rowid = OLD.id;
    INSERT INTO arende_sok (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens)
        SELECT * FROM arende_sokbar_text WHERE rowid = NEW.id;
    INSERT INTO arende_sok_exakt (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, extern_referens)
        SELECT * FROM arende_sokbar_text WHERE rowid = NEW.id;
END;

CREATE TRIGGER arende_sok_borttagen AFTER DELETE ON arende
BEGIN
    DELETE FROM arende_sok WHERE rowid = OLD.id;
    DELETE FROM arende_sok_exakt WHERE rowid = OLD.id;
END;
