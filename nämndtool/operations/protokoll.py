"""Protokoll operations: §§, attendance, header, klar för justering, justering, anslag, date corrections, utdrag.

The date rules of justering and anslag (KL 5 kap. 67–69 §§ as nämndtool.justering words them) are checked by the
store inside the same transaction; what callers showed afterwards (deadlines, warnings) comes back in the result.
"""

import datetime as dt
from dataclasses import dataclass, field

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.justering import Deadlines, deadline_warnings, deadlines
from nämndtool.store import Store
from nämndtool.store.connection import current_user

DATE_COLUMNS = ("justerad", "anslag_datum", "omedelbar_anslag")


def create_paragraphs(store: Store, meeting_id: int) -> list[int]:
    """A § for every agenda item without one, numbered on from the organ's earlier meetings this year; returns the
    new ids (empty: nothing to create). Rules (store): not justerat; a later meeting with §§ this year refuses."""
    return store.create_paragraphs(meeting_id)


def paragraph_problems(values: dict) -> list[str]:
    """What must be fixed before a § can be saved (the rest of the KL check is shown, not enforced).
    ``values`` as :func:`save_paragraf` takes it."""
    found = []
    if not values["fields"].get("rubrik"):
        found.append("Rubriken saknas.")
    for nr, y in enumerate(values.get("yrkanden", []), 1):
        if not y["av"]:
            found.append(f"Yrkande {nr}: ange vem som yrkar.")
        if not y["text"]:
            found.append(f"Yrkande {nr}: skriv vad som yrkas.")
    for nr, r in enumerate(values.get("reservationer", []), 1):
        if not r["av"]:
            found.append(f"Reservation {nr}: ange vem som reserverar sig.")
    for nr, r in enumerate(values.get("protokollsanteckningar", []), 1):
        if not r["av"]:
            found.append(f"Protokollsanteckning {nr}: ange vems anteckningen är.")
        if not r["text"]:
            found.append(f"Protokollsanteckning {nr}: skriv anteckningens text.")
    names = [r["namn"] for r in values.get("roster", [])]
    if len(names) != len(set(names)):
        found.append("Samma person har fått två röster.")
    return found


PARAGRAPH_PARTS = ("beslut", "yrkanden", "roster", "reservationer", "protokollsanteckningar", "jav", "mottagare")


def save_paragraf(store: Store, paragraf_id: int, values: dict) -> dict:
    """Write one § and return it as stored. ``values`` holds ``fields`` (the § row) and the lists
    :data:`PARAGRAPH_PARTS`. Rules: :func:`paragraph_problems`; (store) not justerat, secrecy kept as decided."""
    problems = paragraph_problems(values)
    if problems:
        raise NamndtoolError("\n".join(problems))
    with store.write():
        store.save_paragraf(paragraf_id, values["fields"], **{k: values[k] for k in PARAGRAPH_PARTS if k in values})
        return store.paragraf(paragraf_id)


NARVARO_DEFAULTS = {"namn": "", "roll": "ledamot", "forhinder": 0, "tjanstgor": 0, "ersatter": None,
                    "fran_paragraf": None, "till_paragraf": None}


def save_narvaro(store: Store, meeting_id: int, rows: list[dict]) -> None:
    """Replace the attendance list (and with it clear "klar för justering"). Rules: :func:`narvaro_problems`;
    (store) not justerat."""
    found = narvaro_problems(rows)
    if found:
        raise NamndtoolError("Närvaron kan inte sparas ännu:\n" + "\n".join(f"• {p}" for p in found))
    store.save_narvaro(meeting_id, rows)


def narvaro_problems(rows: list[dict]) -> list[str]:
    """What is wrong in an attendance list, in Swedish; empty when it can be saved."""
    rows = [{**NARVARO_DEFAULTS, **r} for r in rows]
    found = []
    absent_or_leaving = {r["namn"] for r in rows if r["roll"] in ("ordforande", "ledamot")
                         and (r["forhinder"] or r["till_paragraf"])}
    seen: dict[str, int] = {}
    for nr, r in enumerate(rows, 1):
        who = r["namn"] or f"Rad {nr}"
        if not r["namn"]:
            found.append(f"Rad {nr}: namnet saknas.")
        elif r["namn"] in seen:
            found.append(f"{who} står två gånger i listan (rad {seen[r['namn']]} och {nr}).")
        seen.setdefault(r["namn"], nr)
        if r["forhinder"] and r["tjanstgor"]:
            found.append(f"{who} kan inte både ha förhinder och tjänstgöra.")
        if r["roll"] == "tjansteperson" and (r["tjanstgor"] or r["ersatter"]):
            found.append(f"{who} är tjänsteperson och kan inte tjänstgöra i nämnden.")
        if r["ersatter"]:
            if r["roll"] != "ersattare" or not r["tjanstgor"]:
                found.append(f"{who} ersätter {r['ersatter']} och måste då vara ersättare som tjänstgör.")
            elif r["ersatter"] not in absent_or_leaving:
                found.append(f"{who} ersätter {r['ersatter']}, men {r['ersatter']} står inte som ledamot med "
                             "förhinder eller som ledamot som lämnar sammanträdet.")
        if r["fran_paragraf"] and r["till_paragraf"] and r["fran_paragraf"] > r["till_paragraf"]:
            found.append(f"{who}: Från § {r['fran_paragraf']} ligger efter Till § {r['till_paragraf']}.")
        if r["forhinder"] and (r["fran_paragraf"] or r["till_paragraf"]):
            found.append(f"{who} har förhinder och var inte med; ta bort Från § och Till §.")
    found += _double_replacements(rows)
    return found


def _double_replacements(rows: list[dict]) -> list[str]:
    found = []
    by_replaced: dict[str, list[dict]] = {}
    for r in rows:
        if r["ersatter"]:
            by_replaced.setdefault(r["ersatter"], []).append(r)
    for replaced, substitutes in by_replaced.items():
        for i, a in enumerate(substitutes):
            for b in substitutes[i + 1:]:
                a_from, a_to = a["fran_paragraf"] or 0, a["till_paragraf"] or 10**6
                b_from, b_to = b["fran_paragraf"] or 0, b["till_paragraf"] or 10**6
                if a_from <= b_to and b_from <= a_to:
                    found.append(f"{replaced} ersätts av både {a['namn']} och {b['namn']} vid samma paragrafer.")
    return found


def save_protokoll_header(store: Store, meeting_id: int, *, sekreterare: str | None, justering_plats: str | None,
                          justering_datum: str | None, forvaringsplats: str | None, justerare: list[str]) -> None:
    """Write the protokoll's header (secretary, justerare, place and date of justering, where it is kept); clears
    "klar för justering". Rule (store): not justerat."""
    store.save_protokoll_header(meeting_id, sekreterare=sekreterare, justering_plats=justering_plats,
                                justering_datum=justering_datum, forvaringsplats=forvaringsplats, justerare=justerare)


def mark_klar_for_justering(store: Store, meeting_id: int) -> None:
    """Mark the protokoll klar för justering. Rule: everything KL 5 kap. 67 § needs is there (the refusal lists
    what is missing); not justerat."""
    from nämndtool.documents.protokoll import mark_klar_for_justering as mark

    with store.write():
        mark(store, meeting_id)


@dataclass(frozen=True)
class Justerad:
    sha256: str                      # of the justerat PDF kept in the store
    warnings: list[str] = field(default_factory=list)   # deadlines at risk (KL), to show


def justera(store: Store, meeting_id: int, datum: dt.date, branding=None, *, today: dt.date | None = None) -> Justerad:
    """Record the justering: the protokoll is rendered to PDF, stored with its SHA-256, the meeting locked and what
    it decided frozen, all in one transaction. Rules: not already justerat; the date between the meeting and today;
    klar för justering (marked here when everything is there)."""
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import justera as record

    sha = record(store, meeting_id, datum, branding or load_branding(), today)
    held = dt.date.fromisoformat(store.meeting(meeting_id)["datum"])
    return Justerad(sha, deadline_warnings(held, datum, None, datum))


@dataclass(frozen=True)
class Anslag:
    deadlines: Deadlines
    warnings: list[str] = field(default_factory=list)


def record_anslag(store: Store, meeting_id: int, datum: dt.date, *, omedelbara: bool = False,
                  today: dt.date | None = None) -> Anslag:
    """Record the day the anslag went up, for the justerat protokoll or (``omedelbara``) for the omedelbart
    justerade §§; returns the deadlines it starts and warnings. Rules (store): justerat (or §§ justerade at the
    meeting), no anslag before the justering or in the future, none recorded already."""
    store.record_anslag(meeting_id, datum.isoformat(), omedelbara=omedelbara, today=today)
    held = dt.date.fromisoformat(store.meeting(meeting_id)["datum"])
    justerad = held if omedelbara else dt.date.fromisoformat(store.protokoll(meeting_id)["justerad"])
    return Anslag(deadlines(held, justerad, datum), deadline_warnings(held, justerad, datum, datum))


def date_column(*, justering: bool, omedelbara: bool = False) -> str:
    """Which stored date a correction is about: the justering, the anslag, or the omedelbara §§' anslag."""
    if justering and omedelbara:
        raise NamndtoolError("De omedelbart justerade paragraferna justerades vid sammanträdet; det som kan rättas "
                             "för dem är anslagets datum.")
    return "justerad" if justering else ("omedelbar_anslag" if omedelbara else "anslag_datum")


def correct_date(store: Store, meeting_id: int, column: str, datum: dt.date, reason: str, *,
                 by: str | None = None, today: dt.date | None = None) -> str:
    """Correct a wrongly entered justering or anslag date (``column`` one of :data:`DATE_COLUMNS`, see
    :func:`date_column`); returns the date it replaced. Rules (store): until the anslag period has started; a
    reason of at least five characters; recorded with who and when in the same transaction."""
    if column not in DATE_COLUMNS:
        raise ValueError(f"unknown date column {column!r}")
    return store.correct_protokoll_date(meeting_id, column, datum, reason=reason, by=by or current_user(),
                                        today=today)


# --- utdrag sent to the recipients of decisions -----------------------------------------------------------------


def _dispatch_row(store: Store, meeting_id: int, paragraf_id: int, mottagare_id: int) -> dict:
    row = next((r for r in store.dispatch_list(meeting_id)
                if r["paragraf_id"] == paragraf_id and r["mottagare_id"] == mottagare_id), None)
    if row is None:
        raise NotFoundError("Mottagaren finns inte bland paragrafens mottagare.")
    return row


def channel_problem(row: dict, kanal: str) -> str | None:
    """Why an utdrag cannot go to this recipient by ``kanal`` (a row of ``store.dispatch_list``), or None."""
    if row["sekretess"] and kanal == "e-post":
        return (f"§ {row['paragraf']} är sekretess: beslutet skickas inte med e-post. Välj post, internpost "
                "eller bud.")
    if kanal == "e-post" and not row["epost"]:
        return f"{row['namn']} har ingen e-postadress i adressboken. Välj en annan kanal."
    if kanal == "post" and not row["adress"]:
        return f"{row['namn']} har ingen postadress i adressboken. Välj en annan kanal."
    return None


def set_dispatch_channel(store: Store, meeting_id: int, paragraf_id: int, mottagare_id: int, kanal: str) -> None:
    """Choose how the utdrag goes to one recipient of a §. Rule: :func:`channel_problem`."""
    with store.write():
        row = _dispatch_row(store, meeting_id, paragraf_id, mottagare_id)
        problem = channel_problem(row, kanal)
        if problem:
            raise NamndtoolError(problem)
        store.record_dispatch(paragraf_id, mottagare_id, kanal, row["skickat"], row["skickat_av"])


def mark_utdrag_sent(store: Store, meeting_id: int, paragraf_id: int, mottagare_id: int, kanal: str, *,
                     on: dt.date | None = None, by: str | None = None) -> None:
    """Record the utdrag as sent today (by the OS user) and register it as an outgoing handling of the §'s ärende.
    Rules: not sent already; the protokoll justerat or the § justerad at the meeting; a secret § only to a
    confirmed address; :func:`channel_problem`."""
    with store.write():
        row = _dispatch_row(store, meeting_id, paragraf_id, mottagare_id)
        if row["skickat"]:
            raise NamndtoolError(f"Utdraget till {row['namn']} är redan markerat som skickat {row['skickat']}.")
        protokoll = store.protokoll(meeting_id) or {}
        justerad = protokoll.get("justerad") or any(
            p["id"] == paragraf_id and p["omedelbart_justerad"] for p in protokoll.get("paragrafer", []))
        if not justerad:
            raise NamndtoolError(f"Protokollet är inte justerat ännu. Beslutet i § {row['paragraf']} får skickas "
                                 "först när protokollet är justerat (eller när paragrafen justerats omedelbart).")
        if row["sekretess"] and not row["adress_bekraftad"]:
            raise NamndtoolError(f"§ {row['paragraf']} är sekretess och adressen till {row['namn']} är inte "
                                 "bekräftad. Inget utdrag kan ha skickats dit.")
        problem = channel_problem(row, kanal)
        if problem:
            raise NamndtoolError(problem)
        store.mark_utdrag_sent(paragraf_id, mottagare_id, kanal, (on or dt.date.today()).isoformat(),
                               by or current_user())
