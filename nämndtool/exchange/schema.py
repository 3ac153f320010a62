"""The JSON Schema of the meeting exchange format (namndtool.meeting/1) and Swedish messages for its problems.

``structural_problems`` checks the shape of a parsed file: which keys exist, their types, enums, date and time
syntax and that dates and times are real. It does not check diary-number syntax or links between items; the
importer does that.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from nämndtool.exchange.format import FORMAT

SCHEMA_NAME = "meeting-1.schema.json"

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIME_PATTERN = r"^\d{2}:\d{2}$"
_ASCII_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ASCII_TIME = re.compile(r"([0-9]{2}):([0-9]{2})")

_DATE_HINT = "ska vara ett datum ÅÅÅÅ-MM-DD, till exempel 2023-02-22"
_TIME_HINT = "ska vara ett klockslag TT:MM, till exempel 13:00"
_SEKRETESS_HINT = 'ska vara true, false, null eller {"lagrum": "26 kap. 1 § OSL"}'

_TYPE_NAMES = {
    "string": ["en text"],
    "integer": ["ett heltal"],
    "number": ["ett tal"],
    "boolean": ["true", "false"],
    "null": ["null"],
    "object": ["ett objekt {…}"],
    "array": ["en lista […]"],
}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@cache
def load_schema() -> dict:
    """The schema as a dict (cached; do not modify it)."""
    node = resources.files("nämndtool.resources") / "schema" / SCHEMA_NAME
    return json.loads(node.read_text(encoding="utf-8"))


# Real calendar checks. A value that is not an ASCII date/time at all fails here as well; those
# duplicates of pattern errors are dropped in structural_problems.
_FORMAT_CHECKER = FormatChecker(formats=())


@_FORMAT_CHECKER.checks("date")
def _is_real_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _ASCII_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@_FORMAT_CHECKER.checks("namndtool-klockslag")
def _is_real_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _ASCII_TIME.fullmatch(value)
    return bool(match) and int(match[1]) < 24 and int(match[2]) < 60


# Which error wins when one path has several; everything not listed ranks 2.
_RANK = {"enum": 0, "const": 0, "type": 1, "format": 3}


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=_FORMAT_CHECKER)


def structural_problems(data: object) -> list[tuple[str, str]]:
    """Every structural problem in ``data`` as (json_path, Swedish message), sorted by path."""
    if not isinstance(data, dict):
        what = _describe(data, containers_as_json=False)
        return [("$", f"filen ska innehålla ett JSON-objekt {{…}} överst, men innehåller {what}")]

    # (path elements, rank, message); at each path only the lowest rank is kept: a bad enum value is
    # not also reported as a wrong type, a wrong type not also as a bad pattern, a bad pattern not
    # also as an unreal date.
    found: list[tuple[tuple, int, str]] = []
    for error in _validator().iter_errors(data):
        path = tuple(error.absolute_path)
        for child, message in _messages(error):
            full = path + ((child,) if child is not None else ())
            found.append((full, _RANK.get(error.validator, 2), message))

    best: dict[tuple, int] = {}
    for path, rank, _ in found:
        best[path] = min(rank, best.get(path, rank))
    unique = {(path, message) for path, rank, message in found if rank == best[path]}
    ordered = sorted(unique, key=lambda item: (_sort_key(item[0]), item[1]))
    return [(json_path(path), message) for path, message in ordered]


def json_path(elements: tuple | list) -> str:
    """``("dagordning", 3, "nr")`` -> ``$.dagordning[3].nr``."""
    out = "$"
    for element in elements:
        if isinstance(element, int):
            out += f"[{element}]"
        elif _IDENTIFIER.fullmatch(element):
            out += f".{element}"
        else:
            out += f"[{json.dumps(element, ensure_ascii=False)}]"
    return out


def _sort_key(elements: tuple) -> tuple:
    # Numbers sort as numbers: [2] before [10].
    return tuple((0, e, "") if isinstance(e, int) else (1, 0, e) for e in elements)


def _messages(error: ValidationError) -> list[tuple[str | None, str]]:
    """Swedish messages for one jsonschema error, each with an optional child key to add to the path."""
    kind, value, instance, schema = error.validator, error.validator_value, error.instance, error.schema
    if kind == "required":
        return [(name, f'saknas men måste finnas (fältet "{name}")') for name in value if name not in instance]
    if kind == "additionalProperties":
        allowed = ", ".join(schema.get("properties", {}))
        known = schema.get("properties", {})
        return [(key, f"okänt fält {_describe(key)} – tillåtna fält här är: {allowed}")
                for key in instance if key not in known]
    if kind == "type":
        names = [name for t in ([value] if isinstance(value, str) else value) for name in _TYPE_NAMES.get(t, [t])]
        return [(None, f"ska vara {_or_list(names)}, men är {_describe(instance)}")]
    if kind == "enum":
        options = ", ".join(str(v) for v in value if v is not None)
        if None in value:
            options += " (eller null)"
        return [(None, f"ska vara en av: {options} – inte {_describe(instance)}")]
    if kind == "const":
        if list(error.absolute_path) == ["format"]:
            return [(None, f'okänt format {_describe(instance)}: filen ska ha "format": "{FORMAT}"')]
        return [(None, f"ska vara {_describe(value)} – inte {_describe(instance)}")]
    if kind == "pattern":
        hint = {DATE_PATTERN: _DATE_HINT, TIME_PATTERN: _TIME_HINT}.get(value, f"ska ha formen {value}")
        return [(None, f"{hint} – inte {_describe(instance)}")]
    if kind == "format":
        if value == "date":
            if _ASCII_DATE.fullmatch(instance):
                return [(None, f"{_DATE_HINT} – {_describe(instance)} finns inte i kalendern")]
            return [(None, f"{_DATE_HINT} – inte {_describe(instance)}")]
        if _ASCII_TIME.fullmatch(instance):
            return [(None, f"{_TIME_HINT} – {_describe(instance)} är inget riktigt klockslag (00:00–23:59)")]
        return [(None, f"{_TIME_HINT} – inte {_describe(instance)}")]
    if kind == "minimum":
        return [(None, f"ska vara minst {value}, men är {_describe(instance)}")]
    if kind == "minItems":
        return [(None, f"ska innehålla minst {value} {'post' if value == 1 else 'poster'}, men har {len(instance)}")]
    if kind == "minLength":
        if value == 1:
            return [(None, "får inte vara tom")]
        return [(None, f"ska vara minst {value} tecken lång, men har {len(instance)}")]
    if kind in ("oneOf", "anyOf"):
        if schema == load_schema()["$defs"]["sekretess"]:
            return [(None, f"{_SEKRETESS_HINT} – inte {_describe(instance)}")]
        return [(None, f"har inte någon av de tillåtna formerna – {_describe(instance)}")]
    # Not used by the schema today; still never show jsonschema's English text.
    return [(None, f'bryter mot regeln "{kind}" i formatet {FORMAT}')]


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " eller " + names[-1]


def _describe(value: object, containers_as_json: bool = True) -> str:
    """A short rendering of a value for messages: "fyra", 4, true, null, {"lagrum": 5}, en lista, ett objekt."""
    if isinstance(value, str) and len(value) > 40:
        value = value[:39] + "…"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return "ett värde som inte är JSON"
    if isinstance(value, (dict, list)) and (not containers_as_json or len(text) > 40):
        return "ett objekt" if isinstance(value, dict) else "en lista"
    return text
