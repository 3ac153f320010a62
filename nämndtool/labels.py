"""Swedish labels for stored codes, for the CLI, the app and the documents."""

STATUS = {
    "inkommet": "Inkommet",
    "under_beredning": "Under beredning",
    "klart_for_namnd": "Klart för nämnd",
    "beslutat": "Beslutat",
    "avslutat": "Avslutat",
}

MEETING_STATUS = {"planerat": "Planerat", "kallat": "Kallat", "genomfort": "Genomfört", "justerat": "Justerat"}

ITEM_KIND = {"standard": "Standardpunkt", "tema": "Tema", "arende": "Ärende"}


def sekretess(flag: int, lagrum: str | None) -> str:
    if not flag:
        return "Offentlig"
    return f"Sekretess ({lagrum})" if lagrum else "Sekretess"
