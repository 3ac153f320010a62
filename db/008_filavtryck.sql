-- 008: fingerprints of secret files' content (see nämndtool/secrecy/content.py), so that a copy of a secret file
-- with other bytes (saved again, printed to PDF) is recognised wherever it is attached. Per page: sampled hashes of six-word windows (see secrecy/content.py).
-- Stored files never change, so a fingerprint is made once per SHA-256.
CREATE TABLE fil_avtryck (
    avtryck  INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    sida     INTEGER NOT NULL,
    PRIMARY KEY (avtryck, sha256, sida)
) WITHOUT ROWID;

CREATE TABLE fil_avtryck_sida (
    sha256  TEXT NOT NULL,
    sida    INTEGER NOT NULL,
    antal   INTEGER NOT NULL CHECK (antal >= 0),
    PRIMARY KEY (sha256, sida)
) WITHOUT ROWID;

CREATE TABLE fil_avtryck_klar (
    sha256  TEXT PRIMARY KEY
) WITHOUT ROWID;

-- The lock of a justerat protokoll's agenda lets one change through: making a stand-alone item secret. Secrecy may
-- always be added (the § follows at once in every output made afterwards), never taken away by this path.
DROP TRIGGER dagordningspunkt_last_update;
CREATE TRIGGER dagordningspunkt_last_update BEFORE UPDATE ON dagordningspunkt
WHEN (SELECT justerad FROM protokoll WHERE sammantrade_id = OLD.sammantrade_id) IS NOT NULL
     AND NOT (NEW.sekretess = 1 AND NEW.id = OLD.id AND NEW.sammantrade_id = OLD.sammantrade_id AND NEW.nr = OLD.nr
              AND NEW.rubrik = OLD.rubrik AND NEW.typ = OLD.typ AND NEW.arende_id IS OLD.arende_id
              AND NEW.anteckning IS OLD.anteckning)
BEGIN
    SELECT RAISE(ABORT, 'protokollet är justerat och dagordningen kan inte ändras');
END;
