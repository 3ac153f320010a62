"""The kallelse of a meeting, public or internal.

Public version, as the seeds print it: a secret item is never shown by title, diary number or public title. It
keeps its number; a lone secret item reads "Sekretessärende" with "Sekretess" as Beteckning, and consecutive
secret items collapse into one line "5–18 Sekretessärenden" with an empty Beteckning.
"""

import re
from dataclasses import dataclass

from nämndtool.documents.model import Document
from nämndtool.documents.templates import render_template
from nämndtool.secrecy.facts import Scope
from nämndtool.secrecy.labels import INTERNAL_MARKING, SECRET_TITLE, SECRET_TITLES, secrecy_note
from nämndtool.store import Store



@dataclass
class Row:
    nr: str
    rubrik: str
    beteckning: str = ""
    beteckning_fet: bool = False
    anteckning: str | None = None


def agenda_rows(agenda: list[dict], public: bool) -> list[Row]:
    rows: list[Row] = []
    run: list[dict] = []

    def close_run() -> None:
        if len(run) == 1:
            rows.append(Row(str(run[0]["nr"]), SECRET_TITLE, "Sekretess", beteckning_fet=True))
        elif run:
            rows.append(Row(f"{run[0]['nr']}–{run[-1]['nr']}", SECRET_TITLES))
        run.clear()

    for item in agenda:
        if public and item["sekretess"]:
            if run and run[-1]["nr"] + 1 != item["nr"]:
                close_run()
            run.append(item)
            continue
        close_run()
        rows.append(_row(item))
    close_run()
    return rows


def _row(item: dict) -> Row:
    notes = [item["anteckning"]] if item["anteckning"] else []
    if item["sekretess"]:
        notes.insert(0, secrecy_note(item["sekretess_lagrum"]))
        return Row(str(item["nr"]), item["rubrik"], item["diarienummer"] or "Sekretess", beteckning_fet=True,
                   anteckning=" · ".join(notes))
    return Row(str(item["nr"]), item["rubrik"], item["diarienummer"] or "", anteckning=" · ".join(notes) or None)


def forhinder_line(namn: str | None, epost: str | None, telefon: str | None) -> str | None:
    """ "Förhinder anmäls till <namn>, <e-post> eller <telefon>." with whatever parts exist."""
    ways = [w for w in (epost, telefon) if w]
    if not namn and not ways:
        return None
    how = " eller ".join(ways)
    whom = ", ".join(p for p in (namn, how) if p)
    return f"Förhinder anmäls till {whom}."


_SEAT_SUFFIX = re.compile(r"\s*,\s*(?:vice\s+)?(?:ordförande|ledamot|ersättare)\s*$", re.IGNORECASE)


def chair_name(namn: str | None, parti: str | None) -> str | None:
    """The chair as the signature names them, once: "Martin Edgélius (M)". A name stored as the roster list showed
    it ("Martin Edgélius (M), ordförande", typed or chosen before the fix in the meeting dialog) loses the seat,
    since the title under the signature says Ordförande, and the party is not written twice."""
    if not namn:
        return None
    namn = _SEAT_SUFFIX.sub("", namn.strip())
    if parti and not namn.endswith(f"({parti})"):
        namn = f"{namn} ({parti})"
    return namn


def when(datum: str, tid: str | None) -> str:
    return f"{datum} kl. {tid}" if tid else datum


def kallelse_document(store: Store, meeting_id: int, public: bool) -> Document:
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    agenda = store.agenda(meeting_id)
    chair = chair_name(meeting["ordforande"], meeting["ordforande_parti"])
    has_secret = any(item["sekretess"] for item in agenda)
    return render_template(
        "kallelse.xml",
        public=public,
        marking=None if public or not has_secret else INTERNAL_MARKING,
        namnd=namnd["namn"], kommun=namnd["kommun"], organ=meeting["organ"], datum=meeting["datum"],
        tid=when(meeting["datum"], meeting["tid"]), plats=meeting["plats"],
        rader=agenda_rows(agenda, public), ordforande=chair,
        forhinder=forhinder_line(meeting["forhinder_namn"], meeting["forhinder_epost"], meeting["forhinder_telefon"]),
    ).about(Scope(store, meeting_id=meeting_id))
