"""Text as it enters the program: one Unicode form (NFC), and the key names are compared by.

Both are also SQL functions on every connection (``nfc()``, ``identity_key()``), where a column may hold a number
or NULL: anything that is not text passes through unchanged.
"""

import unicodedata


def nfc(text):
    """The composed form (NFC): "a" + combining ring becomes "å", so equal-looking names are equal."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def identity_key(text):
    """How nämnder, organ and people are told apart: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()) if isinstance(text, str) else text
