"""How secrecy is shown: the one place for the words and markings every document, the app and the command line use."""

SECRET_TITLE = "Sekretessärende"
"""What a public output prints instead of a secret item's or §'s title."""

INTERNAL_MARKING = "INTERN VERSION – innehåller sekretessärenden och får inte publiceras"
"""Stamped on every page of an internal document that holds secret matters."""

INTERNAL_MARK = "INTERN VERSION"
"""The start of every internal marking: a public file that carries it is the wrong file."""


def secret_marking(lagrum: str | None) -> str:
    """ "SEKRETESS 26 kap. 1 § OSL": the marking on every page of a secret document."""
    return f"SEKRETESS {lagrum}".strip() if lagrum else "SEKRETESS"


def secret_label() -> str:
    """How a message names a secret item without its title."""
    return "sekretessärende"


def safe_title(title: str, secret: bool) -> str:
    """A title as it may be shown where the reader may not see secrets (file names, progress, warnings)."""
    return SECRET_TITLE if secret else title
