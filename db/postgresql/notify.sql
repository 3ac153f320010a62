-- Live updates of the server store (issue 16): every committed change of what the app's windows show is told on
-- the channel 'namndtool' (NOTIFY), so an open window on another computer reloads within a second. Made right
-- after server_only.sql, in the baseline's transaction (server_schema.BASELINE_EXTRAS).
--
-- A notice is sent only when its transaction commits (PostgreSQL holds NOTIFY until then) and is a small JSON
-- object: the topic as the app's change hub names it (ui/common/changes.py: "diary", "meetings", "people",
-- "protokoll", "secrecy"), the table, the operation, the row's ids (integers only), the PostgreSQL role
-- (session_user) and the backend's pid, so a client can tell its own changes from others'. Never a title, a name
-- or any other content: every role that may LISTEN sees every notice, whatever it may read.
--
-- Not told: the audit trail and the read log (andring, lasning: a read must not make every window reload), the
-- files' bytes and checks, the search index, the derived archive tables, and the series counter (diarieserie
-- changes with an ärende, which is told).

CREATE FUNCTION namndtool_notice() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r   jsonb;
    ids jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := to_jsonb(OLD);
    ELSE
        r := to_jsonb(NEW);
    END IF;
    SELECT coalesce(jsonb_object_agg(k, r -> k), '{}'::jsonb) INTO ids
    FROM unnest(ARRAY['id', 'arende_id', 'sammantrade_id', 'tjansteskrivelse_id', 'protokoll_id', 'paragraf_id',
                      'person_id', 'organ_id', 'namnd_id', 'mottagare_id', 'dagordningspunkt_id']) AS k
    WHERE jsonb_typeof(r -> k) = 'number';
    PERFORM pg_notify('namndtool', jsonb_build_object(
        'topic', TG_ARGV[0], 'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'ids', ids,
        'role', session_user, 'pid', pg_backend_pid())::text);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('arende', 'diary'), ('handling', 'diary'), ('tjansteskrivelse', 'diary'), ('forslag', 'diary'),
        ('avsnitt', 'diary'), ('listad_handling', 'diary'), ('undertecknare', 'diary'),
        ('beslutsmottagare', 'diary'), ('delegationsbeslut', 'diary'),
        ('namnd', 'meetings'), ('organ', 'meetings'), ('sammantrade', 'meetings'), ('dagordningspunkt', 'meetings'),
        ('person', 'people'), ('uppdrag', 'people'), ('mottagare', 'people'),
        ('protokoll', 'protokoll'), ('justerare', 'protokoll'), ('narvaro', 'protokoll'), ('paragraf', 'protokoll'),
        ('beslut', 'protokoll'), ('yrkande', 'protokoll'), ('rost', 'protokoll'), ('anteckning', 'protokoll'),
        ('jav', 'protokoll'), ('paragraf_mottagare', 'protokoll'), ('utskick', 'protokoll'),
        ('datumrattelse', 'protokoll'), ('standardtext', 'protokoll'),
        ('sekretess_havd', 'secrecy'), ('offentliggorande', 'secrecy')
    ) AS told (tabell, topic)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION namndtool_notice(%L)', t.tabell || '_live', t.tabell, t.topic);
    END LOOP;
END $$;
