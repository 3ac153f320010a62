"""Moving a whole register between an SQLite file and a PostgreSQL server store (``namndtool migrate``).

Everything is copied: every row of every table the two stores share (the history and the audit trail included,
as they are), every stored file by its SHA-256 (the justerade protokoll among them), the ids and each table's id
mark (an id is never given out twice), the register's identity. The target must be new and empty; its rows are
written in one transaction, and before success is reported the target is read back: every table's count and every
file's SHA-256 must be the source's. A copy that does not match is rolled back (server) or removed (file).

The source is read in one transaction, so a kansli still working in it cannot make the copy half old, half new;
what they save after the copy started is not in it, which the report says.
"""

from dataclasses import dataclass
from pathlib import Path

from nämndtool.errors import NamndtoolError
from nämndtool.store import Store, copying
from nämndtool.store.server import is_server, shown


@dataclass(frozen=True)
class Moved:
    tables: int
    rows: int
    files: int


def _name(location) -> str:
    return shown(location) if is_server(location) else str(location)


def migrate(source_location, target_location) -> Moved:
    """Copy the register at ``source_location`` into the new, empty store at ``target_location`` and verify it."""
    if str(source_location) == str(target_location):
        raise NamndtoolError("Ange två olika register med --from och --to. Ingenting har ändrats.")
    if not is_server(target_location) and Path(target_location).exists():
        raise NamndtoolError(f"Filen {target_location} finns redan. Ange en ny fil att flytta registret till; "
                             "ingenting har ändrats.")
    new_file = not is_server(target_location)
    with Store.open(source_location, create=False) as source:
        try:
            with Store.open(target_location) as target:
                _refuse_unless_empty(target, target_location)
                moved = _copy(source, target)
                _verify(source, target, target_location)
        except BaseException:
            if new_file:
                _remove_file_store(Path(target_location))
            raise
    return moved


def _refuse_unless_empty(target: Store, location) -> None:
    counts = target.table_counts()
    if any(counts[t] for t in copying.copied_tables(target, target) if t != "register_identitet"):
        raise NamndtoolError(f"Registret {_name(location)} innehåller redan uppgifter, så inget flyttas dit. Ange "
                             "en ny, tom databas (eller en ny fil). Ingenting har ändrats.")


def _copy(source: Store, target: Store) -> Moved:
    tables = copying.copied_tables(source, target)
    rows = 0
    with source.reading():
        shas = list(source.stored_file_sizes())
        marks = copying.id_high_water(source)
        with target.write(), copying.rules_set_aside(target):
            for sha in shas:   # before the rows that name them (server: in this transaction; file: the folder)
                target.keep_file_bytes(source.file_path(sha))
            copying.clear(target, tables)
            for table in tables:
                cols = copying.columns(source, table)
                if set(cols) != set(copying.columns(target, table)):
                    raise NamndtoolError(f"Tabellen {table} har inte samma kolumner i de två registren; de är av "
                                         "olika versioner av Nämndtool. Uppdatera först. Ingenting har ändrats.")
                found = list(copying.read_rows(source, table, cols))
                copying.write_rows(target, table, cols, found)
                rows += len(found)
            copying.set_id_high_water(target, marks, tables)
            copying.rebuild_search(target)
            if copying.broken_references(target):
                raise NamndtoolError("Registret som flyttades har rader som pekar på uppgifter som saknas. Kör "
                                     "'namndtool check --full' på det gamla registret först. Ingenting har ändrats.")
    return Moved(len(tables), rows, len(shas))


def _verify(source: Store, target: Store, location) -> None:
    tables = copying.copied_tables(source, target)
    theirs, ours = source.table_counts(), target.table_counts()
    differing = [t for t in tables if theirs[t] != ours[t]]
    source_files, target_files = source.stored_file_sizes(), target.stored_file_sizes()
    missing, damaged = target.file_problems(full=True)
    if differing or source_files != target_files or missing or damaged:
        raise NamndtoolError(
            f"Kontrollen efter flytten till {_name(location)} hittade skillnader (tabeller: {', '.join(differing) or '–'}; "
            f"filer som saknas eller skiljer: {missing + damaged}), så flytten räknas inte som gjord. Använd inte "
            "det nya registret; ta bort det och försök igen.")


def _remove_file_store(path: Path) -> None:
    """A new SQLite target that failed: the file, its write-ahead log and its file folder go."""
    import shutil

    from nämndtool.store.sidecars import files_folder

    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(files_folder(path), ignore_errors=True)
