"""The protokoll, its omedelbart justerade extract, protokollsutdrag and the försättsblad of a secret utdrag."""

import datetime as dt
import hashlib
import re
from dataclasses import replace

from nämndtool.documents.branding import genitive
from nämndtool.documents.kallelse import chair_name, when
from nämndtool.documents.model import Document
from nämndtool.documents.templates import render_template
from nämndtool.dates import past_date_problem
from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.justering import deadlines, vote_tally
from nämndtool.secrecy.facts import Scope
from nämndtool.secrecy.labels import INTERNAL_MARKING, SECRET_TITLE, secret_marking
from nämndtool.store import Store



def _person(n: dict) -> str:
    return f"{n['namn']} ({n['parti']})" if n.get("parti") else n["namn"]


def _during(n: dict) -> str:
    if n.get("fran_paragraf") and n.get("till_paragraf"):
        return f" (§§ {n['fran_paragraf']}–{n['till_paragraf']})"
    if n.get("till_paragraf"):
        return f" (till och med § {n['till_paragraf']})"
    if n.get("fran_paragraf"):
        return f" (från och med § {n['fran_paragraf']})"
    return ""


DRAFT_MARKING = "Utkast – ej justerat"
"""On every page of a protokoll rendered before its justering."""

ROLE_WORDS = {"ordforande": "ordförande", "vice_ordforande": "vice ordförande", "ledamot": "ledamot",
              "ersattare": "ersättare"}
BLANK = "……………………………"
"""A line to fill in by hand, where a date is not known when the document is made."""


def attendance_lines(narvaro: list[dict]) -> tuple[list[str], list[str]]:
    """(Beslutande, Övriga närvarande) as the front page prints them, each person with their role."""
    beslutande, ovriga = [], []
    for n in narvaro:
        if n["forhinder"]:
            continue
        if n["roll"] == "tjansteperson":
            ovriga.append(f"{n['namn']}{', ' + n['titel'] if n.get('titel') else ''}{_during(n)}")
        elif n["roll"] == "ersattare" and n["tjanstgor"]:
            role = f"tjänstgörande ersättare för {n['ersatter']}" if n["ersatter"] else "tjänstgörande ersättare"
            beslutande.append(f"{_person(n)}, {role}{_during(n)}")
        elif n["tjanstgor"] or n["roll"] == "ordforande":
            beslutande.append(f"{_person(n)}, {ROLE_WORDS[n['roll']]}{_during(n)}")
        else:
            ovriga.append(f"{_person(n)}, {ROLE_WORDS[n['roll']]}{_during(n)}")
    return beslutande, ovriga


def _vote_text(p: dict, organ: str) -> dict | None:
    """The omröstning as printed: what ja and nej stood for, the counts (as the check before justering counts
    them), and the result: written out, or when the counts decide it and the proposition is known, said."""
    tally = vote_tally(p)
    if tally is None:
        return None
    ja_for, nej_for = (p.get("proposition_ja") or "").strip(), (p.get("proposition_nej") or "").strip()
    proposition = None
    if ja_for or nej_for:
        proposition = "Voteringsproposition: " + ", ".join(
            part for part in (f"ja-röst för {ja_for}" if ja_for else "", f"nej-röst för {nej_for}" if nej_for else "")
            if part) + "."
    counts = (f"Omröstningen utfaller med {tally['ja']} ja-röster mot {tally['nej']} nej-röster; "
              f"{tally['avstar']} avstår.")
    decided = None
    if not (p.get("votering_resultat") or "").strip() and ja_for and nej_for and tally["ja"] != tally["nej"]:
        side, text = ("ja", ja_for) if tally["ja"] > tally["nej"] else ("nej", nej_for)
        decided = f"{organ} har därmed beslutat enligt {side}-propositionen, {text}."
    return {"proposition": proposition, "counts": counts, "decided": decided}


def _paragraph_context(store: Store, meeting: dict, p: dict, hide: bool) -> dict:
    if hide:
        return {"nr": p["nr"], "rubrik": SECRET_TITLE, "diarienummer": None, "dold": True,
                "sekretess_lagrum": p["sekretess_lagrum"]}
    ts = store.tjansteskrivelse_as_decided(meeting["id"], p["arende_id"]) if p["arende_id"] else None
    return {
        **{k: p[k] for k in ("nr", "rubrik", "diarienummer", "beslut", "yrkanden", "propositionsordning", "roster",
                             "reservationer", "protokollsanteckningar", "jav", "omedelbart_justerad",
                             "votering_resultat", "sekretess_lagrum", "berord", "skickas_av")},
        "dold": False,
        "sammanfattning": ts["sammanfattning"] if ts else None,
        "omrostning": _vote_text(p, meeting["organ"]),
        "roster": [{"namn": r["namn"], "rost": {"ja": "Ja", "nej": "Nej", "avstar": "Avstår"}[r["rost"]]}
                   for r in p["roster"]],
        "mottagare": [m["namn"] for m in p["mottagare"]],
        "narvaro_andring": None,
    }


def _protokoll_or_refuse(store: Store, meeting_id: int) -> dict:
    protokoll = store.protokoll(meeting_id)
    if protokoll is None:
        raise NotFoundError(f"Sammanträdet {meeting_id} har inget protokoll ännu. Skapa paragraferna först.")
    return protokoll


def _span(numbers: list[int]) -> str:
    if not numbers:
        return "–"
    return f"§ {numbers[0]}" if len(numbers) == 1 else f"§§ {numbers[0]}–{numbers[-1]}"


def protokoll_document(store: Store, meeting_id: int, public: bool, *, only_omedelbara: bool = False,
                       draft: bool | None = None) -> Document:
    """The protokoll (or its omedelbart justerade §§), public or internal. Before the justering it is a draft
    (``draft`` None: decided by the protokoll), marked "Utkast – ej justerat" on every page; the justering itself
    renders the version it keeps with ``draft=False``. The anslagsbevis gives the anslag's dates when they are
    recorded and lines to fill in by hand when not."""
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    protokoll = _protokoll_or_refuse(store, meeting_id)
    paragrafer = [p for p in protokoll["paragrafer"] if p["omedelbart_justerad"] or not only_omedelbara]
    if only_omedelbara and not paragrafer:
        raise NamndtoolError("Inga paragrafer är omedelbart justerade vid det här sammanträdet.")
    beslutande, ovriga = attendance_lines(protokoll["narvaro"])
    chair = next((n for n in protokoll["narvaro"] if n["roll"] == "ordforande"), None)
    if only_omedelbara:
        justerad = dt.date.fromisoformat(meeting["datum"])
        justering = f"Omedelbart vid sammanträdet {meeting['datum']}"
    else:
        justerad = dt.date.fromisoformat(protokoll["justerad"]) if protokoll["justerad"] else None
        justering = ", ".join(filter(None, (protokoll["justering_plats"], protokoll["justering_datum"]))) or "–"
    anslag_value = protokoll["omedelbar_anslag"] if only_omedelbara else protokoll["anslag_datum"]
    anslag_up = dt.date.fromisoformat(anslag_value) if anslag_value else None
    planned = deadlines(dt.date.fromisoformat(meeting["datum"]), justerad, anslag_up or justerad)
    has_secret = any(p["sekretess"] for p in paragrafer)
    slag = "PROTOKOLLSUTDRAG" if only_omedelbara else "PROTOKOLL"
    rubrik = "Protokoll – omedelbart justerade paragrafer" if only_omedelbara else "Protokoll"
    if draft is None:
        draft = not only_omedelbara and not protokoll["justerad"]
    marking = " · ".join(m for m in (DRAFT_MARKING if draft else None,
                                     INTERNAL_MARKING if has_secret and not public else None) if m) or None
    chair_line = _person(chair) if chair else chair_name(meeting["ordforande"], meeting["ordforande_parti"])
    return render_template(
        "protokoll.xml", public=public, marking=marking, utkast=draft,
        titel=f"{rubrik} {meeting['organ']} {meeting['datum']}", slag=slag, rubrik=rubrik,
        namnd=namnd["namn"], kommun=namnd["kommun"], organ=meeting["organ"], datum=meeting["datum"],
        justerad=str(justerad) if justerad else None,
        plats_och_tid=", ".join(filter(None, (meeting["plats"], when(meeting["datum"], meeting["tid"])))),
        beslutande=beslutande, ovriga=ovriga, justerare=protokoll["justerare"], justering=justering,
        paragraf_spann=_span([p["nr"] for p in paragrafer]), sekreterare=protokoll["sekreterare"] or "",
        ordforande=chair_line or "",
        beslutsrubrik=f"{genitive(meeting['organ'])} beslut",
        paragrafer=[_paragraph_context(store, meeting, p, hide=public and bool(p["sekretess"]))
                    for p in paragrafer],
        anslag={"upp": str(anslag_up) if anslag_up else BLANK,
                "ned": str(planned.anslag_ned_tidigast) if anslag_up else BLANK},
        forvaringsplats=protokoll["forvaringsplats"] or namnd["forvaltning"] or "",
    ).about(Scope(store, meeting_id=meeting_id))


def paragraf_is_justerad(store: Store, meeting_id: int, paragraf_nr: int) -> bool:
    """Whether an utdrag of this § can be bestyrkt: the protokoll is justerat, or the § was justerad at the meeting."""
    protokoll = _protokoll_or_refuse(store, meeting_id)
    return bool(protokoll["justerad"] or store.paragraf_by_number(meeting_id, paragraf_nr)["omedelbart_justerad"])


BESTYRKT_DATUM_MISSING = ("Protokollet är justerat: ange vilket datum utdraget bestyrks (ÅÅÅÅ-MM-DD). Datumet "
                          "skrivs i utdragsbestyrkandet och sätts inte av programmet.")


def _bestyrkt_datum_problem(justerad: dt.date, chosen: dt.date, today: dt.date | None) -> str | None:
    """The bestyrkande is dated on or after the justering, and not in the future."""
    problem = past_date_problem(chosen, "datumet för utdragsbestyrkandet", today)
    if problem is None and chosen < justerad:
        problem = (f"Utdraget kan inte bestyrkas {chosen}, före justeringen {justerad}. Ange justeringsdagen "
                   "eller ett senare datum.")
    return problem


def _signer_title(store: Store, narvaro: list[dict], name: str, sekreterare: str | None) -> str:
    """The title printed under the bestyrkande's signature: the person's title where the protokoll or the
    register knows it, else their role in the protokoll."""
    key = name.strip().casefold()
    for person in (*narvaro, *store.tjanstepersoner()):
        if (person.get("namn") or "").strip().casefold() == key and (person.get("titel") or "").strip():
            return person["titel"].strip()
    return "Sekreterare" if sekreterare and sekreterare.strip().casefold() == key else ""


def utdrag_document(store: Store, meeting_id: int, paragraf_nr: int, recipient: str | None, *,
                    bestyrkt_av: str | None = None, bestyrkt_datum: dt.date | None = None,
                    today: dt.date | None = None, for_the_akt: bool = False) -> Document:
    """One § as a protokollsutdrag, for one recipient when named.

    The Utdragsbestyrkande is dated with ``bestyrkt_datum``, which the caller must give once the § is justerad
    (the protokoll justerat, or the § justerad at the meeting): the program never assumes it. An utdrag of a § not
    yet justerad is made all the same, marked "Ej justerat" on every page, and its bestyrkande says it cannot be
    bestyrkt before the justering (``bestyrkt_datum`` is then not used).

    For a secret §, an utdrag is produced only for a recipient whose postal address the handläggare has
    confirmed: a secret decision sent to a wrong address has happened, and this makes it hard to repeat. The
    copy ``for_the_akt`` (the archive's, filed and sent to no one, no recipient printed) needs no address.
    """
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    protokoll = _protokoll_or_refuse(store, meeting_id)
    p = store.paragraf_by_number(meeting_id, paragraf_nr)
    target = _recipient(p, recipient)
    if for_the_akt and recipient is not None:
        raise NamndtoolError("Akten har ingen mottagare: utdraget till akten skapas utan mottagare.")
    if p["sekretess"] and not for_the_akt:
        targets = [target] if target else p["mottagare"]
        unconfirmed = [m["namn"] for m in targets if not m["adress_bekraftad"]]
        if not targets:
            raise NamndtoolError(f"§ {p['nr']} är sekretess och har inga mottagare med bekräftad adress.")
        if unconfirmed:
            raise NamndtoolError(
                f"§ {p['nr']} är sekretess: adressen till {', '.join(unconfirmed)} är inte bekräftad av "
                "handläggaren. Bekräfta postadressen innan utdraget skapas."
            )
        if target and not target["adress"]:
            raise NamndtoolError(f"§ {p['nr']} är sekretess och {target['namn']} saknar postadress.")
    justerad = (dt.date.fromisoformat(protokoll["justerad"]) if protokoll["justerad"] else
                dt.date.fromisoformat(meeting["datum"]) if p["omedelbart_justerad"] else None)
    if justerad is not None:
        if bestyrkt_datum is None:
            raise NamndtoolError(BESTYRKT_DATUM_MISSING)
        problem = _bestyrkt_datum_problem(justerad, bestyrkt_datum, today)
        if problem:
            raise NamndtoolError(problem)
    signer = (bestyrkt_av or protokoll["sekreterare"] or "").strip()
    return render_template(
        "utdrag.xml", public=not p["sekretess"],
        marking=secret_marking(p["sekretess_lagrum"]) if p["sekretess"] else None,
        titel=f"Protokollsutdrag § {p['nr']} {meeting['organ']} {meeting['datum']}", namnd=namnd["namn"],
        kommun=namnd["kommun"], organ=meeting["organ"], datum=meeting["datum"], diarienummer=p["diarienummer"],
        mottagare=(f"{target['namn']}, {target['adress']}" if target and target["adress"] else
                   target["namn"] if target else None),
        p=_paragraph_context(store, meeting, p, hide=False), beslutsrubrik=f"{genitive(meeting['organ'])} beslut",
        justerat=justerad is not None, bestyrkt_av=signer,
        bestyrkt_titel=_signer_title(store, protokoll["narvaro"], signer, protokoll["sekreterare"]) if signer else "",
        bestyrkt_datum=bestyrkt_datum.isoformat() if justerad is not None else None,
    ).about(Scope(store, meeting_id=meeting_id))


def forsattsblad_document(store: Store, meeting_id: int, paragraf_nr: int, recipient: str) -> Document:
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    p = store.paragraf_by_number(meeting_id, paragraf_nr)
    target = _recipient(p, recipient)
    arende = store.arende(p["arende_id"]) if p["arende_id"] else None
    return render_template(
        "forsattsblad.xml", namnd=namnd["namn"], kommun=namnd["kommun"], organ=meeting["organ"], datum=meeting["datum"],
        marking=secret_marking(p["sekretess_lagrum"]) if p["sekretess"] else None,
        diarienummer=p["diarienummer"] or "", p={**p, "berord": p["berord"] or ""},
        handlaggare=(arende or {}).get("handlaggare") or "", mottagare={
            "namn": target["namn"], "adress": target["adress"] or "", "bekraftad_av": target["bekraftad_av"] or "",
            "bekraftad_datum": target["bekraftad_datum"] or ""},
    )


def _recipient(p: dict, name: str | None) -> dict | None:
    if name is None:
        return None
    found = [m for m in p["mottagare"] if m["namn"].casefold() == name.casefold()]
    if not found:
        known = ", ".join(m["namn"] for m in p["mottagare"]) or "inga"
        raise NotFoundError(f"{name} är inte mottagare av § {p['nr']} (mottagare: {known}).")
    return found[0]


def mark_klar_for_justering(store: Store, meeting_id: int) -> None:
    """Klar för justering, refused with the list of what KL 5 kap. 67 § still needs."""
    from nämndtool.justering import missing_for_justering

    missing = missing_for_justering(store.protokoll(meeting_id))
    if missing:
        raise NamndtoolError("Protokollet är inte klart för justering. Detta saknas:\n"
                             + "\n".join(f"  – {m}" for m in missing))
    store.set_klar_for_justering(meeting_id, True)


def justera(store: Store, meeting_id: int, datum: dt.date, branding, today: dt.date | None = None, *,
            signed: bytes | None = None) -> str:
    """Record the justering: the protokoll is rendered (or, for a digital justering, the ``signed`` PDF with every
    signature is taken as it is), kept with its SHA-256, and locked. Returns the SHA-256.

    One transaction, the date checked first (between the meeting and today): a refused justering changes nothing,
    not even "klar för justering"."""
    import tempfile
    from pathlib import Path

    with store.write():
        if store.is_justerat(meeting_id):
            meeting = store.meeting(meeting_id)
            raise NamndtoolError(f"Protokollet för {meeting['organ']} {meeting['datum']} är redan justerat.")
        digital = hashlib.sha256(signed).hexdigest() if signed is not None else None
        store.refuse_justering(meeting_id, datum, today, signed=digital)
        protokoll = store.protokoll(meeting_id)
        if not (protokoll and protokoll["klar_for_justering"]):
            mark_klar_for_justering(store, meeting_id)
        store.set_justering_datum_if_unset(meeting_id, datum.isoformat())
        pdf = signed if signed is not None else justerat_pdf(store, meeting_id, datum, branding)
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / "protokoll.pdf"
            path.write_bytes(pdf)
            stored = store.store_file_bytes(path)
        store.register_file(stored)
        store.record_justering(meeting_id, datum.isoformat(), stored.sha256, today, signed=digital is not None)
    return stored.sha256


def justerat_pdf(store: Store, meeting_id: int, datum: dt.date, branding) -> bytes:
    """The protokoll as it is justerat: the internal version, no draft marking, its XMP and Info dated ``datum`` (as
    an archivist reads it; for a digital justering the day the signing began)."""
    from nämndtool.documents.render_pdf import render_pdf

    document = protokoll_document(store, meeting_id, public=False, draft=False)
    return render_pdf(replace(document, metadata=replace(document.metadata, date=datum.isoformat())), branding)


_PARTY = re.compile(r"\s*\([^()]*\)\s*$")


def signatories(store: Store, meeting_id: int) -> list[tuple[str, str]]:
    """Who signs the protokoll, in the order of its Underskrifter block (templates/protokoll.xml): sekreterare,
    ordförande, each justerare, as (title, name without the party the protokoll prints after it)."""
    meeting = store.meeting(meeting_id)
    protokoll = _protokoll_or_refuse(store, meeting_id)
    chair = next((n["namn"] for n in protokoll["narvaro"] if n["roll"] == "ordforande"), None)
    chair = chair or chair_name(meeting["ordforande"], None) or ""
    people = [("Sekreterare", protokoll["sekreterare"] or ""), ("Ordförande", chair),
              *[("Justerande", j) for j in protokoll["justerare"]]]
    return [(title, _PARTY.sub("", name).strip()) for title, name in people]
