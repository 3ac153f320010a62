"""One history of migrations for both stores: every SQLite migration after the server's baseline has its PostgreSQL
twin, a new server store is at this program's schema version, a newer one is refused untouched, and two clients
creating a register at once create it once."""

import re
import threading

import psycopg
import pytest

from nämndtool.assets import migrations
from nämndtool.errors import StoreError
from nämndtool.store import Store, pg_schema, schema_version
from nämndtool.store.server_schema import BASELINE_EXTRAS


def test_every_migration_after_the_baseline_comes_as_a_pair():
    sqlite = {n: name for n, name, _ in migrations() if n > pg_schema.BASELINE}
    server = {n: name for n, name, _ in pg_schema.migrations() if n > pg_schema.BASELINE}
    assert sqlite.keys() == server.keys(), "db/NNN_*.sql och db/postgresql/NNN_*.sql ska komma i par"
    assert pg_schema.migrations()[0][0] == pg_schema.BASELINE <= schema_version()
    assert all(pg_schema.folder().joinpath(extra).is_file() for extra in BASELINE_EXTRAS)
    assert all(re.fullmatch(r"\d{3}_\w+\.sql", name) for _, name, _ in pg_schema.migrations())


def test_a_new_server_store_is_at_this_programs_version_and_a_newer_one_is_refused(pg_dsn, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with Store.open(pg_dsn) as store:
        assert store.value("SELECT max(version) FROM schema_version") == schema_version()
        store.execute("INSERT INTO schema_version (version) VALUES (?)", (schema_version() + 1,))
    with pytest.raises(StoreError, match="nyare version"):
        Store.open(pg_dsn)


def test_a_database_that_is_no_register_is_not_made_one_unasked(pg_dsn):
    with pytest.raises(StoreError, match="inget Nämndtool-register"):
        Store.open(pg_dsn, create=False)
    with psycopg.connect(pg_dsn) as conn:
        assert conn.execute("SELECT to_regclass('arende')").fetchone()[0] is None


def test_two_clients_opening_a_new_register_at_once_create_it_once(pg_dsn, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    errors, start = [], threading.Barrier(2)

    def open_it():
        start.wait()
        try:
            Store.open(pg_dsn).close()
        except Exception as error:   # noqa: BLE001 — the test reports what either client met
            errors.append(error)
    clients = [threading.Thread(target=open_it) for _ in range(2)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    assert errors == []
    with Store.open(pg_dsn) as store:
        assert store.rows("SELECT version FROM schema_version ORDER BY version") == [
            {"version": v} for v in range(pg_schema.BASELINE, schema_version() + 1)]   # each migration once
        assert store.value("SELECT count(*) FROM register_identitet") == 1


def test_a_person_without_the_right_to_create_is_told_who_may(pg_dsn, pg_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from pg_cluster import database_of
    pg_cluster.create_role("anna_utan_ratt", "hemligt-1")
    with pytest.raises(StoreError, match="admin init") as refused:
        Store.open(pg_cluster.dsn(database_of(pg_dsn), user="anna_utan_ratt", password="hemligt-1"))
    assert "hemligt-1" not in str(refused.value)
