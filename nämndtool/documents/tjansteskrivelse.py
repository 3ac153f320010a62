"""The tjänsteskrivelse of an ärende, and how its "Ärendets handlingar" compares with the attached bilagor."""

import re
from dataclasses import dataclass, field

from nämndtool.documents.branding import Branding
from nämndtool.documents.model import Document
from nämndtool.documents.templates import render_template
from nämndtool.secrecy.facts import Scope
from nämndtool.secrecy.labels import secret_marking
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store


@dataclass
class TjansteskrivelseDoc:
    document: Document
    warnings: list[str] = field(default_factory=list)


def comparable_title(title: str) -> str:
    """Titles compared the way a reader would: case, dashes and spacing do not matter."""
    return re.sub(r"\s+", " ", re.sub(r"[‐‑‒–—-]", "-", title)).strip().casefold()


def handlingar_mismatch(listed: list[str], attached: list[str]) -> list[str]:
    """Swedish warnings for a listed document that is not attached and an attached one that is not listed."""
    listed_keys = {comparable_title(t) for t in listed}
    attached_keys = {comparable_title(t) for t in attached}
    warnings = [f"”{t}” står under Ärendets handlingar men finns inte bland bilagorna."
                for t in listed if comparable_title(t) not in attached_keys]
    warnings += [f"Bilagan ”{t}” är bifogad men står inte under Ärendets handlingar."
                 for t in attached if comparable_title(t) not in listed_keys]
    return warnings


def beteckning(arende: dict) -> str | None:
    if not arende["diarienummer"]:
        return None
    return f"{arende['diarienummer']} - {arende['klassificering']}" if arende["klassificering"] else arende["diarienummer"]


def tjansteskrivelse_document(store: Store, arende_id: int, branding: Branding,
                              meeting_id: int | None = None) -> TjansteskrivelseDoc:
    """The tjänsteskrivelse as it stands; with ``meeting_id``, as that meeting has it (as decided, once the
    meeting is justerat)."""
    arende = store.arende_as_decided(meeting_id, arende_id)
    ts = store.tjansteskrivelse_as_decided(meeting_id, arende_id)
    if ts is None:
        where = arende["diarienummer"] or f"”{arende['rubrik']}”"
        raise NamndtoolError(f"Ärendet {where} har ingen tjänsteskrivelse ännu. Skriv den i programmet först.")
    namnd = store.namnd_by_kod(arende["namnd_kod"])
    bilagor = [b["titel"] for b in store.bilagor_as_decided(meeting_id, arende_id)]
    built = build_tjansteskrivelse(arende, ts, namnd_forvaltning=namnd["forvaltning"], bilagor=bilagor,
                                   branding=branding)
    label = arende["diarienummer"] or arende["rubrik"]
    document = built.document.about(Scope(store, arende_id=arende_id))
    return TjansteskrivelseDoc(document, [f"{label}: {w}" for w in built.warnings])


def build_tjansteskrivelse(arende: dict, ts: dict, *, namnd_forvaltning: str | None, bilagor: list[str],
                           branding: Branding) -> TjansteskrivelseDoc:
    """The tjänsteskrivelse from plain values, so the printed document and the editor's live preview are one.

    ``arende`` needs diarienummer, klassificering, rubrik, sekretess and sekretess_lagrum; ``ts`` has the keys
    of ``store.tjansteskrivelse()`` (handlaggare a person dict or None, beslutet_skickas_till dicts with namn).
    ``bilagor`` are the titles of the attached bilagor; the warnings compare them with Ärendets handlingar.
    """
    forvaltning = ts["forvaltning"] or namnd_forvaltning
    secret = bool(arende["sekretess"])
    warnings = handlingar_mismatch(ts["handlingar"], bilagor)
    document = render_template(
        "tjansteskrivelse.xml",
        public=not secret,
        marking=secret_marking(arende["sekretess_lagrum"]) if secret else None,
        forvaltning=forvaltning, enhet=ts["enhet"], datum=ts["datum"], beteckning=beteckning(arende),
        ert_datum=ts["ert_datum"], er_beteckning=ts["er_beteckning"], mottagare=ts["mottagare"],
        handlaggare=ts["handlaggare"], rubrik=ts["rubrik"] or arende["rubrik"],
        forslag_rubrik=branding.forslag_heading(forvaltning), forslag=ts["forslag"],
        sammanfattning=ts["sammanfattning"], handlingar=ts["handlingar"],
        avsnitt=[a for a in ts["avsnitt"] if (a["text"] or "").strip()],
        undertecknare=ts["undertecknare"], mottagare_beslut=[r["namn"] for r in ts["beslutet_skickas_till"]],
    )
    return TjansteskrivelseDoc(document, warnings)
