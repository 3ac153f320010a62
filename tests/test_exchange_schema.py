"""The JSON Schema of the exchange format and its Swedish problem messages."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from nämndtool.exchange.schema import load_schema, structural_problems

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = json.loads((ROOT / "resources" / "demo" / "meeting-2023.json").read_text(encoding="utf-8"))

ENGLISH = ("is not", "required property", "does not match", "is not valid under", "additional properties",
           "is too short", "is less than", "was expected", "should be non-empty")

PROTOKOLL = {  # the section exactly as exchange-format.md shows it
    "sekreterare": "Madelene Sönnerfors",
    "justerare": ["Namn Namnsson"],
    "justering": {"datum": "2018-03-28", "plats": "Socialförvaltningen"},
    "narvaro": [
        {"namn": "Marie-Louise Karlsson", "roll": "ledamot", "parti": "S", "tjanstgor": True},
        {"namn": "…", "roll": "ersattare", "parti": "M", "tjanstgor": True, "ersatter": "…"},
        {"namn": "…", "roll": "tjansteperson", "titel": "Förvaltningschef"},
    ],
    "paragrafer": [
        {
            "nr": 27,
            "dagordning_nr": 20,
            "beslut": ["Socialnämnden beslutar att godkänna förvaltningens förslag till remissvar."],
            "yrkanden": [{"av": "…", "text": "bifall till förvaltningens förslag"}],
            "propositionsordning": "Ordföranden ställer proposition på … och finner att …",
            "omrostning": {"ja": 6, "nej": 3, "avstar": 0, "roster": [{"namn": "…", "rost": "ja"}]},
            "reservationer": [{"av": ["…"], "text": "…"}],
            "protokollsanteckningar": [],
            "omedelbart_justerad": True,
            "jav": [],
            "beslutet_skickas_till": [
                {"namn": "Kommunledningsförvaltningen", "adress": None, "epost": "…", "adress_bekraftad": False}
            ],
        }
    ],
}


DELETE = object()


def sample():
    return copy.deepcopy(SAMPLE)


def changed(path, value):
    """A copy of the sample with the value at ``path`` replaced, or deleted when value is DELETE."""
    data = sample()
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def assert_swedish(problems):
    for path, message in problems:
        assert path.startswith("$")
        assert isinstance(message, str) and message
        for word in ENGLISH:
            assert word not in message.lower(), (path, message)


# --- the schema itself and valid files ------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema == json.loads((ROOT / "resources" / "schema" / "meeting-1.schema.json").read_text("utf-8"))
    assert load_schema() is schema  # cached


def test_every_property_has_a_swedish_title_and_description():
    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert sub.get("title") and sub.get("description"), f"{where}.{name}"
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(load_schema(), "#")


def test_the_sample_meeting_is_valid():
    assert structural_problems(sample()) == []


def test_optional_fields_and_protokoll_are_accepted():
    data = sample()
    data["dagordning"][0]["anteckning"] = "handlingarna dukas"
    data["dagordning"][3]["sekretess"] = {"lagrum": "26 kap. 1 § OSL"}
    data["dagordning"][4]["sekretess"] = False
    data["arenden"][0]["svar_senast"] = "2023-03-31"
    data["arenden"][0]["omedelbar_justering"] = True
    data["arenden"][0]["extra_falt_fran_framtiden"] = "ok"  # ärenden may carry more optional fields
    data["namnd"]["extra"] = 1
    data["sammantrade"]["extra"] = [1]
    data["protokoll"] = copy.deepcopy(PROTOKOLL)
    assert structural_problems(data) == []
    data["protokoll"]["paragrafer"][0]["omrostning"] = None  # no vote taken
    assert structural_problems(data) == []
    data["protokoll"]["paragrafer"][0]["omrostning"] = {"ja": 6, "nej": 3, "avstar": 0, "roster": []}
    assert structural_problems(data) == []


def test_nullable_fields_accept_null_and_a_minimal_file_is_valid():
    data = sample()
    for key in ("forvaltning", "kommun", "adress"):
        data["namnd"][key] = None
    for key in ("datum", "tid", "plats", "ordforande", "forhinder_anmals_till"):
        data["sammantrade"][key] = None
    data["dagordning"][0].update(diarienummer=None, sekretess=None, anteckning=None)
    arende = data["arenden"][0]
    for key in ("diarienummer", "klassificering", "offentlig_rubrik", "sekretess", "status", "svar_senast",
                "omedelbar_justering", "bilagor"):
        arende[key] = None
    for key in list(arende["tjansteskrivelse"]):
        arende["tjansteskrivelse"][key] = None
    data["arenden"][1]["tjansteskrivelse"] = None
    data["protokoll"] = None
    assert structural_problems(data) == []
    data["arenden"] = None
    assert structural_problems(data) == []

    minimal = {
        "format": "namndtool.meeting/1",
        "namnd": {"namn": "Socialnämnden", "kod": "SOCN"},
        "sammantrade": {"organ": "Socialnämnden"},
        "dagordning": [{"nr": 1, "rubrik": "Upprop", "typ": "standard"}],
    }
    assert structural_problems(minimal) == []


# --- broken files ---------------------------------------------------------------------------------------------

BROKEN = [
    (("dagordning", 3, "rubrik"), DELETE, "$.dagordning[3].rubrik", 'saknas men måste finnas (fältet "rubrik")'),
    (("dagordning", 3, "nr"), "fyra", "$.dagordning[3].nr", 'ska vara ett heltal, men är "fyra"'),
    (("dagordning", 0, "nr"), 0, "$.dagordning[0].nr", "ska vara minst 1, men är 0"),
    (("dagordning", 0, "nr"), 1.5, "$.dagordning[0].nr", "ska vara ett heltal, men är 1.5"),
    (("dagordning", 2, "typ"), "möte", "$.dagordning[2].typ", 'ska vara en av: standard, tema, arende – inte "möte"'),
    (("dagordning", 2, "typ"), None, "$.dagordning[2].typ", "ska vara en av: standard, tema, arende – inte null"),
    (("dagordning", 1, "anteckningar"), "x", "$.dagordning[1].anteckningar", 'okänt fält "anteckningar"'),
    (("dagordning", 3, "sekretess"), {"paragraf": "26:1"}, "$.dagordning[3].sekretess",
     'ska vara true, false, null eller {"lagrum": "26 kap. 1 § OSL"}'),
    (("dagordning", 3, "sekretess"), "ja", "$.dagordning[3].sekretess",
     'ska vara true, false, null eller {"lagrum": "26 kap. 1 § OSL"} – inte "ja"'),
    (("arenden", 1, "sekretess"), {"lagrum": 26}, "$.arenden[1].sekretess",
     'ska vara true, false, null eller {"lagrum": "26 kap. 1 § OSL"} – inte {"lagrum": 26}'),
    (("arenden", 0, "status"), "klar", "$.arenden[0].status", "ska vara en av: inkommet, under_beredning"),
    (("arenden", 0, "rubrik"), DELETE, "$.arenden[0].rubrik", 'saknas men måste finnas (fältet "rubrik")'),
    (("arenden", 0, "omedelbar_justering"), "ja", "$.arenden[0].omedelbar_justering",
     'ska vara true, false eller null, men är "ja"'),
    (("arenden", 0, "bilagor", 0, "fil"), DELETE, "$.arenden[0].bilagor[0].fil", "saknas men måste finnas"),
    (("arenden", 0, "tjansteskrivelse", "forslag_till_beslut"), "Beslut", "$.arenden[0].tjansteskrivelse"
     ".forslag_till_beslut", 'ska vara en lista […] eller null, men är "Beslut"'),
    (("arenden", 0, "tjansteskrivelse", "handlingar", 0), 5, "$.arenden[0].tjansteskrivelse.handlingar[0]",
     "ska vara en text, men är 5"),
    (("sammantrade", "datum"), "22/2 2023", "$.sammantrade.datum",
     'ska vara ett datum ÅÅÅÅ-MM-DD, till exempel 2023-02-22 – inte "22/2 2023"'),
    (("sammantrade", "datum"), "2023-02-30", "$.sammantrade.datum", '"2023-02-30" finns inte i kalendern'),
    (("sammantrade", "datum"), "2023-02-22\n", "$.sammantrade.datum", "ska vara ett datum ÅÅÅÅ-MM-DD"),
    (("sammantrade", "datum"), "٢٠٢٣-٠٢-٢٢", "$.sammantrade.datum", "ska vara ett datum ÅÅÅÅ-MM-DD"),
    (("sammantrade", "datum"), 20230222, "$.sammantrade.datum", "ska vara en text eller null, men är 20230222"),
    (("sammantrade", "tid"), "13.00", "$.sammantrade.tid", 'ska vara ett klockslag TT:MM, till exempel 13:00'),
    (("sammantrade", "tid"), "25:00", "$.sammantrade.tid", '"25:00" är inget riktigt klockslag'),
    (("sammantrade", "organ"), DELETE, "$.sammantrade.organ", 'saknas men måste finnas (fältet "organ")'),
    (("sammantrade", "ordforande"), "Martin", "$.sammantrade.ordforande", "ska vara ett objekt {…} eller null"),
    (("namnd", "kod"), None, "$.namnd.kod", "ska vara en text, men är null"),
    (("namnd", "kod"), "", "$.namnd.kod", "får inte vara tom"),
    (("dagordning",), None, "$.dagordning", "ska vara en lista […], men är null"),
    (("format",), "x", "$.format", 'okänt format "x": filen ska ha "format": "namndtool.meeting/1"'),
    (("format",), DELETE, "$.format", 'saknas men måste finnas (fältet "format")'),
    (("protokoll",), {"paragrafer": [{"reservationer": [{"av": []}]}]},
     "$.protokoll.paragrafer[0].reservationer[0].av", "ska innehålla minst 1 post, men har 0"),
    (("protokoll",), {"paragrafer": [{"omrostning": {"ja": -1}}]}, "$.protokoll.paragrafer[0].omrostning.ja",
     "ska vara minst 0, men är -1"),
    (("protokoll",), {"justering": {"datum": "2018-13-01"}}, "$.protokoll.justering.datum", "finns inte i kalendern"),
    (("protokoll",), {"sekreterarе": "x"}, '$.protokoll["sekreterarе"]', "okänt fält"),  # Cyrillic "е"
    (("okand_nyckel",), 1, "$.okand_nyckel", 'okänt fält "okand_nyckel" – tillåtna fält här är: format, utgava, namnd'),
]


@pytest.mark.parametrize(("where", "value", "path", "message"), BROKEN, ids=[b[2] + " " + repr(b[1]) for b in BROKEN])
def test_a_broken_file_gives_one_swedish_problem_at_the_right_path(where, value, path, message):
    problems = structural_problems(changed(where, value))
    assert len(problems) == 1, problems
    assert problems[0][0] == path
    assert message in problems[0][1]
    assert_swedish(problems)


def test_a_file_that_is_not_an_object_gives_one_problem_at_the_top():
    for value, shown in (([], "en lista"), ([SAMPLE], "en lista"), (None, "null"), ("text", '"text"'), (3, "3")):
        problems = structural_problems(value)
        assert problems == [("$", f"filen ska innehålla ett JSON-objekt {{…}} överst, men innehåller {shown}")]


def test_all_problems_are_reported_sorted_by_path():
    data = sample()
    data["dagordning"][10]["nr"] = "elva"
    data["dagordning"][2]["nr"] = "tre"
    data["dagordning"][2]["typ"] = "x"
    del data["namnd"]["kod"]
    data["format"] = "namndtool.meeting/2"
    problems = structural_problems(data)
    assert [path for path, _ in problems] == [
        "$.dagordning[2].nr",
        "$.dagordning[2].typ",
        "$.dagordning[10].nr",
        "$.format",
        "$.namnd.kod",
    ]
    assert_swedish(problems)


def test_an_empty_object_lists_the_required_top_level_fields():
    problems = structural_problems({})
    assert [path for path, _ in problems] == ["$.dagordning", "$.format", "$.namnd", "$.sammantrade"]
    assert_swedish(problems)


# --- robustness -----------------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _all_paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _all_paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _all_paths(value, prefix + (i,))


SAMPLE_WITH_PROTOKOLL = {**SAMPLE, "protokoll": PROTOKOLL}
SAMPLE_PATHS = [p for p in _all_paths(SAMPLE_WITH_PROTOKOLL) if p]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_arbitrary_json_never_raises(value):
    problems = structural_problems(value)
    assert isinstance(problems, list)
    assert_swedish(problems)
    if not isinstance(value, dict):
        assert len(problems) == 1 and problems[0][0] == "$"


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLE_PATHS), JSON_VALUES)
def test_arbitrary_json_anywhere_in_a_valid_file_never_raises(where, value):
    data = copy.deepcopy(SAMPLE_WITH_PROTOKOLL)
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    problems = structural_problems(data)
    assert_swedish(problems)
    assert len(problems) == len(set(problems))
