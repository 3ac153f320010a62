"""Reaching the server store: what a user is told when it cannot be reached, a password never shown or kept, and
the session in the computer's time zone."""

import re

import psycopg
import pytest

from nämndtool.errors import StoreError
from nämndtool.store import Store
from nämndtool.store.server import is_server, local_zone, shown


def test_a_connection_string_is_a_server_store_and_its_password_is_never_shown():
    assert is_server("postgresql://diarie.kommun.se/socn") and is_server("postgres://x/y")
    assert not is_server("register.sqlite") and not is_server("C:\\\\register.sqlite")
    assert shown("postgresql://anna:hemligt@diarie.kommun.se:5432/socn") == "postgresql://anna@diarie.kommun.se:5432/socn"


def test_what_cannot_be_reached_is_said_in_swedish(pg_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(StoreError, match="finns inte på servern"):
        Store.open(pg_cluster.dsn("finns_inte"))
    pg_cluster.create_role("lisa_fel", "ratt-losen")
    wrong = pg_cluster.dsn("postgres", user="lisa_fel", password="fel-losen")
    with pytest.raises(StoreError, match="pgpass") as refused:
        Store.open(wrong)
    assert "fel-losen" not in str(refused.value)
    with pytest.raises(StoreError, match="kunde inte nås"):
        Store.open("postgresql://127.0.0.1:1/namnd")


def test_the_session_is_in_the_computers_time_zone(pg_dsn, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "Europe/Stockholm")
    assert local_zone() == "Europe/Stockholm"
    with Store.open(pg_dsn) as store:
        assert store.value("SELECT current_setting('TimeZone')") == "Europe/Stockholm"
    monkeypatch.setenv("TZ", "inte en zon!")
    fallback = local_zone()   # the offset from UTC now, as a POSIX zone PostgreSQL accepts
    assert re.fullmatch(r"<[+-]\d{4}>[+-]\d\d:\d\d", fallback)
    with psycopg.connect(pg_dsn, options=f"-c TimeZone={fallback}") as conn:
        assert conn.execute("SELECT current_setting('TimeZone')").fetchone()[0] == fallback
