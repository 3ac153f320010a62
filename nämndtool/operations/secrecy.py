"""Secrecy operations: sealing and unsealing an ärende or an agenda item, confirming a recipient's address.

The bodies live in :mod:`nämndtool.secrecy.operations` (the secrecy module owns every rule about what is secret);
they are named here so that every operation a caller needs is found in one package.
"""

import datetime as dt

from nämndtool.errors import ConflictError, NamndtoolError
from nämndtool.secrecy.operations import (Sealed, confirm_address, published_versions, seal_arende, seal_item,
                                          unseal_arende, unseal_item)
from nämndtool.store import Store
from nämndtool.store.connection import current_user

__all__ = ["Sealed", "confirm_address", "confirm_recipient_address", "published_versions", "seal_arende",
           "seal_item", "unseal_arende", "unseal_arende_unchanged", "unseal_item"]


def confirm_recipient_address(store: Store, paragraf_id: int, mottagare_id: int, *, by: str | None = None,
                              on: dt.date | None = None) -> dict:
    """The signed-in user has checked this recipient's postal address for the § (the app's check box, by ids);
    returns the § as stored. Rules: the recipient is one of the §'s and has a postal address; (store) a person
    confirms, never "import"; not after justering."""
    with store.write():
        found = next((m for m in store.paragraf(paragraf_id)["mottagare"] if m["mottagare_id"] == mottagare_id), None)
        if found is not None and not (found["adress"] or "").strip():
            raise NamndtoolError(f"{found['namn']} saknar postadress; skriv in adressen i adressboken först.")
        store.confirm_address(paragraf_id, mottagare_id, by=by or current_user(), on=on)
        return store.paragraf(paragraf_id)


# --- for the app (issue 12) ----------------------------------------------------------------------------------


def unseal_arende_unchanged(store: Store, arende_id: int, reason: str, *, version: int) -> dict:
    """Lift the ärende's secrecy as the editor asks for it: only when the ärende is still at ``version`` (the one
    the user saw when giving the reason), else ConflictError and nothing changes. Returns ``arende`` (the ärende
    as now stored) and ``version`` (its new record version). Rules as :func:`unseal_arende`."""
    with store.write():
        if store.editor_versions(arende_id)["arende"] != version:
            raise ConflictError("Ärendet har ändrats i ett annat fönster sedan du öppnade det. Ladda om ärendet och "
                                "häv sekretessen sedan.")
        unseal_arende(store, arende_id, reason)
        return {"arende": store.arende(arende_id), "version": store.editor_versions(arende_id)["arende"]}
