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
    new ids (empty: nothing to create). The decision starts from the förslag till beslut, or for a standard item
    (Upprop, Val av justerare …) from the nämnd's standard text. Rules (store): not justerat; a later meeting with
    §§ this year refuses."""
    with store.write():
        meeting = store.meeting(meeting_id)
        texts = standard_texts(store, meeting["namnd_id"])
        protokoll = store.protokoll(meeting_id)
        justerare = protokoll["justerare"] if protokoll else []

        def standard(rubrik: str) -> str | None:
            text = standard_text_for(texts, rubrik)
            return fill_standard_text(text, meeting["organ"], justerare) if text else None

        return store.create_paragraphs(meeting_id, standard)


# --- standard decision texts ------------------------------------------------------------------------------------

ORGAN_PLACEHOLDER = "{organ}"
JUSTERARE_PLACEHOLDER = "{justerare}"
NOT_CHOSEN = "…"
"""Stands for the justerare in a decision text until they are chosen."""

DEFAULT_STANDARD_TEXTS = (
    ("Upprop", "Upprop förrättas och närvaron antecknas enligt förteckningen på protokollets första sida."),
    ("Val av justerare", "{organ} utser {justerare} att jämte ordföranden justera dagens protokoll."),
    ("Fastställande av dagordning", "{organ} fastställer dagordningen."),
    ("Godkännande av dagordning", "{organ} godkänner dagordningen."),
    ("Verksamhetsinformation", "{organ} tackar för informationen."),
    ("Anmälan av delegationsbeslut", "{organ} lägger redovisningen av delegationsbeslut till handlingarna."),
    ("Meddelanden", "{organ} lägger meddelandena till handlingarna."),
)
"""The program's texts for the standard items, used until a nämnd saves its own. {organ} becomes the organ's name
(Socialnämnden, Socialnämndens individutskott), {justerare} the justerare chosen at the meeting."""

VAL_AV_JUSTERARE = "Val av justerare"


def standard_texts(store: Store, namnd_id: int) -> list[dict]:
    """The nämnd's standard decision texts (``punkt``, ``text``): its own when saved, else the program's."""
    own = store.standard_texts(namnd_id)
    return own if own is not None else [{"punkt": p, "text": t} for p, t in DEFAULT_STANDARD_TEXTS]


def _item_key(rubrik: str) -> str:
    return " ".join((rubrik or "").split()).casefold()


def standard_text_for(texts: list[dict], rubrik: str) -> str | None:
    """The text for an agenda item with this title: the standard item whose name the title is or starts with
    ("Anmälan av delegationsbeslut SOCN 2018-03-21"), the longest name first; None when there is none or it is
    empty."""
    key = _item_key(rubrik)
    for t in sorted(texts, key=lambda t: -len(t["punkt"])):
        punkt = _item_key(t["punkt"])
        if key == punkt or key.startswith(punkt + " "):
            return t["text"].strip() or None
    return None


def is_val_av_justerare(rubrik: str) -> bool:
    """Whether the item is the one where the meeting chooses its justerare."""
    key, name = _item_key(rubrik), _item_key(VAL_AV_JUSTERARE)
    return key == name or key.startswith(name + " ")


def fill_standard_text(text: str, organ: str, justerare: list[str]) -> str:
    """A standard text as the § reads it: {organ} and {justerare} filled in ("…" while none is chosen)."""
    names = join_names(justerare) if justerare else NOT_CHOSEN
    return text.replace(ORGAN_PLACEHOLDER, organ).replace(JUSTERARE_PLACEHOLDER, names)


def join_names(names: list[str]) -> str:
    """ "Anna Ek (S)", "Anna Ek (S) och Per Holm (M)", "A, B och C"."""
    names = [n for n in names if n]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}" if names else ""


def standard_text_problems(texts: list[dict]) -> list[str]:
    """What must be fixed before the standard texts can be saved; empty when they can."""
    found, seen = [], {}
    for nr, t in enumerate(texts, 1):
        punkt = " ".join((t.get("punkt") or "").split())
        if not punkt:
            found.append(f"Rad {nr}: skriv punktens namn, till exempel Upprop.")
        elif _item_key(punkt) in seen:
            found.append(f"{seen[_item_key(punkt)]} står två gånger.")
        seen.setdefault(_item_key(punkt), punkt)
    return found


def save_standard_texts(store: Store, namnd_id: int, texts: list[dict]) -> list[dict]:
    """Replace the nämnd's standard decision texts (``punkt``, ``text``; an empty text: none for that item) and
    return them as stored. New §§ start from them; §§ already made keep their text. Rules:
    :func:`standard_text_problems`."""
    found = standard_text_problems(texts)
    if found:
        raise NamndtoolError("Standardtexterna kan inte sparas ännu:\n" + "\n".join(f"• {p}" for p in found))
    if store.namnd(namnd_id) is None:
        raise NotFoundError(f"Nämnden med id {namnd_id} finns inte.")
    with store.write():
        store.save_standard_texts(namnd_id, [{"punkt": " ".join(t["punkt"].split()), "text": (t.get("text") or "").strip()}
                                             for t in texts])
        return standard_texts(store, namnd_id)


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
    justerare = values.get("justerare") or []
    if len(justerare) != len(set(justerare)):
        found.append("Samma justerare står två gånger.")
    return found


PARAGRAPH_PARTS = ("beslut", "yrkanden", "roster", "reservationer", "protokollsanteckningar", "jav", "mottagare")


def save_paragraf(store: Store, paragraf_id: int, values: dict) -> dict:
    """Write one § and return it as stored. ``values`` holds ``fields`` (the § row) and the lists
    :data:`PARAGRAPH_PARTS`; for the § where the meeting chose its justerare (Val av justerare) also
    ``justerare``, which become the protokoll's justerare in the same transaction. Rules: :func:`paragraph_problems`;
    (store) not justerat, secrecy kept as decided."""
    problems = paragraph_problems(values)
    if problems:
        raise NamndtoolError("\n".join(problems))
    with store.write():
        store.save_paragraf(paragraf_id, values["fields"], **{k: values[k] for k in PARAGRAPH_PARTS if k in values})
        if values.get("justerare") is not None:
            store.save_justerare(store.paragraf_meeting(paragraf_id), values["justerare"])
        return store.paragraf(paragraf_id)


NARVARO_DEFAULTS = {"namn": "", "roll": "ledamot", "forhinder": 0, "tjanstgor": 0, "ersatter": None,
                    "fran_paragraf": None, "till_paragraf": None}


SEATED = ("ordforande", "vice_ordforande", "ledamot")
"""The roles of the ledamöter in the attendance (an ersättare can serve for one of them)."""


@dataclass(frozen=True)
class RosterAttendance:
    rows: list[dict]                 # the attendance rows, the chair first, roster order after
    warning: str | None = None       # said when the roster of the meeting day was not there


def attendance_from_roster(store: Store, meeting_id: int) -> RosterAttendance:
    """The organ's ordförande, vice ordförande, ledamöter and ersättare on the meeting day as attendance rows (the
    ledamöter serving, the ersättare not), each with their role. When no seat is registered for that day (a
    meeting held after the mandate period in the roster ended, before the new one is entered) the latest period
    that ended before it is used, with a warning saying so. Rows empty: no roster at all."""
    meeting = store.meeting(meeting_id)
    roster = store.roster(meeting["organ_id"], meeting["datum"])
    warning = None
    if not roster:
        roster = store.last_term_roster(meeting["organ_id"], meeting["datum"])
        if roster:
            warning = (f"Ledamotslistan för {meeting['organ']} har inga uppdrag som gäller {meeting['datum']}: "
                       f"mandatperioden i listan slutade {roster[0]['till']}. Närvaron är hämtad från den perioden. "
                       "Kontrollera att det är rätt personer och roller, och lägg in den nya mandatperioden under "
                       "Personer och mottagare.")
    chair_id = meeting.get("ordforande_id") or next(
        (p["id"] for p in roster if p["uppdrag_roll"] == "ordforande"), None)
    rows = []
    for person in roster:
        seat = person["uppdrag_roll"]
        roll = "ordforande" if person["id"] == chair_id and seat != "ersattare" else (
            "ledamot" if seat == "ordforande" else seat)
        rows.append({**NARVARO_DEFAULTS, "person_id": person["id"], "namn": person["namn"], "roll": roll,
                     "parti": person.get("parti"), "titel": None, "tjanstgor": int(roll != "ersattare")})
    rows.sort(key=lambda r: 0 if r["roll"] == "ordforande" else 1)   # the chair first, roster order after
    return RosterAttendance(rows, warning)


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
    absent_or_leaving = {r["namn"] for r in rows if r["roll"] in SEATED
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
    "klar för justering". The decision of § Val av justerare follows changed justerare while it still reads as the
    standard text made it. Rule (store): not justerat."""
    with store.write():
        before = (store.protokoll(meeting_id) or {}).get("justerare", [])
        store.save_protokoll_header(meeting_id, sekreterare=sekreterare, justering_plats=justering_plats,
                                    justering_datum=justering_datum, forvaringsplats=forvaringsplats,
                                    justerare=justerare)
        if list(justerare) != before:
            _val_av_justerare_follows(store, meeting_id, before, list(justerare))


def _val_av_justerare_follows(store: Store, meeting_id: int, before: list[str], after: list[str]) -> None:
    meeting = store.meeting(meeting_id)
    texts = standard_texts(store, meeting["namnd_id"])
    for p in store.protokoll(meeting_id)["paragrafer"]:
        if is_val_av_justerare(p["rubrik"]):
            beslut = justerare_decision(p["beslut"], standard_text_for(texts, p["rubrik"]), meeting["organ"], before,
                                        after)
            if beslut is not None:
                store.save_paragraf(p["id"], {}, beslut=beslut)


def justerare_decision(beslut: list[str], template: str | None, organ: str, before: list[str],
                       after: list[str]) -> list[str] | None:
    """The decision of Val av justerare with ``after`` as the justerare, when its first point still reads as the
    standard text ``template`` made it with ``before``; None when there is nothing to follow (another text, no
    {justerare} in the template, no decision)."""
    if not (template and JUSTERARE_PLACEHOLDER in template and beslut):
        return None
    if beslut[0].strip() != fill_standard_text(template, organ, before):
        return None
    return [fill_standard_text(template, organ, after), *beslut[1:]]


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
