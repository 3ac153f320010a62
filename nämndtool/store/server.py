"""The server store: a PostgreSQL database that a whole kansli shares, reached with psycopg 3.

A location is a server store when it is a PostgreSQL connection string (``postgresql://host/db`` or
``postgres://…``); anything else is a path to an SQLite file. The password comes from PostgreSQL's own mechanisms
(``~/.pgpass``, ``pg_service.conf``, GSSAPI/SSPI): the program never asks for it and never stores it.

:class:`ServerConnection` gives the store modules the small part of ``sqlite3.Connection`` they use (``execute``,
``executemany``, ``in_transaction``), running each statement in PostgreSQL's dialect (``dialect.py``). It runs in
autocommit mode: transactions are begun and ended by the store's ``write()``, as on SQLite.
"""

import hashlib
import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from nämndtool.errors import StoreError
from nämndtool.store.dialect import parameters, to_postgresql

SCHEMES = ("postgresql://", "postgres://")


def is_server(location) -> bool:
    """Whether ``location`` names a server store (a PostgreSQL connection string) rather than an SQLite file."""
    return isinstance(location, str) and location.lower().startswith(SCHEMES)


def shown(location: str) -> str:
    """The connection string as it may be shown and logged: a password written into it is left out."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc}" if user else netloc))


def local_folder(location: str) -> Path:
    """This user's folder on this computer for what the program keeps of a server store (documents made and
    checked, the made-safe copies of bilagor): never shared, one per server database, 0700."""
    parts = urlsplit(shown(location))
    key = hashlib.sha256(f"{parts.hostname}:{parts.port}{parts.path}?{parts.query}".encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "namndtool" / "server"
    name = re.sub(r"[^\w.-]+", "_", f"{parts.hostname or 'lokal'}-{parts.path.strip('/') or 'db'}")[:60]
    folder = base / f"{name}-{key}"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def local_zone() -> str:
    """This computer's time zone, for the session: dates and times the server writes ("today", the audit trail's
    time) are the user's local ones, as on the SQLite store. The zone's name where the system tells it, else the
    current offset from UTC (POSIX sign: east of Greenwich is negative)."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = os.path.realpath("/etc/localtime")
            name = target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else ""
        except OSError:
            name = ""
    if re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name or ""):
        return name
    import datetime as dt
    minutes = int(dt.datetime.now().astimezone().utcoffset().total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    east = minutes >= 0
    return f"<{'+' if east else '-'}{hours:02d}{rest:02d}>{'-' if east else '+'}{hours:02d}:{rest:02d}"


class Cursor:
    """The rows of one statement, read as sqlite3's cursor is (``fetchone``, ``fetchall``, iteration)."""

    def __init__(self, cursor):
        self._cursor = cursor

    @property
    def description(self):
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())


class ServerConnection:
    """One psycopg connection, spoken to in the store's (SQLite) SQL."""

    def __init__(self, raw, location: str):
        self.raw = raw
        self.location = location
        self.changes = 0   # statements that may have changed something, sent on this connection

    def _counted(self, sql: str) -> None:
        if not sql.lstrip()[:6].upper().startswith(("SELECT", "WITH")):
            self.changes += 1

    def execute(self, sql: str, params=()) -> Cursor:
        text, numbered = to_postgresql(sql)
        self._counted(sql)
        with translated_server_errors(self.location):
            return Cursor(self.raw.execute(text, parameters(params, numbered)))

    def executemany(self, sql: str, seq) -> None:
        text, numbered = to_postgresql(sql)
        self._counted(sql)
        with translated_server_errors(self.location):
            with self.raw.cursor() as cursor:
                cursor.executemany(text, [parameters(p, numbered) for p in seq])

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def connect_server(location: str) -> ServerConnection:
    """Connect to the server store; a Swedish message that says what to do when that is not possible."""
    import psycopg

    try:
        raw = psycopg.connect(location, autocommit=True, application_name="Nämndtool", connect_timeout=10,
                              options=f"-c TimeZone={local_zone()}")
    except psycopg.OperationalError as error:
        raise StoreError(_connect_message(location, error)) from error
    except psycopg.ProgrammingError as error:   # a connection string libpq cannot read
        raise StoreError(
            f"Anslutningen {shown(location)} går inte att läsa ({error}). Ange den som "
            "postgresql://server/databas, till exempel postgresql://diarie.kommun.se/namnd."
        ) from error
    return ServerConnection(raw, location)


def database_is_empty(location: str) -> bool:
    """Whether the database at ``location`` holds no table or view in its schema (somewhere to restore into)."""
    conn = connect_server(location)
    try:
        return not conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v')").fetchone()[0]
    finally:
        conn.close()


def _connect_message(location: str, error) -> str:
    text = str(error).lower()
    where = f"Det delade registret {shown(location)}"
    if "password" in text and ("authentication failed" in text or "no password supplied" in text):
        return (f"{where} godtog inte inloggningen: lösenordet saknas eller är fel. Lägg lösenordet i din "
                "~/.pgpass (eller använd Windows-inloggningen, GSSAPI/SSPI) — programmet sparar aldrig lösenord.")
    if "does not exist" in text and "database" in text:
        return (f"{where} finns inte på servern. Kontrollera databasens namn, eller be IT skapa det med "
                "'namndtool admin init'.")
    if "role" in text and "does not exist" in text:
        return (f"{where}: du har ingen användare på databasservern. Be registrets administratör lägga till dig "
                "med 'namndtool admin add-user'.")
    if "no pg_hba.conf entry" in text or "permission denied" in text:
        return f"{where} släpper inte in dig från den här datorn. Be IT öppna åtkomsten (pg_hba.conf)."
    return (f"{where} kunde inte nås ({str(error).strip().splitlines()[0] if str(error).strip() else error}). "
            "Kontrollera nätverket och serverns namn, eller försök igen om en stund. Ingenting har ändrats.")


RULE_ERRORS = ("P0001", "23000", "23502", "23503", "23505", "23514")
"""SQLSTATEs of a broken rule: a trigger's refusal (raise_exception and integrity_constraint_violation), NOT NULL,
a foreign key, uniqueness, a CHECK."""


def server_message(location: str, error) -> str:
    """A Swedish sentence for what the server reported, in the words the SQLite store uses for the same case."""
    state = getattr(error, "sqlstate", None) or ""
    detail = getattr(getattr(error, "diag", None), "message_primary", None) or str(error)
    where = f"Det delade registret {shown(location)}"
    if state in RULE_ERRORS:
        return (f"Ändringen bryter mot en regel i registret ({detail}). Ingenting har sparats. "
                "Kontrollera uppgifterna och försök igen.")
    if state == "42501" or state.startswith("28"):
        return (f"Du har inte behörighet till detta i registret ({detail}). Ingenting har ändrats. "
                "Be registrets administratör om rätt roll om du behöver den.")
    if state in ("40001", "40P01", "55P03"):
        return (f"{where} är upptaget av en annan användares ändring just nu. Ingenting har sparats; "
                "försök igen om en stund.")
    if state == "53100":
        return "Databasserverns disk är full, så ändringen kunde inte sparas. Ingenting har ändrats. Kontakta IT."
    if state == "25006":
        return (f"{where} tar bara emot läsning just nu (en skrivskyddad server eller en kopia). Ingenting har "
                "ändrats.")
    if state.startswith("08") or state.startswith("57P"):
        return (f"Förbindelsen med {shown(location)} bröts. Det du höll på att spara har inte sparats; "
                "kontrollera nätverket och försök igen.")
    return (f"{where} gav ett oväntat fel ({detail}). Ingenting har sparats. Försök igen; kvarstår felet, "
            "kontakta support.")


@contextmanager
def translated_server_errors(location: str):
    """Turn psycopg's errors into StoreError with a Swedish message that says what to do."""
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        raise StoreError(server_message(location, error)) from error
