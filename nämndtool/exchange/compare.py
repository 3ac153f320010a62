"""Whether importing a file would change what a meeting's export says: the test for a justerat meeting.

A file says less than an export: ``null`` or an absent key means "not given" and keeps the stored value, an
exporter writes ``false`` and empty lists where a file may say nothing, and the importer leaves an ärende or a §
that the file does not list as it is. So the file is laid over the stored export the way the importer would lay
it over the store, and the result is compared with the export itself. Bilagor compare by content, diary numbers
as numbers, names as names (NFC, case-folded), other text without surrounding whitespace.
"""

from collections.abc import Callable

from nämndtool import diarienummer as dnr
from nämndtool.text import identity_key

# Lists whose items the importer matches by an identity rather than by position.
_IDENTITY: dict[str, Callable[[dict], object]] = {
    "dagordning": lambda item: item.get("nr"),
    "arenden": lambda arende: arende.get("diarienummer") or ("rubrik", arende.get("rubrik")),
    "paragrafer": lambda paragraf: paragraf.get("nr"),
}
# Of those, lists whose stored items the importer keeps when the file does not list them (the agenda is replaced).
_KEPT_WHEN_ABSENT = {"arenden", "paragrafer"}
_NAMES = {"namn", "organ"}


def would_change(exported: dict, data: dict, exported_file: Callable[[dict], str],
                 given_file: Callable[[dict], str]) -> bool:
    """Whether importing ``data`` would change ``exported`` (the stored meeting as ``meeting_to_json`` gives it).

    ``exported_file`` and ``given_file`` give a bilaga's content identity (SHA-256) on each side."""
    stored = _canonical(exported, exported_file)
    return _pruned(_over(stored, _canonical(data, given_file))) != _pruned(stored)


def _canonical(data: dict, file_identity: Callable[[dict], str]) -> dict:
    """A copy in which each bilaga is its content, each diary number is written one way, and ärenden and §§ are in
    one order."""
    data = _copy(data)
    for item in data.get("dagordning") or []:
        item["diarienummer"] = _number(item.get("diarienummer"))
    for arende in data.get("arenden") or []:
        arende["diarienummer"] = _number(arende.get("diarienummer"))
        for bilaga in arende.get("bilagor") or []:
            bilaga["fil"] = file_identity(bilaga)
            bilaga.pop("sha256", None)
    if data.get("arenden"):
        data["arenden"] = _in_order("arenden", data["arenden"])
    if (data.get("protokoll") or {}).get("paragrafer"):
        data["protokoll"]["paragrafer"] = _in_order("paragrafer", data["protokoll"]["paragrafer"])
    return data


def _in_order(key: str, items: list) -> list:
    return sorted(items, key=lambda item: repr(_IDENTITY[key](item)) if isinstance(item, dict) else "")


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _number(text: str | None) -> str | None:
    return text and str(dnr.parse(text))


def _over(stored, given, key: str | None = None):
    """``given`` laid over ``stored`` as the importer lays a file over the store."""
    if given is None:
        return stored
    if isinstance(given, dict) and isinstance(stored, dict):
        return {**stored, **{k: _over(stored.get(k), v, k) for k, v in given.items()}}
    if not (isinstance(given, list) and isinstance(stored, list)):
        return given
    if key in _IDENTITY:
        identity = _IDENTITY[key]
        by_identity = {identity(item): item for item in stored if isinstance(item, dict)}
        merged = [_over(by_identity.get(identity(item)), item) if isinstance(item, dict) else item
                  for item in given]
        if key in _KEPT_WHEN_ABSENT:
            listed = {identity(item) for item in given if isinstance(item, dict)}
            merged = _in_order(key, merged + [item for item in stored if identity(item) not in listed])
        return merged
    if len(given) == len(stored):
        return [_over(s, g) for s, g in zip(stored, given)]
    return given


def _pruned(value, key: str | None = None):
    """Nulls, empty lists and empty objects dropped; names compared as names, other text stripped."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v, k) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_pruned(v, key) for v in value]
    if isinstance(value, str):
        return identity_key(value) if key in _NAMES else value.strip()
    return value
