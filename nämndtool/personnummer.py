"""Find personnummer and samordningsnummer in text: the last check before a public document leaves the program.

A miss puts a person's identity in a public document; a false hit blocks a legitimate one. The rules:

Normalisation (per character, which for digits and separators is the same as NFKC of the whole text; an index
map leads back to the original, so a hit is reported as written):
- NFKC. Format characters (category Cf: zero-width space and joiners, word joiner, BOM, soft hyphen …),
  combining marks (Mn, Me) and the Hangul fillers are dropped: they neither separate nor break a number.
- A digit is any character with a decimal value after NFKC, in any script (Arabic-Indic, Devanagari, fullwidth,
  mathematical, superscript, circled …). ``Hit.digits`` is always ASCII.

Separators between digit groups:
- blank: any space (Unicode Zs, tab, NBSP, narrow NBSP) or line break (\\n, \\r, \\v, \\f, U+0085,
  U+2028/2029); dash: every dash-like character (category Pd: hyphen-minus, U+2010–2015, U+FE58, U+FE63, U+FF0D
  …, and U+2212 minus sign, U+2796, U+02D7, U+2043, and the stand-ins for a character the font or the encoding
  could not show: U+FFFD, ■, □, ▯ and "?", since "121212■1212" is a non-breaking hyphen in a font without one);
  dot: "." and the middle dots; plus: "+".
- A run of one to four of them (" - ", ".\\n", " -\\r\\n") is one separator, classed by its strongest member
  (plus > dash > dot > blank). Anything else (letters, comma, colon, slash, brackets, longer runs) ends a number.

What is a hit:
- 10 digits ÅÅMMDD NNNN or 12 digits ÅÅÅÅMMDD NNNN with century 18, 19 or 20, made of whole digit groups: no digit
  directly before or after. Letters may touch it: "pnr800101-1234" is a hit.
- The date part is a real calendar date (leap years; 10 digits: real in 19ÅÅ or in 20ÅÅ); for a samordningsnummer
  the day is + 60 (61–91) and day − 60 is real. The check digit (Luhn over the last ten digits) is reported in
  ``Hit.checksum_ok``, never required: a mistyped number still points at a person.
- Separators fall only at component boundaries, and only the way people write them:
  * the date part is whole ("800101", "19800101") or split at every boundary with one kind of separator
    ("80 01 01", "80.01.01", "1980-01-01", "19 80 01 01"); a partial split ("0511-123456", "0910-12 34 56",
    "19 800101") is a phone number or an accident, not a personnummer;
  * between date and last four: any separator including "+" (over 100 years old), or none; a split date part
    needs one;
  * inside the last four: only between its pairs, only blank, and only when the last four is also set apart from
    the date ("800101-12 34", "80 01 01 12 34").
- Neighbouring numbers (the "12 800101-1234" question): a number whose date part is whole stands on its own, so
  "12 800101-1234" reports "800101-1234" (a row number or a phone number beside a personnummer must not hide
  it). A number whose date part is split is refused when a digit group continues it, before or after, with the
  same kind of separator: that is a date range ("2017-01-01 – 2017-12-31") or a row of small numbers in a table
  ("10 05 12 11 23 45"), not a personnummer. For blank separators a line break only continues a number whose
  date part already holds one, so "80 01 01 1234" at the end of a line is still found.

How: a regular expression finds runs of digit-like characters joined by short non-word gaps in the original
text; each run with room for ten digits becomes a skeleton string (ASCII digits and one class letter per
separator character, via str.translate), and one regular expression over the skeleton encodes the layouts,
months and days. Python then checks only the regular expression's matches (calendar, the group before).

Speed, measured on the development machine (Python 3.11, best of five, 1 MB each): Swedish meeting-pack text (the
seed texts repeated: prose with budget tables, dates, phone and diary numbers) about 20 ms; the text of the demo
bilagor about 20 ms; prose without digits about 14 ms. Adversarial input made only of numbers costs more, never
quadratic: 0.15–0.4 s for rows of small numbers or date ranges, about 0.6 s when every line is a personnummer.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Hit", "scan", "find_personnummer"]


# --- characters ----------------------------------------------------------------------------------------------

# Characters that are not decimal digits (re's \d) but whose NFKC form contains one: superscripts, fractions,
# circled and parenthesised numbers, CJK squared numbers … (Unicode 14; tests/test_personnummer.py recomputes it).
NFKC_DIGIT_RANGES = (
    "\u00b2-\u00b3\u00b9\u00bc-\u00be\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215f\u2189\u2460-\u249b\u24ea"
    "\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u3378-\u3379\u339f-\u33a6\u33a8\u33af\u33e0-\u33fe"
    "\U0001f100-\U0001f10a"
)
_HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"   # letters by category, invisible in practice
_LINE_BREAKS = frozenset("\n\r\v\f\x85\u2028\u2029")
_EXTRA_DASHES = frozenset("\u2212\u2796\u02d7\u2043")
_DOTS = frozenset(".\u00b7\u2027\u2219\u30fb")
# What a character the font or the encoding could not show becomes: counted as a dash ("121212■1212" is a
# non-breaking hyphen drawn in a font without one).
_STAND_INS = frozenset("\ufffd\u25a0\u25a1\u25af?")

# A run of digit-like characters joined by short gaps of non-word characters: the only places a number can be.
_DIGIT = rf"[\d{NFKC_DIGIT_RANGES}]"
_GAP = rf"(?:[^\w{NFKC_DIGIT_RANGES}]|[{_HANGUL_FILLERS}])"
_CHAIN = re.compile(rf"{_DIGIT}+(?:{_GAP}{{1,16}}{_DIGIT}+)*")


@lru_cache(maxsize=4096)
def _classify(char: str) -> tuple[str, ...]:
    """The skeleton of one original character: one entry per NFKC character, ignorable ones left out.

    An entry is an ASCII digit, " " (space), "n" (line break), "-" (dash), "." (dot), "+" or "x" (anything else)."""
    if _ignorable(char):
        return ()
    return tuple(kind for kind in map(_kind, unicodedata.normalize("NFKC", char)) if kind)


def _ignorable(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Mn", "Me") or char in _HANGUL_FILLERS


def _kind(char: str) -> str:
    value = unicodedata.decimal(char, None)
    if value is not None:
        return str(value)
    if _ignorable(char):
        return ""
    if char in _LINE_BREAKS:
        return "n"
    category = unicodedata.category(char)
    if char == "\t" or category == "Zs":
        return " "
    if category == "Pd" or char in _EXTRA_DASHES or char in _STAND_INS:
        return "-"
    if char in _DOTS:
        return "."
    return "+" if char == "+" else "x"


class _SkeletonTable(dict):
    """str.translate table: one skeleton character per original one, "z" where that is not possible."""

    def __missing__(self, code: int) -> str:
        kinds = _classify(chr(code))
        self[code] = kinds[0] if len(kinds) == 1 else "z"
        return self[code]


_TABLE = _SkeletonTable()


def _skeleton(chain: str) -> tuple[str, range | list[int]]:
    """The chain's skeleton and, for each skeleton character, its offset in the chain."""
    skeleton = chain.translate(_TABLE)
    if "z" not in skeleton:
        return skeleton, range(len(chain))
    parts, offsets = [], []
    for offset, char in enumerate(chain):   # ignorable or multi-digit characters: the slow way
        kinds = _classify(char)
        parts += kinds
        offsets += [offset] * len(kinds)
    return "".join(parts), offsets


# --- the layouts, as one regular expression over the skeleton ------------------------------------------------

_YY, _CC = "[0-9]{2}", "(?:18|19|20)"
_MM = "(?:0[1-9]|1[0-2])"
_DD = "(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"   # samordningsnummer: day + 60
_RUNS = {   # separator runs by class; a run is never longer than four characters and is followed by a digit
    " ": " {1,4}",                               # spaces only
    "n": "[ n]{1,4}",                            # blank, may hold a line break
    ".": r"(?=[ n]*\.)[ n.]{1,4}",
    "-": r"(?=[ n.]*-)[ n.\-]{1,4}",
}
_ANY = r"(?:(?=[ n.\-]*\+[ n.\-]*[0-9])[ n.\-+]{1,4}|[ n.\-]{1,4})"   # at most one "+"
_APART_LAST4 = rf"{_ANY}[0-9]{{2}}(?:[ n]{{1,4}})?[0-9]{{2}}"   # set apart from the date; pairs may be split
_LAST4 = rf"(?:[0-9]{{4}}|{_APART_LAST4})"


def _split_date(run: str, century: bool) -> str:
    """A date part split at every boundary by runs of one class, not continued by another such run."""
    head = f"{_CC}(?:{run})?{_YY}" if century else _YY
    return rf"{head}{run}{_MM}{run}{_DD}{_APART_LAST4}(?!{run}[0-9])"


def _layouts(century: bool) -> str:
    whole = (f"{_CC}{_YY}" if century else _YY) + f"{_MM}{_DD}{_LAST4}"
    return "|".join([whole, *(_split_date(run, century) for run in _RUNS.values())])


# (?=[0-9]{2}) first: it lets the search skip most positions before trying the layouts.
_NUMBER = re.compile(rf"(?=[0-9]{{2}})(?<![0-9])(?:{_layouts(True)}|{_layouts(False)})(?![0-9])")
_NUMBER10 = re.compile(rf"(?=[0-9]{{2}})(?<![0-9])(?:{_layouts(False)})(?![0-9])")
_GROUP = re.compile("[0-9]+")
_SEPARATOR_RUN = re.compile(r"[ n.\-+]{1,4}$")


# --- the checks the expression leaves to Python ------------------------------------------------------------

def _real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _date_ok(digits: str) -> bool:
    month, day = int(digits[-8:-6]), int(digits[-6:-4])
    if day > 60:
        day -= 60
    if len(digits) == 12:
        return digits[:2] in ("18", "19", "20") and _real_date(int(digits[:4]), month, day)
    year = int(digits[:2])
    return _real_date(1900 + year, month, day) or _real_date(2000 + year, month, day)


def _run_class(run: str) -> str:
    """The class of a separator run: "+", "-", ".", "n" (blank with a line break) or " "."""
    return next((kind for kind in "+-.n" if kind in run), " ")


def _date_runs(number: str) -> list[str]:
    """The separator runs inside the date part of a matched skeleton number (none when the date is whole)."""
    groups = _GROUP.findall(number)
    date_end = sum(map(len, groups)) - 4
    runs, seen = [], 0
    for group, run in zip(groups, _GROUP.split(number)[1:]):
        seen += len(group)
        if seen >= date_end:
            break
        runs.append(run)
    return runs


def _continued_before(skeleton: str, start: int, date_runs: list[str]) -> bool:
    """A split date part with a digit group before it, joined by a run of the same kind."""
    if not date_runs:
        return False
    head = skeleton[max(0, start - 5):start]
    run = _SEPARATOR_RUN.search(head)
    if run is None or run.start() == 0 or not head[run.start() - 1].isdigit():
        return False
    date_class = {_run_class(r) for r in date_runs}
    before = _run_class(run.group(0))
    if date_class <= {" "}:
        return before == " "
    return before in date_class or (before in " n" and date_class <= {" ", "n"})


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits[-10:]):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# --- the result ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    written: str            # the substring of the original text, as written
    digits: str             # the 10 or 12 ASCII digits
    samordningsnummer: bool # day part + 60
    checksum_ok: bool       # Luhn check digit over the last 10 digits

    def masked(self) -> str:
        """The written form with every digit after the first four replaced by "•"."""
        shown, seen = [], 0
        for char in self.written:
            digits = [kind for kind in _classify(char) if kind.isdigit()]
            keep = max(0, 4 - seen)
            shown.append(char if len(digits) <= keep else "".join(digits[:keep]) + "•" * (len(digits) - keep))
            seen += len(digits)
        return "".join(shown)

    def kind(self) -> str:
        name = "samordningsnummer" if self.samordningsnummer else "personnummer"
        return name if self.checksum_ok else f"{name} (med felaktig kontrollsiffra)"


# --- scanning ------------------------------------------------------------------------------------------------

def _accepted(skeleton: str, match: re.Match | None) -> str | None:
    """The digits of a layout match that is also a real date and not continued before; else None."""
    if match is None:
        return None
    number = match.group(0)
    digits = "".join(_GROUP.findall(number))
    if not _date_ok(digits) or _continued_before(skeleton, match.start(), _date_runs(number)):
        return None
    return digits


def _scan_chain(text: str, chain: re.Match) -> list[Hit]:
    skeleton, offsets = _skeleton(chain.group(0))
    hits, position = [], 0
    while (match := _NUMBER.search(skeleton, position)) is not None:
        start = match.start()
        digits = _accepted(skeleton, match)
        if digits is None:   # a 12-digit layout that is no date may still hold a 10-digit one
            match = _NUMBER10.match(skeleton, start)
            digits = _accepted(skeleton, match)
        if digits is None:
            position = start + 1
            continue
        first, last = chain.start() + offsets[start], chain.start() + offsets[match.end() - 1]
        hits.append(Hit(text[first:last + 1], digits, int(digits[-6:-4]) > 60, _luhn(digits)))
        position = match.end()
    return hits


def _long_enough(chain: str) -> bool:
    """Could hold ten digits: one character gives at most two ("⑩"), and only outside ASCII."""
    return len(chain) >= 10 or (len(chain) >= 5 and not chain.isascii())


def scan(text: str) -> list[Hit]:
    """Every personnummer and samordningsnummer in ``text``, in order."""
    hits: list[Hit] = []
    for chain in _CHAIN.finditer(text):
        if _long_enough(chain.group(0)):
            hits += _scan_chain(text, chain)
    return hits


def find_personnummer(text: str) -> list[str]:
    """Every personnummer-shaped string in ``text``, as written."""
    return [hit.written for hit in scan(text)]
