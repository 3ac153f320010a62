"""Notes on an agenda item's handlingar that do not stop them from going out, for the agenda's readiness (the app
shows them per item and in the summary line; ``ui/meetings/agenda_model.py`` asks here).

A bilaga that is not accessible (its PDF fails PDF/UA-1, recorded when the file was registered, db/017) is such a
note: the pack is still built, but a public version must be accessible before it is published (lag 2018:1937), so
the handläggare can ask the sender for an accessible version in time.
"""

NOT_ACCESSIBLE = "bilaga ej tillgänglighetsanpassad"


def item_notes(item: dict) -> list[str]:
    """The notes of one agenda row (as ``store.agenda`` gives it): words for the Status cell."""
    if item.get("arende_id") is None:
        return []
    return [NOT_ACCESSIBLE] if item.get("antal_ej_tillgangliga") else []


def note_explanation(item: dict) -> str:
    """What the notes of an item mean and what to do, for its tooltip; empty when it has none."""
    count = item.get("antal_ej_tillgangliga") or 0
    if not item_notes(item):
        return ""
    which = "En bilaga" if count == 1 else f"{count} bilagor"
    return (f"{which} i ärendet är inte tillgänglighetsanpassade (PDF/UA): handlingarna kan skickas ut, men be "
            "handläggaren om en tillgänglig version innan den offentliga versionen publiceras.")


def notes_summary(items: list[dict]) -> str:
    """One sentence for the summary line under the agenda, or empty when no item has a note."""
    numbers = [str(item.get("nr")) for item in items if item_notes(item)]
    if not numbers:
        return ""
    where = f"punkt {numbers[0]}" if len(numbers) == 1 else f"punkterna {', '.join(numbers[:-1])} och {numbers[-1]}"
    return (f"Bilaga ej tillgänglighetsanpassad i {where}: be handläggaren om en tillgänglig version före "
            "publiceringen.")
