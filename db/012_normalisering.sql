-- 012: names in one Unicode form. An organ, person or recipient typed or imported in decomposed Unicode ("a" +
-- combining ring) or in other capitals became a second, identical-looking row. From now on the program compares
-- names by identity_key() (NFC, case-folded, spaces collapsed) and stores NFC; this migration brings existing stores
-- there (recipients compare in NFC with their case kept): duplicates are merged into one row (references repointed, then the duplicate deleted), and stored names
-- and titles are made NFC. nfc() and identity_key() are Python functions registered on every connection.
--
-- A justerat protokoll is locked (db/003), and this migration does not lift the lock: a duplicate that a justerat
-- protokoll refers to is kept (the merge then goes the other way), and when both rows are referred to by justerade
-- protokoll, or merging would give two rows the same key (two meetings of one organ on one day), the pair is left
-- as it is and reported. Text inside a justerat protokoll keeps the bytes it was justerat with.
-- What was merged and what was left is recorded in `normalisering`; `namndtool check` shows it.

CREATE TABLE normalisering (
    id             INTEGER PRIMARY KEY,
    tid            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')),
    tabell         TEXT NOT NULL CHECK (tabell IN ('organ', 'person', 'mottagare')),
    behallen_id    INTEGER NOT NULL,
    behallen_namn  TEXT NOT NULL,
    dubblett_id    INTEGER NOT NULL,
    namn           TEXT NOT NULL,     -- the duplicate's name as it was stored
    sammanslagen   INTEGER NOT NULL CHECK (sammanslagen IN (0, 1)),
    skal           TEXT,              -- why the pair was left unmerged, in Swedish
    CHECK ((sammanslagen = 1) = (skal IS NULL))
);

-- Each duplicate (bort) and the row it merges into (kvar): the first of its group by the order given.
CREATE TEMP TABLE dubblett (
    tabell  TEXT NOT NULL,
    kvar    INTEGER NOT NULL,
    bort    INTEGER NOT NULL,
    skal    TEXT,
    PRIMARY KEY (tabell, bort)
);

-- Organ: the nämnd's own organ first, then one a justerat protokoll refers to, then the oldest.
INSERT INTO temp.dubblett (tabell, kvar, bort)
SELECT 'organ', kvar, id FROM (
    SELECT o.id, first_value(o.id) OVER (
               PARTITION BY o.namnd_id, identity_key(o.namn)
               ORDER BY o.typ = 'namnd' DESC,
                        EXISTS (SELECT 1 FROM sammantrade s JOIN protokoll p ON p.sammantrade_id = s.id
                                WHERE s.organ_id = o.id AND p.justerad IS NOT NULL) DESC,
                        o.id) AS kvar
    FROM organ o)
WHERE id != kvar;

UPDATE temp.dubblett SET skal = CASE
    WHEN EXISTS (SELECT 1 FROM sammantrade s JOIN protokoll p ON p.sammantrade_id = s.id
                 WHERE s.organ_id = bort AND p.justerad IS NOT NULL)
      OR EXISTS (SELECT 1 FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
                 WHERE g.organ_id = bort AND p.justerad IS NOT NULL)
        THEN 'båda har justerade protokoll'
    WHEN EXISTS (SELECT 1 FROM sammantrade a JOIN sammantrade b ON b.datum = a.datum
                 WHERE a.organ_id = bort AND b.organ_id = kvar)
        THEN 'båda har ett sammanträde samma dag'
    WHEN EXISTS (SELECT 1 FROM paragraf a JOIN paragraf b ON b.ar = a.ar AND b.nr = a.nr
                 WHERE a.organ_id = bort AND b.organ_id = kvar)
        THEN 'båda har paragrafer med samma nummer'
    WHEN EXISTS (SELECT 1 FROM uppdrag a JOIN uppdrag b ON b.person_id = a.person_id AND b.fran = a.fran
                 WHERE a.organ_id = bort AND b.organ_id = kvar)
        THEN 'samma person har ett uppdrag från samma dag i båda'
    END
WHERE tabell = 'organ';

-- People with every detail equal as names are compared: one a justerat protokoll names first, then the oldest.
INSERT INTO temp.dubblett (tabell, kvar, bort)
SELECT 'person', kvar, id FROM (
    SELECT p.id, first_value(p.id) OVER (
               PARTITION BY identity_key(p.namn), p.roll, identity_key(p.titel), identity_key(p.parti),
                            identity_key(p.epost), identity_key(p.telefon)
               ORDER BY EXISTS (SELECT 1 FROM narvaro n JOIN protokoll k ON k.id = n.protokoll_id
                                WHERE n.person_id = p.id AND k.justerad IS NOT NULL)
                        OR EXISTS (SELECT 1 FROM sammantrade s JOIN protokoll k ON k.sammantrade_id = s.id
                                   WHERE s.ordforande_id = p.id AND k.justerad IS NOT NULL) DESC,
                        p.id) AS kvar
    FROM person p)
WHERE id != kvar;

UPDATE temp.dubblett SET skal = CASE
    WHEN EXISTS (SELECT 1 FROM narvaro n JOIN protokoll k ON k.id = n.protokoll_id
                 WHERE n.person_id = bort AND k.justerad IS NOT NULL)
      OR EXISTS (SELECT 1 FROM sammantrade s JOIN protokoll k ON k.sammantrade_id = s.id
                 WHERE s.ordforande_id = bort AND k.justerad IS NOT NULL)
        THEN 'båda står i justerade protokoll'
    WHEN EXISTS (SELECT 1 FROM uppdrag a JOIN uppdrag b ON b.organ_id = a.organ_id AND b.fran = a.fran
                 WHERE a.person_id = bort AND b.person_id = kvar)
        THEN 'båda har ett uppdrag i samma organ från samma dag'
    END
WHERE tabell = 'person';

-- Recipients with equal name, address and e-mail in NFC (case is kept: the name is printed as written, and "akten"
-- beside "Akten" is the kansli's choice): one a justerat protokoll sends to first, then the oldest.
INSERT INTO temp.dubblett (tabell, kvar, bort)
SELECT 'mottagare', kvar, id FROM (
    SELECT m.id, first_value(m.id) OVER (
               PARTITION BY nfc(m.namn), nfc(coalesce(m.adress, '')), nfc(coalesce(m.epost, ''))
               ORDER BY EXISTS (SELECT 1 FROM paragraf_mottagare pm JOIN paragraf g ON g.id = pm.paragraf_id
                                JOIN protokoll k ON k.id = g.protokoll_id
                                WHERE pm.mottagare_id = m.id AND k.justerad IS NOT NULL) DESC,
                        m.id) AS kvar
    FROM mottagare m)
WHERE id != kvar;

UPDATE temp.dubblett SET skal = CASE
    WHEN EXISTS (SELECT 1 FROM paragraf_mottagare pm JOIN paragraf g ON g.id = pm.paragraf_id
                 JOIN protokoll k ON k.id = g.protokoll_id WHERE pm.mottagare_id = bort AND k.justerad IS NOT NULL)
        THEN 'båda står i justerade protokoll'
    WHEN EXISTS (SELECT 1 FROM utskick a JOIN utskick b ON b.paragraf_id = a.paragraf_id
                 WHERE a.mottagare_id = bort AND b.mottagare_id = kvar)
        THEN 'båda har fått samma protokollsutdrag'
    END
WHERE tabell = 'mottagare';

INSERT INTO normalisering (tabell, behallen_id, behallen_namn, dubblett_id, namn, sammanslagen, skal)
SELECT d.tabell, d.kvar, nfc(coalesce(o1.namn, p1.namn, m1.namn)), d.bort, coalesce(o2.namn, p2.namn, m2.namn),
       d.skal IS NULL, d.skal
FROM temp.dubblett d
LEFT JOIN organ o1 ON d.tabell = 'organ' AND o1.id = d.kvar
LEFT JOIN organ o2 ON d.tabell = 'organ' AND o2.id = d.bort
LEFT JOIN person p1 ON d.tabell = 'person' AND p1.id = d.kvar
LEFT JOIN person p2 ON d.tabell = 'person' AND p2.id = d.bort
LEFT JOIN mottagare m1 ON d.tabell = 'mottagare' AND m1.id = d.kvar
LEFT JOIN mottagare m2 ON d.tabell = 'mottagare' AND m2.id = d.bort
ORDER BY d.tabell, d.kvar, d.bort;

DELETE FROM temp.dubblett WHERE skal IS NOT NULL;

-- Merging: every reference moves to the kept row, then the duplicate goes.
UPDATE sammantrade SET organ_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'organ' AND bort = organ_id)
WHERE organ_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'organ');
UPDATE paragraf SET organ_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'organ' AND bort = organ_id)
WHERE organ_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'organ');
UPDATE uppdrag SET organ_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'organ' AND bort = organ_id)
WHERE organ_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'organ');
DELETE FROM organ WHERE id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'organ');

UPDATE arende SET handlaggare_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'person' AND bort = handlaggare_id)
WHERE handlaggare_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'person');
UPDATE tjansteskrivelse SET handlaggare_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'person'
                                              AND bort = handlaggare_id)
WHERE handlaggare_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'person');
UPDATE sammantrade SET ordforande_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'person' AND bort = ordforande_id)
WHERE ordforande_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'person');
UPDATE narvaro SET person_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'person' AND bort = person_id)
WHERE person_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'person');
UPDATE uppdrag SET person_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'person' AND bort = person_id)
WHERE person_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'person');
DELETE FROM person WHERE id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'person');

UPDATE beslutsmottagare SET mottagare_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'mottagare'
                                            AND bort = mottagare_id)
WHERE mottagare_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'mottagare');
UPDATE paragraf_mottagare SET mottagare_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'mottagare'
                                              AND bort = mottagare_id)
WHERE mottagare_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'mottagare');
UPDATE utskick SET mottagare_id = (SELECT kvar FROM temp.dubblett WHERE tabell = 'mottagare' AND bort = mottagare_id)
WHERE mottagare_id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'mottagare');
DELETE FROM mottagare WHERE id IN (SELECT bort FROM temp.dubblett WHERE tabell = 'mottagare');

DROP TABLE temp.dubblett;

-- Names and titles in NFC. Where a unique name would collide with a row left unmerged above, OR IGNORE keeps the
-- old spelling (the pair is in `normalisering`). Rows of a justerat protokoll are left as they were justerat.
UPDATE namnd SET namn = nfc(namn) WHERE namn != nfc(namn);
UPDATE namnd SET forvaltning = nfc(forvaltning) WHERE forvaltning != nfc(forvaltning);
UPDATE namnd SET kommun = nfc(kommun) WHERE kommun != nfc(kommun);
UPDATE namnd SET adress = nfc(adress) WHERE adress != nfc(adress);
UPDATE OR IGNORE organ SET namn = nfc(namn) WHERE namn != nfc(namn);
UPDATE person SET namn = nfc(namn) WHERE namn != nfc(namn);
UPDATE person SET titel = nfc(titel) WHERE titel != nfc(titel);
UPDATE person SET parti = nfc(parti) WHERE parti != nfc(parti);
UPDATE OR IGNORE mottagare SET namn = nfc(namn), adress = nfc(adress)
WHERE namn != nfc(namn) OR adress != nfc(adress);
UPDATE arende SET rubrik = nfc(rubrik) WHERE rubrik != nfc(rubrik);
UPDATE arende SET offentlig_rubrik = nfc(offentlig_rubrik) WHERE offentlig_rubrik != nfc(offentlig_rubrik);
UPDATE handling SET beskrivning = nfc(beskrivning) WHERE beskrivning != nfc(beskrivning);
UPDATE handling SET motpart = nfc(motpart) WHERE motpart != nfc(motpart);
UPDATE tjansteskrivelse SET rubrik = nfc(rubrik) WHERE rubrik != nfc(rubrik);
UPDATE listad_handling SET titel = nfc(titel) WHERE titel != nfc(titel);
UPDATE undertecknare SET namn = nfc(namn), titel = nfc(titel) WHERE namn != nfc(namn) OR titel != nfc(titel);
UPDATE delegationsbeslut SET beslutsfattare = nfc(beslutsfattare), beskrivning = nfc(beskrivning)
WHERE beslutsfattare != nfc(beslutsfattare) OR beskrivning != nfc(beskrivning);
UPDATE dagordningspunkt SET rubrik = nfc(rubrik)
WHERE rubrik != nfc(rubrik)
  AND (SELECT justerad FROM protokoll WHERE sammantrade_id = dagordningspunkt.sammantrade_id) IS NULL;
UPDATE paragraf SET rubrik = nfc(rubrik)
WHERE rubrik != nfc(rubrik) AND (SELECT justerad FROM protokoll WHERE id = paragraf.protokoll_id) IS NULL;
UPDATE narvaro SET namn = nfc(namn), parti = nfc(parti), titel = nfc(titel)
WHERE (namn != nfc(namn) OR parti != nfc(parti) OR titel != nfc(titel))
  AND (SELECT justerad FROM protokoll WHERE id = narvaro.protokoll_id) IS NULL;
UPDATE justerare SET namn = nfc(namn)
WHERE namn != nfc(namn) AND (SELECT justerad FROM protokoll WHERE id = justerare.protokoll_id) IS NULL;
