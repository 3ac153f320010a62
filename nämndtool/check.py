"""Checking a store and its files: what `namndtool check` and the app's start-up report, and the safe repairs of
`namndtool check --repair`."""

from pathlib import Path

from nämndtool import backup
from nämndtool.dates import EARLIEST, latest
from nämndtool.store import Store
from nämndtool.store.connection import mark_damaged
from nämndtool.text import nfc

# Every stored date, with what a reader calls it. A date outside dates.py's range came in before the range was
# enforced (or past the program) and is almost certainly a typing error.
DATE_COLUMNS = {
    ("arende", "registrerad"): "registreringsdatum för ärenden",
    ("arende", "avslutad"): "avslutsdatum för ärenden",
    ("arende", "svar_senast"): "svarsdatum för ärenden",
    ("handling", "datum"): "datum för handlingar",
    ("tjansteskrivelse", "datum"): "datum för tjänsteskrivelser",
    ("tjansteskrivelse", "ert_datum"): "”Ert datum” i tjänsteskrivelser",
    ("sammantrade", "datum"): "sammanträdesdatum",
    ("protokoll", "justering_datum"): "planerade justeringsdatum",
    ("protokoll", "justerad"): "justeringsdatum",
    ("protokoll", "anslag_datum"): "anslagsdatum",
    ("protokoll", "omedelbar_anslag"): "anslagsdatum för omedelbart justerade paragrafer",
    ("utskick", "skickat"): "datum för skickade protokollsutdrag",
    ("delegationsbeslut", "datum"): "datum för delegationsbeslut",
    ("uppdrag", "fran"): "startdatum för uppdrag",
    ("uppdrag", "till"): "slutdatum för uppdrag",
}


def check_store(store: Store, *, full: bool = False) -> list[str]:
    """Problems with the store and its files, in Swedish; empty when all is well. ``full`` also re-hashes every
    file (slow on a large store) and looks for what the quick check does not: the diary series against the
    ärenden, left-over temporary files and partial backups, absurd dates and files the program did not store.
    A database that fails the integrity check is marked damaged (writes refused, see StoreBase.damaged); a full
    check that finds nothing clears the mark."""
    problems = _database_problems(store, full) + _file_problems(store, full)
    if full:
        problems += (series_problems(store) + leftover_problems(store) + absurd_dates(store)
                     + unregistered_files(store))
        if not problems:
            store.clear_damaged()
    return problems


def repair_store(store: Store) -> list[str]:
    """Mend what can be mended without losing anything, and say what was done, in Swedish.

    Only the diary series: a missing series row is recreated and a counter below the highest number in use is
    raised, so the next `case new` continues above every existing number. Nothing is ever deleted or lowered.
    """
    done = []
    with store.write():
        for gap in store.series_gaps():
            store.raise_series(gap["namnd_id"], gap["ar"], gap["hogsta"])
            if gap["senaste"] is None:
                done.append(f"Diarieserien {gap['kod']}/{gap['ar']} saknades och är återskapad: nästa nummer blir "
                            f"{gap['kod']}/{gap['ar']}:{gap['hogsta'] + 1}.")
            else:
                done.append(f"Diarieserien {gap['kod']}/{gap['ar']} stod på {gap['senaste']} fast {gap['hogsta']} "
                            f"redan är använt; den är uppräknad så att nästa nummer blir "
                            f"{gap['kod']}/{gap['ar']}:{gap['hogsta'] + 1}.")
    return done


def _database_problems(store: Store, full: bool) -> list[str]:
    problems = []
    result = store.integrity_result(full)
    if result != "ok":
        problems.append(f"Databasen är skadad ({result}).")
        mark_damaged(store.path, f"integritetskontrollen: {' '.join(result.split())[:200]}")
    broken_links = store.broken_references()
    if broken_links:
        problems.append(f"{len(broken_links)} rader i databasen pekar på uppgifter som saknas.")
    return problems


def _file_problems(store: Store, full: bool) -> list[str]:
    problems = []
    missing, damaged = store.file_problems(full)
    if missing:
        problems.append(f"{missing} sparade filer saknas i {store.files_place()}.")
    if damaged:
        problems.append(f"{damaged} sparade filer är ändrade eller skadade.")
    return problems


def series_problems(store: Store) -> list[str]:
    problems = []
    for gap in store.series_gaps():
        if gap["senaste"] is None:
            what = f"Diarieserien {gap['kod']}/{gap['ar']} saknas, fast ärenden upp till nummer {gap['hogsta']} finns."
        else:
            what = (f"Diarieserien {gap['kod']}/{gap['ar']} står på {gap['senaste']}, men nummer {gap['hogsta']} "
                    "är redan använt.")
        problems.append(f"{what} Rätta det med 'namndtool check --repair'.")
    return problems


def leftovers(store: Store) -> list[Path]:
    """Temporary files and partial backups a killed process left behind."""
    return list(backup.leftovers(store.path))


def leftover_problems(store: Store) -> list[str]:
    found = leftovers(store)
    if not found:
        return []
    shown = ", ".join(str(p) for p in found[:3]) + (" med flera" if len(found) > 3 else "")
    return [f"{len(found)} tillfälliga filer eller avbrutna säkerhetskopior ligger kvar efter ett avbrutet program "
            f"({shown}). De tas bort nästa gång Nämndtool startar; de kan också tas bort för hand när inget "
            "annat Nämndtool-fönster är öppet."]


def absurd_dates(store: Store) -> list[str]:
    """Stored dates outside dates.py's range (ISO text compares as dates do)."""
    low, high = EARLIEST.isoformat(), latest().isoformat()
    problems = []
    for (table, column), what in DATE_COLUMNS.items():
        found = store.dates_outside(table, column, low, high)
        if found:
            examples = ", ".join(sorted(set(found))[:3])
            problems.append(f"{len(found)} {what} ligger utanför det rimliga spannet {low}–{high} ({examples}). "
                            "Kontrollera årtalen och rätta dem i programmet.")
    return problems


def unregistered_files(store: Store) -> list[str]:
    """Files in the file folder that no row of `fil` names: put there by hand, not stored through the program.
    (A server store has no such folder: its files are rows.)"""
    if store.dialect != "sqlite" or not store.files_dir.is_dir():
        return []
    known = {r["sha256"] for r in store.stored_files()}
    temporary = set(store.files_dir.glob(".ny-*.tmp"))   # reported by leftover_problems, when abandoned
    strangers = [p for p in sorted(store.files_dir.rglob("*"))
                 if p.is_file() and p not in temporary and not (p.name in known and p.parent.name == p.name[:2])]
    if not strangers:
        return []
    shown = ", ".join(str(p) for p in strangers[:3]) + (" med flera" if len(strangers) > 3 else "")
    return [f"{len(strangers)} filer i mappen {store.files_dir} har inte lagts in genom Nämndtool ({shown}). "
            "Flytta dem därifrån; lägg in handlingar med 'namndtool case add-handling' eller i programmet."]


def merge_report(store: Store) -> list[str]:
    """What migration 012 merged: names that differed only in Unicode form or case, in Swedish."""
    return [f"{_WHAT[r['tabell']]} ”{nfc(r['namn'])}” fanns två gånger och slogs ihop med ”{r['behallen_namn']}”."
            for r in store.normalisation_records(merged=True)]


def unmerged_duplicates(store: Store) -> list[str]:
    """Duplicates migration 012 could not merge safely (both in justerade protokoll, two meetings on one day) and
    that are both still there, for the user to know. Not a fault of the store: nothing is lost or wrong in it."""
    found = []
    for r in store.normalisation_records(merged=False):
        if store.both_rows_exist(r["tabell"], r["behallen_id"], r["dubblett_id"]):
            found.append(f"{_WHAT[r['tabell']]} ”{nfc(r['namn'])}” finns två gånger, med olika teckenkodning, och "
                         f"kunde inte slås ihop automatiskt: {r['skal']}. Båda finns kvar och inget har gått förlorat; "
                         "det du lägger in härefter med det namnet hamnar hos det äldsta av dem. Du behöver inte "
                         "göra något.")
    return found


_WHAT = {"organ": "Organet", "person": "Personen", "mottagare": "Mottagaren"}
