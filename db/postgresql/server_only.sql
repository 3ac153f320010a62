-- What only the server store has, made right after 020_schema.sql in the same transaction (schema 20): the diary
-- search index and the stored files' bytes. On SQLite these are the FTS5 tables (db/002) and the file folder
-- beside the store. Later changes to these tables go into the numbered migrations like everything else.

-- --- the text functions the SQLite store has from Python (text.nfc, text.identity_key) ---------------------------

-- Lower case by Unicode's rules whatever the database's locale (ICU's root collation; a database made with the
-- locale C would otherwise lower only A-Z).
CREATE FUNCTION nt_lower(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(t COLLATE "und-x-icu")
$$;

CREATE FUNCTION nfc(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT normalize(t, NFC) $$;

-- How nämnder, organ and people are told apart: NFC, lower case, inner whitespace collapsed (Python's casefold
-- also makes ß "ss"; no name in a Swedish register is told apart by that alone).
CREATE FUNCTION identity_key(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_string(regexp_split_to_array(btrim(nt_lower(normalize(t, NFC)), E' \t\n\r'), E'\\s+'), ' ')
$$;

-- --- the diary search ----------------------------------------------------------------------------------------

-- å ä ö é … folded as SQLite's unicode61 tokenizer with remove_diacritics folds them (ø and æ are letters of their
-- own there too), and lower case.
CREATE FUNCTION nt_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nt_lower(translate(t,
        'ÀÁÂÃÄÅàáâãäåÈÉÊËèéêëÌÍÎÏìíîïÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿÑñÇçŠšŽžČčĆćŁłŃńŚśŹźŻżĘęĄą',
        'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuYyyNnCcSsZzCcCcLlNnSsZzZzEeAa'))
$$;

-- One row per ärende: its searchable text as spelled (lower case) and folded, its diary number, and the ärende's
-- secrecy. The secrecy is kept here (by the same trigger) so that the row-level security policy on this table
-- (roller.sql) lets a public row through on the column alone, as arende's own policy does, without a call into
-- plpgsql per row; the diary search itself goes through nt_sok (roller.sql), which reads this table as its owner.
CREATE TABLE arende_sok (
    arende_id bigint PRIMARY KEY REFERENCES arende (id) ON DELETE CASCADE,
    sekretess integer NOT NULL DEFAULT 0 CHECK (sekretess IN (0, 1)),
    nummer    text,
    exakt     text NOT NULL,
    folded    text NOT NULL
);

CREATE FUNCTION arende_sok_text(a arende) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT nt_lower(concat_ws(' ', a.rubrik, a.offentlig_rubrik, a.klassificering, a.extern_referens))
$$;

CREATE FUNCTION arende_sok_uppdatera() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO arende_sok (arende_id, sekretess, nummer, exakt, folded)
    SELECT NEW.id, NEW.sekretess, nt_lower(s.diarienummer), arende_sok_text(NEW), nt_fold(arende_sok_text(NEW))
    FROM arende_sokbar_text s WHERE s.rowid = NEW.id
    ON CONFLICT (arende_id) DO UPDATE SET sekretess = excluded.sekretess, nummer = excluded.nummer,
                                          exakt = excluded.exakt, folded = excluded.folded;
    RETURN NULL;
END $$;

-- Also when the ärende is made secret (or secrecy is lifted) or moved to another nämnd (its diary number's code):
-- a row whose secrecy lagged behind the ärende's would be shown by the policy as public.
CREATE TRIGGER arende_sok_ny AFTER INSERT ON arende FOR EACH ROW EXECUTE FUNCTION arende_sok_uppdatera();
CREATE TRIGGER arende_sok_andrad AFTER UPDATE OF namnd_id, ar, lopnr, rubrik, offentlig_rubrik, klassificering,
    extern_referens, sekretess ON arende FOR EACH ROW EXECUTE FUNCTION arende_sok_uppdatera();

-- Word-start regular expressions (\m…) over the text are served by trigram indexes where pg_trgm is installed
-- (Debian's postgresql package has it; it is a trusted extension). Without it search still works, by a scan.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX arende_sok_folded ON arende_sok USING gin (folded gin_trgm_ops);
    CREATE INDEX arende_sok_exakt ON arende_sok USING gin (exakt gin_trgm_ops);
    CREATE INDEX arende_sok_nummer ON arende_sok USING gin (nummer gin_trgm_ops);   -- nt_sok, a digit typed
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm saknas: sökningen i diariet läser hela tabellen (%)', SQLERRM;
END $$;

-- --- the stored files' bytes ---------------------------------------------------------------------------------

-- A stored file's bytes in chunks of 1 MiB, under its SHA-256 (verified by the program on every read). Written
-- before the row of `fil` that registers them, as the SQLite store writes its file folder first: chunks nobody
-- registers are harmless, and removed by the program when the transaction that would have registered them fails.
CREATE TABLE fil_del (
    sha256 text NOT NULL,
    nr     integer NOT NULL CHECK (nr >= 0),
    data   bytea NOT NULL,
    PRIMARY KEY (sha256, nr)
);

-- The whole index made anew from the ärenden (after a register is moved here with its triggers set aside).
CREATE FUNCTION arende_sok_bygg() RETURNS void LANGUAGE sql AS $$
    DELETE FROM arende_sok;
    INSERT INTO arende_sok (arende_id, sekretess, nummer, exakt, folded)
    SELECT a.id, a.sekretess, nt_lower(s.diarienummer), arende_sok_text(a), nt_fold(arende_sok_text(a))
    FROM arende a JOIN arende_sokbar_text s ON s.rowid = a.id;
$$;
