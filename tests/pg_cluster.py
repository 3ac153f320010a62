"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, pg_ctl on a free port on 127.0.0.1,
stopped and removed at the end.

PostgreSQL refuses to run as root and CI runs as root, so as root every server command (initdb, pg_ctl) runs as an
unprivileged system user: Debian's `postgres`, else a `namndtool-pg` system user made here. Clients (psycopg, psql)
run as whoever runs the tests.

Authentication: the bootstrap superuser (`Cluster.superuser`) logs in over the Unix socket in the temporary folder
without a password (`local ... trust`); every other connection, over the socket or TCP on 127.0.0.1/::1, needs a
password (scram-sha-256). So a role made with `create_role` is tested exactly as an app user logs in.

Every DSN names host, port, user and database, and the commands run here get an environment without PG* variables,
so a developer's PGHOST, PGUSER or PGSERVICE never decides where a test connects.
"""

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
INSTALL_HINT = "installera den med 'apt-get install postgresql'"
SERVER_USER = "namndtool-pg"  # made only as root, only when Debian's `postgres` user does not exist
BINDIR_VARIABLE = "NAMNDTOOL_PG_BINDIR"  # where the server programs are, when they are somewhere unusual
_HBA = """\
local all {superuser} trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
"""
_SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
password_encryption = 'scram-sha-256'
# A cluster that lives for one test session: durability buys nothing and costs seconds.
fsync = off
synchronous_commit = off
full_page_writes = off
"""


class ClusterUnavailable(RuntimeError):
    """The PostgreSQL server programs (or psql) are not on this machine; the message says, in Swedish, what is
    missing and how to install it."""


NO_PASSWORD_FILE = "/nonexistent/namndtool-tests-no-pgpass"


def clean_environment() -> dict[str, str]:
    """This process's environment without libpq's PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSERVICE,
    PGSSLMODE, ...), which would otherwise fill in or override parts of a connection, and with PGPASSFILE pointing
    nowhere, so a developer's ~/.pgpass cannot supply a password a test means to leave out."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    return kept | {"PGPASSFILE": NO_PASSWORD_FILE}


def find_bindir(explicit: str | os.PathLike | None = None) -> Path:
    """The folder holding initdb, pg_ctl and postgres: `explicit` (or $NAMNDTOOL_PG_BINDIR) alone when given;
    else `pg_config --bindir`, the highest /usr/lib/postgresql/<N>/bin, the folder of initdb on PATH."""
    explicit = explicit or os.environ.get(BINDIR_VARIABLE)
    candidates = [Path(explicit)] if explicit else _default_bindirs()
    for candidate in candidates:
        if all(_is_program(candidate / name) for name in SERVER_PROGRAMS):
            return candidate
    where = ", ".join(str(candidate) for candidate in candidates) or "PATH"
    raise ClusterUnavailable(
        f"PostgreSQL-servern finns inte här: {', '.join(SERVER_PROGRAMS)} saknas (letade i {where}); {INSTALL_HINT}")


def _default_bindirs() -> list[Path]:
    found = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, env=clean_environment())
        if result.returncode == 0 and result.stdout.strip():
            found.append(Path(result.stdout.strip()))
    debian = Path("/usr/lib/postgresql")
    versions = sorted((int(p.name) for p in debian.glob("*") if p.name.isdigit()), reverse=True)
    found += [debian / str(version) / "bin" for version in versions]
    initdb = shutil.which("initdb")
    if initdb:
        found.append(Path(initdb).parent)
    return list(dict.fromkeys(found))


def find_psql(bindir: Path) -> Path:
    """The psql beside the server programs, else the one on PATH (Debian's wrapper in /usr/bin)."""
    if _is_program(bindir / "psql"):
        return bindir / "psql"
    on_path = shutil.which("psql")
    if on_path:
        return Path(on_path)
    raise ClusterUnavailable(
        f"PostgreSQL-servern finns inte här: psql saknas; {INSTALL_HINT} postgresql-client")


def _is_program(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def free_port() -> int:
    """A TCP port on 127.0.0.1 free at the moment of asking (start() retries if another process takes it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_user() -> pwd.struct_passwd | None:
    """The unprivileged user the server runs as when we are root; None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVER_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
    subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", SERVER_USER], check=True, capture_output=True)
    return pwd.getpwnam(SERVER_USER)


class Cluster:
    """One throwaway cluster. `Cluster()` finds the programs (raising ClusterUnavailable when they are missing);
    `start()` makes and starts it; `stop()` stops it and removes its folder. Also a context manager."""

    superuser = "namndtool_super"

    def __init__(self, bindir: str | os.PathLike | None = None):
        self.bindir = find_bindir(bindir)
        self.psql_program = find_psql(self.bindir)
        self.user = server_user()
        self.directory: Path | None = None
        self.port: int | None = None
        self.server_version: str | None = None
        self.started_seconds: float | None = None

    # --- lifecycle -------------------------------------------------------------------------------------------

    def start(self, attempts: int = 3) -> "Cluster":
        """initdb and start; waits until the server answers. Takes about a second; once per test session."""
        began = time.monotonic()
        self.directory = Path(tempfile.mkdtemp(prefix="namndtool-pg-", dir=self._temp_parent()))
        atexit.register(self.stop)
        if self.user is not None:
            os.chown(self.directory, self.user.pw_uid, self.user.pw_gid)
        self._initdb()
        self._configure()
        for attempt in range(attempts):
            self.port = free_port()
            result = self._server_command("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                                          "-l", str(self.log), "-o", f"-p {self.port}")
            if result.returncode == 0:
                break
            if attempt == attempts - 1:
                raise RuntimeError(f"pg_ctl start failed:\n{result.stdout}{result.stderr}\n{self.server_log()}")
        self.server_version = self._query_one("postgres", "SHOW server_version")
        self.started_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended) and remove the folder; safe to call twice."""
        if self.directory is None:
            return
        if (self.data / "postmaster.pid").exists():
            self._server_command("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.data))
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None
        atexit.unregister(self.stop)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "server.log"

    def server_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    # --- what tests use --------------------------------------------------------------------------------------

    def dsn(self, dbname: str, user: str | None = None, password: str | None = None) -> str:
        """A libpq URI. A role with a password connects over TCP to 127.0.0.1; the superuser (user None) over the
        Unix socket in the cluster's folder, where it needs no password."""
        if user is None or (user == self.superuser and password is None):
            return (f"postgresql://{quote(self.superuser, safe='')}@/{quote(dbname, safe='')}"
                    f"?host={quote(str(self.directory), safe='')}&port={self.port}")
        credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password is not None else "")
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{quote(dbname, safe='')}"

    def create_database(self) -> str:
        """A fresh, empty, uniquely named database (owned by the superuser); returns its superuser DSN."""
        name = f"test_{uuid.uuid4().hex[:16]}"
        self._admin(f"CREATE DATABASE {_identifier(name)}")
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any sessions still connected to it."""
        self._admin(f"DROP DATABASE IF EXISTS {_identifier(name)} WITH (FORCE)")

    def create_role(self, name: str, password: str | None, login: bool = True) -> None:
        """A role with this password (scram-sha-256). Roles belong to the whole cluster, not one database: when
        the role exists already its password and LOGIN are set anew, so use a name unique to the test."""
        options = ("LOGIN" if login else "NOLOGIN") + (f" PASSWORD {_literal(password)}" if password else "")
        exists = self._query_one("postgres", f"SELECT count(*) FROM pg_roles WHERE rolname = {_literal(name)}")
        verb = "ALTER" if exists == "1" else "CREATE"
        self._admin(f"{verb} ROLE {_identifier(name)} WITH {options}")

    def psql(self, dbname: str, sql: str, user: str | None = None, password: str | None = None,
             check: bool = False) -> subprocess.CompletedProcess:
        """Run `sql` in the real psql binary as `user` (the superuser when None): unaligned, tuples only, stops at
        the first error (returncode 3, message on stderr). With check=True a failure raises."""
        command = [str(self.psql_program), "--no-psqlrc", "--no-align", "--tuples-only", "--quiet",
                   "-v", "ON_ERROR_STOP=1", "--dbname", self.dsn(dbname, user, password)]
        environment = clean_environment() | {"PGCONNECT_TIMEOUT": "10"}
        return subprocess.run(command, input=sql, capture_output=True, text=True, env=environment,
                              check=check, timeout=120)

    # --- inside ----------------------------------------------------------------------------------------------

    def _temp_parent(self) -> str | None:
        """As root: /tmp, which the server user can reach (root's own TMPDIR might not be). Otherwise the default.
        A Unix socket path has ~107 bytes, so a long TMPDIR falls back to /tmp as well."""
        default = tempfile.gettempdir()
        return "/tmp" if self.user is not None or len(default) > 60 else None

    def _initdb(self) -> None:
        for locale in ("C.UTF-8", "C"):
            result = self._server_command("initdb", "-D", str(self.data), "-U", self.superuser, "-E", "UTF8",
                                          f"--locale={locale}", "--auth-local=trust", "--auth-host=scram-sha-256",
                                          "--no-sync", "--no-instructions")
            if result.returncode == 0:
                return
            shutil.rmtree(self.data, ignore_errors=True)
        raise RuntimeError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def _configure(self) -> None:
        (self.data / "pg_hba.conf").write_text(_HBA.format(superuser=self.superuser), encoding="utf-8")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as settings:
            settings.write(_SETTINGS.format(socket_dir=str(self.directory).replace("'", "''")))

    def _server_command(self, program: str, *arguments: str) -> subprocess.CompletedProcess:
        """A server program, as the unprivileged server user when we are root."""
        command = [str(self.bindir / program), *arguments]
        if self.user is not None:
            command = ["runuser", "-u", self.user.pw_name, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, env=clean_environment(),
                              cwd=self.directory, timeout=120)

    def _admin(self, sql: str) -> None:
        self._query_one("postgres", sql)

    def _query_one(self, dbname: str, sql: str) -> str:
        result = self.psql(dbname, sql)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed on {sql!r}: {result.stderr.strip()}")
        return result.stdout.strip()


def database_of(dsn: str) -> str:
    """The database a DSN made by Cluster.dsn names."""
    return unquote(urlsplit(dsn).path.lstrip("/"))


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
