"""What tests import by name (the sample meeting, the command line run in-process or as a process). Fixtures live
in conftest.py files; a test module imports helpers from here, never from a conftest (tests/ui has its own)."""

import contextlib
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path

from nämndtool.assets import resource

SAMPLE_DIR = Path(str(resource("demo")))
SAMPLE_JSON = SAMPLE_DIR / "meeting-2023.json"


def _cli_argv(args, db: Path | None) -> list[str]:
    return [*(["--db", str(db)] if db is not None else []), *map(str, args)]


def run_cli_process(*args: str, db: Path | None = None, env: dict | None = None, cwd: Path | None = None):
    """Run the real command in a child process, as a user would: for what only a process shows (the entry point,
    settings read when the program starts, locks held by another process, signals, pipes)."""
    return subprocess.run([sys.executable, "-m", "nämndtool", *_cli_argv(args, db)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=120)


def run_cli(*args: str, db: Path | None = None, env: dict | None = None, cwd: Path | None = None):
    """Run the command in this process through ``nämndtool.cli.main``, as the child process of
    :func:`run_cli_process` would run it, and return the same CompletedProcess (returncode, stdout, stderr).

    The environment (``env`` added, and COLUMNS as for output into a pipe), ``sys.argv`` (which the store's
    holder note names) and the working directory are set for the call and put back after it; SystemExit becomes
    the return code (None: 0, a text: 1 with the text on stderr) and an escaping exception a traceback and 1, as
    the interpreter does. The parser and its Swedish messages are built anew by every ``main``."""
    from nämndtool import cli

    argv = _cli_argv(args, db)
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_argv, saved_cwd = dict(os.environ), sys.argv, os.getcwd()
    try:
        os.environ.update(env or {})
        os.environ.setdefault("COLUMNS", "80")   # argparse wraps help as it would for a pipe, not this terminal
        sys.argv = ["namndtool", *argv]
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exit_:
                code = exit_.code
                if code is not None and not isinstance(code, int):
                    print(code, file=sys.stderr)
                    code = 1
            except Exception:  # noqa: BLE001 — what the interpreter does with an exception that leaves main
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["namndtool", *argv], code or 0, out.getvalue(), err.getvalue())


def store_dump(store) -> dict:
    """Every row of every table of the store, to compare it before and after (either database)."""
    return {t: sorted(map(repr, store.conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in store.table_names()}


def bypass(store, sql: str, params=()) -> None:
    """Run ``sql`` as a client that bypasses the program would: SQLite through the file's connection, with no
    rule of the program's code; the server store through a connection of its own (plain psycopg, the server's
    dialect: ``?`` written as ``%s``). What the database refuses raises :data:`REFUSED`."""
    if store.dialect == "sqlite":
        store.conn.execute(sql, params)
        return
    import psycopg
    with psycopg.connect(store.location, autocommit=True) as conn:
        conn.execute(sql.replace("?", "%s"), params)


def refused_by_database():
    """What the database raises when one of its rules (a trigger, a constraint) refuses a statement."""
    import sqlite3
    import psycopg
    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
