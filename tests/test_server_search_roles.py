"""The diary search as the roles people log in as (issue 16; db/postgresql/roller.sql's nt_sok, server_search.py).

One register from the sample meeting, one ärende made secret with a word no other title has, set up with
``namndtool admin init`` and one login per role. The search finds the secret ärende for exactly the roles that may
see it, ranks as the owner's search does, tells a läsare nothing about a secret title however the server function is
called, logs in the server's read log exactly the secret ärenden a search returns (once a day), and the search
index follows the ärende's secrecy when it changes.
"""

import os

import psycopg
import pytest

from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store
from support import SAMPLE_JSON, run_cli
from test_server_roles import _as, add_logins, new_login

SECRET = 5          # handled by Matilda Johansson in the sample
PUBLIC = 2
WORD = "hemligordet"   # only in the secret ärende's title
SHARED = "utredning"   # in the secret title and in a public one


@pytest.fixture(scope="module")
def register(pg_cluster, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sok")
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    dsn = pg_cluster.create_database()
    with Store.open(dsn) as store:
        import_meeting(store, SAMPLE_JSON)
        store.execute("UPDATE arende SET sekretess = 1, sekretess_lagrum = '26 kap. 1 § OSL', rubrik = ? WHERE id = ?",
                      (f"Utredning {WORD} om en enskild", SECRET))
        store.execute("UPDATE arende SET rubrik = 'Utredning av lokalbehov' WHERE id = ?", (PUBLIC,))
    assert run_cli("admin", "init", db=dsn).returncode == 0
    yield {"dsn": dsn, "logins": add_logins(pg_cluster, dsn, ("sekreterare", "handlaggare", "annan", "lasare"))}
    from pg_cluster import database_of
    pg_cluster.drop_database(database_of(dsn))


def _superuser(register):
    return psycopg.connect(register["dsn"], autocommit=True)


def _logged(register, login: str) -> list[int]:
    with _superuser(register) as admin:
        return [r[0] for r in admin.execute(
            "SELECT arende_id FROM serverlasning WHERE inloggning = %s ORDER BY arende_id", (login,))]


SEES = {"sekreterare": True, "handlaggare": True, "annan": False, "lasare": False}


@pytest.mark.parametrize("role", list(SEES))
def test_the_search_finds_a_secret_arende_for_exactly_the_roles_that_may_see_it(pg_cluster, register, role):
    with Store.open(_as(pg_cluster, register, role)) as store:
        assert (SECRET in store.arende_ids(search=WORD)) is SEES[role]
        shared = store.arende_ids(search=SHARED)
        assert PUBLIC in shared and (SECRET in shared) is SEES[role]
        assert (SECRET in store.arende_ids(search=SHARED, sort="rubrik")) is SEES[role]   # the sorted search too


def test_a_role_gets_the_owners_ranking_of_what_it_may_see(pg_cluster, register):
    with Store.open(register["dsn"]) as owner:
        number = owner.arende(PUBLIC)["diarienummer"]
        queries = ["utredning", "utr", "beslut", "2023", number, "ärende", "arende"]
        expected = {q: owner.arende_ids(search=q) for q in queries}
    for role in ("sekreterare", "lasare"):
        with Store.open(_as(pg_cluster, register, role)) as store:
            for q in queries:
                want = [i for i in expected[q] if SEES[role] or i != SECRET]
                assert store.arende_ids(search=q) == want, (role, q)
    assert expected[number][0] == PUBLIC    # a diary number typed in full first


def _probe(conn, words: list[str], roll: str | None = None) -> list[tuple]:
    return conn.execute("SELECT arende_id, som_skrivet FROM nt_sok(%s, false, coalesce(%s, current_user)::name) "
                        "ORDER BY 1", (words, roll)).fetchall()


def test_a_lasare_cannot_probe_a_secret_title_through_the_search_function(pg_cluster, register):
    """What nt_sok answers a läsare is the same with the secret ärende matching the words as without it (its title
    changed by the admin), also when the läsare names a role that may see it."""
    sekreterare = register["logins"]["sekreterare"]
    probes = [([WORD], None), ([SHARED], None), ([WORD], sekreterare), ([SHARED, "enskild"], sekreterare),
              (["hemlig"], None), ([".*"], None)]
    with psycopg.connect(_as(pg_cluster, register, "lasare"), autocommit=True) as conn:
        with_secret = [_probe(conn, words, roll) for words, roll in probes]
        direct = conn.execute("SELECT count(*) FROM arende_sok WHERE folded ~ %s", (WORD,)).fetchone()[0]
    with _superuser(register) as admin:
        title = admin.execute("SELECT rubrik FROM arende WHERE id = %s", (SECRET,)).fetchone()[0]
        admin.execute("UPDATE arende SET rubrik = 'Något helt annat' WHERE id = %s", (SECRET,))
        try:
            with psycopg.connect(_as(pg_cluster, register, "lasare"), autocommit=True) as conn:
                without = [_probe(conn, words, roll) for words, roll in probes]
        finally:
            admin.execute("UPDATE arende SET rubrik = %s WHERE id = %s", (title, SECRET))
        assert admin.execute("SELECT count(*) FROM nt_sok(%s, false, current_user)", ([WORD],)).fetchone()[0] == 1
    assert with_secret == without and direct == 0
    assert with_secret[0] == [] and (PUBLIC, True) in with_secret[1]


def test_a_search_logs_the_secret_arenden_it_returns_once_a_day_and_no_other(pg_cluster, register):
    login, dsn = new_login(pg_cluster, register, "sekreterare")
    with Store.open(dsn) as store:
        assert SECRET not in store.arende_ids(search="beslut")
        assert _logged(register, login) == []            # the secret ärende was not returned: not logged
        for _ in range(3):
            assert SECRET in store.arende_ids(search=WORD)
        assert _logged(register, login) == [SECRET]      # returned three times: one row today
    lasare, dsn = new_login(pg_cluster, register, "lasare")
    with Store.open(dsn) as store:
        store.arende_ids(search=SHARED)
        store.arende_ids()
    assert _logged(register, lasare) == []


def test_the_search_index_follows_the_arendes_secrecy(pg_cluster, register):
    with _superuser(register) as admin:
        admin.execute("UPDATE arende SET sekretess = 1, sekretess_lagrum = '26 kap. 1 § OSL' WHERE id = %s",
                      (PUBLIC,))
        try:
            assert admin.execute("SELECT sekretess FROM arende_sok WHERE arende_id = %s", (PUBLIC,)).fetchone() == (1,)
            with Store.open(_as(pg_cluster, register, "lasare")) as store:
                assert PUBLIC not in store.arende_ids(search=SHARED)
            with psycopg.connect(_as(pg_cluster, register, "lasare"), autocommit=True) as conn:
                assert conn.execute("SELECT count(*) FROM arende_sok WHERE arende_id = %s", (PUBLIC,)).fetchone() == (0,)
        finally:
            admin.execute("INSERT INTO sekretess_havd (arende_id, skal, av) VALUES (%s, 'Testet häver', 'test')",
                          (PUBLIC,))
            admin.execute("UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = %s", (PUBLIC,))
        assert admin.execute("SELECT sekretess FROM arende_sok WHERE arende_id = %s", (PUBLIC,)).fetchone() == (0,)
    with Store.open(_as(pg_cluster, register, "lasare")) as store:
        assert PUBLIC in store.arende_ids(search=SHARED)


def test_the_index_made_anew_keeps_the_secrecy(register):
    with _superuser(register) as admin:
        admin.execute("SELECT arende_sok_bygg()")
        assert admin.execute("SELECT count(*) FROM arende_sok s JOIN arende a ON a.id = s.arende_id "
                             "WHERE s.sekretess <> a.sekretess").fetchone()[0] == 0
        assert admin.execute("SELECT sekretess FROM arende_sok WHERE arende_id = %s", (SECRET,)).fetchone() == (1,)
