"""Archive export: the XML follows the schema, carries decisions, secrecy and every file with its SHA-256."""

import datetime as dt
import hashlib

import pytest
from lxml import etree

from support import run_cli
from nämndtool.archive import NAMESPACE, export_arende, export_year, schema
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.errors import NamndtoolError

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

NS = {"f": NAMESPACE}


def _closed_with_decision(store, meeting_id):
    from test_protokoll import _complete
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    store.register_handling(arende["id"], riktning="ut", beskrivning="Protokollsutdrag § 6", datum="2023-03-02",
                            motpart="Akten")
    store.close_arende(arende["id"], by="Madelene Sönnerfors", on="2023-03-10")
    return arende


def test_one_arende_package_is_valid_and_complete(imported, tmp_path):
    store, meeting_id = imported
    arende = _closed_with_decision(store, meeting_id)
    exported = export_arende(store, arende["id"], tmp_path / "arkiv", today=dt.date(2026, 11, 25))
    xml = etree.parse(str(exported.folder / "arende.xml"))
    assert schema().validate(xml)
    assert xml.findtext("f:ArkivobjektID", namespaces=NS) == "SOCN/2023:16"
    assert xml.findtext("f:Status", namespaces=NS) == "avslutat"
    assert xml.findtext("f:Avslutat", namespaces=NS) == "2023-03-10"
    assert xml.find("f:Agenter/f:Agent[@Roll='Avslutat av']/f:Namn", NS).text == "Madelene Sönnerfors"
    decision = xml.find("f:Beslut", NS)
    assert decision.findtext("f:Paragraf", namespaces=NS) == "6"
    assert decision.findtext("f:Beslutstext", namespaces=NS).startswith("Socialnämnden beslutar att anta")
    files = xml.findall(".//f:Fil", NS)
    assert len(files) == 4 == exported.files   # two registered files, the tjänsteskrivelse and the utdrag of § 6
    assert {h.findtext("f:Beskrivning", namespaces=NS) for h in xml.findall(".//f:Handling", NS)
            if h.findtext("f:Riktning", namespaces=NS) == "Upprättad"} >= {
        "Tjänsteskrivelse", "Protokollsutdrag § 6, Socialnämnden 2023-02-22"}
    for fil in files:
        data = (exported.folder / fil.get("Sokvag")).read_bytes()
        assert hashlib.sha256(data).hexdigest() == fil.get("Checksumma")


def test_secrecy_with_its_provision_is_carried(imported, tmp_path):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:19"))
    store.update_arende(arende["id"], {"sekretess": 1, "sekretess_lagrum": "26 kap. 1 § OSL",
                                       "offentlig_rubrik": "Sekretessärende"})
    exported = export_arende(store, arende["id"], tmp_path)
    xml = etree.parse(str(exported.folder / "arende.xml"))
    assert xml.findtext("f:Restriktion/f:Lagrum", namespaces=NS) == "26 kap. 1 § OSL"
    assert xml.findtext("f:OffentligTitel", namespaces=NS) == "Sekretessärende"


def test_year_export_takes_the_closed_arenden_and_says_when_there_are_none(imported, tmp_path):
    store, meeting_id = imported
    namnd_id = store.the_namnd()["id"]
    with pytest.raises(NamndtoolError, match="inga avslutade ärenden från 2023"):
        export_year(store, namnd_id, 2023, tmp_path)
    _closed_with_decision(store, meeting_id)
    assert [e.folder.name for e in export_year(store, namnd_id, 2023, tmp_path)] == ["SOCN-2023-16"]


def test_archive_from_the_command_line(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    result = run_cli("archive", "--case", "SOCN/2023:17", "--out", str(tmp_path / "ut"), db=db)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ut" / "SOCN-2023-17" / "arende.xml").exists()
    result = run_cli("archive", "--year", "2019", "--out", str(tmp_path / "ut"), db=db)
    assert result.returncode == 1 and "inga avslutade ärenden" in result.stderr
