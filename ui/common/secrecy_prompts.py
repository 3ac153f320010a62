"""What the app says when secrecy changes: lifting it (a decision with a reason, recorded with who and when) and
marking something secret after public versions have already gone out. One place, so the ärende editor and the
agenda say the same thing."""

from nämndtool.store.connection import current_user

REASON_EXAMPLE = "Till exempel: Sekretessen har upphört enligt beslut 2024-05-02."
MINIMUM_REASON = 3
"""The store refuses a shorter reason; the prompt's button waits for this many characters."""


def _recorded() -> str:
    return (f"Beslutet sparas med skälet, ditt namn ({current_user()}) och tidpunkten och kan inte ändras eller tas "
            "bort i efterhand.\n\nSkäl till att sekretessen hävs:")


def unseal_arende_question(arende: dict) -> str:
    name = arende.get("diarienummer") or "ärendet"
    lagrum = f" ({arende['sekretess_lagrum']})" if arende.get("sekretess_lagrum") else ""
    return (f"Sekretessen för {name}{lagrum} hävs. Ärendemeningen, tjänsteskrivelsen och bilagorna kan då visas i "
            "offentliga handlingar och lämnas ut. Gör det bara när sekretessen verkligen har upphört.\n\n"
            + _recorded())


def unseal_item_question(item: dict) -> str:
    lagrum = f" ({item['sekretess_lagrum']})" if item.get("sekretess_lagrum") else ""
    return (f"Sekretessen för punkt {item['nr']} ”{item['rubrik']}”{lagrum} hävs. Punkten visas då med sin rubrik "
            "i den offentliga kallelsen och i offentliga handlingar och protokoll. Gör det bara när sekretessen "
            "verkligen har upphört.\n\n" + _recorded())


def unsealed_text(what: str) -> str:
    return f"Sekretessen för {what} är hävd. Beslutet är sparat med skälet, ditt namn och tidpunkten."


def published_text(lines: list[str]) -> str:
    """The message after an ärende became secret, when public versions of it have already gone out."""
    bullets = "\n".join(f"• {line}" for line in lines)
    return ("Ärendet omfattas nu av sekretess. Offentliga versioner har redan lämnat programmet:\n"
            f"{bullets}\n\nDra tillbaka dem där det går.")
