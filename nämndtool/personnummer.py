"""Personnummer-shaped strings (ÅÅMMDD-XXXX, ÅÅÅÅMMDD-XXXX, with - or + or no separator), which must never
appear in a public output. Samordningsnummer (day + 60) count too. No checksum test: a mistyped number is just
as personal."""

import re

_SHAPE = re.compile(r"(?<![0-9])(?:(?:19|20)?[0-9]{2})(?P<mm>[0-9]{2})(?P<dd>[0-9]{2})[-+]?[0-9]{4}(?![0-9])")


def _plausible(match: re.Match) -> bool:
    month, day = int(match["mm"]), int(match["dd"])
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31


def find_personnummer(text: str) -> list[str]:
    """Every personnummer-shaped string in ``text``, as written."""
    return [m.group(0) for m in _SHAPE.finditer(text) if _plausible(m)]
