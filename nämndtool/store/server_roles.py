"""The server store's users and roles (issue 16): the group roles of one register, their grants, who is in them.

Every person logs in as a PostgreSQL role of their own and is a member of one group role of the register (the
database): ``<databas>_sekreterare``, ``_handlaggare``, ``_lasare`` or ``_arkivarie``. Which rows each group sees
and may write is decided by the server's row-level security (db/postgresql/roller.sql); what each group may do to
a table at all is decided here, by GRANT. Both are the server's: no client can get around them.

Everything here runs as the register's administrator (the owner of its tables, or a superuser) on a psycopg 3
connection in autocommit mode; each function is one transaction.
"""

from dataclasses import dataclass

from psycopg import sql

GROUPS = ("sekreterare", "handlaggare", "lasare", "arkivarie")
"""The group roles of a register, by the last part of their name."""

_EVERYTHING = ("SELECT", "INSERT", "UPDATE", "DELETE")

# What only the server writes (audit trail, read logs) or only the admin (who is who).
_LOGS = ("andring", "lasning", "serverlasning", "anvandare", "schema_version")

_HANDLAGGARE_WRITES = {
    "handling": ("INSERT", "UPDATE"),
    "tjansteskrivelse": ("INSERT", "UPDATE", "DELETE"),
    "forslag": ("INSERT", "UPDATE", "DELETE"),
    "avsnitt": ("INSERT", "UPDATE", "DELETE"),
    "listad_handling": ("INSERT", "UPDATE", "DELETE"),
    "undertecknare": ("INSERT", "UPDATE", "DELETE"),
    "beslutsmottagare": ("INSERT", "UPDATE", "DELETE"),
    "mottagare": ("INSERT",),
}
"""What a handläggare may write (the rows: only of the ärenden they handle, see roller.sql)."""

_FILE_WRITES = {"fil": ("INSERT",), "fil_del": ("INSERT", "DELETE"), "fil_granskning": ("INSERT", "UPDATE")}
"""Storing a file: new bytes, the file's row, what the secrecy gate read from it (``fil``'s checked
accessibility is a column grant of its own)."""

_SEKRETERARE_ONLY_READS = ("serverlasning", "anvandare", "normalisering")
"""Tables only the sekreterare and the arkivarie read: the read log, who is who, and the names merged as duplicates
(they may name a recipient of a secret decision)."""


@dataclass(frozen=True)
class Member:
    login: str
    group: str
    person: str | None


def group_role(conn, group: str) -> str:
    """The name of this register's group role ``group`` (as roller.sql's nt_grupp makes it)."""
    if group not in GROUPS:
        raise ValueError(group)
    return conn.execute("SELECT nt_grupp(%s)::text", (group,)).fetchone()[0]


def create_groups(conn) -> list[str]:
    """Make this register's group roles that do not exist yet (NOLOGIN); the names of those made."""
    made = []
    for group in GROUPS:
        name = group_role(conn, group)
        if not _role_exists(conn, name):
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
            made.append(name)
    return made


def grant(conn) -> None:
    """Give each group exactly its rights on every table of the register (taken away first, so running it again
    after a migration puts them right)."""
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    tables = [name for (name,) in conn.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relkind IN ('r', 'v', 'p') ORDER BY 1")]
    roles = {group: sql.Identifier(group_role(conn, group)) for group in GROUPS}
    with conn.transaction():
        for group, role in roles.items():
            conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(sql.Identifier(schema), role))
            conn.execute(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(
                sql.Identifier(schema), role))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), role))
            for table, rights in _rights(group, tables).items():
                _grant(conn, rights, table, role)
            if group != "lasare":
                conn.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                    sql.Identifier(schema), role))
            if group in ("handlaggare", "arkivarie"):
                conn.execute(sql.SQL("GRANT UPDATE (tillganglig) ON fil TO {}").format(role))


def _rights(group: str, tables: list[str]) -> dict[str, tuple[str, ...]]:
    """Per table, what ``group`` may do to it."""
    rights: dict[str, tuple[str, ...]] = {}
    for table in tables:
        if table in _SEKRETERARE_ONLY_READS:
            rights[table] = ("SELECT",) if group in ("sekreterare", "arkivarie") else ()
        elif table == "lasning":
            rights[table] = ("SELECT",) if group == "lasare" else ("SELECT", "INSERT")
        elif table in _LOGS:
            rights[table] = ("SELECT",)
        elif group == "sekreterare":
            rights[table] = ("SELECT", "INSERT", "DELETE") if table == "fil_del" else _EVERYTHING
        else:
            rights[table] = ("SELECT",)
    writes = {"handlaggare": {**_HANDLAGGARE_WRITES, **_FILE_WRITES},
              "arkivarie": {**_FILE_WRITES, "akt_dokument": ("INSERT",)}}.get(group, {})
    for table, extra in writes.items():
        if table in rights:
            rights[table] = tuple(dict.fromkeys((*rights[table], *extra)))
    return {table: given for table, given in rights.items() if given}


def _grant(conn, rights: tuple[str, ...], table: str, role) -> None:
    conn.execute(sql.SQL("GRANT {} ON {} TO {}").format(
        sql.SQL(", ").join(map(sql.SQL, rights)), sql.Identifier(table), role))


def _role_exists(conn, name: str) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", (name,)).fetchone()[0]


def add_user(conn, login: str, group: str, *, person_id: int | None = None, password: str | None = None) -> bool:
    """Put ``login`` in this register's ``group`` (making the login role when it does not exist; with ``password``
    it logs in with that password, sent to the server only as a SCRAM-SHA-256 verifier), and record its person.
    A login is in one group of a register: another group it was in is left. Whether the login role was made."""
    role = sql.Identifier(login)
    with conn.transaction():
        made = not _role_exists(conn, login)
        if made:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
        if password is not None:
            verifier = conn.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(verifier)))
        for other in GROUPS:
            if other != group and _is_member(conn, login, group_role(conn, other)):
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group_role(conn, other)), role))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group_role(conn, group)), role))
        conn.execute("INSERT INTO anvandare (roll, person_id) VALUES (%s, %s) ON CONFLICT (roll) DO UPDATE "
                     "SET person_id = coalesce(excluded.person_id, anvandare.person_id)", (login, person_id))
    return made


def _is_member(conn, login: str, group: str) -> bool:
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid "
        "JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = %s AND m.rolname = %s)", (group, login)).fetchone()[0]


def remove_user(conn, login: str) -> list[str]:
    """Take ``login`` out of every group of this register and forget its person; the groups it left. The login
    role itself stays (it may be used by other registers on the server)."""
    left = []
    with conn.transaction():
        for group in GROUPS:
            name = group_role(conn, group)
            if _is_member(conn, login, name):
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(name), sql.Identifier(login)))
                left.append(group)
        conn.execute("DELETE FROM anvandare WHERE roll = %s", (login,))
    return left


def members(conn) -> list[Member]:
    """Every login in a group of this register, with the person recorded for it, by login."""
    names = {group_role(conn, group): group for group in GROUPS}
    rows = conn.execute(
        """SELECT m.rolname, g.rolname, p.namn FROM pg_auth_members am
           JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
           LEFT JOIN anvandare u ON u.roll = m.rolname LEFT JOIN person p ON p.id = u.person_id
           WHERE g.rolname = ANY(%s) ORDER BY m.rolname, g.rolname""", (list(names),)).fetchall()
    return [Member(login, names[group], person) for login, group, person in rows]


def person_id(conn, name: str) -> int:
    """The person called ``name`` (spelled as the register tells names apart), made as a tjänsteperson when the
    register has none; refused when two are called so."""
    from nämndtool.errors import NamndtoolError

    found = [pid for (pid,) in conn.execute("SELECT id FROM person WHERE identity_key(namn) = identity_key(%s)",
                                            (name,))]
    if len(found) > 1:
        raise NamndtoolError(f"Det finns {len(found)} personer som heter {name} i registret. Slå ihop dem i "
                             "programmet först, eller ange namnet så som det är skrivet på den rätta.")
    if found:
        return found[0]
    return conn.execute("INSERT INTO person (namn, roll) VALUES (nfc(%s), 'tjansteperson') RETURNING id",
                        (name.strip(),)).fetchone()[0]


def is_admin(conn) -> bool:
    """Whether this login owns the register's tables or is a superuser (may run the admin commands)."""
    return bool(conn.execute(
        "SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_roles r "
        "LEFT JOIN pg_class c ON c.oid = to_regclass('arende') WHERE r.rolname = current_user").fetchone()[0])


def has_role_functions(conn) -> bool:
    """Whether the database holds the register's role functions (roller.sql), i.e. is a Nämndtool register."""
    return bool(conn.execute("SELECT to_regprocedure('nt_grupp(text)') IS NOT NULL").fetchone()[0])
