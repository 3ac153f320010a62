"""Backups of the server store: PostgreSQL's own ``pg_dump`` (custom format), restored with ``pg_restore`` into an
empty database and verified there.

A backup folder looks like the SQLite store's (``backup.py``): ``namndtool-backup-ÅÅÅÅMMDD-TTMMSS`` with
``manifest.json`` (``typ`` "postgresql", the dump's SHA-256, the schema, every table's row count and every stored
file's SHA-256 and size) and ``register.dump``. The files' bytes are rows of the database (``fil_del``), so they are
in the dump; the manifest lists them so that a restore can prove each one came back whole: the server computes the
SHA-256 of each restored file and the counts of every table are compared before the restore is reported done.

A restore never replaces a register that others are working in: it goes into an empty database (the kommun's IT
creates it), which the kansli then opens instead of the old one.
"""

import shutil
import subprocess
from pathlib import Path

from nämndtool.errors import NamndtoolError
from nämndtool.store import Store, schema_version
from nämndtool.store.files import sha256_of
from nämndtool.store.server import database_is_empty, shown

DUMP = "register.dump"
KIND = "postgresql"


def tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore): on PATH, else the newest Debian install."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if versions:
        return str(versions[-1])
    raise NamndtoolError(
        f"Programmet {name} saknas på den här datorn, så det delade registret kan inte säkerhetskopieras eller "
        "återställas härifrån. Installera PostgreSQL:s klientprogram (Debian/Ubuntu: 'apt-get install "
        "postgresql-client'; Windows: PostgreSQL:s installationsprogram, delen Command Line Tools).")


def _run(args: list[str], what: str) -> None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=3600)
    except OSError as error:
        raise NamndtoolError(f"{what} kunde inte startas ({error.strerror or error}).") from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise NamndtoolError(f"{what} misslyckades ({detail[-1] if detail else f'kod {done.returncode}'}). "
                             "Ingenting har ändrats.")


def census(store: Store) -> dict:
    """Every table's row count and every stored file's size by SHA-256: what a restore must bring back."""
    return {"antal": store.table_counts(), "filer": store.stored_file_sizes()}


def dump_into(store: Store, work: Path) -> dict:
    """Write the dump into ``work``; the manifest's content for it."""
    before = census(store)
    _run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={work / DUMP}",
          f"--dbname={store.location}"], "Säkerhetskopieringen med pg_dump")
    after = census(store)
    if before != after:   # pg_dump reads one snapshot; a change in between only means the census must be its own
        raise NamndtoolError("Registret ändrades medan säkerhetskopian togs, så den sparas inte. Försök igen om en "
                             "stund; registret är oförändrat.")
    return {"typ": KIND, "schema": schema_version(), "databas_sha256": sha256_of(work / DUMP), **after}


def is_server_backup(manifest: dict | None) -> bool:
    return bool(manifest) and manifest.get("typ") == KIND


def verify_dump(folder: Path, manifest: dict) -> list[str]:
    """What is wrong with a server backup before anything is restored: its dump, its manifest."""
    dump = folder / DUMP
    if not dump.is_file() or sha256_of(dump) != manifest.get("databas_sha256"):
        return [f"{folder.name}: databaskopian ({DUMP}) saknas eller stämmer inte med sin kontrollsumma."]
    if not isinstance(manifest.get("antal"), dict) or not isinstance(manifest.get("filer"), dict):
        return [f"{folder.name}: innehållsförteckningen saknar antalen eller filerna."]
    if isinstance(manifest.get("schema"), int) and manifest["schema"] > schema_version():
        return [f"{folder.name}: kopian är gjord av en nyare version av Nämndtool (schema {manifest['schema']}). "
                "Uppdatera Nämndtool innan du återställer den."]
    try:
        _run([tool("pg_restore"), "--list", str(dump)], "Läsningen av databaskopian")
    except NamndtoolError as error:
        return [f"{folder.name}: {error}"]
    return []


def restore_into(folder: Path, manifest: dict, location: str) -> None:
    """Restore the dump into the empty database at ``location`` and prove it whole: every table's count and every
    file's SHA-256, computed by the server. A database that holds anything is refused."""
    used = not database_is_empty(location)
    if used:
        raise NamndtoolError(
            f"Databasen {shown(location)} är inte tom, så säkerhetskopian återställs inte dit: ett delat register "
            "som andra arbetar i ersätts aldrig. Be IT skapa en ny, tom databas (createdb) och återställ dit; "
            "öppna sedan den i stället för den gamla.")
    _run([tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={location}", str(folder / DUMP)], "Återställningen med pg_restore")
    with Store.open(location, create=False) as store:
        found = census(store)
        missing, damaged = store.file_problems(full=True)
    if found != {"antal": manifest["antal"], "filer": manifest["filer"]} or missing or damaged:
        raise NamndtoolError(
            f"Återställningen till {shown(location)} blev inte hel (antal rader eller filer stämmer inte med "
            "säkerhetskopian). Använd inte den databasen; ta bort den och försök igen, eller välj en annan kopia.")
