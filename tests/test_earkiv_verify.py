"""Checking an archive package on disk (nämndtool.earkiv.verify): packages built by hand here, each damage
reported with the file concerned."""

import hashlib
import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from nämndtool.earkiv import layout, schemas
from nämndtool.earkiv.verify import ErmsChecked, verify, verify_package
from nämndtool.errors import NamndtoolError

NAME = "SOCN-2023-17"
TJANSTESKRIVELSE = f"{layout.DATA}/{NAME}/Tjänsteskrivelse.pdf"
ATGARDSPLAN = f"{layout.DATA}/{NAME}/Åtgärdsplan för ökad tillgänglighet.pdf"
CREATED = "2026-12-06T10:00:00"


def erms(aggregation_extra: str = f'<additionalInformation><appendix name="Tjänsteskrivelse" '
                                  f'path="{TJANSTESKRIVELSE}"/></additionalInformation>') -> str:
    return (
        '<erms xmlns="https://DILCIS.eu/XML/ERMS"><control><identification identificationType="x">id'
        '</identification><maintenanceInformation><maintenanceStatus value="new"/><maintenanceAgency><agencyName>N'
        '</agencyName></maintenanceAgency><maintenanceHistory><maintenanceEvent><eventType value="created"/>'
        f'<eventDateTime>{CREATED}</eventDateTime><agent agentType="creator"><name>Nämndtool</name></agent>'
        '</maintenanceEvent></maintenanceHistory></maintenanceInformation></control><aggregations><aggregation '
        f'systemIdentifier="1" aggregationType="caseFile"><objectId>SOCN/2023:17</objectId>{aggregation_extra}'
        '</aggregation></aggregations></erms>')


def _checked(path: Path) -> str:
    """The SIZE, CREATED and checksum attributes METS.xml gives the file ``path``."""
    data = path.read_bytes()
    return (f'SIZE="{len(data)}" CREATED="{CREATED}" CHECKSUM="{hashlib.sha256(data).hexdigest()}" '
            'CHECKSUMTYPE="SHA-256"')


def _mets(folder: Path, objid: str, groups: dict[str, list[str]], package_type: str) -> str:
    file_groups, divs = [], []
    for number, (use, names) in enumerate(groups.items()):
        files = "".join(
            f'<file ID="file-{number}-{index}" MIMETYPE="application/octet-stream" {_checked(folder / name)}>'
            f'<FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(name)}/></file>'
            for index, name in enumerate(names))
        file_groups.append(f'<fileGrp ID="grp-{number}" USE="{use}">{files}</fileGrp>')
        pointers = "".join(f'<fptr FILEID="file-{number}-{index}"/>' for index in range(len(names)))
        divs.append(f'<div ID="div-{number}" LABEL="{use}">{pointers}</div>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="{schemas.METS_NS}" xmlns:csip="{schemas.CSIP_NS}" xmlns:xlink="{schemas.XLINK_NS}"
      OBJID={quoteattr(objid)} TYPE="Mixed" PROFILE="{layout.CSIP_PROFILE}">
  <metsHdr CREATEDATE="{CREATED}" csip:OAISPACKAGETYPE="{package_type}">
    <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>Nämndtool</name>
      <note csip:NOTETYPE="SOFTWARE VERSION">1.0</note></agent>
  </metsHdr>
  <dmdSec ID="dmd-erms" CREATED="{CREATED}">
    <mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="{layout.ERMS}" MDTYPE="OTHER" OTHERMDTYPE="ERMS"
           MIMETYPE="text/xml" {_checked(folder / layout.ERMS)}/>
  </dmdSec>
  <fileSec ID="filesec">{"".join(file_groups)}</fileSec>
  <structMap ID="structmap" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="div-root" LABEL={quoteattr(objid)}><div ID="div-metadata" LABEL="Metadata" DMDID="dmd-erms"/>
      {"".join(divs)}</div>
  </structMap>
</mets>"""


def make_package(parent: Path, name: str = NAME, *, objid: str | None = None, erms_text: str | None = None,
                 package_type: str = "SIP", schema_files: dict[str, bytes] | None = None) -> Path:
    """A small package as the writer makes it: ERMS, a format report, the schemas, two PDFs (å, ä, ö in names)."""
    folder = parent / name
    contents = {
        layout.ERMS: (erms_text if erms_text is not None else erms()).encode("utf-8"),
        layout.FORMAT_REPORT: "Formatkontroll: alla filer är PDF/A.\n".encode("utf-8"),
        TJANSTESKRIVELSE: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        ATGARDSPLAN: b"%PDF-1.7\n\xc3\xa5tg\xc3\xa4rder\n",
    }
    for schema in layout.SCHEMA_FILES:
        contents[f"{layout.SCHEMAS}/{schema}"] = (schema_files or {}).get(schema) or \
            schemas.schema_path(schema).read_bytes()
    for relative, data in contents.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    groups = {"Documentation": [layout.FORMAT_REPORT],
              "Schemas": [f"{layout.SCHEMAS}/{schema}" for schema in layout.SCHEMA_FILES],
              layout.REPRESENTATION_USE: [TJANSTESKRIVELSE, ATGARDSPLAN]}
    (folder / layout.METS).write_text(_mets(folder, objid or name, groups, package_type), encoding="utf-8")
    return folder


def edit_mets(folder: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the package's METS.xml."""
    text = (folder / layout.METS).read_text(encoding="utf-8")
    assert old in text
    (folder / layout.METS).write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    return verify_package(folder).problems


def test_the_minimal_erms_document_is_valid():
    from lxml import etree
    assert schemas.erms_problems(etree.fromstring(erms().encode("utf-8"))) == []


def test_a_sound_package_has_no_problems(tmp_path):
    folder = make_package(tmp_path)
    (folder / "representations" / "rep1" / "tomt").mkdir()      # an empty folder is fine
    result = verify_package(folder)
    assert result.problems == []
    assert result.objid == NAME
    assert result.folder == folder
    assert result.files == 1 + 1 + len(layout.SCHEMA_FILES) + 2


def test_percent_encoded_hrefs_are_accepted(tmp_path):
    folder = make_package(tmp_path)
    edit_mets(folder, f'"{TJANSTESKRIVELSE}"', f'"{TJANSTESKRIVELSE.replace("ä", "%C3%A4")}"')
    assert problems(folder) == []


def test_one_changed_byte_is_reported(tmp_path):
    folder = make_package(tmp_path)
    data = bytearray((folder / TJANSTESKRIVELSE).read_bytes())
    data[100] ^= 1
    (folder / TJANSTESKRIVELSE).write_bytes(bytes(data))
    assert problems(folder) == [
        f"{TJANSTESKRIVELSE} har ändrats: kontrollsumman (SHA-256) stämmer inte med METS.xml."]


def test_a_truncated_file_is_reported_with_both_sizes(tmp_path):
    folder = make_package(tmp_path)
    size = (folder / TJANSTESKRIVELSE).stat().st_size
    with (folder / TJANSTESKRIVELSE).open("r+b") as file:
        file.truncate(size - 10)
    assert problems(folder) == [f"{TJANSTESKRIVELSE} har storleken {size - 10} byte men METS.xml anger {size}."]


def test_a_missing_file_is_reported(tmp_path):
    folder = make_package(tmp_path)
    (folder / ATGARDSPLAN).unlink()
    assert problems(folder) == [f"{ATGARDSPLAN} saknas i paketet."]


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    folder = make_package(tmp_path)
    (folder / ATGARDSPLAN).unlink()
    (folder / layout.FORMAT_REPORT).write_text("ändrad", encoding="utf-8")
    (folder / "extra.txt").write_text("x", encoding="utf-8")
    found = problems(folder)
    assert len(found) == 3
    assert f"{ATGARDSPLAN} saknas i paketet." in found


def test_an_unlisted_file_is_reported(tmp_path):
    folder = make_package(tmp_path)
    extra = f"{layout.DATA}/{NAME}/Hemlig bilaga ö.pdf"
    (folder / extra).write_bytes(b"%PDF")
    assert problems(folder) == [f"{extra} finns i paketet men är inte förtecknad i METS.xml."]


def test_a_href_leaving_the_package_is_refused_and_not_opened(tmp_path):
    folder = make_package(tmp_path)
    (tmp_path / "outside.pdf").write_bytes((folder / ATGARDSPLAN).read_bytes())
    edit_mets(folder, f'"{ATGARDSPLAN}"', '"../outside.pdf"')
    found = problems(folder)
    assert "Sökvägen ”../outside.pdf” i METS.xml pekar utanför paketet; filen har inte öppnats." in found
    assert f"{ATGARDSPLAN} finns i paketet men är inte förtecknad i METS.xml." in found
    assert len(found) == 2


def test_an_absolute_href_is_refused(tmp_path):
    folder = make_package(tmp_path)
    outside = (tmp_path / "outside.pdf")
    outside.write_bytes((folder / ATGARDSPLAN).read_bytes())
    edit_mets(folder, f'"{ATGARDSPLAN}"', f'"{outside.as_posix()}"')
    assert f"Sökvägen ”{outside.as_posix()}” i METS.xml pekar utanför paketet; filen har inte öppnats." \
        in problems(folder)


def test_a_backslash_href_is_refused(tmp_path):
    folder = make_package(tmp_path)
    edit_mets(folder, f'"{ATGARDSPLAN}"', f'"{ATGARDSPLAN.replace("/", chr(92))}"')
    assert any(p.startswith("Sökvägen ”representations\\rep1") and "bakstreck" in p for p in problems(folder))


def test_a_symbolic_link_is_reported_and_not_followed(tmp_path):
    folder = make_package(tmp_path)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes((folder / ATGARDSPLAN).read_bytes())
    (folder / ATGARDSPLAN).unlink()
    try:
        os.symlink(outside, folder / ATGARDSPLAN)
    except OSError:
        pytest.skip("symbolic links cannot be made here")
    assert problems(folder) == [f"{ATGARDSPLAN} är en symbolisk länk; länken har inte följts."]


def test_a_mets_against_the_schema_is_reported(tmp_path):
    folder = make_package(tmp_path, package_type="XIP")
    found = problems(folder)
    assert found and all(p.startswith("METS.xml följer inte METS-schemat") for p in found)
    assert any("OAISPACKAGETYPE" in p for p in found)


def test_csip_requirements_beyond_the_schema_are_checked(tmp_path):
    folder = make_package(tmp_path)
    edit_mets(folder, 'LABEL="CSIP"', 'LABEL="Annat"')
    edit_mets(folder, 'ROLE="CREATOR"', 'ROLE="ARCHIVIST"')
    edit_mets(folder, ' TYPE="Mixed"', '')
    edit_mets(folder, 'CHECKSUMTYPE="SHA-256">', 'CHECKSUMTYPE="MD5">')      # the first listed file only
    found = problems(folder)
    assert "METS.xml saknar innehållstyp (mets/@TYPE)." in found
    assert any(p.startswith("METS.xml saknar programmet som skapade paketet") for p in found)
    assert any(p.startswith("METS.xml saknar den fysiska strukturkartan") for p in found)
    assert f"{layout.FORMAT_REPORT}: METS.xml anger kontrollsummetypen ”MD5”, men paketet ska använda SHA-256 " \
           "(CHECKSUMTYPE)." in found
    assert len(found) == 4


def test_malformed_mets_is_a_problem_not_a_crash(tmp_path):
    folder = make_package(tmp_path)
    edit_mets(folder, "</mets>", "")
    result = verify_package(folder)
    assert len(result.problems) == 1 and result.problems[0].startswith("METS.xml är inte välformad XML")
    assert result.objid is None and result.files == 0


def test_an_erms_against_the_schema_is_reported(tmp_path):
    folder = make_package(tmp_path, erms_text=erms("<okantElement/>"))
    found = problems(folder)
    assert found and all(p.startswith(f"{layout.ERMS} följer inte ERMS-schemat") for p in found)


def test_an_erms_against_a_schematron_rule_is_reported(tmp_path):
    relation = '<relation relationType="own_relation_definition">SOCN/2023:4</relation>'
    folder = make_package(tmp_path, erms_text=erms(relation))
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith(f"{layout.ERMS} bryter mot en Schematron-regel i ERMS")
    assert "otherRelationType" in found[0]


def test_an_erms_appendix_not_in_mets_is_reported(tmp_path):
    missing = f"{layout.DATA}/{NAME}/Protokollsutdrag.pdf"
    folder = make_package(tmp_path, erms_text=erms(
        f'<additionalInformation><appendix name="Utdrag" path="{missing}"/></additionalInformation>'))
    assert problems(folder) == [
        f"{layout.ERMS}: bilagan ”{missing}” (appendix/@path) är inte en fil som METS.xml förtecknar."]


def test_a_doctored_schema_in_the_package_cannot_make_a_bad_package_pass(tmp_path):
    anything_goes = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{schemas.METS_NS}">
      <xs:element name="mets"><xs:complexType><xs:sequence>
        <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element></xs:schema>"""
    folder = make_package(tmp_path, package_type="XIP", schema_files={"mets.xsd": anything_goes.encode("utf-8")})
    found = problems(folder)
    assert found and all(p.startswith("METS.xml följer inte METS-schemat") for p in found)


def test_an_objid_other_than_the_folder_name_is_reported(tmp_path):
    folder = make_package(tmp_path, objid="SOCN-2023-18")
    assert problems(folder) == [
        f"Paketets identitet i METS.xml (OBJID ”SOCN-2023-18”) är inte densamma som mappens namn ”{NAME}”."]


def test_verify_checks_every_package_in_a_parent_folder(tmp_path):
    second = make_package(tmp_path, "KS-2024-3")
    first = make_package(tmp_path, NAME)
    (first / ATGARDSPLAN).unlink()
    (tmp_path / "inget paket").mkdir()
    results = verify(tmp_path)
    assert [r.folder for r in results] == [second, first]
    assert results[0].problems == []
    assert results[1].problems == [f"{ATGARDSPLAN} saknas i paketet."]
    assert [r.folder for r in verify(first)] == [first]


def test_verify_on_a_folder_without_packages_says_what_to_do(tmp_path):
    (tmp_path / "tom").mkdir()
    with pytest.raises(NamndtoolError, match="innehåller inget arkivpaket .ingen METS.xml.. Ange paketets mapp"):
        verify(tmp_path)


def test_a_folder_without_mets_is_reported_by_verify_package(tmp_path):
    assert problems(tmp_path) == ["METS.xml saknas i paketet."]


def test_a_truncated_erms_is_reported_as_not_well_formed(tmp_path):
    """The ERMS document is read as a stream; a document cut short is still reported, never taken as valid."""
    for cut in (7, 20, 60):
        found = problems(make_package(tmp_path / str(cut), erms_text=erms()[:-cut]))
        assert len(found) == 1 and found[0].startswith(f"{layout.ERMS} är inte välformad XML"), found


def test_the_exports_own_validation_counts_only_for_the_same_bytes(tmp_path):
    """The export validates the ERMS bytes while it writes the package and hands the result to verify_package;
    it is used only when the written document has the SHA-256 of the validated bytes."""
    folder = make_package(tmp_path)
    written = hashlib.sha256((folder / layout.ERMS).read_bytes()).hexdigest()
    assert problems(folder) == []
    assert verify_package(folder, erms=lambda: ErmsChecked(written, ["från exporten"])).problems == ["från exporten"]
    assert verify_package(folder, erms=lambda: ErmsChecked("0" * 64, ["från exporten"])).problems == []
    bad = make_package(tmp_path / "fel", erms_text=erms("<okantElement/>"))
    assert verify_package(bad, erms=lambda: ErmsChecked("0" * 64, [])).problems == problems(bad) != []
