"""The changes a user makes to secrecy, shared by the command line and the app.

Making something secret takes effect at once in every output made afterwards (everything derives it). What was
already published cannot be recalled by the program, so marking secret reports where public versions went: the
anslag of a protokoll, utdrag sent, files written. Lifting secrecy is one explicit act with a reason, recorded with
who and when; confirming a recipient's address for a secret § is a person's act, recorded likewise.
"""

import datetime as dt
from dataclasses import dataclass, field

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.store import Store
from nämndtool.store.connection import current_user


@dataclass
class Sealed:
    newly_secret: bool
    published: list[str] = field(default_factory=list)   # where a public version already went, to withdraw


def seal_arende(store: Store, arende_id: int, lagrum: str | None) -> Sealed:
    newly = store.seal_arende(arende_id, (lagrum or "").strip() or None)
    return Sealed(newly, published_versions(store, arende_id))


def seal_item(store: Store, meeting_id: int, nr: int, lagrum: str | None) -> Sealed:
    """Make agenda item ``nr`` secret (its ärende, when it has one)."""
    item = _item(store, meeting_id, nr)
    newly = store.seal_item(item["id"], (lagrum or "").strip() or None)
    if item["arende_id"] is not None:
        return Sealed(newly, published_versions(store, item["arende_id"]))
    return Sealed(newly, _where(store.anslag_and_dispatch(item=(meeting_id, nr)),
                                store.publications(meeting_id=meeting_id)))


def unseal_arende(store: Store, arende_id: int, reason: str) -> None:
    store.unseal_arende(arende_id, reason)


def unseal_item(store: Store, meeting_id: int, nr: int, reason: str) -> None:
    store.unseal_item(_item(store, meeting_id, nr)["id"], reason)


def _item(store: Store, meeting_id: int, nr: int) -> dict:
    item = next((i for i in store.agenda(meeting_id) if i["nr"] == nr), None)
    if item is None:
        raise NotFoundError(f"Sammanträdet {meeting_id} har ingen punkt {nr} på dagordningen.")
    return item


def confirm_address(store: Store, meeting_id: int, paragraph_nr: int, recipient: str, *,
                    by: str | None = None, on: dt.date | None = None) -> dict:
    """The signed-in user has checked ``recipient``'s postal address for § ``paragraph_nr``; returns the
    recipient as now stored."""
    p = store.paragraf_by_number(meeting_id, paragraph_nr)
    found = [m for m in p["mottagare"] if m["namn"].casefold() == recipient.strip().casefold()]
    if not found:
        known = ", ".join(m["namn"] for m in p["mottagare"]) or "inga"
        raise NotFoundError(f"{recipient} är inte mottagare av § {p['nr']} (mottagare: {known}).")
    if len(found) > 1:
        raise NamndtoolError(f"§ {p['nr']} har flera mottagare som heter {recipient}. Bekräfta i programmet, där "
                             "adressen syns.")
    if not (found[0]["adress"] or "").strip():
        raise NamndtoolError(f"{found[0]['namn']} saknar postadress; skriv in adressen i adressboken först.")
    store.confirm_address(p["id"], found[0]["mottagare_id"], by=by or current_user(), on=on)
    return next(m for m in store.paragraf(p["id"])["mottagare"] if m["mottagare_id"] == found[0]["mottagare_id"])


def published_versions(store: Store, arende_id: int) -> list[str]:
    """Where a public version that may show this ärende has gone: anslag, utdrag sent, public files written."""
    return _where(store.anslag_and_dispatch(arende_id=arende_id), store.publications(arende_id=arende_id))


def _where(paragraphs: list[dict], publications: list[dict]) -> list[str]:
    lines = []
    for p in paragraphs:
        where = f"§ {p['nr']} i protokollet för {p['organ']} {p['datum']}"
        if p["anslag_datum"]:
            lines.append(f"{where}: anslaget om justeringen sattes upp {p['anslag_datum']}; ett offentligt "
                         "protokoll kan ha publicerats på anslagstavlan.")
        if p["omedelbart_justerad"] and p["omedelbar_anslag"]:
            lines.append(f"{where}: omedelbart justerad, anslaget sattes upp {p['omedelbar_anslag']}.")
        if p["skickat"]:
            lines.append(f"{where}: protokollsutdrag skickat till {p['skickat']}.")
    for o in publications:
        meeting = f" ({o['organ']} {o['sammantrade_datum']})" if o["sammantrade_datum"] else ""
        lines.append(f"{o['slag']}{meeting}: skrevs till {o['mal']} {o['tid'][:16].replace('T', ' ')} av {o['av']}.")
    return lines
