"""Swedish labels for stored codes, for the CLI, the app and the documents. (How secrecy is shown lives in
:mod:`nämndtool.secrecy.labels`.)"""

STATUS = {
    "inkommet": "Inkommet",
    "under_beredning": "Under beredning",
    "klart_for_namnd": "Klart för nämnd",
    "beslutat": "Beslutat",
    "avslutat": "Avslutat",
}

MEETING_STATUS = {"planerat": "Planerat", "kallat": "Kallat", "genomfort": "Genomfört", "justerat": "Justerat"}

ITEM_KIND = {"standard": "Standardpunkt", "tema": "Tema", "arende": "Ärende"}


def count_text(n: int, singular: str, plural: str) -> str:
    """``1 ärende``, ``10 ärenden``."""
    return f"{n} {singular if n == 1 else plural}"
