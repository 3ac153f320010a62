"""Text as it enters the program: one Unicode form (NFC), and the key names are compared by."""

import unicodedata


def nfc(text: str | None) -> str | None:
    """The composed form (NFC): "a" + combining ring becomes "å", so equal-looking names are equal."""
    return None if text is None else unicodedata.normalize("NFC", text)


def identity_key(text: str | None) -> str | None:
    """How nämnder, organ and people are told apart: NFC, case-folded, inner whitespace collapsed."""
    return None if text is None else " ".join(unicodedata.normalize("NFC", text).casefold().split())
