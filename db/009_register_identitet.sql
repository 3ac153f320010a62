-- Which store this is, and how many times it has been restored. A process remembers both when it opens the store
-- and checks them in every write transaction, so it never writes into a store that was replaced under it.
-- Restoring a backup raises the generation in the restored copy.
CREATE TABLE register_identitet (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    identitet   TEXT NOT NULL CHECK (length(identitet) = 36),
    generation  INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0)
);

INSERT INTO register_identitet (id, identitet)
SELECT 1, lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
                || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12))
FROM (SELECT hex(randomblob(16)) AS h);

CREATE TRIGGER register_identitet_en_rad BEFORE DELETE ON register_identitet
BEGIN
    SELECT RAISE(ABORT, 'registrets identitet får inte tas bort');
END;
