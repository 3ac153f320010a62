"""Tests for nämndtool.personnummer: the corpus of hits and non-hits, the written form, a property test over every
allowed way of writing a number, and the demo data and seed texts, which must hold no personnummer."""

import datetime
import json
import re
import time
import unicodedata
from dataclasses import FrozenInstanceError
from pathlib import Path

import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nämndtool.personnummer import NFKC_DIGIT_RANGES, Hit, find_personnummer, scan
from support import SAMPLE_DIR, SAMPLE_JSON

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt\\])")


# --- the corpus --------------------------------------------------------------------------------------------

def _unescape(text: str) -> str:
    simple = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}
    return _ESCAPE.sub(lambda m: simple.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text)


def _corpus(name: str) -> list[tuple[int, str]]:
    """(line number, line) for every example line of a corpus file."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [(number, line) for number, line in enumerate(lines, 1)
            if line.strip() and not line.lstrip().startswith("#")]


HITS = _corpus("personnummer_hits.txt")
NON_HITS = _corpus("personnummer_non_hits.txt")


def test_the_corpus_is_not_empty():
    assert len(HITS) > 80 and len(NON_HITS) > 70


@pytest.mark.parametrize("number, line", HITS, ids=[f"rad {n}" for n, _ in HITS])
def test_hit(number, line):
    text, _, expected = line.partition("\t")
    hits = scan(_unescape(text))
    assert hits, f"rad {number}: inget hittades i {text!r}"
    if expected:
        assert [hit.digits for hit in hits] == expected.split(",")
    for hit in hits:
        assert hit.written in _unescape(text)


@pytest.mark.parametrize("number, line", NON_HITS, ids=[f"rad {n}" for n, _ in NON_HITS])
def test_non_hit(number, line):
    assert scan(_unescape(line)) == [], f"rad {number}: falsk träff i {line!r}"


# --- the result --------------------------------------------------------------------------------------------

def test_written_is_the_original_substring_with_odd_characters():
    text = "Barnet, pnr 8001\u200b01\u2011\u00ad1234, har ansökt."
    [hit] = scan(text)
    assert hit.written == "8001\u200b01\u2011\u00ad1234" and hit.written in text
    assert hit.digits == "8001011234"


def test_digits_are_ascii_whatever_the_script():
    [hit] = scan("Född ١٩٨٠٠١٠١-١٢٣٤ i Bagdad")
    assert hit.digits == "198001011234" and hit.written == "١٩٨٠٠١٠١-١٢٣٤"


def test_checksum_and_kind():
    valid, wrong = scan("811218-9876 och 811218-9875")
    assert valid.checksum_ok and valid.kind() == "personnummer"
    assert not wrong.checksum_ok and wrong.kind() == "personnummer (med felaktig kontrollsiffra)"
    [samordning] = scan("701063-2391")
    assert samordning.samordningsnummer and samordning.kind() == "samordningsnummer"
    [wrong_samordning] = scan("701063-2392")
    assert wrong_samordning.kind() == "samordningsnummer (med felaktig kontrollsiffra)"
    assert scan("19121212-1212")[0].checksum_ok and scan("121212+1212")[0].checksum_ok


@pytest.mark.parametrize("text, masked", [
    ("800101-1234", "8001••-••••"),
    ("19800101-1234", "1980••••-••••"),
    ("19 80 01 01 - 12 34", "19 80 •• •• - •• ••"),
    ("8001011234", "8001••••••"),
    ("８００１０１-１２３４", "８００１••-••••"),
    ("80\u200b0101-1234", "80\u200b01••-••••"),
])
def test_masked_never_shows_more_than_four_digits(text, masked):
    [hit] = scan(text)
    assert hit.masked() == masked
    assert sum(char.isdigit() for char in hit.masked()) == 4


def test_hit_is_frozen_and_find_personnummer_returns_the_written_forms():
    text = "Kalle 19850709-1234 och Lisa 80 01 01 1234."
    assert find_personnummer(text) == [hit.written for hit in scan(text)] == ["19850709-1234", "80 01 01 1234"]
    with pytest.raises(FrozenInstanceError):
        scan(text)[0].digits = "0"
    assert Hit("x", "8001011234", False, True).kind() == "personnummer"


def test_nothing_in_empty_or_digit_free_text():
    assert scan("") == [] and scan("Socialnämnden sammanträder i Katrineholm.") == []


def test_nfkc_digit_table_matches_this_python():
    """NFKC_DIGIT_RANGES must list every non-decimal character whose NFKC form holds a decimal digit: a
    character missing there would break a run of digits and hide a number."""
    listed = re.compile(f"[{NFKC_DIGIT_RANGES}]")
    decimal = re.compile(r"\d")
    for code in range(0x110000):
        char = chr(code)
        if decimal.match(char):
            continue
        has_digit = any(unicodedata.decimal(c, None) is not None for c in unicodedata.normalize("NFKC", char))
        assert has_digit == bool(listed.match(char)), f"U+{code:04X} {unicodedata.name(char, '?')}"


# --- every allowed way of writing a valid number is found ----------------------------------------------------

ZEROS = "0０٠۰०০௦๐𝟎𝟘𝟶"
BLANKS = [" ", "\t", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\n", "\r\n", "\u2028", "\u2029"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"]
DOTS = [".", "\u00b7"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SINGLE_BLANK = [b for b in BLANKS if len(b) == 1]
PREFIXES = ["", "Pnr ", "personnummer: ", "(", "Kalle Karlsson, ", "pnr", "\n", "Barnet ", "– "]
SUFFIXES = ["", ".", ",", ")", " har ansökt", "\n", " och", "kr"]


def _blank_run(draw) -> str:
    return "".join(draw(st.lists(st.sampled_from(BLANKS), min_size=1, max_size=2)))


def _marked_run(draw, marks: list[str]) -> str:
    """A dash, dot or plus with at most one blank on each side."""
    around = st.sampled_from(["", *SINGLE_BLANK])
    return draw(around) + draw(st.sampled_from(marks)) + draw(around)


def _run(draw, kind: str) -> str:
    if kind == "blank":
        return _blank_run(draw)
    return _marked_run(draw, {"dash": DASHES, "dot": DOTS, "plus": ["+"]}[kind])


def _luhn(digits: str) -> bool:
    total = sum(sum(divmod(int(d) * (2 - i % 2), 10)) for i, d in enumerate(digits[-10:]))
    return total % 10 == 0


@st.composite
def written_numbers(draw):
    """(text, digits, number as written, samordningsnummer) for a valid number written in an allowed way."""
    date = draw(st.dates(datetime.date(1800, 1, 1), datetime.date(2099, 12, 31)))
    samordning = draw(st.booleans())
    twelve = draw(st.booleans())
    day = date.day + 60 * samordning
    century, year = f"{date.year:04d}"[:2], f"{date.year:04d}"[2:]
    last = f"{draw(st.integers(0, 9999)):04d}"
    date_parts = [century, year, f"{date.month:02d}", f"{day:02d}"] if twelve else [year, f"{date.month:02d}",
                                                                                       f"{day:02d}"]
    split = draw(st.sampled_from([None, "blank", "dash", "dot"]))
    written = date_parts[0]
    for index, part in enumerate(date_parts[1:], 1):
        century_gap = twelve and index == 1
        if split and (not century_gap or draw(st.booleans())):
            written += _run(draw, split)
        written += part
    if split or draw(st.booleans()):
        written += _run(draw, draw(st.sampled_from(["blank", "dash", "dot", "plus"])))
        if draw(st.booleans()):
            last = last[:2] + _blank_run(draw) + last[2:]
    written += last
    written = _other_scripts(draw, written)
    written = _with_invisibles(draw, written)
    digits = "".join(date_parts) + re.sub(r"\D", "", last)
    text = draw(st.sampled_from(PREFIXES)) + written + draw(st.sampled_from(SUFFIXES))
    return text, digits, written, samordning


def _other_scripts(draw, written: str) -> str:
    zeros = draw(st.lists(st.sampled_from(ZEROS), min_size=1, max_size=3))
    return "".join(chr(ord(draw(st.sampled_from(zeros))) + int(c)) if c.isdigit() else c for c in written)


def _with_invisibles(draw, written: str) -> str:
    """Invisible characters between characters of the number (never before its first or after its last)."""
    spots = draw(st.lists(st.integers(1, len(written) - 1), max_size=3))
    for spot in sorted(spots, reverse=True):
        written = written[:spot] + draw(st.sampled_from(INVISIBLE)) + written[spot:]
    return written


@given(written_numbers())
def test_any_valid_number_written_in_any_allowed_way_is_found(example):
    text, digits, written, samordning = example
    hits = scan(text)
    assert [hit.digits for hit in hits] == [digits], repr(text)
    assert hits[0].written == written
    assert hits[0].samordningsnummer == samordning
    assert hits[0].checksum_ok == _luhn(digits)


@given(st.integers(0, 99), st.integers(13, 99), st.integers(1, 28), st.integers(0, 9999),
       st.sampled_from(["", "-", "+", " "]))
def test_no_month_no_hit(year, month, day, last, separator):
    assert scan(f"{year:02d}{month:02d}{day:02d}{separator}{last:04d}") == []


# --- real texts: the demo data and the seeds ----------------------------------------------------------------

def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)


def _pdf_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


def _report(hits: list[tuple[str, Hit]]) -> str:
    return "\n".join(f"{where}: {hit.masked()!r} ({hit.kind()})" for where, hit in hits)


def test_no_personnummer_in_the_demo_meeting():
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    hits = [("meeting-2023.json", hit) for text in _strings(data) for hit in scan(text)]
    assert not hits, _report(hits)


def test_no_personnummer_in_the_demo_bilagor():
    pdfs = sorted((SAMPLE_DIR / "bilagor").glob("*.pdf"))
    assert len(pdfs) >= 10
    hits = [(f"{pdf.name} sida {page}", hit)
            for pdf in pdfs for page, text in enumerate(_pdf_pages(pdf), 1) for hit in scan(text)]
    assert not hits, _report(hits)


def test_no_personnummer_in_the_seed_texts():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} finns inte (seed-texterna följer inte med förrådet, till exempel i CI)")
    hits = []
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        hits += [(f"{seed.name}:{text.count(chr(10), 0, text.index(hit.written)) + 1}", hit) for hit in scan(text)]
    assert not hits, _report(hits)


# --- speed ---------------------------------------------------------------------------------------------------

def test_a_megabyte_of_meeting_text_scans_fast():
    """The module docstring states the measured figure (about 20 ms); this only guards against a rewrite that
    is an order of magnitude slower, with room for a slow CI machine."""
    pages = [text for pdf in sorted((SAMPLE_DIR / "bilagor").glob("*.pdf")) for text in _pdf_pages(pdf)]
    sample = "\n".join(pages)
    megabyte = (sample * (1_000_000 // len(sample) + 1))[:1_000_000]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        scan(megabyte)
        best = min(best, time.perf_counter() - started)
    assert best < 0.25, f"{best * 1000:.0f} ms för 1 MB"
