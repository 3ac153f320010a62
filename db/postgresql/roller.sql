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
-- with the right to see it calls nt_far_lasa (or, for arende, nt_logga_lasning after the policy's own check),
-- which records (login, role, ärende, table, row) once per login, role, ärende (or row) and day (UTC) and returns
-- true. "Handed to a query" is what the server can know: a list that goes through every ärende logs each secret
-- ärende the role may see, also when the query filters it out later; the log may say more was read than a screen
-- showed, never less. Why once a day and not once per transaction: the diary lists and searches the whole
-- register at every keystroke and every refresh, so a sekreterare wrote thousands of identical rows a minute (four
-- million in one benchmark run), which made the log useless to read and every keystroke slow; "who saw this
-- ärende, which day" is what the log is asked. The unique index serverlasning_en_per_dag is the rule (a check no
-- reader can forge: no role writes this table; the per-transaction list it replaces was a setting any session
-- could preset). The row is written in the reading transaction, so a transaction that is rolled back takes its row
-- with it: every row written is therefore also written to the server's own log file (RAISE LOG, on by default),
-- which no transaction can take back, and the next reading transaction that day finds no row and writes (and logs)
-- it again. In a read-only transaction (or on a read-only standby) a read not yet logged that day cannot be
-- logged, so the secret row cannot be read there: fail closed (one already logged that day can).
--
-- Why the diary search has a function of its own (nt_sok): under row-level security the word-start regular
-- expression (~, not leakproof) may not run before the policy, so every search read the whole search table and ran
-- the policy on every row (a second per keystroke on the ten-year register). nt_sok reads the search table as the
-- owner, through the trigram index, and returns only the ärenden the caller may see (the same rule as the
-- policies, nt_ser_hemligt, without logging); the program joins the result with arende, whose policy decides again
-- and logs the secret ärenden actually returned. A role that may not see a secret ärende learns nothing about it
-- from nt_sok: the visibility test is in the same query as the match, and only visible rows are returned.

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
    tabell      text NOT NULL,   -- where it was first read that day
    rad         text,            -- that row's key
    nyckel      text NOT NULL,   -- what one row stands for: the ärende's id, or 'tabell:rad' without an ärende
    dag         text NOT NULL    -- the day in UTC (not the session's time zone, which the reader could set)
);
CREATE INDEX serverlasning_arende ON serverlasning(arende_id, id);
CREATE UNIQUE INDEX serverlasning_en_per_dag ON serverlasning(inloggning, roll, dag, nyckel);   -- see nt_lasta_idag

CREATE TRIGGER serverlasning_kan_inte_andras BEFORE UPDATE OR DELETE ON serverlasning
FOR EACH ROW EXECUTE FUNCTION refuse('läsloggen kan inte ändras');
CREATE TRIGGER serverlasning_kan_inte_tommas BEFORE TRUNCATE ON serverlasning
FOR EACH STATEMENT EXECUTE FUNCTION refuse('läsloggen kan inte ändras');

-- --- the groups ---------------------------------------------------------------------------------------------

-- The group role of this register for `del` (sekreterare, handlaggare, lasare, arkivarie).
CREATE FUNCTION nt_grupp(del text) RETURNS name LANGUAGE sql STABLE
    AS $$ SELECT (current_database() || '_' || del)::name $$;

-- Whether `roll` has the rights of this register's group `del` (false when the group does not exist). A lookup in
-- the server's role cache rather than a query of pg_roles: several times faster, and policies ask it.
CREATE FUNCTION nt_har_grupp(roll name, del text) RETURNS boolean LANGUAGE sql STABLE
    RETURN coalesce(pg_has_role(roll, to_regrole(quote_ident(nt_grupp(del))), 'USAGE'), false);

-- Sekreterare and arkivarie see every row.
CREATE FUNCTION nt_ser_allt(roll name) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT nt_har_grupp(roll, 'sekreterare') OR nt_har_grupp(roll, 'arkivarie') $$;

-- The person a login role is (anvandare, read as the owner).
CREATE FUNCTION nt_person(roll name) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT person_id FROM anvandare WHERE anvandare.roll = $1 $$;

-- --- what the policies ask (read as the owner: see the top) -------------------------------------------------

-- Whether `roll` is the login or a role the login may SET ROLE to: the only roles a read may be asked about or
-- logged for, so nobody logs a read in another's name or learns through these functions what another may see.
CREATE FUNCTION nt_rollen(roll name) RETURNS boolean LANGUAGE sql STABLE
    RETURN roll = session_user OR pg_has_role(session_user, roll, 'MEMBER');

-- What `roll` may see of the secret, in two parts that a policy asks once per query (in sub-selects, which the
-- server evaluates once, not per row): everything (sekreterare, arkivarie), and the person whose secret ärenden it
-- sees as their handläggare (NULL: none). A role that is not the caller's own sees nothing secret; one that row-level
-- security lets through (PostgreSQL's rule: a superuser, BYPASSRLS, the tables' owner) sees everything here too,
-- as it does in the tables (nt_sok asks this for the owner as for anyone).
CREATE FUNCTION nt_ser_allt_som(roll name) RETURNS boolean LANGUAGE sql STABLE
    RETURN nt_rollen(roll) AND (nt_ser_allt(roll)
        OR pg_has_role(roll, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'arende'::regclass), 'USAGE')
        OR coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = roll), false));
CREATE FUNCTION nt_handlaggares_person(roll name) RETURNS bigint LANGUAGE sql STABLE
    RETURN CASE WHEN nt_rollen(roll) AND nt_har_grupp(roll, 'handlaggare') THEN nt_person(roll) END;

-- The rule itself, reading nothing and logging nothing: whether a secret row of an ärende handled by `ansvarig`
-- may be seen by a role that sees everything (`allt`) or the secret ärenden of `person`. nt_far_lasa, nt_sok and
-- arende's policy all decide with it, so they cannot disagree.
CREATE FUNCTION nt_ser_hemligt(ansvarig bigint, allt boolean, person bigint) RETURNS boolean LANGUAGE sql IMMUTABLE
    RETURN coalesce(allt, false) OR coalesce(ansvarig = person, false);

-- Records that `roll` was handed a secret row (of ärende `p_arende`, or the row `p_rad` of `p_tabell` when it
-- belongs to no ärende): one row of serverlasning per login, role, ärende (or row) and UTC day, and a line in the
-- server's log each time such a row is written (see the top). True, for a policy that has made its check; a read
-- not logged yet that day is written only after the check is made again here, so a direct call cannot record a
-- read the role could not make, nor one in another's name. The text variables have the database's collation,
-- as the index has (a name's is "C": compared with it, the index would not be used).
CREATE FUNCTION nt_logga_lasning(p_arende bigint, p_tabell text, p_rad text, roll name)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    v_inloggning  text COLLATE "default" := session_user;
    v_roll        text COLLATE "default" := roll;
    v_nyckel      text COLLATE "default" := coalesce(p_arende::text, p_tabell || ':' || coalesce(p_rad, ''));
    v_dag         text COLLATE "default" := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD');
BEGIN
    IF EXISTS (SELECT 1 FROM serverlasning l WHERE l.inloggning = v_inloggning AND l.roll = v_roll
               AND l.nyckel = v_nyckel AND l.dag = v_dag) THEN
        RETURN true;
    END IF;
    IF NOT nt_ser_hemligt((SELECT a.handlaggare_id FROM arende a WHERE a.id = p_arende),
                          nt_ser_allt_som(roll), nt_handlaggares_person(roll)) THEN
        RETURN false;
    END IF;
    -- When another session of the same login has written the same row and not committed yet, this waits for it
    -- and writes (and logs) only if that one is rolled back.
    INSERT INTO serverlasning (inloggning, roll, arende_id, tabell, rad, nyckel, dag)
    VALUES (v_inloggning, v_roll, p_arende, p_tabell, p_rad, v_nyckel, v_dag) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RAISE LOG 'Nämndtool läsning: % (som %) läste % % (ärende %) i databasen %',
            session_user, roll, p_tabell, p_rad, coalesce(p_arende::text, '-'), current_database();
    END IF;
    RETURN true;
END $$;

-- The ärenden the login has been logged as reading as `roll` today. arende's policy lets a secret ärende the role
-- may see pass on this set (hashed once per query) before it calls nt_logga_lasning: a diary refreshed all day
-- costs a sekreterare about what it costs a läsare, not a call into plpgsql per secret ärende. Only the login's
-- own rows (session_user), which only the server writes.
CREATE FUNCTION nt_lasta_idag(roll name) RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT l.arende_id FROM serverlasning l
    WHERE l.inloggning = session_user::text COLLATE "default" AND l.roll = $1::text COLLATE "default"
      AND l.dag = to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD') COLLATE "default"
      AND l.arende_id IS NOT NULL
$$;

-- Whether `roll` may see a row of ärende `p_arende` (NULL: none) whose own secrecy is `p_egen`; a secret row that
-- may be seen is logged (nt_logga_lasning). `roll` is the caller's current_user (a policy passes it).
CREATE FUNCTION nt_far_lasa(p_arende bigint, p_egen integer, p_tabell text, p_rad text, roll name)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    hemlig    boolean := coalesce(p_egen, 0) = 1;
    ansvarig  bigint;
BEGIN
    IF p_arende IS NOT NULL THEN
        SELECT hemlig OR a.sekretess = 1, a.handlaggare_id INTO hemlig, ansvarig FROM arende a WHERE a.id = p_arende;
        hemlig := coalesce(hemlig, coalesce(p_egen, 0) = 1);
    END IF;
    IF NOT hemlig THEN
        RETURN true;
    END IF;
    IF NOT nt_ser_hemligt(ansvarig, nt_ser_allt_som(roll), nt_handlaggares_person(roll)) THEN
        RETURN false;
    END IF;
    RETURN nt_logga_lasning(p_arende, p_tabell, p_rad, roll);
END $$;

-- The diary search (nämndtool/store/server_search.py; why a function: see the top): the ärenden `roll` (the
-- caller's current_user) may see of which every word of `ord` begins a word of the searched text, å ä ö folded
-- (with the diary number when `med_nummer`), and whether every word also begins one as spelled. The statement is
-- made for the number of words (EXECUTE, so the planner sees the words and uses the trigram indexes); the words
-- are parameters, never part of its text, with their regular-expression characters escaped. Logs nothing: the
-- caller's join with arende does, through its policy, for the rows it returns.
CREATE FUNCTION nt_sok(ord text[], med_nummer boolean, roll name)
RETURNS TABLE (arende_id bigint, som_skrivet boolean) LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    -- A word begins a word of "text diary-number" when it begins one of the text or of the number (a match cannot
    -- run over the space between): two conditions, each served by a trigram index, rather than a scan of the whole
    -- table for the joined text. The number is NULL for an ärende without one: no match (never NULL as spelled).
    sokt     text := CASE WHEN med_nummer THEN '(s.%1$s ~ %2$s OR %3$s ~ %2$s)'
                          ELSE 's.%1$s ~ %2$s' END;
    ordet    text := '(''\m'' || regexp_replace(%s($1[%s]), ''(\W)'', ''\\\1'', ''g'')) COLLATE "default"';
    villkor  text[];
    skrivet  text[];
BEGIN
    FOR i IN 1 .. coalesce(cardinality(ord), 0) LOOP
        villkor := villkor || format(sokt, 'folded', format(ordet, 'nt_fold', i), 's.nummer');
        skrivet := skrivet || format(sokt, 'exakt', format(ordet, 'nt_lower', i), 'coalesce(s.nummer, '''')');
    END LOOP;
    IF villkor IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT s.arende_id, %s FROM arende_sok s WHERE %s AND (s.sekretess = 0 OR EXISTS (SELECT 1 FROM arende a '
        'WHERE a.id = s.arende_id AND nt_ser_hemligt(a.handlaggare_id, $2, $3)))',
        array_to_string(skrivet, ' AND '), array_to_string(villkor, ' AND '))
    USING ord, nt_ser_allt_som(roll), nt_handlaggares_person(roll);
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
    -- The diary lists every ärende: a public one passes on its column; a secret one on the rule, with the role's
    -- rights asked once per query (the sub-selects), and then on today's read log (nt_lasta_idag), and only one
    -- the role may see and has not been logged as reading today calls plpgsql, to be logged. A läsare's whole
    -- diary thus makes no call at all, and a sekreterare's none after the first of the day.
    arende constant text := 'sekretess = 0 OR (nt_ser_hemligt(handlaggare_id, (SELECT nt_ser_allt_som(current_user)), '
                            '(SELECT nt_handlaggares_person(current_user))) '
                            'AND (id IN (SELECT l FROM nt_lasta_idag(current_user) l) '
                            'OR nt_logga_lasning(id, ''arende'', id::text, current_user)))';
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('arende',            arende, true),
        ('arende_sok',        'sekretess = 0 OR nt_far_lasa(arende_id, 1, ''arende_sok'', arende_id::text, current_user)', false),
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
                                     'nt_person', 'nt_logga_lasning', 'nt_lasta_idag', 'nt_sok'))
    LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', r.namn, current_schema());
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION nt_skydda_schemat() FROM PUBLIC;
SELECT nt_skydda_schemat();
