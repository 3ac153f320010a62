-- 004: the registry. Who registered a handling and who closed an ärende; the register of delegationsbeslut and
-- the meeting at which each was reported to the nämnd; the backups taken.

ALTER TABLE handling ADD COLUMN registrerad_av TEXT;
ALTER TABLE handling ADD COLUMN registrerad TEXT;  -- when it was entered in the diary (ISO date and time)
ALTER TABLE arende ADD COLUMN avslutad_av TEXT;

CREATE INDEX handling_datum ON handling(datum);

CREATE TRIGGER arende_avslutat_har_datum BEFORE UPDATE OF status ON arende
WHEN NEW.status = 'avslutat' AND NEW.avslutad IS NULL
BEGIN
    SELECT RAISE(ABORT, 'ett avslutat ärende måste ha ett avslutsdatum');
END;

CREATE TABLE delegationsbeslut (
    id                INTEGER PRIMARY KEY,
    namnd_id          INTEGER NOT NULL REFERENCES namnd(id),
    datum             TEXT NOT NULL CHECK (date(datum, '+0 days') IS datum),
    beslutsfattare    TEXT NOT NULL CHECK (length(trim(beslutsfattare)) > 0),
    delegationspunkt  TEXT NOT NULL CHECK (length(trim(delegationspunkt)) > 0),
    beskrivning       TEXT NOT NULL CHECK (length(trim(beskrivning)) > 0),
    arende_id         INTEGER REFERENCES arende(id),
    sekretess         INTEGER NOT NULL DEFAULT 0 CHECK (sekretess IN (0, 1)),
    sekretess_lagrum  TEXT CHECK (sekretess_lagrum IS NULL OR sekretess = 1),
    anmald_vid        INTEGER REFERENCES sammantrade(id) ON DELETE SET NULL
);
CREATE INDEX delegationsbeslut_oanmalda ON delegationsbeslut(namnd_id, datum) WHERE anmald_vid IS NULL;
