"""Documents from the registry: the diary extract, the generated Meddelanden and Anmälan av delegationsbeslut.

Public versions follow OSL 5 kap. 2 §: date and diary number are always shown; for a secret handling or ärende
the counterpart and the description are left out, and the ärende appears by its public title or "Sekretessärende".
"""

import datetime as dt

from nämndtool.documents.branding import Branding
from nämndtool.documents.model import Document
from nämndtool.documents.branding import genitive
from nämndtool.documents.templates import render_template
from nämndtool.secrecy.facts import Scope
from nämndtool.secrecy.labels import INTERNAL_MARKING_SHORT, SECRET_TITLE
from nämndtool.secrecy.matching import masks_nothing
from nämndtool.store import Store

DAYS_BEFORE_MEETING = 8
"""The Meddelanden period ends this many days before the meeting, when the kallelse goes out (the seeds: a
meeting on 2018-03-21 lists handlingar until 2018-03-13)."""


def public_title(arende: dict) -> str:
    """A secret ärende's title as the public sees it: its public title, unless that is no mask at all (it holds
    the real title, whatever the punctuation, case or spacing)."""
    shown = (arende["offentlig_rubrik"] or "").strip()
    return shown if shown and not masks_nothing(shown, arende["rubrik"]) else SECRET_TITLE


def public_entry(entry: dict) -> dict:
    """One diary row as the public may see it."""
    secret = bool(entry["sekretess"] or entry["arende_sekretess"])
    return {
        "datum": entry["datum"] or "",
        "diarienummer": entry["diarienummer"] or "",
        "arende": public_title(entry) if entry["arende_sekretess"] else entry["rubrik"],
        "motpart": "" if secret else (entry["motpart"] or ""),
        "beskrivning": "" if secret else entry["beskrivning"],
        "secret": secret,
    }


def internal_entry(entry: dict) -> dict:
    return {"datum": entry["datum"] or "", "diarienummer": entry["diarienummer"] or "", "arende": entry["rubrik"],
            "motpart": entry["motpart"] or "", "beskrivning": entry["beskrivning"],
            "secret": bool(entry["sekretess"] or entry["arende_sekretess"])}


def diary_extract_document(store: Store, namnd_id: int, fran: str, till: str, public: bool) -> Document:
    namnd = store.namnd(namnd_id)
    entries = store.diary_entries(namnd_id, fran, till)
    shape = public_entry if public else internal_entry
    rows = [shape(e) for e in entries]
    return render_template(
        "diarieutdrag.xml", public=public, namnd=namnd["namn"], kommun=namnd["kommun"], fran=fran, till=till,
        titel=f"Utdrag ur {genitive(namnd['namn'])} diarium", rader=rows,
        marking=None if public or not any(r["secret"] for r in rows) else INTERNAL_MARKING_SHORT,
    ).about(Scope(store, register=True, arende_ids=sorted({e["arende_id"] for e in entries})))


def meddelanden_period(store: Store, meeting_id: int) -> tuple[str, str]:
    """From the day after the previous meeting's period ended to DAYS_BEFORE_MEETING days before this one."""
    meeting = store.meeting(meeting_id)
    end = dt.date.fromisoformat(meeting["datum"]) - dt.timedelta(days=DAYS_BEFORE_MEETING)
    previous = store.previous_meeting_date(meeting["organ_id"], meeting["datum"])
    start = (dt.date.fromisoformat(previous) - dt.timedelta(days=DAYS_BEFORE_MEETING - 1) if previous
             else end - dt.timedelta(days=30))
    return start.isoformat(), end.isoformat()


def meddelanden_document(store: Store, meeting_id: int, branding: Branding) -> Document:
    """Incoming handlingar of the period from the public diary, grouped by sender, as in the seeds."""
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    fran, till = meddelanden_period(store, meeting_id)
    groups: dict[str, list[str]] = {}
    entries = store.diary_entries(meeting["namnd_id"], fran, till, riktning="in")
    for entry in map(public_entry, entries):
        sender = entry["motpart"] or ("Sekretess" if entry["secret"] else "Avsändare saknas")
        text = entry["beskrivning"] or entry["arende"]
        groups.setdefault(sender, []).append(f"{text} ({entry['diarienummer']})" if entry["diarienummer"] else text)
    return render_template(
        "meddelanden.xml", organ=meeting["organ"], datum=meeting["datum"], forvaltning=namnd["forvaltning"],
        namnd_genitiv=genitive(namnd["namn"]).lower(), fran=fran, till=till,
        forslag_rubrik=branding.forslag_heading(namnd["forvaltning"]),
        grupper=[{"avsandare": sender, "rader": rows} for sender, rows in sorted(groups.items())],
    ).about(Scope(store, register=True, arende_ids=sorted({e["arende_id"] for e in entries})))


def delegationsbeslut_for_meeting(store: Store, meeting_id: int) -> list[dict]:
    """Those reported at this meeting, or, before it is reported, those not yet reported up to the meeting."""
    meeting = store.meeting(meeting_id)
    reported = store.delegationsbeslut(meeting["namnd_id"], reported_at=meeting_id)
    return reported or store.delegationsbeslut(meeting["namnd_id"], unreported=True, until=meeting["datum"])


def delegationsbeslut_document(store: Store, meeting_id: int, public: bool, branding: Branding) -> Document:
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    decisions = delegationsbeslut_for_meeting(store, meeting_id)
    rows = []
    for d in decisions:
        secret = bool(d["sekretess"] or d["arende_sekretess"])
        hide = public and secret
        rows.append({"datum": d["datum"], "beslutsfattare": d["beslutsfattare"],
                     "delegationspunkt": d["delegationspunkt"],
                     "beskrivning": public_title({"offentlig_rubrik": d["offentlig_rubrik"],
                                                  "rubrik": d["arende_rubrik"] or d["beskrivning"]})
                                     if hide else d["beskrivning"],
                     "diarienummer": d["diarienummer"] or ""})
    dates = [d["datum"] for d in decisions]
    return render_template(
        "delegationsbeslut.xml", public=public, organ=meeting["organ"], datum=meeting["datum"],
        forvaltning=namnd["forvaltning"], namnd_genitiv=genitive(namnd["namn"]).lower(),
        forslag_rubrik=branding.forslag_heading(namnd["forvaltning"]), beslut=rows,
        fran=min(dates) if dates else None, till=max(dates) if dates else None,
        marking=None if public or not any(d["sekretess"] for d in decisions) else INTERNAL_MARKING_SHORT,
    ).about(Scope(store, register=True, arende_ids=sorted({d["arende_id"] for d in decisions if d["arende_id"]})))
