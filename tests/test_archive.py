"""Archive export: one E-ARK package per delivery whose ERMS document follows the schema (and the Schematron) and
carries the ärende's decisions, its secrecy with the lagrum, and every file with its SHA-256."""

import datetime as dt

import pytest

from earkiv_helpers import (NS, appendix, assert_sound, case_file, case_files, date, erms, file_of, packages,
                            records, regulation, text)
from support import run_cli
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.earkiv.package import export_arende, export_year
from nämndtool.earkiv.schemas import erms_problems
from nämndtool.errors import NamndtoolError

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


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
    assert packages(tmp_path / "arkiv") == [exported.folder] and exported.folder.name.startswith("SOCN-2023-16-")
    assert_sound(exported)
    tree = erms(exported)
    assert erms_problems(tree) == []
    (found,) = case_files(tree)
    assert text(found, "e:objectId") == "SOCN/2023:16"
    assert found.find("e:status", NS).get("value") == "closed"
    assert date(found, "closed") == "2023-03-10T00:00:00"
    assert text(found, "e:agents/e:agent[@otherAgentType='avslutat_av']/e:name") == "Madelene Sönnerfors"
    (decision,) = found.findall("e:action", NS)
    assert text(decision, "e:actionType") == "Beslut, Socialnämnden 2023-02-22 § 6"
    assert text(decision, "e:actionText").startswith("Socialnämnden beslutar att anta")
    with_file = [r for r in records(found) if appendix(r) is not None]
    assert len(with_file) == 4 == exported.files   # two registered files, the tjänsteskrivelse and the utdrag of § 6
    assert {text(r, "e:title") for r in records(found)
            if r.find("e:direction", NS).get("otherDirectionDefinition") == "upprättad"} >= {
        "Tjänsteskrivelse", "Protokollsutdrag § 6, Socialnämnden 2023-02-22"}
    for record in with_file:
        file_of(exported, record)   # its bytes have the SHA-256 the record gives


def test_secrecy_with_its_provision_is_carried(imported, tmp_path):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:19"))
    store.update_arende(arende["id"], {"sekretess": 1, "sekretess_lagrum": "26 kap. 1 § OSL",
                                       "offentlig_rubrik": "Sekretessärende"})
    exported = export_arende(store, arende["id"], tmp_path)
    found = case_file(erms(exported), "SOCN/2023:19")
    assert regulation(found) == "26 kap. 1 § OSL"
    assert text(found, "e:otherTitle[@titleType='offentlig_titel']") == "Sekretessärende"


def test_year_export_takes_the_closed_arenden_and_says_when_there_are_none(imported, tmp_path):
    """A year's delivery holds its closed ärenden, and now also its justerade meetings and delegationsbeslut: it is
    refused only when the year has none of the three."""
    store, meeting_id = imported
    namnd_id = store.the_namnd()["id"]
    with pytest.raises(NamndtoolError, match="inget att arkivera från 2023: inga avslutade ärenden"):
        export_year(store, namnd_id, 2023, tmp_path)
    _closed_with_decision(store, meeting_id)
    exported = export_year(store, namnd_id, 2023, tmp_path)
    assert packages(tmp_path) == [exported.folder] and exported.folder.name.startswith("SOCN-ar-2023-")
    assert (exported.arenden, exported.meetings) == (1, 1)
    assert [text(a, "e:objectId") for a in case_files(erms(exported))] == ["SOCN/2023:16"]


def test_archive_from_the_command_line(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    result = run_cli("archive", "--case", "SOCN/2023:17", "--out", str(tmp_path / "ut"), db=db)
    assert result.returncode == 0, result.stderr
    (package,) = packages(tmp_path / "ut")
    assert package.name.startswith("SOCN-2023-17-") and str(package) in result.stdout
    assert [text(a, "e:objectId") for a in case_files(erms(package))] == ["SOCN/2023:17"]
    result = run_cli("archive", "verify", str(package))
    assert result.returncode == 0 and "paketet är helt" in result.stdout, result.stdout + result.stderr
    result = run_cli("archive", "--year", "2019", "--out", str(tmp_path / "ut"), db=db)
    assert result.returncode == 1 and "inga avslutade ärenden" in result.stderr
