-- Roles and row-level security on the server store (issue 16, point 4). Made right after 020_schema.sql and
-- server_only.sql, in the same transaction, as the owner of the schema (the one who ran `namndtool admin init`).
--
-- Who: every person logs in as a PostgreSQL role of their own (in a kommun mapped from the Windows login with
-- GSSAPI/SSPI, see docs/delat-register.md) and is a member of one of four group roles of THIS register (database):
--
--   <databas>_sekreterare   everything the program does;
--   <databas>_handlaggare   reads public ärenden and the secret ärenden whose handläggare they are; registers
--                           handlingar and writes the tjänsteskrivelse (and its lists) in the ärenden they handle;
--   <databas>_lasare        reads public information only, writes nothing;
--   <databas>_arkivarie     reads everything (the archive keeps everything, secret included) and records the copies
--                           an archive export files (akt_dokument of ursprung 'arkivering'); edits nothing.
--
-- Why group roles named after the database: one server can hold several registers (one database each) and a
-- person can have different roles in each. The policies below find the groups by current_database() (nt_grupp), so
-- this file runs when the schema is made, before the roles exist; `namndtool admin init` makes them and grants
-- (nämndtool/store/server_roles.py). A group that does not exist gives nobody anything.
--
-- Why row-level security and not the program: the rules hold whichever client a person uses (psql, Excel over
-- ODBC, another program): a role without the right does not see the rows at all. The owner of the tables (the
-- admin) and superusers bypass row-level security (PostgreSQL's rule): they are for administration, not daily work,
-- and their reads are not logged.
--
-- What is secret (the same facts the program uses): arende.sekretess; handling.sekretess; a dagordningspunkt's own
-- sekretess or its ärende's (view punkt_sekretess); a paragraf as view paragraf_sekretess decides (its ärende, its
-- item, or no ärende and no item at all); akt_dokument.sekretess; delegationsbeslut.sekretess; everything of a
-- secret ärende (tjänsteskrivelse and its lists, beslutat_arende, beslutad_bilaga, the search index, the audit
-- trail's rows). A stored file (fil, fil_del, fil_granskning) is secret when any handling, beslutad_bilaga or
-- akt_dokument naming it is secret or belongs to a secret ärende, or when it is the justerat protokoll of a meeting
-- with a secret paragraf (that PDF is the internal version); a role sees its bytes when it may see one of those
-- secret references. A mottagare named by secret content is seen only by those who may see all of that content.
--
-- Why SECURITY DEFINER helpers: a policy that asked the protected tables directly would see only what the role
-- sees (and recurse into their policies); the helpers read as the owner, with a fixed search_path, and answer only
-- a boolean or an id. Every view gets security_invoker, or a view (run with its owner's rights) would bypass the
-- policies. Every trigger function and every rule helper runs as the owner too (nt_skydda_schemat): the audit
-- trail, the version bumps, the diary series and the search index are written by the server for roles that may not
-- write those tables themselves, and a rule never sees less than the whole register because of who asks. Nobody
-- but the owner can write andring or serverlasning: forging or erasing history needs the owner.
--
-- The server's read log (serverlasning): every row of secret content that the server hands to a query of a role
-- with the right to see it calls nt_far_lasa, which records (login, role, ärende, table, row) once per ärende and
-- transaction and returns true. "Handed to a query" is what the server can know: a list or a search that goes
-- through every ärende logs each secret ärende the role may see, also when the query filters it out later; the
-- log may say more was read than a screen showed, never less. It is written in the reading transaction, so a
-- transaction that is rolled back takes its rows with it: each read is therefore also written to the server's own
-- log file (RAISE LOG, on by default), which no transaction can take back. In a read-only transaction (or on a
-- read-only standby) the log cannot be written, so a secret row cannot be read there at all: fail closed.

-- --- who is who ---------------------------------------------------------------------------------------------

-- The person a login role is (set by `namndtool admin add-user --person`): a handläggare sees the secret ärenden
-- whose handlaggare_id is this person. Server only: on SQLite there is one user.
CREATE TABLE anvandare (
    roll        text PRIMARY KEY,
    person_id   bigint REFERENCES person(id) ON DELETE SET NULL,
    tillagd     text NOT NULL DEFAULT local_time_s(),
    tillagd_av  text NOT NULL DEFAULT session_user
);

-- The server's read log (see the top). No foreign key: the record outlives the ärende.
CREATE TABLE serverlasning (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tid         text NOT NULL DEFAULT to_char(clock_timestamp(), 'YYYY-MM-DD"T"HH24:MI:SS.MSOF'),
    inloggning  text NOT NULL,   -- session_user: who logged in
    roll        text NOT NULL,   -- current_user: the role the row was read as (differs after SET ROLE)
    arende_id   bigint,          -- NULL for a secret item, paragraf or file that belongs to no ärende
    tabell      text NOT NULL,   -- where it was first read in the transaction
    rad         text             -- that row's key
);
CREATE INDEX serverlasning_arende ON serverlasning(arende_id, id);

CREATE TRIGGER serverlasning_kan_inte_andras BEFORE UPDATE OR DELETE ON serverlasning
FOR EACH ROW EXECUTE FUNCTION refuse('läsloggen kan inte ändras');
CREATE TRIGGER serverlasning_kan_inte_tommas BEFORE TRUNCATE ON serverlasning
FOR EACH STATEMENT EXECUTE FUNCTION refuse('läsloggen kan inte ändras');

-- --- the groups ---------------------------------------------------------------------------------------------

-- The group role of this register for `del` (sekreterare, handlaggare, lasare, arkivarie).
CREATE FUNCTION nt_grupp(del text) RETURNS name LANGUAGE sql STABLE
    AS $$ SELECT (current_database() || '_' || del)::name $$;

-- Whether `roll` has the rights of this register's group `del` (false when the group does not exist).
CREATE FUNCTION nt_har_grupp(roll name, del text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = nt_grupp(del) AND pg_has_role(roll, r.oid, 'USAGE'))
$$;

-- Sekreterare and arkivarie see every row.
CREATE FUNCTION nt_ser_allt(roll name) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT nt_har_grupp(roll, 'sekreterare') OR nt_har_grupp(roll, 'arkivarie') $$;

-- The person a login role is (anvandare, read as the owner).
CREATE FUNCTION nt_person(roll name) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT person_id FROM anvandare WHERE anvandare.roll = $1 $$;

-- --- what the policies ask (read as the owner: see the top) -------------------------------------------------

-- Whether `roll` may see a row of ärende `p_arende` (NULL: none) whose own secrecy is `p_egen`; a secret row that
-- may be seen is logged (serverlasning and the server's log), once per ärende (or row) and transaction. `roll` is
-- the caller's current_user (a policy passes it); it must be the login or a role the login may SET ROLE to, so
-- nobody logs a read in another's name.
CREATE FUNCTION nt_far_lasa(p_arende bigint, p_egen integer, p_tabell text, p_rad text, roll name)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    hemlig    boolean := coalesce(p_egen, 0) = 1;
    ansvarig  bigint;
    nyckel    text := coalesce(p_arende::text, p_tabell || ':' || coalesce(p_rad, ''));
    lasta     text;
BEGIN
    IF p_arende IS NOT NULL THEN
        SELECT hemlig OR a.sekretess = 1, a.handlaggare_id INTO hemlig, ansvarig FROM arende a WHERE a.id = p_arende;
        hemlig := coalesce(hemlig, coalesce(p_egen, 0) = 1);
    END IF;
    IF NOT hemlig THEN
        RETURN true;
    END IF;
    IF roll IS DISTINCT FROM session_user AND NOT pg_has_role(session_user, roll, 'MEMBER') THEN
        RETURN false;
    END IF;
    IF NOT (nt_ser_allt(roll)
            OR (ansvarig IS NOT NULL AND nt_har_grupp(roll, 'handlaggare') AND ansvarig = nt_person(roll))) THEN
        RETURN false;
    END IF;
    lasta := coalesce(current_setting('namndtool.lasta', true), '');
    IF position(',' || nyckel || ',' IN lasta) = 0 THEN
        INSERT INTO serverlasning (inloggning, roll, arende_id, tabell, rad)
        VALUES (session_user, roll, p_arende, p_tabell, p_rad);
        RAISE LOG 'Nämndtool läsning: % (som %) läste % % (ärende %) i databasen %',
            session_user, roll, p_tabell, p_rad, coalesce(p_arende::text, '-'), current_database();
        PERFORM set_config('namndtool.lasta', coalesce(nullif(lasta, ''), ',') || nyckel || ',', true);
    END IF;
    RETURN true;
END $$;

-- The same for a paragraf (its secrecy as view paragraf_sekretess decides; its ärende, or its item's).
CREATE FUNCTION nt_paragraf_far_lasa(p_paragraf bigint, p_tabell text, p_rad text, roll name)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    hemlig  integer;
    arende  bigint;
BEGIN
    SELECT ps.sekretess, coalesce(g.arende_id, d.arende_id) INTO hemlig, arende
    FROM paragraf g JOIN paragraf_sekretess ps ON ps.paragraf_id = g.id
    JOIN protokoll p ON p.id = g.protokoll_id
    LEFT JOIN dagordningspunkt d ON d.sammantrade_id = p.sammantrade_id AND d.nr = g.dagordning_nr
    WHERE g.id = p_paragraf;
    RETURN nt_far_lasa(arende, hemlig, p_tabell, p_rad, roll);
END $$;

-- The ärende of a tjänsteskrivelse.
CREATE FUNCTION nt_tjs_arende(bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT arende_id FROM tjansteskrivelse WHERE id = $1 $$;

-- Whether `roll` may see a stored file's row (see the top), logging the secret reference it sees it through.
CREATE FUNCTION nt_fil_far_lasa(p_sha text, p_tabell text, roll name)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    r       record;
    hemlig  boolean := false;
BEGIN
    FOR r IN SELECT h.arende_id, h.sekretess FROM handling h WHERE h.fil_sha256 = p_sha
             UNION ALL SELECT b.arende_id, 0 FROM beslutad_bilaga b WHERE b.sha256 = p_sha
             UNION ALL SELECT k.arende_id, k.sekretess FROM akt_dokument k WHERE k.sha256 = p_sha
    LOOP
        IF r.sekretess = 1 OR coalesce((SELECT a.sekretess FROM arende a WHERE a.id = r.arende_id), 0) = 1 THEN
            hemlig := true;
            IF nt_far_lasa(r.arende_id, r.sekretess, p_tabell, p_sha, roll) THEN
                RETURN true;
            END IF;
        END IF;
    END LOOP;
    IF EXISTS (SELECT 1 FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id
               JOIN paragraf_sekretess ps ON ps.paragraf_id = g.id
               WHERE p.justerad_pdf_sha256 = p_sha AND ps.sekretess = 1) THEN
        hemlig := true;
        IF nt_far_lasa(NULL, 1, p_tabell, p_sha, roll) THEN
            RETURN true;
        END IF;
    END IF;
    RETURN NOT hemlig;
END $$;

-- Whether `roll` may see a mottagare: every secret tjänsteskrivelse or paragraf naming it must be visible to it.
CREATE FUNCTION nt_mottagare_far_lasa(p_mottagare bigint, roll name)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    r  record;
BEGIN
    FOR r IN SELECT t.arende_id, NULL::bigint AS paragraf_id FROM beslutsmottagare b
             JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id WHERE b.mottagare_id = p_mottagare
             UNION ALL SELECT NULL, m.paragraf_id FROM paragraf_mottagare m WHERE m.mottagare_id = p_mottagare
             UNION ALL SELECT NULL, u.paragraf_id FROM utskick u WHERE u.mottagare_id = p_mottagare
    LOOP
        IF r.paragraf_id IS NOT NULL THEN
            IF NOT nt_paragraf_far_lasa(r.paragraf_id, 'mottagare', p_mottagare::text, roll) THEN
                RETURN false;
            END IF;
        ELSIF NOT nt_far_lasa(r.arende_id, 0, 'mottagare', p_mottagare::text, roll) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END $$;

-- Whether `roll` is the handläggare (group and person) of ärende `p_arende`: what a handläggare may write.
CREATE FUNCTION nt_handlagger(p_arende bigint, roll name) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT nt_har_grupp(roll, 'handlaggare') AND (roll = session_user OR pg_has_role(session_user, roll, 'MEMBER'))
       AND EXISTS (SELECT 1 FROM arende a WHERE a.id = p_arende AND a.handlaggare_id = nt_person(roll))
$$;

-- Whether a file's bytes are registered (a row of fil names them): chunks of a registered file are never written
-- or removed except by the sekreterare (new bytes only otherwise).
CREATE FUNCTION nt_fil_registrerad(text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT EXISTS (SELECT 1 FROM fil WHERE sha256 = $1) $$;

-- --- the policies ---------------------------------------------------------------------------------------------

-- Each protected table: row-level security, a SELECT policy (who sees which rows, logging the secret ones) and the
-- sekreterare's INSERT, UPDATE and DELETE policies. What a role may do at all is the GRANTs (server_roles.py): a
-- policy only narrows it to rows. Further policies for the handläggare and the arkivarie follow.
DO $$
DECLARE
    t record;
    sekreterare constant text := '(SELECT nt_har_grupp(current_user, ''sekreterare''))';
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('arende',            'sekretess = 0 OR nt_far_lasa(id, 1, ''arende'', id::text, current_user)', true),
        ('arende_sok',        'nt_far_lasa(arende_id, 0, ''arende_sok'', arende_id::text, current_user)', false),
        ('handling',          'nt_far_lasa(arende_id, sekretess, ''handling'', id::text, current_user)', true),
        ('tjansteskrivelse',  'nt_far_lasa(arende_id, 0, ''tjansteskrivelse'', id::text, current_user)', true),
        ('forslag',           'nt_far_lasa(nt_tjs_arende(tjansteskrivelse_id), 0, ''forslag'', tjansteskrivelse_id::text, current_user)', true),
        ('avsnitt',           'nt_far_lasa(nt_tjs_arende(tjansteskrivelse_id), 0, ''avsnitt'', tjansteskrivelse_id::text, current_user)', true),
        ('listad_handling',   'nt_far_lasa(nt_tjs_arende(tjansteskrivelse_id), 0, ''listad_handling'', tjansteskrivelse_id::text, current_user)', true),
        ('undertecknare',     'nt_far_lasa(nt_tjs_arende(tjansteskrivelse_id), 0, ''undertecknare'', tjansteskrivelse_id::text, current_user)', true),
        ('beslutsmottagare',  'nt_far_lasa(nt_tjs_arende(tjansteskrivelse_id), 0, ''beslutsmottagare'', tjansteskrivelse_id::text, current_user)', true),
        ('dagordningspunkt',  'nt_far_lasa(arende_id, sekretess, ''dagordningspunkt'', id::text, current_user)', true),
        ('paragraf',          'nt_paragraf_far_lasa(id, ''paragraf'', id::text, current_user)', true),
        ('beslut',            'nt_paragraf_far_lasa(paragraf_id, ''beslut'', paragraf_id::text, current_user)', true),
        ('yrkande',           'nt_paragraf_far_lasa(paragraf_id, ''yrkande'', paragraf_id::text, current_user)', true),
        ('rost',              'nt_paragraf_far_lasa(paragraf_id, ''rost'', paragraf_id::text, current_user)', true),
        ('anteckning',        'nt_paragraf_far_lasa(paragraf_id, ''anteckning'', paragraf_id::text, current_user)', true),
        ('jav',               'nt_paragraf_far_lasa(paragraf_id, ''jav'', paragraf_id::text, current_user)', true),
        ('paragraf_mottagare', 'nt_paragraf_far_lasa(paragraf_id, ''paragraf_mottagare'', paragraf_id::text, current_user)', true),
        ('utskick',           'nt_paragraf_far_lasa(paragraf_id, ''utskick'', paragraf_id::text, current_user)', true),
        ('beslutat_arende',   'nt_far_lasa(arende_id, 0, ''beslutat_arende'', arende_id::text, current_user)', true),
        ('beslutad_bilaga',   'nt_far_lasa(arende_id, 0, ''beslutad_bilaga'', arende_id::text, current_user)', true),
        ('akt_dokument',      'nt_far_lasa(arende_id, sekretess, ''akt_dokument'', id::text, current_user)', true),
        ('delegationsbeslut', 'nt_far_lasa(arende_id, sekretess, ''delegationsbeslut'', id::text, current_user)', true),
        ('sekretess_havd',    'CASE WHEN arende_id IS NOT NULL THEN nt_far_lasa(arende_id, 0, ''sekretess_havd'', id::text, current_user) ELSE nt_ser_allt(current_user) END', true),
        ('andring',           'CASE WHEN arende_id IS NOT NULL THEN nt_far_lasa(arende_id, 0, ''andring'', id::text, current_user) ELSE tabell IN (''sammantrade'', ''protokoll'', ''justerare'', ''narvaro'', ''datumrattelse'', ''standardtext'') OR nt_ser_allt(current_user) END', false),
        ('lasning',           'anvandare = session_user::text OR nt_ser_allt(current_user)', false),
        ('mottagare',         'nt_mottagare_far_lasa(id, current_user)', true),
        ('fil',               'nt_fil_far_lasa(sha256, ''fil'', current_user)', true),
        ('fil_del',           'nt_fil_far_lasa(sha256, ''fil_del'', current_user)', true),
        ('fil_granskning',    'nt_fil_far_lasa(sha256, ''fil_granskning'', current_user)', true)
    ) AS v(tabell, syns, skrivs)
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.tabell);
        EXECUTE format('CREATE POLICY las ON %I FOR SELECT USING (%s)', t.tabell, t.syns);
        IF t.skrivs THEN
            EXECUTE format('CREATE POLICY sekreterare_ny ON %I FOR INSERT WITH CHECK (%s)', t.tabell, sekreterare);
            EXECUTE format('CREATE POLICY sekreterare_andrar ON %I FOR UPDATE USING (%s) WITH CHECK (%s)',
                           t.tabell, sekreterare, sekreterare);
            EXECUTE format('CREATE POLICY sekreterare_tar_bort ON %I FOR DELETE USING (%s)', t.tabell, sekreterare);
        END IF;
    END LOOP;
END $$;

-- The handläggare: handlingar and the tjänsteskrivelse of the ärenden they handle (a handling is not removed: that
-- is the sekreterare's), new recipients, and the stored files those need (new bytes only; see nt_fil_registrerad).
CREATE POLICY handlaggare_ny ON handling FOR INSERT WITH CHECK (nt_handlagger(arende_id, current_user));
CREATE POLICY handlaggare_andrar ON handling FOR UPDATE
    USING (nt_handlagger(arende_id, current_user)) WITH CHECK (nt_handlagger(arende_id, current_user));
CREATE POLICY handlaggare_ny ON tjansteskrivelse FOR INSERT WITH CHECK (nt_handlagger(arende_id, current_user));
CREATE POLICY handlaggare_andrar ON tjansteskrivelse FOR UPDATE
    USING (nt_handlagger(arende_id, current_user)) WITH CHECK (nt_handlagger(arende_id, current_user));
CREATE POLICY handlaggare_tar_bort ON tjansteskrivelse FOR DELETE USING (nt_handlagger(arende_id, current_user));
DO $$
DECLARE
    tabell text;
    villkor constant text := 'nt_handlagger(nt_tjs_arende(tjansteskrivelse_id), current_user)';
BEGIN
    FOREACH tabell IN ARRAY ARRAY['forslag', 'avsnitt', 'listad_handling', 'undertecknare', 'beslutsmottagare'] LOOP
        EXECUTE format('CREATE POLICY handlaggare_ny ON %I FOR INSERT WITH CHECK (%s)', tabell, villkor);
        EXECUTE format('CREATE POLICY handlaggare_andrar ON %I FOR UPDATE USING (%s) WITH CHECK (%s)',
                       tabell, villkor, villkor);
        EXECUTE format('CREATE POLICY handlaggare_tar_bort ON %I FOR DELETE USING (%s)', tabell, villkor);
    END LOOP;
END $$;
CREATE POLICY handlaggare_ny ON mottagare FOR INSERT WITH CHECK (nt_har_grupp(current_user, 'handlaggare'));

-- Files: whoever may register a handling or an akt copy may store new bytes and register and examine files (the
-- GRANTs say who: handläggare and arkivarie); only bytes nobody has registered may be written or removed.
CREATE POLICY ny_fil ON fil FOR INSERT WITH CHECK (true);
CREATE POLICY fil_kontrolleras ON fil FOR UPDATE USING (true) WITH CHECK (true);   -- GRANT: column tillganglig only
CREATE POLICY nya_byte ON fil_del FOR INSERT WITH CHECK (NOT nt_fil_registrerad(sha256));
CREATE POLICY oregistrerade_byte_tas_bort ON fil_del FOR DELETE USING (NOT nt_fil_registrerad(sha256));
CREATE POLICY granskas ON fil_granskning FOR INSERT WITH CHECK (true);
CREATE POLICY granskas_om ON fil_granskning FOR UPDATE USING (true) WITH CHECK (true);

-- The arkivarie records the copies an archive export files (the akt copies of a store justerat before db/020).
CREATE POLICY arkivarie_ny ON akt_dokument FOR INSERT
    WITH CHECK (ursprung = 'arkivering' AND nt_har_grupp(current_user, 'arkivarie'));

-- The program's own read log: a role writes only its own name (app_user() is session_user).
CREATE POLICY egen_lasning ON lasning FOR INSERT WITH CHECK (anvandare = session_user::text);

-- --- the whole schema: views as their reader, triggers and rule helpers as the owner ----------------------------

-- Run again by every migration that makes a view or (re)makes a trigger function or a rule helper (pg_audit's
-- CREATE OR REPLACE FUNCTION makes a function SECURITY INVOKER again): `SELECT nt_skydda_schemat();`.
CREATE FUNCTION nt_skydda_schemat() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS namn FROM pg_class c
             WHERE c.relkind = 'v' AND c.relnamespace = current_schema()::regnamespace LOOP
        EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', r.namn);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS namn, p.prosecdef FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind = 'f'
               AND pg_get_userbyid(p.proowner) = current_user
               AND (p.prorettype = 'trigger'::regtype
                    OR p.proname IN ('protokoll_justerad', 'paragraf_justerad', 'sammantrade_justerad',
                                     'rattelse_vantar', 'omedelbar_anslag_last', 'beslutat_antal_bilagor',
                                     'arende_havning_beslutad', 'punkt_havning_beslutad', 'punkt_har_paragraf',
                                     'nt_far_lasa', 'nt_paragraf_far_lasa', 'nt_tjs_arende', 'nt_fil_far_lasa',
                                     'nt_mottagare_far_lasa', 'nt_handlagger', 'nt_fil_registrerad',
                                     'nt_person'))
    LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', r.namn, current_schema());
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION nt_skydda_schemat() FROM PUBLIC;
SELECT nt_skydda_schemat();
