"""Limits on what an import file may hold, checked while and right after it is parsed.

A meeting file is written by people and programs we do not control. Without limits, a file nested thousands of
levels deep exhausts Python's recursion, an integer of 5,000 digits or beyond SQLite's 64 bits breaks the store
with an English message, a lone surrogate cannot be written as UTF-8 anywhere, and a 100 kB title breaks every
document. Each limit here is far above anything a real meeting needs and gives a Swedish sentence with the JSON
path of the value.
"""

from __future__ import annotations

import re

from nämndtool.exchange.schema import json_path
from nämndtool.text import nfc

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A meeting file holds text only (bilagor are separate files); the sample is 40 kB."""
MAX_DEPTH = 32
"""The format itself nests at most eight levels deep."""
MAX_PROBLEMS = 50
"""A file with more problems than this is reported by its first ones: the rest are usually the same mistake."""

SQLITE_MIN, SQLITE_MAX = -(2 ** 63), 2 ** 63 - 1
_MAX_INT_DIGITS = 20   # longer digit strings are never turned into int (Python refuses beyond 4,300 digits)

# Highest sane value per integer field. Paragraphs run through a calendar year; votes count members present.
_MAX_NUMBER = {"nr": 9999, "dagordning_nr": 9999, "fran_paragraf": 9999, "till_paragraf": 9999,
               "ja": 999, "nej": 999, "avstar": 999}

_LONG_TEXT = 200_000      # Markdown bodies
_POINT = 20_000           # one förslag, beslut, yrkande or note
_TITLE = 1_000
_NAME = 300
_DEFAULT = 1_000
# Longest text per field (the nearest object key; a list's items count as its key).
_MAX_LENGTH = {
    **dict.fromkeys(("sammanfattning", "text"), _LONG_TEXT),
    **dict.fromkeys(("forslag_till_beslut", "beslut", "propositionsordning", "protokollsanteckningar",
                     "anteckning", "berord", "resultat"), _POINT),
    **dict.fromkeys(("rubrik", "titel", "offentlig_rubrik", "handlingar", "mottagare", "klassificering",
                     "er_beteckning", "lagrum", "fil", "adress", "forvaringsplats", "plats", "skickas_av"), _TITLE),
    **dict.fromkeys(("namn", "av", "justerare", "jav", "ersatter", "sekreterare", "parti", "roll", "rost", "epost",
                     "telefon", "organ", "forvaltning", "enhet", "kommun", "status", "typ", "format", "utgava",
                     "kod"), _NAME),
    "diarienummer": 40,
}


class HugeInteger(str):
    """A JSON integer with more digits than any 64-bit number, kept as its digits so it can be reported."""


def parse_int(digits: str) -> int | HugeInteger:
    """``json.loads(parse_int=…)``: never converts a digit string too long to matter (nor to convert safely)."""
    return HugeInteger(digits) if len(digits.lstrip("-")) > _MAX_INT_DIGITS else int(digits)


def parse_constant(name: str):
    """``json.loads(parse_constant=…)``: NaN and Infinity are not JSON, though Python's parser accepts them."""
    raise ValueError(name)


_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def depth_problem(text: str) -> str | None:
    """A Swedish sentence when brackets nest deeper than MAX_DEPTH, found without recursion (strings skipped)."""
    depth = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return (f"filen är nästlad djupare än {MAX_DEPTH} nivåer (på rad {line}); ett sammanträde har aldrig "
                        "så djupa listor och objekt. Kontrollera att filen är en utbytesfil för ett sammanträde")
        elif token in "]}":
            depth -= 1
    return None


def limit_problems(data: object) -> list[tuple[str, str]]:
    """(json_path, Swedish message) for every value beyond its limit, in file order (at most MAX_PROBLEMS)."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[tuple, str | None, object]] = [((), None, data)]
    while stack and len(problems) < MAX_PROBLEMS:
        path, key, value = stack.pop()
        if isinstance(value, dict):
            for child_key, child in reversed(list(value.items())):
                if _has_surrogate(child_key):
                    problems.append((json_path(path), "ett fältnamn innehåller ett ensamt surrogattecken (\\ud800–"
                                     "\\udfff), som inte är något tecken. Spara filen på nytt som UTF-8"))
                    continue
                stack.append((path + (child_key,), child_key, child))
        elif isinstance(value, list):
            stack.extend((path + (i,), key, child) for i, child in reversed(list(enumerate(value))))
        else:
            problem = _value_problem(key, value)
            if problem:
                problems.append((json_path(path), problem))
    return problems


def _value_problem(key: str | None, value: object) -> str | None:
    if isinstance(value, HugeInteger):
        return f"talet har {len(value.lstrip('-'))} siffror; så stora tal kan inte sparas (högst {SQLITE_MAX})"
    if isinstance(value, str):
        if _has_surrogate(value):
            return ("texten innehåller ett ensamt surrogattecken (\\ud800–\\udfff), som inte är något tecken. "
                    "Ta bort det eller spara filen på nytt som UTF-8")
        limit = _MAX_LENGTH.get(key, _DEFAULT)
        if len(value) > limit:
            return f"texten är för lång: {len(value)} tecken, högst {limit} tecken här"
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and not SQLITE_MIN <= value <= SQLITE_MAX:
        return f"talet {value} är för stort för att sparas (högst {SQLITE_MAX})"
    highest = _MAX_NUMBER.get(key)
    if highest is not None and value > highest:
        return f"{_shown(value)} är orimligt stort här (högst {highest})"
    return None


def _shown(value: int | float) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:23] + "…"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: object) -> bool:
    return isinstance(text, str) and _SURROGATE.search(text) is not None


def composed(data: object) -> object:
    """The parsed file with every string, keys included, in composed Unicode (NFC); call after limit_problems."""
    if isinstance(data, dict):
        return {nfc(k): composed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [composed(v) for v in data]
    return nfc(data)
