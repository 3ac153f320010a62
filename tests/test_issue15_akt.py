"""Issue 15, point 5: a §'s secrecy is found by its keys (db/020), and the akt copies (the protokollsutdrag of each
§ and the tjänsteskrivelse as decided) are filed at justering and copied by the archive."""

import re
import sys
from pathlib import Path

import pytest

from nämndtool.assets import migrations
from nämndtool.store import Store
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import make_store  # noqa: E402

TINY = make_store.Scale(arenden=600, handlingar=1200, meetings=100, files=40)


def _view_of_007() -> str:
    """paragraf_sekretess as db/007 defined it, as a temporary view of another name."""
    sql = next(text for number, _name, text in migrations() if number == 7)
    found = re.search(r"CREATE VIEW paragraf_sekretess AS(.*?);", sql, re.S).group(1)
    return f"CREATE TEMP VIEW paragraf_sekretess_007 AS{found}"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated store (secret ärenden, secret handlingar, agenda items and §§) with one more meeting, not
    justerat, holding every way a § can come by its secrecy."""
    path = tmp_path_factory.mktemp("sekretessvy") / "register.sqlite"
    make_store.generate(path, TINY, seed=15)
    store = Store.open(path)
    secret, public = (store.value("SELECT min(id) FROM arende WHERE sekretess = ?", (s,)) for s in (1, 0))
    lagrum_secret = store.value("SELECT id FROM arende WHERE sekretess = 1 ORDER BY id DESC LIMIT 1")
    with store.write():
        store.execute("UPDATE arende SET sekretess_lagrum = '25 kap. 1 § OSL' WHERE id = ?", (lagrum_secret,))
        organ = store.value("SELECT id FROM organ ORDER BY id LIMIT 1")
        meeting = store.insert("sammantrade", {"organ_id": organ, "datum": "2026-02-02", "status": "kallat"})
        items = [  # rubrik, arende_id, own secrecy, lagrum
            ("Fristående hemlig punkt", None, 1, "26 kap. 1 § OSL"),
            ("Fristående hemlig punkt utan lagrum", None, 1, None),
            ("Fristående offentlig punkt", None, 0, None),
            ("Punkt med hemligt ärende, paragraf utan ärende", secret, 0, None),
            ("Punkt med hemligt ärende", secret, 0, None),
            ("Punkt med offentligt ärende", public, 0, None),
            ("Punkt med offentligt ärende, paragraf med hemligt", public, 0, None),
            ("Punkt med hemligt ärende med lagrum", lagrum_secret, 0, None),
            ("Fristående offentlig punkt, paragraf med hemligt ärende", None, 0, None),
            ("Fristående hemlig punkt, paragraf med hemligt ärende", None, 1, "26 kap. 1 § OSL"),
        ]
        for nr, (rubrik, arende_id, own, lagrum) in enumerate(items, 1):
            store.insert("dagordningspunkt", {"sammantrade_id": meeting, "nr": nr, "rubrik": rubrik,
                                              "typ": "arende" if arende_id else "standard", "arende_id": arende_id,
                                              "sekretess": own, "sekretess_lagrum": lagrum})
        protokoll = store.insert("protokoll", {"sammantrade_id": meeting})
        paragrafer = [  # dagordning_nr, arende_id
            (1, None), (2, None), (3, None), (4, None), (5, secret), (6, public), (7, secret), (8, public),
            (9, lagrum_secret), (10, lagrum_secret),
            (None, None), (None, public), (None, secret), (99, public), (98, None),
        ]
        for nr, (punkt, arende_id) in enumerate(paragrafer, 1):
            store.insert("paragraf", {"protokoll_id": protokoll, "organ_id": organ, "ar": 2026, "nr": 900 + nr,
                                      "dagordning_nr": punkt, "rubrik": f"Paragraf {nr}", "arende_id": arende_id})
    yield store
    store.close()


def test_the_paragraf_secrecy_view_gives_the_rows_it_gave_before(generated):
    store = generated
    store.execute(_view_of_007())
    columns = "paragraf_id, sekretess, sekretess_lagrum"
    before = store.rows(f"SELECT {columns} FROM paragraf_sekretess_007 ORDER BY paragraf_id")
    after = store.rows(f"SELECT {columns} FROM paragraf_sekretess ORDER BY paragraf_id")
    assert after == before
    assert [c[1] for c in store.execute("PRAGMA table_info(paragraf_sekretess)")] == \
        [c[1] for c in store.execute("PRAGMA table_info(paragraf_sekretess_007)")]
    assert len(after) == store.value("SELECT count(*) FROM paragraf")
    values = {(r["sekretess"], r["sekretess_lagrum"]) for r in after}
    # the store holds public and secret §§, with and without a lagrum, from an ärende and from an item
    assert {(0, None), (1, None), (1, "26 kap. 1 § OSL"), (1, "25 kap. 1 § OSL")} <= values
    unknown = store.rows("SELECT gs.sekretess FROM paragraf g JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id "
                         "WHERE g.arende_id IS NULL AND g.nr IN (911, 915)")
    assert [r["sekretess"] for r in unknown] == [1, 1]   # neither an ärende nor an item: never public


@pytest.mark.parametrize("view, key", [("paragraf_sekretess", "paragraf_id"),
                                       ("punkt_sekretess", "dagordningspunkt_id")])
def test_one_row_of_a_secrecy_view_is_found_by_its_keys(generated, view, key):
    plan = " | ".join(r[3] for r in generated.execute(f"EXPLAIN QUERY PLAN SELECT * FROM {view} WHERE {key} = 5"))
    assert "SCAN" not in plan and "MATERIALIZE" not in plan, plan
