"""What a justerat protokoll decided is kept as decided (issue 11, point 7): a later meeting may give an ärende a
new rubrik, förslag and bilagor, but the justerat meeting's export, protokoll, utdrag, pack and archive keep what
it decided on; the frozen copy cannot be changed or removed; stores justerade before db/011 get one from the
migration. Secrecy stays live."""

import datetime as dt
import hashlib
import json

import pytest

from docs_helpers import pdf_text
from earkiv_helpers import assert_sound, case_file, date, erms, file_of, records, sha256, text
from support import bypass, refused_by_database
from nämndtool.assets import migrations
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.documents.protokoll import justera, protokoll_document, utdrag_document
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.earkiv.package import export_arende
from nämndtool.exchange.exporter import export_meeting, meeting_to_json
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store
from nämndtool.store.connection import connect
from test_protokoll import _complete

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

X = "SOCN/2023:16"
NEW_RUBRIK = "Socialnämndens reviderade plan med budget 2023"
NEW_FORSLAG = "Socialnämnden beslutar att anta den reviderade planen med budget 2023."
NEW_SAMMANFATTNING = "Planen har reviderats efter kommunfullmäktiges beslut i mars."
NEW_BILAGA = "Reviderad plan med budget 2023"


def _ready(store, meeting_id):
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)


def _justerat(store, meeting_id):
    _ready(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())


def _later_meeting(sample_copy):
    """The sample file made into a later meeting where ärende X has moved on: a new rubrik, förslag, sammanfattning
    and bilaga."""
    data = json.loads(sample_copy.read_text())
    data["sammantrade"]["datum"] = "2023-04-19"
    data["dagordning"] = [{**i, "nr": 1, "rubrik": NEW_RUBRIK} for i in data["dagordning"] if i.get("diarienummer") == X]
    (arende,) = [a for a in data["arenden"] if a["diarienummer"] == X]
    arende["rubrik"] = NEW_RUBRIK
    arende["tjansteskrivelse"]["forslag_till_beslut"] = [NEW_FORSLAG]
    arende["tjansteskrivelse"]["sammanfattning"] = NEW_SAMMANFATTNING
    arende["bilagor"] = [{"titel": NEW_BILAGA, "fil": "bilagor/internkontrollrapport-2022.pdf"}]
    data["arenden"] = [arende]
    data.pop("protokoll", None)
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    return sample_copy


def _outputs(store, meeting_id, nr_of_x):
    """Everything the meeting puts out that shows ärende content."""
    branding = load_branding()
    return {
        "intern": export_meeting(store, meeting_id, None, public=False)[0],
        "offentlig": export_meeting(store, meeting_id, None, public=True)[0],
        "protokoll": pdf_text(render_pdf(protokoll_document(store, meeting_id, public=False), branding)),
        "utdrag": pdf_text(render_pdf(utdrag_document(store, meeting_id, nr_of_x, None,
                                                      bestyrkt_datum=dt.date(2023, 3, 2)), branding)),
        "handlingar": pdf_text(build_pack(store, meeting_id, False, branding).pdf),
    }


def _nr_of(store, meeting_id, arende_id):
    return next(p["nr"] for p in store.protokoll(meeting_id)["paragrafer"] if p["arende_id"] == arende_id)


def test_a_later_meeting_leaves_what_the_justerat_meeting_decided(imported, sample_copy, tmp_path):
    store, first = imported
    x = store.arende_by_number(parse(X))["id"]
    decided_bilagor = [b["sha256"] for b in store.bilagor(x)]
    _ready(store, first)
    before_justering = export_meeting(store, first, None, public=False)[0]
    justera(store, first, dt.date(2023, 3, 1), load_branding())
    nr = _nr_of(store, first, x)
    kept = _outputs(store, first, nr)
    assert kept["intern"] == before_justering   # the frozen copy reads exactly as the live data did

    second = import_meeting(store, _later_meeting(sample_copy)).meeting_id

    assert store.arende(x)["rubrik"] == NEW_RUBRIK   # the ärende itself has moved on
    assert _outputs(store, first, nr) == kept
    old = next(a for a in json.loads(kept["intern"])["arenden"] if a["diarienummer"] == X)
    assert old["rubrik"] == "Socialnämndens plan med budget 2023"
    assert [b["sha256"] for b in meeting_to_json(store, first)["arenden"][1]["bilagor"]] == decided_bilagor
    assert NEW_SAMMANFATTNING not in kept["protokoll"] and NEW_BILAGA not in kept["handlingar"]

    later = meeting_to_json(store, second)
    (now,) = later["arenden"]
    assert now["rubrik"] == NEW_RUBRIK
    assert now["tjansteskrivelse"]["forslag_till_beslut"] == [NEW_FORSLAG]
    assert [b["titel"] for b in now["bilagor"]] == [NEW_BILAGA]
    assert NEW_BILAGA in pdf_text(build_pack(store, second, False, load_branding()).pdf)


def test_the_archive_keeps_the_bilagor_a_justerat_meeting_decided_on(imported, sample_copy, tmp_path):
    store, first = imported
    x = store.arende_by_number(parse(X))
    decided = {b["sha256"]: b["titel"] for b in store.bilagor(x["id"])}
    _justerat(store, first)
    import_meeting(store, _later_meeting(sample_copy))
    store.close_arende(x["id"], by="Madelene Sönnerfors", on="2023-05-02")

    exported = export_arende(store, x["id"], tmp_path / "arkiv", today=dt.date(2026, 11, 25))

    assert_sound(exported)
    handlingar = {sha256(r): r for r in records(case_file(erms(exported), X)) if sha256(r) is not None}
    assert set(decided) < set(handlingar)   # the replaced bilagor, and the new one
    for sha, titel in decided.items():
        assert text(handlingar[sha], "e:title") == titel
        assert handlingar[sha].get("recordType") == "beslutad bilaga"
        assert date(handlingar[sha], "created") == "2023-02-22T00:00:00"
        assert hashlib.sha256(file_of(exported, handlingar[sha])).hexdigest() == sha
    assert exported.files == len(handlingar)


def test_secrecy_is_not_frozen(imported):
    store, first = imported
    _justerat(store, first)
    x = store.arende_by_number(parse(X))["id"]
    store.seal_arende(x, "26 kap. 1 § OSL")
    internal = next(a for a in meeting_to_json(store, first)["arenden"] if a["diarienummer"] == X)
    assert internal["sekretess"] == {"lagrum": "26 kap. 1 § OSL"}
    assert X not in json.dumps(meeting_to_json(store, first, public=True), ensure_ascii=False)


def test_an_unjusterat_meeting_reads_the_live_arende(imported):
    store, first = imported
    x = store.arende_by_number(parse(X))["id"]
    store.update_arende(x, {"rubrik": NEW_RUBRIK})
    assert store.value("SELECT count(*) FROM beslutat_arende") == 0
    assert next(a for a in meeting_to_json(store, first)["arenden"] if a["diarienummer"] == X)["rubrik"] == NEW_RUBRIK


def test_the_frozen_copy_cannot_be_changed_removed_or_added_to(imported):
    store, first = imported
    _justerat(store, first)
    x = store.arende_by_number(parse(X))["id"]
    statements = [
        ("UPDATE beslutat_arende SET rubrik = 'Annat' WHERE arende_id = ?", (x,)),
        ("DELETE FROM beslutat_arende WHERE arende_id = ?", (x,)),
        ("UPDATE beslutad_bilaga SET titel = 'Annat' WHERE arende_id = ?", (x,)),
        ("DELETE FROM beslutad_bilaga WHERE arende_id = ?", (x,)),
        ("INSERT INTO beslutad_bilaga (sammantrade_id, arende_id, nr, titel) VALUES (?, ?, 3, 'Extra')", (first, x)),
    ]
    for sql, params in statements:
        with pytest.raises(refused_by_database(), match="beslut"):
            bypass(store, sql, params)
    assert store.value("SELECT count(*) FROM beslutad_bilaga WHERE arende_id = ?", (x,)) == 2
    assert store.value("SELECT rubrik FROM beslutat_arende WHERE arende_id = ?", (x,)) == \
        "Socialnämndens plan med budget 2023"


def test_only_a_justerat_meeting_gets_a_frozen_copy(imported):
    store, first = imported
    with pytest.raises(refused_by_database(), match="justerat"):
        bypass(store, "INSERT INTO beslutat_arende (sammantrade_id, arende_id, rubrik, antal_bilagor, ursprung) "
                           "SELECT ?, id, rubrik, 0, 'justering' FROM arende LIMIT 1", (first,))


def _store_before_011(path, tmp_path):
    """A store at schema 10 holding a justerat meeting whose ärende has a tjänsteskrivelse and a bilaga."""
    conn = connect(path)
    for number, _, sql in migrations()[:10]:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {number}")
    sha = hashlib.sha256(b"%PDF-1.4 plan").hexdigest()
    files = path.parent / f"{path.stem}-filer"
    files.mkdir()
    (files / sha).write_bytes(b"%PDF-1.4 plan")
    conn.executescript(f"""
        INSERT INTO namnd (id, namn, kod) VALUES (1, 'Socialnämnden', 'SOCN');
        INSERT INTO organ (id, namnd_id, namn, typ) VALUES (1, 1, 'Socialnämnden', 'namnd');
        INSERT INTO fil (sha256, storlek) VALUES ('{sha}', 13);
        INSERT INTO arende (id, namnd_id, ar, lopnr, rubrik, registrerad) VALUES (1, 1, 2023, 16, 'Plan 2023', '2023-01-10');
        INSERT INTO tjansteskrivelse (id, arende_id, rubrik) VALUES (1, 1, 'Plan 2023');
        INSERT INTO forslag (tjansteskrivelse_id, nr, text) VALUES (1, 1, 'Nämnden antar planen.');
        INSERT INTO handling (arende_id, riktning, beskrivning, fil_sha256, filnamn, bilaga_nr)
            VALUES (1, 'upprattad', 'Planen', '{sha}', 'plan.pdf', 1);
        INSERT INTO sammantrade (id, organ_id, datum) VALUES (1, 1, '2023-02-22');
        INSERT INTO dagordningspunkt (sammantrade_id, nr, rubrik, typ, arende_id) VALUES (1, 1, 'Plan 2023', 'arende', 1);
        INSERT INTO protokoll (id, sammantrade_id, klar_for_justering) VALUES (1, 1, 1);
        UPDATE protokoll SET justerad = '2023-03-01', justerad_pdf_sha256 = '{sha}' WHERE id = 1;
    """)
    conn.commit()
    conn.close()
    return sha


def test_a_store_justerat_before_this_version_gets_its_copy_from_the_migration(tmp_path):
    path = tmp_path / "gammal.sqlite"
    sha = _store_before_011(path, tmp_path)
    with Store.open(path) as store:
        assert store.value("SELECT ursprung FROM beslutat_arende WHERE arende_id = 1") == "efterhand"
        store.update_arende(1, {"rubrik": "Plan 2023, reviderad"})
        store.save_tjansteskrivelse(1, {"rubrik": "Plan 2023, reviderad"}, forslag=["Nämnden antar den nya planen."],
                                    avsnitt=[], handlingar=[], undertecknare=[], mottagare_ids=[])
        store.save_bilagor(1, [])
        assert store.arende_as_decided(1, 1)["rubrik"] == "Plan 2023"
        assert store.tjansteskrivelse_as_decided(1, 1)["forslag"] == ["Nämnden antar planen."]
        assert [(b["titel"], b["sha256"], b["filnamn"]) for b in store.bilagor_as_decided(1, 1)] == \
            [("Planen", sha, "plan.pdf")]
        assert store.tjansteskrivelse(1)["forslag"] == ["Nämnden antar den nya planen."]


def test_what_a_secret_arende_once_decided_on_is_still_known_as_secret(imported, sample_copy):
    """The secrecy gate reads the frozen copy too: when a later meeting has replaced an ärende's bilagor and
    rubrik, and the ärende is then made secret, the old bilaga and the old rubrik are as secret as the new ones."""
    from nämndtool.secrecy.facts import facts_for_meeting
    from nämndtool.secrecy.operations import seal_arende

    store, first = imported
    x = store.arende_by_number(parse(X))["id"]
    old_files = {b["sha256"] for b in store.bilagor(x)}
    _justerat(store, first)
    second = import_meeting(store, _later_meeting(sample_copy)).meeting_id
    assert old_files.isdisjoint(b["sha256"] for b in store.bilagor(x))       # replaced in the ärende itself
    assert not any(store.is_secret_file(sha) for sha in old_files)

    seal_arende(store, x, "26 kap. 1 § OSL")

    assert all(store.is_secret_file(sha) for sha in old_files)
    assert old_files <= {f["sha256"] for f in store.secret_files_of([x])}
    titles = {s.text for s in facts_for_meeting(store, second).titles}
    assert {"Socialnämndens plan med budget 2023", NEW_RUBRIK} <= titles
