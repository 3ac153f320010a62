"""The tests' throwaway PostgreSQL cluster (tests/pg_cluster.py; fixtures pg_cluster and pg_dsn in conftest.py):
it starts, its server runs as no root, each test gets its own database, password roles log in over TCP with psycopg
and with the psql binary exactly as an app user would, and without the server the PostgreSQL half is skipped and
said so at the end (or fails, where NAMNDTOOL_REQUIRE_POSTGRES=1 as in CI)."""

import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from pg_cluster import Cluster, ClusterUnavailable, database_of

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def role(pg_cluster):
    """A login role with a password (quote and å in it, to prove the DSN and SQL quoting); (name, password)."""
    name, password = f"role_{uuid.uuid4().hex[:10]}", "hemligt 'lösen' å/@:?"
    pg_cluster.create_role(name, password)
    return name, password


def test_the_cluster_answers_the_superuser_in_the_tests_own_database(pg_cluster, pg_dsn):
    dbname = database_of(pg_dsn)
    result = pg_cluster.psql(dbname, "SELECT current_user, current_database()")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{pg_cluster.superuser}|{dbname}"
    with psycopg.connect(pg_dsn) as connection:
        assert connection.execute("SELECT current_user").fetchone() == (pg_cluster.superuser,)
        assert connection.info.parameter_status("server_encoding") == "UTF8"
    assert re.match(r"\d+\.\d+", pg_cluster.server_version)


def test_the_server_does_not_run_as_root(pg_cluster):
    data = Path(pg_cluster.psql("postgres", "SELECT current_setting('data_directory')", check=True).stdout.strip())
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    status = Path(f"/proc/{postmaster}/status").read_text()
    uids = [int(uid) for uid in re.search(r"^Uid:\s+(.*)$", status, re.MULTILINE).group(1).split()]
    assert 0 not in uids
    expected = pg_cluster.user.pw_uid if pg_cluster.user is not None else os.geteuid()
    assert set(uids) == {expected} == {data.stat().st_uid}


def test_each_database_is_empty_and_separate_and_dropped_even_while_in_use(pg_cluster, pg_dsn):
    other = pg_cluster.create_database()
    assert database_of(other) != database_of(pg_dsn)
    with psycopg.connect(pg_dsn, autocommit=True) as connection:
        assert connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public'").fetchone() == (0,)
        connection.execute("CREATE TABLE only_here (x int)")
    still_open = psycopg.connect(other)
    assert still_open.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
    pg_cluster.drop_database(database_of(other))
    still_open.close()
    left = pg_cluster.psql("postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{database_of(other)}'")
    assert left.stdout.strip() == "0"


def test_a_password_role_logs_in_over_tcp_with_psycopg_and_a_wrong_password_is_refused(pg_cluster, pg_dsn, role):
    name, password = role
    dbname = database_of(pg_dsn)
    with psycopg.connect(pg_cluster.dsn(dbname, name, password)) as connection:
        assert connection.execute("SELECT current_user, host(inet_server_addr())").fetchone() == (name, "127.0.0.1")
    for wrong in ("fel", None):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(pg_cluster.dsn(dbname, name, wrong))
    with pytest.raises(psycopg.OperationalError, match="password"):  # TCP needs a password, the superuser's too
        psycopg.connect(f"postgresql://{pg_cluster.superuser}@127.0.0.1:{pg_cluster.port}/{dbname}")


def test_a_password_role_logs_in_with_the_psql_binary_and_a_wrong_password_is_refused(pg_cluster, pg_dsn, role):
    name, password = role
    dbname = database_of(pg_dsn)
    logged_in = pg_cluster.psql(dbname, "SELECT current_user, host(inet_server_addr())", name, password)
    assert logged_in.returncode == 0, logged_in.stderr
    assert logged_in.stdout.strip() == f"{name}|127.0.0.1"
    refused = pg_cluster.psql(dbname, "SELECT 1", name, "fel")
    assert refused.returncode != 0
    assert "password authentication failed" in refused.stderr


def test_a_role_made_again_gets_the_new_password(pg_cluster, role):
    name, old = role
    pg_cluster.create_role(name, "nytt")
    assert pg_cluster.psql("postgres", "SELECT 1", name, "nytt").returncode == 0
    assert pg_cluster.psql("postgres", "SELECT 1", name, old).returncode != 0


def test_missing_server_programs_say_in_swedish_what_is_missing_and_how_to_install(tmp_path):
    with pytest.raises(ClusterUnavailable) as missing:
        Cluster(bindir=tmp_path)
    message = str(missing.value)
    assert message.startswith("PostgreSQL-servern finns inte här: initdb, pg_ctl, postgres saknas")
    assert str(tmp_path) in message
    assert message.endswith("installera den med 'apt-get install postgresql'")


def _run_postgres_half(tmp_path, bindir=None, required=False):
    """`pytest -m postgres` on this file in a child process, leaving out the test that calls this (a child marked
    NAMNDTOOL_PG_CHILD refuses to start a grandchild); (result, the status file's lines)."""
    if os.environ.get("NAMNDTOOL_PG_CHILD"):
        pytest.fail("a child run of test_pg_cluster.py must not start another")
    status = tmp_path / "pg-status"
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("NAMNDTOOL_PG_BINDIR", "NAMNDTOOL_REQUIRE_POSTGRES", "PYTEST_ADDOPTS")}
    environment |= {"NAMNDTOOL_PG_STATUS": str(status), "NAMNDTOOL_PG_CHILD": "1", "QT_QPA_PLATFORM": "offscreen"}
    if bindir:
        environment["NAMNDTOOL_PG_BINDIR"] = str(bindir)
    if required:
        environment["NAMNDTOOL_REQUIRE_POSTGRES"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "postgres", "-k",
               f"not {_OUTER}", __file__]
    child = subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        stdout, stderr = child.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGINT)  # pytest's teardown then stops the child's cluster
        stdout, stderr = child.communicate(timeout=60)
    result = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    return result, status.read_text(encoding="utf-8").splitlines() if status.exists() else []


def _postgres_tests_in_this_file() -> int:
    """How many tests here need PostgreSQL, less the one that runs this file in a child (the child leaves it out)."""
    source = Path(__file__).read_text(encoding="utf-8")
    return len(re.findall(r"^def test_\w+\([^)]*\b(?:pg_cluster|pg_dsn|role)\b", source, re.MULTILINE)) - 1


def test_without_the_server_the_postgres_half_is_skipped_and_the_last_lines_say_how_to_install(tmp_path):
    result, status = _run_postgres_half(tmp_path, bindir=tmp_path)
    count = _postgres_tests_in_this_file()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{count} skipped" in result.stdout and "deselected" in result.stdout
    assert status[0] == f"PostgreSQL-halvan hoppades över: {count} tester som behöver PostgreSQL kördes inte."
    assert status[1].startswith("PostgreSQL-servern finns inte här:")
    assert "apt-get install postgresql" in status[-1]


def test_where_the_server_is_required_its_absence_fails_the_run(tmp_path):
    result, status = _run_postgres_half(tmp_path, bindir=tmp_path, required=True)
    assert result.returncode == 1
    assert f"{_postgres_tests_in_this_file()} errors" in result.stdout
    assert "PostgreSQL-servern finns inte här" in result.stdout
    assert status == []


_OUTER = "test_with_the_server_the_last_line_says_how_many_ran_against_which_version"


def test_with_the_server_the_last_line_says_how_many_ran_against_which_version(tmp_path, pg_cluster):
    result, status = _run_postgres_half(tmp_path)
    count = _postgres_tests_in_this_file()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{count} passed" in result.stdout
    assert status == [f"PostgreSQL-halvan kördes: {count} tester mot PostgreSQL {pg_cluster.server_version}."]
