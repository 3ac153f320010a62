"""Users and roles on the server store, enforced by PostgreSQL (issue 16, point 4; db/postgresql/roller.sql).

One register is made as the cluster's superuser with the program (the sample meeting, one ärende made secret with a
secret handling and its file, paragraphs for the agenda), set up with ``namndtool admin init`` and given one login
per role with ``admin add-user``. Then each role reads and writes in plain sessions (psycopg, and the real psql
binary) and through the program (``Store.open`` as that login): what it sees, what is refused, what the server's
read log records.
"""

import uuid

import psycopg
import pytest

from nämndtool.errors import NamndtoolError, StoreError
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store
from support import SAMPLE_JSON, run_cli

SECRET = 5      # the sample's ärende handled by Matilda Johansson, made secret below
PUBLIC = 2      # handled by Julia Lindberg
SECRET_ITEM = 4  # the sample's secret agenda item without an ärende
PASSWORD = "rätt-hemligt-lösen"
SECRET_FILE = b"%PDF-1.4\nUtredning om en enskild\n"
PUBLIC_FILE = b"Offentlig skrivelse om budgeten\n"


@pytest.fixture(scope="module")
def register(pg_cluster, tmp_path_factory):
    """The register's superuser DSN, the logins by role, and the SHA-256 of the secret and the public file."""
    import os
    folder = tmp_path_factory.mktemp("roller")
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    dsn = pg_cluster.create_database()
    with Store.open(dsn) as store:
        import_meeting(store, SAMPLE_JSON)
        store.execute("UPDATE arende SET sekretess = 1, sekretess_lagrum = '26 kap. 1 § OSL' WHERE id = ?", (SECRET,))
        (folder / "utredning.pdf").write_bytes(SECRET_FILE)
        (folder / "skrivelse.txt").write_bytes(PUBLIC_FILE)
        store.add_handling(SECRET, {"riktning": "in", "beskrivning": "Utredning", "sekretess": 1,
                                    "sekretess_lagrum": "26 kap. 1 § OSL", "bilaga": False},
                           by="test", path=folder / "utredning.pdf")
        store.add_handling(PUBLIC, {"riktning": "in", "beskrivning": "Skrivelse", "bilaga": False},
                           by="test", path=folder / "skrivelse.txt")
        secret_sha = store.value("SELECT fil_sha256 FROM handling WHERE arende_id = ? AND sekretess = 1", (SECRET,))
        public_sha = store.value("SELECT fil_sha256 FROM handling WHERE beskrivning = 'Skrivelse'")
    assert run_cli("protokoll", "paragraphs", "--meeting", "1", db=dsn).returncode == 0
    assert run_cli("admin", "init", db=dsn).returncode == 0
    logins = add_logins(pg_cluster, dsn, ("sekreterare", "handlaggare", "annan", "lasare", "arkivarie"))
    yield {"dsn": dsn, "logins": logins, "secret_sha": secret_sha, "public_sha": public_sha, "folder": folder}
    from pg_cluster import database_of
    pg_cluster.drop_database(database_of(dsn))


LOGIN_PREFIX = {"sekreterare": "sek", "handlaggare": "matilda", "annan": "julia", "lasare": "las", "arkivarie": "ark"}
PEOPLE = {"handlaggare": "Matilda Johansson", "annan": "Julia Lindberg"}
"""The sample's people the handläggare logins are: "annan" is a handläggare of other ärenden than the secret one."""


def add_logins(pg_cluster, dsn: str, roles) -> dict[str, str]:
    """One login per role (with PASSWORD), added to the register with ``admin add-user``; the logins by role."""
    suffix = uuid.uuid4().hex[:8]
    logins = {role: f"{LOGIN_PREFIX[role]}_{suffix}" for role in roles}
    for role, login in logins.items():
        pg_cluster.create_role(login, PASSWORD)
        person = ["--person", PEOPLE[role]] if role in PEOPLE else []
        done = run_cli("admin", "add-user", login, "--role", "handlaggare" if role == "annan" else role, *person,
                       db=dsn)
        assert done.returncode == 0, done.stderr
    return logins


def new_login(pg_cluster, register, group: str) -> tuple[str, str]:
    """A login of its own in ``group`` (nothing read yet, so nothing logged yet today) and its DSN."""
    from pg_cluster import database_of
    login = f"ny_{uuid.uuid4().hex[:8]}"
    pg_cluster.create_role(login, PASSWORD)
    with psycopg.connect(register["dsn"], autocommit=True) as admin:
        admin.execute(f'GRANT "{database_of(register["dsn"])}_{group}" TO "{login}"')
    return login, pg_cluster.dsn(database_of(register["dsn"]), login, PASSWORD)


def _as(pg_cluster, register, role: str) -> str:
    from pg_cluster import database_of
    return pg_cluster.dsn(database_of(register["dsn"]), register["logins"][role], PASSWORD)


def _session(pg_cluster, register, role: str):
    return psycopg.connect(_as(pg_cluster, register, role), autocommit=True)


def _superuser(register):
    return psycopg.connect(register["dsn"], autocommit=True)


def _count(conn, sql: str, params=()) -> int:
    return conn.execute(sql, params).fetchone()[0]


def _seen(conn, sql: str, params=()) -> int:
    """1 when the query counts any row, else 0."""
    return min(_count(conn, sql, params), 1)


# --- what each role sees, in a plain session ------------------------------------------------------------------

SEES_ALL = {"sekreterare": True, "arkivarie": True, "handlaggare": True, "annan": False, "lasare": False}


@pytest.mark.parametrize("role", list(SEES_ALL))
def test_each_role_sees_the_secret_arende_and_all_of_its_content_only_with_the_right(pg_cluster, register, role):
    secret, sha = SEES_ALL[role], register["secret_sha"]
    with _session(pg_cluster, register, role) as conn:
        seen = {
            "arende": _seen(conn, "SELECT count(*) FROM arende WHERE id = %s", (SECRET,)),
            "handling": _seen(conn, "SELECT count(*) FROM handling WHERE arende_id = %s", (SECRET,)),
            "tjansteskrivelse": _seen(conn, "SELECT count(*) FROM tjansteskrivelse WHERE arende_id = %s", (SECRET,)),
            "forslag": _seen(conn, "SELECT count(*) FROM forslag f JOIN tjansteskrivelse t "
                                    "ON t.id = f.tjansteskrivelse_id WHERE t.arende_id = %s", (SECRET,)),
            "dagordningspunkt": _seen(conn, "SELECT count(*) FROM dagordningspunkt WHERE arende_id = %s", (SECRET,)),
            "paragraf": _seen(conn, "SELECT count(*) FROM paragraf WHERE arende_id = %s", (SECRET,)),
            "fil": _seen(conn, "SELECT count(*) FROM fil WHERE sha256 = %s", (sha,)),
            "fil_del": _seen(conn, "SELECT count(*) FROM fil_del WHERE sha256 = %s", (sha,)),
            "sok": _seen(conn, "SELECT count(*) FROM arende_sok WHERE arende_id = %s", (SECRET,)),
            "vy": _seen(conn, "SELECT count(*) FROM arende_nummer WHERE arende_id = %s", (SECRET,)),
        }
        public = {
            "arende": _seen(conn, "SELECT count(*) FROM arende WHERE id = %s", (PUBLIC,)),
            "handling": _seen(conn, "SELECT count(*) FROM handling WHERE arende_id = %s", (PUBLIC,)),
            "tjansteskrivelse": _seen(conn, "SELECT count(*) FROM tjansteskrivelse WHERE arende_id = %s", (PUBLIC,)),
            "paragraf": _seen(conn, "SELECT count(*) FROM paragraf WHERE arende_id = %s", (PUBLIC,)),
            "fil_del": _seen(conn, "SELECT count(*) FROM fil_del WHERE sha256 = %s", (register["public_sha"],)),
        }
        item = _count(conn, "SELECT count(*) FROM dagordningspunkt WHERE id = %s", (SECRET_ITEM,))
        item_paragraf = _count(conn, "SELECT count(*) FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id "
                                     "JOIN dagordningspunkt d ON d.sammantrade_id = p.sammantrade_id "
                                     "AND d.nr = g.dagordning_nr WHERE d.id = %s", (SECRET_ITEM,))
    assert seen == {k: (1 if secret else 0) for k in seen}, seen
    assert public == {k: 1 for k in public}, public
    # The secret item without an ärende: only those who see everything.
    assert (item, item_paragraf) == ((1, 1) if role in ("sekreterare", "arkivarie") else (0, 0))


def test_a_lasare_in_psql_sees_the_public_diary_without_the_secret_arende(pg_cluster, register):
    from pg_cluster import database_of
    done = pg_cluster.psql(database_of(register["dsn"]), "SELECT string_agg(id::text, ',' ORDER BY id) FROM arende;\n"
                           f"SELECT count(*) FROM fil_del WHERE sha256 = '{register['secret_sha']}';",
                           user=register["logins"]["lasare"], password=PASSWORD, check=True)
    ids, chunks = done.stdout.split()
    assert ids == "1,2,3,4,6,7,8,9,10" and chunks == "0"


def test_the_secret_bytes_stay_hidden_however_a_lasare_asks(pg_cluster, register):
    with _session(pg_cluster, register, "lasare") as conn:
        assert conn.execute("SELECT data FROM fil_del WHERE sha256 = %s", (register["secret_sha"],)).fetchall() == []
        assert _count(conn, "SELECT count(*) FROM fil_del WHERE position(%s IN data) > 0", (b"enskild",)) == 0
        assert _count(conn, "SELECT count(*) FROM andring WHERE arende_id = %s", (SECRET,)) == 0
        assert _count(conn, "SELECT count(*) FROM punkt_sekretess WHERE sekretess = 1") == 0


def test_a_version_of_the_protokoll_being_signed_is_as_secret_as_its_secret_paragraphs(pg_cluster, register):
    """db/021: the PDF being signed holds every § of the protokoll; the sample meeting has a secret §, so only those
    who see everything read its bytes, also after the digital justering was cancelled."""
    path = register["folder"] / "under-justering.pdf"
    path.write_bytes(b"%PDF-1.4\nProtokoll under digital justering, med sekretessparagrafen\n")
    with Store.open(register["dsn"]) as store:
        stored = store.store_file_bytes(path)
        with store.write():
            store.register_file(stored)
            store.execute("INSERT INTO signering (sammantrade_id, nr, sha256) VALUES (1, (SELECT coalesce(max(nr), 0) "
                          "+ 1 FROM signering WHERE sammantrade_id = 1), ?)", (stored.sha256,))
        store.cancel_signing(1)   # the rest of the module uses the meeting unlocked
    for role, sees in {"sekreterare": 1, "arkivarie": 1, "annan": 0, "lasare": 0}.items():
        with _session(pg_cluster, register, role) as conn:
            assert _seen(conn, "SELECT count(*) FROM fil_del WHERE sha256 = %s", (stored.sha256,)) == sees, role
            assert _seen(conn, "SELECT count(*) FROM fil WHERE sha256 = %s", (stored.sha256,)) == sees, role


# --- the server's read log ----------------------------------------------------------------------------------


def test_reading_a_secret_arende_is_logged_by_the_server_with_the_role(pg_cluster, register):
    login = register["logins"]["handlaggare"]
    with _session(pg_cluster, register, "handlaggare") as conn:
        assert conn.execute("SELECT rubrik FROM arende WHERE id = %s", (SECRET,)).fetchone()
        conn.execute("SELECT rubrik FROM arende WHERE id = %s", (PUBLIC,)).fetchone()
    with _superuser(register) as admin:
        rows = admin.execute("SELECT inloggning, roll, dag FROM serverlasning WHERE roll = %s AND arende_id = %s",
                             (login, SECRET)).fetchall()
        today = admin.execute("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')").fetchone()[0]
        assert rows == [(login, login, today)]
        assert _count(admin, "SELECT count(*) FROM serverlasning WHERE roll = %s AND arende_id = %s",
                      (login, PUBLIC)) == 0


def _logged(login: str, register) -> list[tuple]:
    with _superuser(register) as admin:
        return admin.execute("SELECT arende_id, tabell FROM serverlasning WHERE inloggning = %s ORDER BY id",
                             (login,)).fetchall()


def test_one_row_per_login_arende_and_day_and_a_rolled_back_read_is_still_in_the_server_log(pg_cluster, register):
    login, dsn = new_login(pg_cluster, register, "sekreterare")
    line = f"Nämndtool läsning: {login} (som {login}) läste arende {SECRET}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET namndtool.lasta = ',5,'")          # the old per-transaction list: no say any more
        conn.execute("SET TimeZone = 'Pacific/Kiritimati'")   # the day is UTC's whatever the session's zone
        conn.execute("BEGIN")
        assert conn.execute("SELECT count(*) FROM arende WHERE id = %s", (SECRET,)).fetchone()[0] == 1
        conn.execute("ROLLBACK")
        assert _logged(login, register) == [] and pg_cluster.server_log().count(line) == 1
        for _ in range(2):
            with conn.transaction():
                for _ in range(3):
                    conn.execute("SELECT * FROM arende WHERE id = %s", (SECRET,)).fetchall()
                    conn.execute("SELECT * FROM handling WHERE arende_id = %s", (SECRET,)).fetchall()
        conn.execute("SELECT id FROM arende ORDER BY id").fetchall()   # the whole diary, more than once
        conn.execute("SELECT id FROM arende ORDER BY id").fetchall()
    assert _logged(login, register) == [(SECRET, "arende")]
    assert pg_cluster.server_log().count(line) == 2   # the rolled back read, then the one that stays
    with _superuser(register) as admin:
        assert admin.execute("SELECT dag = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM serverlasning "
                             "WHERE inloggning = %s", (login,)).fetchone()[0] is True


def test_a_right_taken_away_during_the_day_is_gone_at_once_though_the_read_is_logged(pg_cluster, register):
    from pg_cluster import database_of
    login, dsn = new_login(pg_cluster, register, "sekreterare")
    database = database_of(register["dsn"])
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert _count(conn, "SELECT count(*) FROM arende WHERE id = %s", (SECRET,)) == 1
        with _superuser(register) as admin:
            admin.execute(f'REVOKE "{database}_sekreterare" FROM "{login}"')
            admin.execute(f'GRANT "{database}_lasare" TO "{login}"')
        assert _count(conn, "SELECT count(*) FROM arende WHERE id = %s", (SECRET,)) == 0
        assert _count(conn, "SELECT count(*) FROM arende_sok WHERE arende_id = %s", (SECRET,)) == 0
    assert _logged(login, register) == [(SECRET, "arende")]


def test_a_secret_arende_cannot_be_read_where_the_read_cannot_be_logged(pg_cluster, register):
    login, dsn = new_login(pg_cluster, register, "sekreterare")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("BEGIN READ ONLY")
        assert _count(conn, "SELECT count(*) FROM arende WHERE id = %s", (PUBLIC,)) == 1
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("SELECT * FROM arende WHERE id = %s", (SECRET,)).fetchall()
        conn.execute("ROLLBACK")
        conn.execute("SELECT * FROM arende WHERE id = %s", (SECRET,)).fetchall()
        conn.execute("BEGIN READ ONLY")   # logged today already: nothing more to write, so it may be read
        assert _count(conn, "SELECT count(*) FROM arende WHERE id = %s", (SECRET,)) == 1
        conn.execute("ROLLBACK")
    assert _logged(login, register) == [(SECRET, "arende")]


def test_nobody_logs_a_read_in_another_name(pg_cluster, register):
    lasare = register["logins"]["lasare"]
    with _session(pg_cluster, register, "sekreterare") as conn:
        assert conn.execute("SELECT nt_far_lasa(%s, 1, 'arende', '5', %s)", (SECRET, lasare)).fetchone()[0] is False
        assert conn.execute("SELECT nt_logga_lasning(%s, 'arende', '5', %s)",
                            (SECRET, lasare)).fetchone()[0] is False
    with _session(pg_cluster, register, "lasare") as conn:   # nor one the role could not have made
        assert conn.execute("SELECT nt_logga_lasning(%s, 'arende', '5', current_user)",
                            (SECRET,)).fetchone()[0] is False
    with _superuser(register) as admin:
        assert _count(admin, "SELECT count(*) FROM serverlasning WHERE roll = %s", (lasare,)) == 0


# --- writes -------------------------------------------------------------------------------------------------

REFUSED = (psycopg.errors.InsufficientPrivilege,)


@pytest.mark.parametrize("role, sql", [
    ("lasare", "INSERT INTO handling (arende_id, riktning, beskrivning) VALUES (2, 'in', 'x')"),
    ("lasare", "UPDATE arende SET rubrik = 'x' WHERE id = 2"),
    ("arkivarie", "UPDATE arende SET rubrik = 'x' WHERE id = 2"),
    ("arkivarie", "DELETE FROM handling WHERE arende_id = 2"),
    ("handlaggare", "UPDATE dagordningspunkt SET rubrik = 'x' WHERE id = 1"),
    ("handlaggare", "INSERT INTO paragraf (protokoll_id, organ_id, ar, nr, rubrik) VALUES (1, 1, 2023, 99, 'x')"),
    ("handlaggare", "DELETE FROM handling WHERE arende_id = 5"),
    ("annan", "INSERT INTO handling (arende_id, riktning, beskrivning) VALUES (5, 'in', 'x')"),
    ("annan", "INSERT INTO forslag (tjansteskrivelse_id, nr, text) VALUES (5, 99, 'x')"),
    ("sekreterare", "INSERT INTO andring (anvandare, tabell, handelse) VALUES ('någon', 'arende', 'ny')"),
    ("sekreterare", "DELETE FROM andring"),
    ("sekreterare", "DELETE FROM serverlasning"),
    ("sekreterare", "UPDATE serverlasning SET dag = '2000-01-01'"),
    ("sekreterare", "INSERT INTO serverlasning (inloggning, roll, tabell) VALUES ('x', 'x', 'arende')"),
    ("sekreterare", "UPDATE fil_del SET data = 'x'"),
    ("handlaggare", "INSERT INTO anvandare (roll) VALUES ('x')"),
])
def test_writes_outside_the_role_are_refused_by_the_server(pg_cluster, register, role, sql):
    with _session(pg_cluster, register, role) as conn:
        with pytest.raises(REFUSED):
            conn.execute(sql)


def test_a_handlaggare_writes_only_in_the_arenden_they_handle(pg_cluster, register):
    with _session(pg_cluster, register, "annan") as conn:
        conn.execute("INSERT INTO handling (arende_id, riktning, beskrivning) VALUES (%s, 'in', 'Eget')", (PUBLIC,))
        assert conn.execute("UPDATE handling SET motpart = 'x' WHERE arende_id = %s", (3,)).rowcount == 0
    with _superuser(register) as admin:
        assert _count(admin, "SELECT count(*) FROM handling WHERE beskrivning = 'Eget' AND arende_id = %s",
                      (PUBLIC,)) == 1
        assert _count(admin, "SELECT count(*) FROM handling WHERE motpart = 'x'") == 0


def test_the_audit_trail_names_the_login_though_no_role_may_write_it(pg_cluster, register):
    login = register["logins"]["annan"]
    with _session(pg_cluster, register, "annan") as conn:
        conn.execute("UPDATE tjansteskrivelse SET sammanfattning = 'Ny text' WHERE arende_id = %s", (PUBLIC,))
    with _superuser(register) as admin:
        found = admin.execute("SELECT anvandare FROM andring WHERE tabell = 'tjansteskrivelse' AND arende_id = %s "
                              "ORDER BY id DESC LIMIT 1", (PUBLIC,)).fetchone()
        assert found == (login,)


# --- the program, opened as each login ---------------------------------------------------------------------


def test_the_program_as_lasare_lists_the_public_diary_and_refuses_a_write_in_swedish(pg_cluster, register):
    with Store.open(_as(pg_cluster, register, "lasare")) as store:
        ids = {a["id"] for a in store.list_arenden()}
        assert PUBLIC in ids and SECRET not in ids
        with pytest.raises(StoreError, match="Du har inte behörighet"):
            store.register_handling(PUBLIC, riktning="in", beskrivning="Försök")
        with pytest.raises(StoreError, match="behörighet att läsa den"):
            store.file_path(register["secret_sha"])
        assert store.file_path(register["public_sha"]).read_bytes() == PUBLIC_FILE


def test_the_program_as_handlaggare_registers_a_file_and_writes_the_tjansteskrivelse(pg_cluster, register):
    from nämndtool.operations.diary import NewHandling, add_handling

    path = register["folder"] / "komplettering.txt"
    path.write_bytes(b"Komplettering till utredningen " + uuid.uuid4().hex.encode())
    with Store.open(_as(pg_cluster, register, "handlaggare")) as store:
        assert SECRET in {a["id"] for a in store.list_arenden()}
        assert store.file_path(register["secret_sha"]).read_bytes() == SECRET_FILE
        handling_id = add_handling(store, NewHandling(SECRET, "Komplettering", secret=True, lagrum="26 kap. 1 § OSL",
                                                      path=path))
        ts = store.tjansteskrivelse(SECRET)
        store.save_tjansteskrivelse(SECRET, {**ts, "sammanfattning": "Skriven av handläggaren"},
                                    forslag=["Nämnden beslutar enligt förslaget."], avsnitt=[], handlingar=[],
                                    undertecknare=[], mottagare_ids=[])
        assert store.tjansteskrivelse(SECRET)["sammanfattning"] == "Skriven av handläggaren"
    with Store.open(_as(pg_cluster, register, "annan")) as other:
        with pytest.raises(StoreError):
            other.save_tjansteskrivelse(PUBLIC + 1, {}, forslag=["x"], avsnitt=[], handlingar=[], undertecknare=[],
                                        mottagare_ids=[])
    with _superuser(register) as admin:
        sha = admin.execute("SELECT fil_sha256 FROM handling WHERE id = %s", (handling_id,)).fetchone()[0]
    with _session(pg_cluster, register, "lasare") as conn:
        assert _count(conn, "SELECT count(*) FROM fil_del WHERE sha256 = %s", (sha,)) == 0


# --- admin commands ------------------------------------------------------------------------------------------


def test_admin_users_lists_each_login_with_its_role(register):
    done = run_cli("admin", "users", db=register["dsn"])
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert "handläggare" in lines[register["logins"]["handlaggare"]]
    assert "Matilda Johansson" in lines[register["logins"]["handlaggare"]]
    assert "läsare" in lines[register["logins"]["lasare"]]


def test_admin_commands_by_someone_who_is_not_the_admin_are_refused(pg_cluster, register):
    done = run_cli("admin", "add-user", "inkraktare", "--role", "sekreterare", db=_as(pg_cluster, register, "sekreterare"))
    assert done.returncode == 1
    assert "inte behörighet att administrera" in done.stderr
    with _superuser(register) as admin:
        assert _count(admin, "SELECT count(*) FROM pg_roles WHERE rolname = 'inkraktare'") == 0


def test_add_user_with_a_password_prompt_and_remove_user(pg_cluster, register, monkeypatch):
    from nämndtool import admin
    from pg_cluster import database_of

    login = f"ny_{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(admin.getpass, "getpass", lambda prompt="": "ett lösen")
    done = run_cli("admin", "add-user", login, "--role", "lasare", "--password-prompt", db=register["dsn"])
    assert done.returncode == 0, done.stderr
    assert "skapades" in done.stdout and "ett lösen" not in done.stdout
    dsn = pg_cluster.dsn(database_of(register["dsn"]), login, "ett lösen")
    with psycopg.connect(dsn) as conn:
        assert _count(conn, "SELECT count(*) FROM arende WHERE id = %s", (PUBLIC,)) == 1
    removed = run_cli("admin", "remove-user", login, db=register["dsn"])
    assert removed.returncode == 0 and "inte längre läsare" in removed.stdout
    with psycopg.connect(dsn) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM arende")


def test_admin_on_an_sqlite_register_says_roles_are_not_enforced_and_does_nothing(tmp_path):
    path = tmp_path / "register.sqlite"
    for args in (("init",), ("add-user", "anna", "--role", "lasare"), ("remove-user", "anna"), ("users",)):
        done = run_cli("admin", *args, db=path)
        assert done.returncode == 0, done.stderr
        assert "filens behörigheter" in done.stdout and "Inget har ändrats" in done.stdout
    assert not path.exists()


@pytest.mark.parametrize("role", ["lasare", "annan", "arkivarie"])
def test_an_archive_delivery_needs_a_role_that_sees_every_secret_arende(pg_cluster, register, role, tmp_path):
    """Row-level security hides secret ärenden from a läsare or a handläggare of others without a word: their
    package would look complete and lack them, so the program refuses and writes nothing; the arkivarie's
    package holds the secret ärende with its restriction."""
    from nämndtool.earkiv.package import export_arende

    with Store.open(_as(pg_cluster, register, role)) as store:
        if role != "arkivarie":
            assert not store.sees_every_secret()
            with pytest.raises(NamndtoolError, match="rollen arkivarie eller sekreterare"):
                export_arende(store, PUBLIC, tmp_path)
            assert list(tmp_path.iterdir()) == []
            return
        assert store.sees_every_secret()
        package = export_arende(store, SECRET, tmp_path)
        erms = (package.folder / "metadata" / "descriptive" / "ERMS.xml").read_text(encoding="utf-8")
        assert store.arende(SECRET)["diarienummer"] in erms and "26 kap. 1 § OSL" in erms
