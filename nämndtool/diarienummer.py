"""Diary numbers (diarienummer) of the form KOD/ÅÅÅÅ:N, for example SOCN/2023:17.

KOD is the nämnd's code, ÅÅÅÅ the registration year and N a running number per
nämnd and year, written without leading zeros. Documents often add a
classification after the number ("SOCN/2018:23 - 759"); that belongs to the
"Vår beteckning" field, not to the number, and is kept apart in `Beteckning`.

`parse` and `parse_beteckning` are strict: a field must hold exactly one number,
and anything else raises `DiarienummerError` with a Swedish message that names
the input and shows the expected form. `find_all` is the lenient counterpart
for free text: it skips what is not one of the nämnd's numbers.

The patterns spell out their character classes ([0-9], [A-Za-zÅÄÖåäö]) instead
of using \\d or re.IGNORECASE. Those would also match digits of other scripts
and letters such as the long s (ſ), which int() and str.upper() would then
quietly turn into something that looks valid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from nämndtool.errors import DiarienummerError

__all__ = [
    "Beteckning",
    "Diarienummer",
    "find_all",
    "format_diarienummer",
    "is_valid_code",
    "parse",
    "parse_beteckning",
]

MIN_YEAR = 1900
MAX_YEAR = 2199
MAX_LOPNR = 999_999
# "SOCN2023:64-65" in free text means 64 and 65. A "range" wider than this is far
# more likely a classification typed without spaces ("SOCN/2018:23-759") than a
# list of ärenden, so only its first number is reported.
MAX_RANGE = 100

_FORM = "KOD/ÅÅÅÅ:N"
_BETECKNING_FORM = "KOD/ÅÅÅÅ:N - klassificering"
_DEFAULT_CODE = "SOCN"
_LETTERS = "A-Za-zÅÄÖåäö"

_CODE_RE = re.compile(f"[{_LETTERS}]{{2,10}}")
# Deliberately looser than the real grammar (any number of letters and digits) so
# that a near miss gets a precise message ("året ska skrivas med fyra siffror") rather
# than a generic one.
_FIELD_RE = re.compile(
    rf"(?P<kod>[{_LETTERS}]+)/?(?P<ar>[0-9]+):(?P<lopnr>[0-9]+)(?P<rest>.*)", re.DOTALL
)
# What may follow the number in a "Vår beteckning" field. The dash needs whitespace
# on at least one side: without it "SOCN2023:64-65" would read as number 64 with
# classification 65, when it is a range.
_CLASSIFICATION_RE = re.compile(r"(?:\s+[-–]\s*|[-–]\s+)(?P<klass>.*)", re.DOTALL)
# Free text. (?<!\w) keeps a code from starting inside a longer word, and the
# range end, when present, must not be followed by more digits.
_TEXT_RE = re.compile(
    rf"(?<!\w)(?P<kod>[{_LETTERS}]{{2,10}})/?(?P<ar>[0-9]{{4}}):(?P<lopnr>[0-9]+)"
    r"(?:[-–](?P<till>[0-9]+))?(?![0-9])"
)


@dataclass(frozen=True, order=True)
class Diarienummer:
    """One diary number. The code is normalised to upper case on construction."""

    kod: str
    ar: int
    lopnr: int

    def __post_init__(self) -> None:
        for name in ("ar", "lopnr"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"Diarienummer.{name} must be an int, got {value!r}")
        if not isinstance(self.kod, str):
            raise TypeError(f"Diarienummer.kod must be a str, got {self.kod!r}")
        kod = _nfc(self.kod).strip()
        problem = _problem(kod, self.ar, self.lopnr)
        if problem:
            raise DiarienummerError(
                _invalid(f"{self.kod}/{self.ar}:{self.lopnr}", problem, f"{_DEFAULT_CODE}/2023:17")
            )
        object.__setattr__(self, "kod", kod.upper())

    def __str__(self) -> str:
        return f"{self.kod}/{self.ar}:{self.lopnr}"


@dataclass(frozen=True)
class Beteckning:
    """What a "Vår beteckning" field holds: a diary number and maybe a classification.

    The classification is free text such as "759" or "1.2.7 - Återkoppla till
    förtroendevalda", with whitespace collapsed to single spaces.
    """

    diarienummer: Diarienummer
    klassificering: str | None = None

    def __str__(self) -> str:
        if self.klassificering:
            return f"{self.diarienummer} - {self.klassificering}"
        return str(self.diarienummer)


def is_valid_code(kod: str) -> bool:
    """Whether ``kod`` can be a nämnd's code: 2–10 letters A–Ö, as stored (upper case)."""
    return bool(_CODE_RE.fullmatch(kod)) and kod == kod.upper()


def format_diarienummer(kod: str, ar: int, lopnr: int) -> str:
    """Return "KOD/ÅÅÅÅ:N"; raises DiarienummerError if the parts are out of range."""
    return str(Diarienummer(kod, ar, lopnr))


def parse(text: str, known_codes: Iterable[str] | None = None) -> Diarienummer:
    """Parse a field that must hold exactly one diary number.

    Surrounding whitespace, the slash-less form "SOCN2023:68" and a lower-case
    code are accepted and normalised. With `known_codes` the code must be one of
    them; None accepts any well-formed code. Anything else, including a trailing
    classification, raises DiarienummerError.
    """
    number, rest, field = _parse_start(text, known_codes)
    if rest:
        raise DiarienummerError(
            _invalid(
                field,
                f'fältet får bara innehålla diarienumret, men efter det står "{_shown(rest)}"',
                str(number),
            )
        )
    return number


def parse_beteckning(text: str, known_codes: Iterable[str] | None = None) -> Beteckning:
    """Parse a "Vår beteckning" field: a diary number, optionally " - " and a classification.

    The dash may be surrounded by any whitespace, line breaks included.
    """
    number, rest, field = _parse_start(text, known_codes)
    if not rest:
        return Beteckning(number, None)
    example = f"{number} - 759"
    match = _CLASSIFICATION_RE.fullmatch(rest)
    if match is None:
        raise DiarienummerError(
            _invalid(
                field,
                f'efter diarienumret står "{_shown(rest)}", '
                'men en klassificering ska skrivas efter " - "',
                example,
                _BETECKNING_FORM,
            )
        )
    klass = " ".join(match["klass"].split())
    if not klass:
        raise DiarienummerError(
            _invalid(field, "klassificeringen efter strecket saknas", example, _BETECKNING_FORM)
        )
    return Beteckning(number, klass)


def find_all(text: str, known_codes: Iterable[str]) -> list[Diarienummer]:
    """Every diary number with a known code in free text, in order of appearance.

    Ranges are expanded ("SOCN2023:64-65" gives 64 and 65). Numbers with an
    unknown code (such as "SOU2021:93"), a year out of range or a zero-padded
    running number are skipped. A number mentioned twice is returned twice.
    """
    codes = _normalise_codes(known_codes)
    found: list[Diarienummer] = []
    for match in _TEXT_RE.finditer(_nfc(text)):
        kod = match["kod"].upper()
        if codes is not None and kod not in codes:
            continue
        ar = int(match["ar"])
        first = _lopnr(match["lopnr"])
        if first is None or not MIN_YEAR <= ar <= MAX_YEAR:
            continue
        last = _lopnr(match["till"]) if match["till"] else None
        if last is None or not first < last <= first + MAX_RANGE:
            last = first
        found.extend(Diarienummer(kod, ar, n) for n in range(first, last + 1))
    return found


# --- helpers ---------------------------------------------------------------


def _parse_start(text: str, known_codes: Iterable[str] | None) -> tuple[Diarienummer, str, str]:
    """Parse the diary number at the start of a field.

    Returns the number, whatever follows it and the stripped field (for messages).
    """
    codes = _normalise_codes(known_codes)
    generic = f"{sorted(codes)[0] if codes else _DEFAULT_CODE}/2023:17"
    field = _nfc(text).strip()
    if not field:
        raise DiarienummerError(f"Diarienummer saknas: fältet är tomt. {_expected(generic)}")

    match = _FIELD_RE.fullmatch(field)
    if match is None:
        raise DiarienummerError(
            _invalid(field, "det består inte av en kod, ett år och ett löpnummer", generic)
        )
    kod, ar_text, lopnr_text, rest = match.group("kod", "ar", "lopnr", "rest")
    kod = kod.upper()
    if not _CODE_RE.fullmatch(kod):
        raise DiarienummerError(_invalid(field, _code_problem(kod), generic))
    if codes is not None and kod not in codes:
        known = ", ".join(sorted(codes)) or "inga"
        raise DiarienummerError(
            f'"{_shown(field)}" är inte ett diarienummer i den här nämnden: '
            f"koden {kod} är okänd (kända koder: {known}). {_expected(generic)}"
        )
    generic = f"{kod}/2023:17"
    if len(ar_text) != 4:
        raise DiarienummerError(_invalid(field, "året ska skrivas med fyra siffror", generic))
    ar, lopnr = int(ar_text), int(lopnr_text)
    problem = _problem(kod, ar, lopnr)
    if problem:
        raise DiarienummerError(_invalid(field, problem, generic))
    if lopnr_text.startswith("0"):
        raise DiarienummerError(
            _invalid(field, "löpnumret får inte börja med 0", f"{kod}/{ar}:{lopnr}")
        )
    return Diarienummer(kod, ar, lopnr), rest, field


def _problem(kod: str, ar: int, lopnr: int) -> str | None:
    """What is wrong with already split parts, in Swedish, or None."""
    if not _CODE_RE.fullmatch(kod):
        return _code_problem(kod)
    if not MIN_YEAR <= ar <= MAX_YEAR:
        return f"året {ar} ligger utanför {MIN_YEAR}–{MAX_YEAR}"
    if lopnr < 1:
        return "löpnumret måste vara minst 1"
    if lopnr > MAX_LOPNR:
        return f"löpnumret får vara högst {MAX_LOPNR}"
    return None


def _code_problem(kod: str) -> str:
    return f"koden {_shown(kod, 20)} ska vara 2–10 bokstäver (A–Ö)"


def _lopnr(digits: str) -> int | None:
    """A running number from free text, or None if it is zero-padded or out of range."""
    if digits.startswith("0") or len(digits) > len(str(MAX_LOPNR)):
        return None
    return int(digits)


def _normalise_codes(known_codes: Iterable[str] | None) -> frozenset[str] | None:
    if known_codes is None:
        return None
    if isinstance(known_codes, str):  # a lone "SOCN" would otherwise iterate as S, O, C, N
        known_codes = [known_codes]
    return frozenset(_nfc(code).strip().upper() for code in known_codes)


def _nfc(text: str) -> str:
    # Text from PDFs and macOS can spell Å/Ä/Ö decomposed; the patterns expect composed.
    return unicodedata.normalize("NFC", text)


def _shown(text: str, limit: int = 60) -> str:
    """The input as quoted in a message: on one line and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected(example: str, form: str = _FORM) -> str:
    what = "beteckningen" if form == _BETECKNING_FORM else "diarienumret"
    return f"Skriv {what} som {form}, till exempel {example}."


def _invalid(field: str, reason: str, example: str, form: str = _FORM) -> str:
    return f'Ogiltigt diarienummer "{_shown(field)}": {reason}. {_expected(example, form)}'
