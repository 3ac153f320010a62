"""Tests for nämndtool.diarienummer: parsing, formatting and finding diary numbers."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nämndtool.diarienummer import (
    Beteckning,
    Diarienummer,
    find_all,
    format_diarienummer,
    parse,
    parse_beteckning,
)
from nämndtool.errors import DiarienummerError, NamndtoolError

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

SOCN = ["SOCN"]


def error_for(func, text, known_codes=SOCN) -> str:
    with pytest.raises(DiarienummerError) as info:
        func(text, known_codes)
    return str(info.value)


# --- parse -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SOCN/2023:17", Diarienummer("SOCN", 2023, 17)),
        ("SOCN/2022:111", Diarienummer("SOCN", 2022, 111)),
        ("SOCN2023:68", Diarienummer("SOCN", 2023, 68)),
        ("  SOCN/2023:17 \n", Diarienummer("SOCN", 2023, 17)),
        ("socn/2023:17", Diarienummer("SOCN", 2023, 17)),
        ("Socn2023:17", Diarienummer("SOCN", 2023, 17)),
        ("SOCN/1900:1", Diarienummer("SOCN", 1900, 1)),
        ("SOCN/2199:999999", Diarienummer("SOCN", 2199, 999999)),
    ],
)
def test_parse_accepts_and_normalises(text, expected):
    assert parse(text, SOCN) == expected
    assert parse(text) == expected


def test_parse_normalises_to_canonical_string():
    assert str(parse("socn2023:68")) == "SOCN/2023:68"


def test_known_codes_compare_case_insensitively():
    assert parse("SOCN/2023:17", ["socn"]).kod == "SOCN"
    assert parse("socn/2023:17", ["Socn "]).kod == "SOCN"


def test_known_codes_as_single_string_is_one_code():
    assert parse("SOCN/2023:17", "SOCN") == Diarienummer("SOCN", 2023, 17)
    with pytest.raises(DiarienummerError):
        parse("SO/2023:17", "SOCN")


def test_swedish_letters_in_code():
    assert parse("ÅÄÖN/2023:5", ["åäön"]) == Diarienummer("ÅÄÖN", 2023, 5)
    decomposed = unicodedata.normalize("NFD", "ÄLDN/2023:5")
    assert parse(decomposed, ["ÄLDN"]) == Diarienummer("ÄLDN", 2023, 5)


def test_other_organs_number_valid_only_when_code_known():
    assert parse_beteckning("KS/2018:69 - 047", ["SOCN", "KS"]) == Beteckning(
        Diarienummer("KS", 2018, 69), "047"
    )
    message = error_for(parse_beteckning, "KS/2018:69 - 047")
    assert "koden KS är okänd" in message


def test_known_codes_none_accepts_any_well_formed_code():
    assert parse("KS/2018:69") == Diarienummer("KS", 2018, 69)
    assert parse("SOU2021:93") == Diarienummer("SOU", 2021, 93)
    assert parse("BYGGNAMNDX/2020:1") == Diarienummer("BYGGNAMNDX", 2020, 1)


def test_zero_padded_number_message():
    assert error_for(parse, "SOCN/2022:015") == (
        'Ogiltigt diarienummer "SOCN/2022:015": löpnumret får inte börja med 0. '
        "Skriv diarienumret som KOD/ÅÅÅÅ:N, till exempel SOCN/2022:15."
    )


def test_unknown_code_message():
    assert error_for(parse, "SOU2021:93") == (
        '"SOU2021:93" är inte ett diarienummer i den här nämnden: koden SOU är okänd '
        "(kända koder: SOCN). Skriv diarienumret som KOD/ÅÅÅÅ:N, till exempel SOCN/2023:17."
    )


def test_example_uses_first_known_code_sorted():
    message = error_for(parse, "SOU2021:93", ["SOCN", "BUN"])
    assert "(kända koder: BUN, SOCN)" in message
    assert message.endswith("till exempel BUN/2023:17.")


def test_example_without_known_codes_uses_socn():
    assert error_for(parse, "Lag (1990:52)", None).endswith("till exempel SOCN/2023:17.")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_input_says_number_is_missing(text):
    message = error_for(parse, text)
    assert message.startswith("Diarienummer saknas")
    assert "KOD/ÅÅÅÅ:N" in message


@pytest.mark.parametrize(
    "text, reason",
    [
        ("SOSFS 2011:9", "består inte av en kod, ett år och ett löpnummer"),
        ("(2015/16:43)", "består inte av en kod, ett år och ett löpnummer"),
        ("Lag (1990:52)", "består inte av en kod, ett år och ett löpnummer"),
        ("KFS nr 1.10", "består inte av en kod, ett år och ett löpnummer"),
        ("SOCN/2023", "består inte av en kod, ett år och ett löpnummer"),
        ("SOCN /2023:17", "består inte av en kod, ett år och ett löpnummer"),
        ("SOCN/2023:17 och SOCN/2023:18", "fältet får bara innehålla diarienumret"),
        ("SOCN2023:64-65", "fältet får bara innehålla diarienumret"),
        ("S/2023:1", "koden S ska vara 2–10 bokstäver"),
        ("SOCIALNAMNDEN/2023:1", "ska vara 2–10 bokstäver"),
        ("SOCN/23:17", "året ska skrivas med fyra siffror"),
        ("SOCN/1899:17", "året 1899 ligger utanför 1900–2199"),
        ("SOCN/2200:17", "året 2200 ligger utanför 1900–2199"),
        ("SOCN/2023:0", "löpnumret måste vara minst 1"),
        ("SOCN/2023:00", "löpnumret måste vara minst 1"),
        ("SOCN/2023:1000000", "löpnumret får vara högst 999999"),
        ("SOCN/2023:٣", "består inte av en kod"),  # Arabic-Indic digit
        ("\u017fOCN/2023:1", "består inte av en kod"),  # long s, upper() would give "S"
    ],
)
def test_parse_rejects_with_swedish_message(text, reason):
    message = error_for(parse, text, None)
    shown = " ".join(text.split())
    assert message.startswith(f'Ogiltigt diarienummer "{shown}": ')
    assert reason in message
    assert "Skriv diarienumret som KOD/ÅÅÅÅ:N, till exempel " in message


@pytest.mark.parametrize(
    "text", ["SOU2021:93", "SOSFS 2011:9", "(2015/16:43)", "Lag (1990:52)", "KFS nr 1.10"]
)
def test_look_alikes_rejected_with_known_codes(text):
    message = error_for(parse, text)
    assert f'"{text}"' in message
    assert "KOD/ÅÅÅÅ:N" in message


def test_parse_rejects_trailing_classification():
    message = error_for(parse, "SOCN/2018:23 - 759")
    assert message == (
        'Ogiltigt diarienummer "SOCN/2018:23 - 759": fältet får bara innehålla diarienumret, '
        'men efter det står "- 759". '
        "Skriv diarienumret som KOD/ÅÅÅÅ:N, till exempel SOCN/2018:23."
    )


def test_message_shows_multiline_input_on_one_line_and_truncated():
    message = error_for(parse, "SOCN/2018:23 -  \n759")
    assert '"SOCN/2018:23 - 759"' in message
    long = error_for(parse, "x" * 500)
    assert "x" * 59 + "…" in long and "x" * 61 not in long


def test_error_is_a_value_error_and_namndtool_error():
    with pytest.raises(ValueError):
        parse("nej")
    with pytest.raises(NamndtoolError):
        parse("nej")


# --- parse_beteckning ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number, klass",
    [
        ("SOCN/2023:17", ("SOCN", 2023, 17), None),
        ("SOCN/2018:23 - 759", ("SOCN", 2018, 23), "759"),
        ("SOCN/2018:23 -  \n759", ("SOCN", 2018, 23), "759"),
        ("SOCN/2018:23\n- 759 ", ("SOCN", 2018, 23), "759"),
        ("SOCN/2018:23 – 759", ("SOCN", 2018, 23), "759"),  # en dash, as Word autocorrects
        ("SOCN/2018:23 -759", ("SOCN", 2018, 23), "759"),
        (
            "SOCN/2022:26 - 1.2.7 - Återkoppla till förtroendevalda",
            ("SOCN", 2022, 26),
            "1.2.7 - Återkoppla till förtroendevalda",
        ),
        (
            "SOCN/2022:26 -\n1.2.7 -  Återkoppla till\n  förtroendevalda\n",
            ("SOCN", 2022, 26),
            "1.2.7 - Återkoppla till förtroendevalda",
        ),
        ("socn2022:26 - 1.2.7", ("SOCN", 2022, 26), "1.2.7"),
    ],
)
def test_parse_beteckning(text, number, klass):
    beteckning = parse_beteckning(text, SOCN)
    assert beteckning == Beteckning(Diarienummer(*number), klass)


def test_beteckning_str():
    assert str(parse_beteckning("SOCN/2018:23 -  \n759")) == "SOCN/2018:23 - 759"
    assert str(parse_beteckning(" SOCN2023:17 ")) == "SOCN/2023:17"
    assert str(Beteckning(Diarienummer("SOCN", 2023, 17), None)) == "SOCN/2023:17"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("SOCN/2018:23 759", 'efter diarienumret står "759"'),
        ("SOCN/2018:23-759", 'efter diarienumret står "-759"'),  # no spaces: could be a range
        ("SOCN/2018:23 - ", "klassificeringen efter strecket saknas"),
    ],
)
def test_parse_beteckning_rejects(text, reason):
    message = error_for(parse_beteckning, text)
    assert message.startswith(f'Ogiltigt diarienummer "{text.strip()}": ')
    assert reason in message
    assert message.endswith(
        "Skriv beteckningen som KOD/ÅÅÅÅ:N - klassificering, till exempel SOCN/2018:23 - 759."
    )


def test_parse_beteckning_checks_the_number_like_parse():
    message = error_for(parse_beteckning, "SOCN/2022:015 - 759")
    assert "löpnumret får inte börja med 0" in message
    assert "till exempel SOCN/2022:15." in message
    assert "koden SOU är okänd" in error_for(parse_beteckning, "SOU2021:93 - 1")


# --- find_all -------------------------------------------------------------------


def test_find_all_in_free_text():
    text = (
        "Enligt beslut SOCN/2023:17 och SOCN2023:68 (se även SOCN/2022:111) ska nämnden, "
        "med stöd av SOSFS 2011:9, Lag (1990:52), prop. (2015/16:43) och SOU2021:93 "
        "samt KFS nr 1.10, behandla ärendena SOCN2023:64-65. Felaktigt: SOCN/2022:015."
    )
    assert [str(d) for d in find_all(text, SOCN)] == [
        "SOCN/2023:17",
        "SOCN/2023:68",
        "SOCN/2022:111",
        "SOCN/2023:64",
        "SOCN/2023:65",
    ]


def test_find_all_keeps_classification_out_and_handles_line_breaks():
    text = "Vår beteckning\nSOCN/2018:23 -  \n759\nSOCN/2022:26 - 1.2.7 - Återkoppla"
    assert find_all(text, SOCN) == [Diarienummer("SOCN", 2018, 23), Diarienummer("SOCN", 2022, 26)]


def test_find_all_other_organ_only_when_known():
    text = "KS/2018:69 - 047 och SOCN/2018:23"
    assert find_all(text, SOCN) == [Diarienummer("SOCN", 2018, 23)]
    assert find_all(text, ["socn", "ks"]) == [
        Diarienummer("KS", 2018, 69),
        Diarienummer("SOCN", 2018, 23),
    ]


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("SOCN2023:64-65", [64, 65]),
        ("SOCN/2023:1–3", [1, 2, 3]),  # en dash
        ("SOCN/2023:65-64", [65]),  # backwards: not a range
        ("SOCN/2023:64-065", [64]),  # zero-padded end: not a range
        ("SOCN/2018:23-759", [23]),  # too wide to be a range
        ("SOCN/2018:23 - 24", [23]),  # spaced dash is a classification
    ],
)
def test_find_all_ranges(text, numbers):
    assert [d.lopnr for d in find_all(text, SOCN)] == numbers


@pytest.mark.parametrize(
    "text",
    [
        "XSOCN/2023:17",  # code glued to a longer word
        "ASOCN2023:17",
        "SOCN/2023:015",
        "SOCN/2023:0",
        "SOCN/1899:5",
        "SOCN/20231:5",
        "SOCN/2023:1234567",
        "SOCN 2023:5",
    ],
)
def test_find_all_skips_non_numbers(text):
    assert find_all(text, SOCN) == []


def test_find_all_finds_lowercase_and_repeats():
    assert find_all("socn/2023:1, SOCN/2023:1", SOCN) == [Diarienummer("SOCN", 2023, 1)] * 2


def test_find_all_punctuation_around():
    text = "(SOCN/2023:1), SOCN/2023:2. SOCN/2023:3;\"SOCN/2023:4\""
    assert [d.lopnr for d in find_all(text, SOCN)] == [1, 2, 3, 4]


# --- Diarienummer and format_diarienummer ------------------------------------------------


def test_format_diarienummer():
    assert format_diarienummer("SOCN", 2023, 17) == "SOCN/2023:17"
    assert format_diarienummer("socn", 2023, 17) == "SOCN/2023:17"


@pytest.mark.parametrize(
    "args",
    [
        ("S", 2023, 1),
        ("SO-CN", 2023, 1),
        ("SOCN", 1800, 1),
        ("SOCN", 2023, 0),
        ("SOCN", 2023, 1_000_000),
    ],
)
def test_format_diarienummer_rejects(args):
    with pytest.raises(DiarienummerError, match="Ogiltigt diarienummer"):
        format_diarienummer(*args)


def test_diarienummer_rejects_wrong_types():
    with pytest.raises(TypeError):
        Diarienummer("SOCN", "2023", 1)
    with pytest.raises(TypeError):
        Diarienummer("SOCN", 2023, True)


def test_diarienummer_normalises_code_and_orders():
    assert Diarienummer("socn", 2023, 1) == Diarienummer("SOCN", 2023, 1)
    numbers = [
        Diarienummer("SOCN", 2023, 10),
        Diarienummer("SOCN", 2022, 99),
        Diarienummer("SOCN", 2023, 9),
    ]
    assert [str(d) for d in sorted(numbers)] == ["SOCN/2022:99", "SOCN/2023:9", "SOCN/2023:10"]


# --- properties ---------------------------------------------------------------------------

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ", min_size=2, max_size=10)
numbers = st.builds(
    Diarienummer,
    codes,
    st.integers(min_value=1900, max_value=2199),
    st.integers(min_value=1, max_value=999_999),
)


@given(numbers)
def test_roundtrip(d):
    assert str(parse(str(d))) == str(d)
    assert parse(f"{d.kod}{d.ar}:{d.lopnr}") == d
    assert parse(str(d).lower(), [d.kod]) == d
    assert find_all(f"Se ärende {d}.", [d.kod]) == [d]


@given(numbers, st.text(min_size=1).filter(lambda s: s.split()))
def test_beteckning_roundtrip(d, klass):
    klass = " ".join(unicodedata.normalize("NFC", klass).split())  # parsing normalises to NFC
    beteckning = Beteckning(d, klass)
    assert parse_beteckning(str(beteckning)) == beteckning


# Fragments that get arbitrary text deep into the parser, not only past the first check.
fragments = st.lists(
    st.sampled_from(
        ["SOCN", "socn", "KS", "/", ":", "-", "–", " - ", " ", "\n", "0", "17", "2023"]
        + ["٣", "ß", "\u017f", "\u212a"]  # look-alike digits and letters
    )
    | st.text(max_size=3),
    max_size=12,
).map("".join)


@given(st.text() | fragments, st.none() | st.just(SOCN))
def test_parsing_arbitrary_text_raises_only_diarienummer_error(text, known_codes):
    for func in (parse, parse_beteckning):
        try:
            func(text, known_codes)
        except DiarienummerError as err:
            assert str(err)
    find_all(text, known_codes or SOCN)


# --- numbering and parsing agree on one range (issue 11, point 8) -------------------------------------------------


def test_numbering_stops_at_the_highest_number_parse_accepts(store):
    import datetime as dt

    from nämndtool.diarienummer import MAX_LOPNR

    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    store.save_arende_by_number(namnd_id, Diarienummer("SOCN", 2025, MAX_LOPNR - 1), {"rubrik": "Importerat"})
    last = store.register_arende(namnd_id, "Det sista", today=dt.date(2025, 6, 1))
    assert last["diarienummer"] == f"SOCN/2025:{MAX_LOPNR}"
    assert parse(last["diarienummer"], SOCN) == Diarienummer("SOCN", 2025, MAX_LOPNR)
    with pytest.raises(NamndtoolError, match="Diarieserien SOCN/2025 är slut"):
        store.register_arende(namnd_id, "Ett för mycket", today=dt.date(2025, 6, 2))
    assert store.value("SELECT count(*) FROM arende") == 2
    with pytest.raises(DiarienummerError, match=f"högst {MAX_LOPNR}"):
        parse(f"SOCN/2025:{MAX_LOPNR + 1}", SOCN)
    # Another year's series is untouched.
    assert store.register_arende(namnd_id, "Nytt år", today=dt.date(2026, 1, 2))["diarienummer"] == "SOCN/2026:1"


def test_a_lost_series_row_does_not_hand_out_an_existing_number(store):
    import datetime as dt

    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    for title in ("Ett", "Två"):
        store.register_arende(namnd_id, title, today=dt.date(2025, 3, 1))
    with store.write():
        store.execute("DELETE FROM diarieserie")
    assert store.next_number(namnd_id, 2025) == 3
    assert store.register_arende(namnd_id, "Tre", today=dt.date(2025, 3, 2))["diarienummer"] == "SOCN/2025:3"
