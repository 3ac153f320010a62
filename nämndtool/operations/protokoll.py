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
from nämndtool.text import identity_key

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

        store.advance_meeting_status(meeting_id, "genomfort")   # §§ are written after the meeting: it is held
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
    with store.write():
        store.save_narvaro(meeting_id, rows)
        if rows:   # attendance is taken at the meeting: it has been held
            store.advance_meeting_status(meeting_id, "genomfort")


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
    it decided frozen, and the akt copies filed (the protokollsutdrag of each § with an ärende and the
    tjänsteskrivelse as decided, rendered and recorded by ``archive.file_akt_copies``), all in one transaction: a
    copy that cannot be rendered or stored leaves the protokoll as it was, not justerat, and the files written for
    it are removed. Rules: not already justerat; the date between the meeting and today; klar för justering
    (marked here when everything is there)."""
    from nämndtool.archive import file_akt_copies
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import justera as record

    branding = branding or load_branding()
    written: list[str] = []
    try:
        with store.write():
            sha = record(store, meeting_id, datum, branding, today)
            written.append(sha)
            file_akt_copies(store, meeting_id, branding, written)
    except BaseException:
        store.forget_unregistered_files(written)
        raise
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


# --- one entry of a § or of the attendance at a time -------------------------------------------------------------
# The command line changes one yrkande, vote, reservation, decision or attendance row per command. Each operation
# reads the § (or the attendance) and writes it back inside one BEGIN IMMEDIATE transaction, so what another person
# or program saved in between is read first and kept, never overwritten by a list read earlier.


@dataclass(frozen=True)
class EntryChange:
    paragraf: dict                   # the § as stored afterwards
    nr: int | None = None            # the number of the entry added or removed
    removed: dict | None = None      # the entry removed


def _refuse_justerat_paragraf(store: Store, p: dict) -> None:
    meeting = store.meeting(store.paragraf_meeting(p["id"]))
    if store.is_justerat(meeting["id"]):
        raise NamndtoolError(
            f"Protokollet för {meeting['organ']} {meeting['datum']} är justerat, så § {p['nr']} kan inte ändras. "
            "Ett fel i ett justerat protokoll rättas genom ett nytt beslut på ett kommande sammanträde.")


def edit_paragraf(store: Store, paragraf_id: int, change) -> dict:
    """Apply ``change`` to the § as stored now and save the result, in one transaction; returns the § as stored.
    ``change(paragraf)`` returns what :func:`save_paragraf` takes (``fields`` may be left out: the rubrik stays).
    Rules: not justerat (refused before ``change`` runs); :func:`save_paragraf`'s."""
    with store.write():
        p = store.paragraf(paragraf_id)
        _refuse_justerat_paragraf(store, p)
        values = dict(change(p))
        values["fields"] = {"rubrik": p["rubrik"], **values.get("fields", {})}
        return save_paragraf(store, paragraf_id, values)


def _entry(rows: list, nr: int, p: dict, none: str, nouns: tuple[str, str]):
    """Row ``nr`` (from 1) of a § list; refused in Swedish when there is none ("§ 3 har inget yrkande 4; den har
    2 yrkanden.")."""
    if not 1 <= nr <= len(rows):
        count = f"inga {nouns[1]}" if not rows else f"{len(rows)} {nouns[len(rows) != 1]}"
        raise NamndtoolError(f"§ {p['nr']} har {none} {nr}; den har {count}.")
    return rows[nr - 1]


KEEP = object()
"""Leave a field as it is stored (the default of the optional fields below)."""


def add_yrkande(store: Store, paragraf_id: int, av: str | None, text: str | None, *,
                propositionsordning=KEEP) -> EntryChange:
    """Add a yrkande at the end of the §'s yrkanden (and, when given, set the propositionsordning). Rules: who and
    what; not justerat."""
    av, text = (av or "").strip(), (text or "").strip()
    if not av:
        raise NamndtoolError("Ange vem som yrkar.")
    if not text:
        raise NamndtoolError("Skriv vad som yrkas.")
    fields = {} if propositionsordning is KEEP else {"propositionsordning": propositionsordning}
    saved = edit_paragraf(store, paragraf_id, lambda p: {
        "fields": fields, "yrkanden": [*_yrkanden(p), {"av": av, "text": text}]})
    return EntryChange(saved, nr=len(saved["yrkanden"]))


def remove_yrkande(store: Store, paragraf_id: int, nr: int, *, propositionsordning=KEEP) -> EntryChange:
    """Remove yrkande ``nr``; the later ones move up (and, when given, set the propositionsordning). Rules: the
    yrkande exists; not justerat."""
    removed = {}
    fields = {} if propositionsordning is KEEP else {"propositionsordning": propositionsordning}

    def change(p):
        removed.update(_entry(p["yrkanden"], nr, p, "inget yrkande", ("yrkande", "yrkanden")))
        return {"fields": fields, "yrkanden": [y for i, y in enumerate(_yrkanden(p), 1) if i != nr]}

    return EntryChange(edit_paragraf(store, paragraf_id, change), nr=nr, removed=removed)


def set_propositionsordning(store: Store, paragraf_id: int, text: str | None) -> EntryChange:
    """The order in which the ordförande put the yrkanden (None or blank: none). Rule: not justerat."""
    text = (text or "").strip() or None
    return EntryChange(edit_paragraf(store, paragraf_id, lambda p: {"fields": {"propositionsordning": text}}))


def _yrkanden(p: dict) -> list[dict]:
    return [{"av": y["av"], "text": y["text"]} for y in p["yrkanden"]]


def _reservationer(p: dict) -> list[dict]:
    return [{"av": list(r["av"]), "text": r["text"]} for r in p["reservationer"]]


def add_reservation(store: Store, paragraf_id: int, names: list[str], text: str | None = None) -> EntryChange:
    """Add a reservation by ``names`` (one or several), with its motive when given. Rules: a name; not justerat."""
    names = [name.strip() for name in names if name and name.strip()]
    if not names:
        raise NamndtoolError("Ange vem som reserverar sig.")
    text = (text or "").strip() or None
    saved = edit_paragraf(store, paragraf_id, lambda p: {
        "reservationer": [*_reservationer(p), {"av": names, "text": text}]})
    return EntryChange(saved, nr=len(saved["reservationer"]))


def remove_reservation(store: Store, paragraf_id: int, nr: int) -> EntryChange:
    """Remove reservation ``nr``; the later ones move up. Rules: the reservation exists; not justerat."""
    removed = {}

    def change(p):
        removed.update(_entry(p["reservationer"], nr, p, "ingen reservation", ("reservation", "reservationer")))
        return {"reservationer": [r for i, r in enumerate(_reservationer(p), 1) if i != nr]}

    return EntryChange(edit_paragraf(store, paragraf_id, change), nr=nr, removed=removed)


VOTE_FIELDS = ("votering_ja", "votering_nej", "votering_avstar", "votering_resultat", "proposition_ja",
               "proposition_nej")


def record_vote(store: Store, paragraf_id: int, fields: dict, roster: list[dict] | None = None) -> EntryChange:
    """Set the given vote fields (:data:`VOTE_FIELDS`; the others stay) and, when given, the roll call (rows of
    ``namn`` and ``rost``). Rules: counts not negative; one vote per person; not justerat."""
    unknown = set(fields) - set(VOTE_FIELDS)
    if unknown:
        raise ValueError(f"unknown vote fields: {sorted(unknown)}")
    if any(isinstance(fields.get(k), int) and fields[k] < 0 for k in VOTE_FIELDS[:3]):
        raise NamndtoolError("Antalet röster kan inte vara negativt.")
    parts = {} if roster is None else {"roster": [{"namn": r["namn"], "rost": r["rost"]} for r in roster]}
    return EntryChange(edit_paragraf(store, paragraf_id, lambda p: {"fields": dict(fields), **parts}))


def clear_vote(store: Store, paragraf_id: int) -> EntryChange:
    """Take the vote away: counts, result, propositions and roll call. Rule: not justerat."""
    return EntryChange(edit_paragraf(store, paragraf_id, lambda p: {"fields": dict.fromkeys(VOTE_FIELDS),
                                                                     "roster": []}))


def record_decision(store: Store, paragraf_id: int, beslut: list[str] | None = None,
                    justerare: list[str] | None = None) -> EntryChange:
    """The decision of a § (one text per point) and, in § Val av justerare, the justerare chosen (into the header
    too). Justerare without a new text: the decision follows them while it still reads as the nämnd's standard text
    made it. Rules: a text or justerare; justerare only in § Val av justerare; not justerat."""
    if beslut is not None:
        beslut = [text.strip() for text in beslut if text and text.strip()]
        if not beslut:
            raise NamndtoolError("Beslutstexten är tom: skriv beslutet.")
    if beslut is None and justerare is None:
        raise NamndtoolError("Skriv beslutet.")

    def change(p):
        parts: dict = {}
        if justerare is not None:
            if not is_val_av_justerare(p["rubrik"]):
                raise NamndtoolError(f"§ {p['nr']} {p['rubrik']} är inte paragrafen där justerarna väljs: ange dem i "
                                     "§ Val av justerare, eller i protokollets huvud.")
            parts["justerare"] = [name.strip() for name in justerare if name.strip()]
        if beslut is not None:
            parts["beslut"] = beslut
        elif justerare is not None:
            meeting = store.meeting(store.paragraf_meeting(p["id"]))
            template = standard_text_for(standard_texts(store, meeting["namnd_id"]), p["rubrik"])
            filled = justerare_decision(p["beslut"], template, meeting["organ"],
                                        store.protokoll(meeting["id"])["justerare"], parts["justerare"])
            if filled is not None:
                parts["beslut"] = filled
        return parts

    return EntryChange(edit_paragraf(store, paragraf_id, change))


def edit_narvaro(store: Store, meeting_id: int, change) -> list[dict]:
    """Apply ``change`` to the attendance rows as stored now and save what it returns, in one transaction; returns
    the rows saved. Rules: not justerat (refused before ``change`` runs); :func:`save_narvaro`'s."""
    with store.write():
        meeting = store.meeting(meeting_id)
        if store.is_justerat(meeting_id):
            raise NamndtoolError(
                f"Protokollet för {meeting['organ']} {meeting['datum']} är justerat, så närvaron kan inte ändras. "
                "Ett fel i ett justerat protokoll rättas genom ett nytt beslut på ett kommande sammanträde.")
        rows = [{key: r[key] for key in NARVARO_COLUMNS}
                for r in (store.protokoll(meeting_id) or {}).get("narvaro", [])]
        rows = change(rows)
        problems = narvaro_problems(rows)
        if problems:
            raise NamndtoolError(" ".join(problems))
        save_narvaro(store, meeting_id, rows)
        return rows


@dataclass(frozen=True)
class AttendanceChange:
    rows: list[dict]                 # the attendance as saved
    row: dict | None = None          # the row added, changed or removed
    added: int = 0                   # how many rows were added
    already: int = 0                 # from the roster: how many stood there already
    warning: str | None = None


def add_roster_to_attendance(store: Store, meeting_id: int) -> AttendanceChange:
    """Add everyone of the organ's roster (:func:`attendance_from_roster`) who is not in the attendance yet, in one
    transaction. Rules: a roster; not justerat."""
    roster = attendance_from_roster(store, meeting_id)
    if not roster.rows:
        raise NamndtoolError(f"Ledamotslistan för {store.meeting(meeting_id)['organ']} har ingen ledamot eller "
                             "ersättare; lägg till personerna en i taget.")
    counted = {}

    def change(rows):
        present = {identity_key(r["namn"]) for r in rows}
        new = [{key: r.get(key) for key in NARVARO_COLUMNS} for r in roster.rows
               if identity_key(r["namn"]) not in present]
        counted.update(added=len(new), already=len(roster.rows) - len(new))
        return rows + new

    rows = edit_narvaro(store, meeting_id, change)
    return AttendanceChange(rows, warning=roster.warning, **counted)


def remove_from_attendance(store: Store, meeting_id: int, name: str) -> AttendanceChange:
    """Take the person named (compared as names are: case and spacing aside) out of the attendance. Rules: in the
    attendance; not justerat."""
    removed = {}

    def change(rows):
        index = next((i for i, r in enumerate(rows) if identity_key(r["namn"]) == identity_key(name)), None)
        if index is None:
            raise NamndtoolError(f"{name.strip()} står inte i närvaron för sammanträde {meeting_id}.")
        removed.update(rows.pop(index))
        return rows

    rows = edit_narvaro(store, meeting_id, change)
    return AttendanceChange(rows, row=removed)


def change_attendance_row(store: Store, meeting_id: int, name: str, change) -> AttendanceChange:
    """Add the person named to the attendance or change their row, in one transaction: ``change(row, added)``
    changes the row as stored now (a new person starts from the roster when there: role, party; a serving
    ledamot otherwise). Rules: a name; :func:`narvaro_problems`; not justerat."""
    name = " ".join((name or "").split())
    if not name:
        raise NamndtoolError("Ange personens namn.")
    found = {}

    def edit(rows):
        row = next((r for r in rows if identity_key(r["namn"]) == identity_key(name)), None)
        added = row is None
        if added:
            known = next((r for r in attendance_from_roster(store, meeting_id).rows
                          if identity_key(r["namn"]) == identity_key(name)), None) or {}
            row = {key: known.get(key) for key in NARVARO_COLUMNS}
            row |= {"namn": known.get("namn") or name, "roll": known.get("roll") or "ledamot", "forhinder": 0,
                    "tjanstgor": known.get("tjanstgor", 1)}
            rows.append(row)
        change(row, added)
        found.update(row=row, added=int(added))
        return rows

    rows = edit_narvaro(store, meeting_id, edit)
    return AttendanceChange(rows, **found)


NARVARO_COLUMNS = ("person_id", "namn", "roll", "parti", "titel", "tjanstgor", "ersatter", "forhinder",
                   "fran_paragraf", "till_paragraf")
"""An attendance row as :func:`save_narvaro` takes it."""
