-- 015: standard decision texts per nämnd (issue 13). A new § for a standard item (Upprop, Val av justerare,
-- Fastställande av dagordning …) starts from the nämnd's text for it instead of an empty decision. `punkt` is the
-- item's title as the agenda writes it; an empty text means the nämnd wants none for that item. Changes are
-- recorded in the audit trail like every other table a user edits.

CREATE TABLE standardtext (
    namnd_id  INTEGER NOT NULL REFERENCES namnd(id) ON DELETE CASCADE,
    punkt     TEXT NOT NULL CHECK (length(trim(punkt)) > 0),
    nr        INTEGER NOT NULL CHECK (nr >= 1),
    text      TEXT NOT NULL,
    PRIMARY KEY (namnd_id, punkt)
) WITHOUT ROWID;

CREATE TRIGGER standardtext_logg_insert AFTER INSERT ON standardtext
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'standardtext', 'ny', NULL, NULL, NULL,
            json_object('namnd_id', NEW.namnd_id, 'punkt', NEW.punkt, 'nr', NEW.nr, 'text', NEW.text));
END;

CREATE TRIGGER standardtext_logg_update AFTER UPDATE ON standardtext
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'standardtext', 'ändrad', NULL, NULL,
            json_object('namnd_id', OLD.namnd_id, 'punkt', OLD.punkt, 'nr', OLD.nr, 'text', OLD.text),
            json_object('namnd_id', NEW.namnd_id, 'punkt', NEW.punkt, 'nr', NEW.nr, 'text', NEW.text));
END;

CREATE TRIGGER standardtext_logg_delete AFTER DELETE ON standardtext
BEGIN
    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
    VALUES (app_user(), 'standardtext', 'borttagen', NULL, NULL,
            json_object('namnd_id', OLD.namnd_id, 'punkt', OLD.punkt, 'nr', OLD.nr, 'text', OLD.text), NULL);
END;
