"""``namndtool admin``: set up a shared register on a PostgreSQL server and say who may do what in it.

Run by the register's administrator (the owner of its tables, or a database superuser): ``init`` makes or
migrates the schema, the register's group roles and their grants; ``add-user`` puts a login in a group (making the
login role when it is missing); ``remove-user`` takes it out; ``users`` lists who is in which group. The rules are
the server's own (db/postgresql/roller.sql, store/server_roles.py); docs/delat-register.md explains them.

On an SQLite register (one file, one user at a computer) there are no roles to set up: each command says so and
changes nothing, because there only the file's permissions decide who can read and change it.
"""

import getpass
from contextlib import contextmanager
from typing import Iterator

from nämndtool.errors import NamndtoolError, StoreError
from nämndtool.store.server import is_server, shown

ROLE_NAMES = {"sekreterare": "sekreterare", "handlaggare": "handläggare", "lasare": "läsare",
              "arkivarie": "arkivarie"}
"""The groups as the command line takes them (without å ä ö) and as the messages write them."""

SQLITE_MESSAGE = (
    "Registret {location} är en fil (SQLite) för en användare på en dator: där finns inga roller, och ingenting "
    "begränsar vad den som kan öppna filen ser eller ändrar, utöver filens behörigheter i filsystemet. Inget har "
    "ändrats. Roller (sekreterare, handläggare, läsare, arkivarie) finns i ett delat register på en databasserver: "
    "ange det med --db postgresql://server/databas (se docs/delat-register.md).")

NOT_ADMIN = ("Du har inte behörighet att administrera det delade registret {location}. Kör kommandot som "
             "registrets ägare (den som körde 'namndtool admin init') eller som databasadministratör. "
             "Ingenting har ändrats.")


def refusal_on_sqlite(location) -> str | None:
    """The message for an admin command on an SQLite register; None for a server."""
    if is_server(location):
        return None
    return SQLITE_MESSAGE.format(location=location)


@contextmanager
def _admin_connection(location: str) -> Iterator:
    """The server connection (``ServerConnection``; psycopg's as ``.raw``, autocommit) of an administrator; a
    Swedish message for one who is not."""
    import psycopg

    from nämndtool.store.server import connect_server, server_message

    conn = connect_server(location)
    try:
        yield conn
    except (psycopg.errors.InsufficientPrivilege, StoreError) as error:
        cause = error if isinstance(error, psycopg.Error) else error.__cause__
        if not isinstance(cause, psycopg.errors.InsufficientPrivilege):
            raise
        raise StoreError(f"{NOT_ADMIN.format(location=shown(location))} ({cause.diag.message_primary})") from error
    except psycopg.Error as error:
        raise StoreError(server_message(location, error)) from error
    finally:
        conn.close()


def _require_admin(raw, location: str) -> None:
    """Refuse before changing anything unless this login owns the register's tables or is a superuser."""
    from nämndtool.store import server_roles

    if not server_roles.is_admin(raw):
        raise StoreError(NOT_ADMIN.format(location=shown(location)))


def init(location: str) -> list[str]:
    """Make (or migrate) the register's schema, its group roles and their grants; lines to print."""
    from nämndtool.store import server_roles
    from nämndtool.store.server_schema import migrate_server

    with _admin_connection(location) as conn:
        applied = migrate_server(conn, location, create=True)
        raw = conn.raw
        _require_admin(raw, location)
        made = server_roles.create_groups(raw)
        server_roles.grant(raw)
        groups = [server_roles.group_role(raw, g) for g in server_roles.GROUPS]
    lines = [f"Registret {shown(location)} är skapat (schema {applied[-1]})." if applied
             else f"Registret {shown(location)} har redan rätt schema."]
    lines.append(f"Grupproller: {', '.join(groups)}" + (f" (nya: {', '.join(made)})." if made else "."))
    lines.append("Behörigheterna är satta. Lägg till användare med 'namndtool admin add-user INLOGGNING --role ROLL'.")
    return lines


def add_user(location: str, login: str, role: str, *, person: str | None = None,
             password_prompt: bool = False) -> list[str]:
    """Put ``login`` in the group ``role``; lines to print. A password only by an interactive prompt."""
    from nämndtool.store import server_roles

    _check_login(login)
    password = _ask_password(login) if password_prompt else None
    with _admin_connection(location) as conn:
        raw = conn.raw
        _require_admin(raw, location)
        _require_groups(raw, location)
        with raw.transaction():
            person_id = server_roles.person_id(raw, person) if person else None
            made = server_roles.add_user(raw, login, role, person_id=person_id, password=password)
    lines = [f"{login} är {ROLE_NAMES[role]} i registret {shown(location)}"
             + (f" och är {person}." if person else ".")]
    if made:
        lines.append(f"Inloggningen {login} skapades på servern"
                     + (" med lösenordet du angav." if password else
                        " utan lösenord: den loggar in med Windows-inloggningen (GSSAPI/SSPI) eller ett lösenord "
                        "som IT sätter."))
    if role == "handlaggare" and not person:
        lines.append("Ange --person för en handläggare: utan person ser hen inga sekretessärenden.")
    return lines


def remove_user(location: str, login: str) -> list[str]:
    from nämndtool.store import server_roles

    _check_login(login)
    with _admin_connection(location) as conn:
        raw = conn.raw
        _require_admin(raw, location)
        _require_groups(raw, location)
        left = server_roles.remove_user(raw, login)
    if not left:
        return [f"{login} hade ingen roll i registret {shown(location)}. Inget har ändrats."]
    return [f"{login} är inte längre {' eller '.join(ROLE_NAMES[g] for g in left)} i registret {shown(location)}. "
            "Inloggningen finns kvar på servern (den kan användas i andra register); IT tar bort den med "
            "DROP ROLE när den inte behövs."]


def users(location: str) -> list[str]:
    from nämndtool.store import server_roles

    with _admin_connection(location) as conn:
        raw = conn.raw
        _require_admin(raw, location)
        _require_groups(raw, location)
        found = server_roles.members(raw)
    if not found:
        return [f"Registret {shown(location)} har inga användare ännu. Lägg till med 'namndtool admin add-user'."]
    width = max(len(m.login) for m in found)
    return [f"{m.login:<{width}}  {ROLE_NAMES[m.group]:<12} {m.person or ''}".rstrip() for m in found]


def _require_groups(raw, location: str) -> None:
    from nämndtool.store import server_roles

    if not server_roles.has_role_functions(raw):
        raise StoreError(f"Databasen {shown(location)} är inget Nämndtool-register ännu. Skapa det med "
                         f"'namndtool --db {shown(location)} admin init'.")


def _check_login(login: str) -> None:
    if not login.strip() or login != login.strip() or len(login.encode()) > 63:
        raise NamndtoolError(f"”{login}” går inte att använda som inloggning: ange namnet utan mellanslag före "
                             "eller efter, högst 63 byte (så som personen loggar in i Windows).")


def _ask_password(login: str) -> str:
    """The password typed twice at the terminal (never an argument, never stored by the program)."""
    first = getpass.getpass(f"Lösenord för {login}: ")
    if not first:
        raise NamndtoolError("Inget lösenord angavs. Inget har ändrats.")
    if getpass.getpass("Samma lösenord igen: ") != first:
        raise NamndtoolError("Lösenorden var inte lika. Inget har ändrats.")
    return first
