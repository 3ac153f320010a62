"""How secrecy is shown: the one place for the words and markings every document, the app and the command line use."""

SECRET_TITLE = "Sekretessärende"
"""What a public output prints instead of a secret item's or §'s title."""

INTERNAL_MARKING = "INTERN VERSION – innehåller sekretessärenden och får inte publiceras"
"""Stamped on every page of an internal document that holds secret matters."""

INTERNAL_MARKING_SHORT = "INTERN VERSION – får inte publiceras"
"""Stamped on an internal pack, diary extract or list of delegationsbeslut that holds secret matters."""

SECRET_TITLES = "Sekretessärenden"
"""What a public kallelse prints for a run of consecutive secret items ("5–18 Sekretessärenden")."""

INTERNAL_MARK = "INTERN VERSION"
"""The start of every internal marking: a public file that carries it is the wrong file."""


def secret_marking(lagrum: str | None) -> str:
    """ "SEKRETESS 26 kap. 1 § OSL": the marking on every page of a secret document."""
    return f"SEKRETESS {lagrum}".strip() if lagrum else "SEKRETESS"


def secrecy_note(lagrum: str | None) -> str:
    """ "Sekretess enligt 26 kap. 1 § OSL": the note beside a secret item in an internal kallelse."""
    return f"Sekretess enligt {lagrum}" if lagrum else "Sekretess"


def secrecy_status(secret: int | bool, lagrum: str | None) -> str:
    """ "Sekretess (26 kap. 1 § OSL)" or "Offentlig": an ärende's secrecy in a list, a form or the command line."""
    if not secret:
        return "Offentlig"
    return f"Sekretess ({lagrum})" if lagrum else "Sekretess"


def secret_label() -> str:
    """How a message names a secret item without its title."""
    return "sekretessärende"


def safe_title(title: str, secret: bool) -> str:
    """A title as it may be shown where the reader may not see secrets (file names, progress, warnings)."""
    return SECRET_TITLE if secret else title


def arende_file_name(kind: str, arende: dict, fmt: str) -> str:
    """ "Tjänsteskrivelse SOCN/2023:5 Sekretessärende.pdf": the file name of an output about one ärende. A secret
    ärende's title never goes into a file name: file names show in folders, mail and backups."""
    from nämndtool.distribution import safe_filename   # here, not at the top: distribution imports the gate

    title = safe_title(arende["rubrik"], bool(arende["sekretess"]))
    return safe_filename(" ".join(p for p in (kind, arende["diarienummer"], title) if p)[:140] + f".{fmt}")
