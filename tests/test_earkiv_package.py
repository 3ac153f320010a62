"""Issue 18: archive deliveries an e-archive accepts. ``namndtool archive (--case | --year | --meeting) --out``
writes one E-ARK SIP (FGS Paketstruktur 2.0) whose ERMS document (FGS Ärendehantering 2.0) maps the register as
docs/arkiv.md's table says; METS.xml and ERMS.xml are valid against the shipped official schemas (ERMS also
against its Schematron); ``archive verify`` finds every damage (a changed byte, a missing file, an extra file) in
packages of the sample store and of generated stores; secret ärenden are archived with their restriction and a
package is never written where the program publishes."""

import datetime as dt
import hashlib
import shutil
import sys
from pathlib import Path

import pytest
from lxml import etree
from test_digital_justering import PEOPLE, pki, signer  # noqa: F401 - pki is a fixture used here
from test_protokoll_issue13 import ready_for_justering

from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.earkiv import layout, package as package_module, schemas
from nämndtool.earkiv.package import export_arende, export_meeting, export_year
from nämndtool.earkiv.verify import verify, verify_package
from nämndtool.errors import NamndtoolError
from nämndtool.operations import diary, digital_justering, protokoll, secrecy
from support import SAMPLE_DIR, run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import make_store  # noqa: E402

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

NS = {"e": schemas.ERMS_NS, "m": schemas.METS_NS, "x": schemas.XLINK_NS, "u": "urn:namndtool:underskrift:1"}
BRANDING = load_branding()
SECRET = "SOCN/2022:26"          # § 9 of the sample meeting
LAGRUM = "26 kap. 1 § OSL"
PLAN = "SOCN/2023:16"            # § 6, one bilaga
JUSTERAD = dt.date(2023, 3, 1)
TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def justerat(imported):
    """The sample meeting: SOCN/2022:26 secret, an inkommande handling with a counterpart in SOCN/2023:16 (which
    gets a klassificering and an offentlig rubrik), two delegationsbeslut reported at the meeting (one secret,
    one of SOCN/2023:16), justerat on paper 2023-03-01; SOCN/2023:16 and the secret ärende closed after it."""
    store, meeting_id = imported
    namnd_id = store.the_namnd()["id"]
    secret = store.arende_by_number(parse(SECRET))["id"]
    plan = store.arende_by_number(parse(PLAN))["id"]
    secrecy.seal_arende(store, secret, LAGRUM)
    with store.write():
        store.execute("UPDATE arende SET klassificering = ?, offentlig_rubrik = ? WHERE id = ?",
                      ("1.2.3", "Plan och budget 2023", plan))
    diary.add_handling(store, diary.NewHandling(plan, "Yttrande från Region Sörmland", "in", dt.date(2023, 2, 10),
                                                "Region Sörmland", path=SAMPLE_DIR / "bilagor" / "plan-med-budget-2023.pdf"))
    for beskrivning, arende, hemlig in (("Bistånd enligt 4 kap. 1 § SoL", None, True),
                                        ("Yttrande i budgetfrågan", plan, False)):
        diary.register_delegationsbeslut(store, diary.NewDelegationsbeslut(
            namnd_id, dt.date(2023, 2, 1), "Julia Lindberg", "4.1", beskrivning, arende, hemlig,
            LAGRUM if hemlig else None))
    diary.report_delegationsbeslut(store, meeting_id)
    ready_for_justering(store, meeting_id)
    protokoll.justera(store, meeting_id, JUSTERAD)
    for arende_id in (plan, secret):
        diary.close_arende(store, arende_id, on=dt.date(2023, 3, 10), by="Madelene Sönnerfors")
    return store, meeting_id


def erms(package) -> etree._ElementTree:
    return etree.parse(str(package.folder / layout.ERMS))


def case_file(tree, number: str):
    return tree.find(f".//e:aggregation[@aggregationType='caseFile'][e:objectId='{number}']", NS)


def texts(element, path: str) -> list[str]:
    return [e.text for e in element.iterfind(path, NS)]


def checksum(record) -> str:
    return record.find("e:additionalInformation/e:ownElement/e:ownElement[@name='SHA-256']/e:value", NS).text


def file_of(package, record) -> bytes:
    return (package.folder / record.find("e:additionalInformation/e:appendix", NS).get("path")).read_bytes()


def test_a_case_package_is_a_valid_sip_and_maps_the_arende(justerat, tmp_path):
    store, meeting_id = justerat
    package = export_arende(store, store.arende_by_number(parse(PLAN))["id"], tmp_path / "ut", TODAY, BRANDING)
    assert package.folder.parent == tmp_path / "ut" and package.folder.name == package.objid
    mets = etree.parse(str(package.folder / layout.METS))
    assert schemas.mets_problems(mets) == [] and schemas.erms_problems(erms(package)) == []
    assert verify_package(package.folder).problems == []
    root = mets.getroot()
    assert root.get("OBJID") == package.objid and root.get("PROFILE") == layout.CSIP_PROFILE
    header = root.find("m:metsHdr", NS)
    assert header.get(f"{{{schemas.CSIP_NS}}}OAISPACKAGETYPE") == "SIP"
    software = header.find("m:agent[@OTHERTYPE='SOFTWARE']", NS)
    assert software.get("ROLE") == "CREATOR" and software.findtext("m:name", namespaces=NS) == "Nämndtool"
    assert {g.get("USE") for g in root.iterfind("m:fileSec/m:fileGrp", NS)} == {
        "Documentation", "Schemas", layout.REPRESENTATION_USE}
    assert sorted(p.name for p in (package.folder / layout.SCHEMAS).iterdir()) == sorted(layout.SCHEMA_FILES)

    plan = case_file(erms(package), PLAN)
    assert plan.findtext("e:title", namespaces=NS) == "Socialnämndens plan med budget 2023"
    assert plan.find("e:otherTitle", NS).text == "Plan och budget 2023"
    assert plan.find("e:classification", NS).get("classificationCode") == "1.2.3"
    assert plan.find("e:status", NS).get("value") == "closed"
    assert plan.find("e:restriction", NS) is None
    assert {(d.get("dateType"), d.text[:10]) for d in plan.iterfind("e:dates/e:date", NS)} >= {("closed", "2023-03-10")}
    agents = {(a.get("agentType"), a.findtext("e:name", namespaces=NS)) for a in plan.iterfind("e:agents/e:agent", NS)}
    assert ("responsible_person", "Julia Lindberg") in agents and ("counterpart", "Region Sörmland") in agents
    assert texts(plan, "e:relation[@relationType='reference']") == ["Socialnämnden 2023-02-22 § 6"]
    assert plan.find("e:action/e:dates/e:actionDate", NS).text == "2023-02-22T00:00:00"

    records = {r.findtext("e:title", namespaces=NS): r for r in plan.iterfind("e:record", NS)}
    yttrande = records["Yttrande från Region Sörmland"]
    assert yttrande.find("e:direction", NS).get("directionDefinition") == "incoming"
    assert yttrande.find("e:agents/e:agent[@agentType='sender']/e:name", NS).text == "Region Sörmland"
    assert yttrande.find("e:dates/e:date[@dateType='received']", NS).text == "2023-02-10T00:00:00"
    assert checksum(yttrande) == hashlib.sha256(file_of(package, yttrande)).hexdigest()
    utdrag = next(r for r in plan.iterfind("e:record", NS) if r.get("recordType") == "protokollsutdrag")
    tjanste = next(r for r in plan.iterfind("e:record", NS) if r.get("recordType") == "tjänsteskrivelse")
    for own in (utdrag, tjanste):
        assert own.find("e:additionalInformation/e:appendix", NS).get("fileFormat") == "PDF/A-2a"
        assert checksum(own) == hashlib.sha256(file_of(package, own)).hexdigest()
        assert file_of(package, own).startswith(b"%PDF-")
    delegation = next(r for r in plan.iterfind("e:record", NS) if r.get("recordType") == "delegationsbeslut")
    assert delegation.findtext("e:title", namespaces=NS) == "Yttrande i budgetfrågan"
    assert "Socialnämnden 2023-02-22" in texts(delegation, "e:relation")


def test_a_secret_arende_is_archived_with_its_restriction(justerat, tmp_path):
    store, meeting_id = justerat
    package = export_arende(store, store.arende_by_number(parse(SECRET))["id"], tmp_path, TODAY, BRANDING)
    secret = case_file(erms(package), SECRET)
    assert secret.find("e:restriction", NS).get("restrictionType") == "confidential"
    assert secret.find("e:restriction/e:regulation", NS).text == LAGRUM
    title = store.arende_by_number(parse(SECRET))["rubrik"]
    assert secret.findtext("e:title", namespaces=NS) == title   # the archive keeps the real title
    utdrag = next(r for r in secret.iterfind("e:record", NS) if r.get("recordType") == "protokollsutdrag")
    assert utdrag.find("e:restriction/e:regulation", NS).text == LAGRUM
    assert verify_package(package.folder).problems == []


def test_a_meeting_package_holds_the_justerat_protokoll_and_the_delegationsbeslut(justerat, tmp_path):
    store, meeting_id = justerat
    package = export_meeting(store, meeting_id, tmp_path, TODAY, BRANDING)
    tree = erms(package)
    meeting = tree.find(".//e:aggregation[@otherAggregationType='sammanträde']", NS)
    assert meeting.findtext("e:objectId", namespaces=NS) == "Socialnämnden 2023-02-22"
    assert SECRET in texts(meeting, "e:relation") and PLAN in texts(meeting, "e:relation")
    record = meeting.find("e:record[@recordType='justerat protokoll']", NS)
    stored = store.protokoll(meeting_id)["justerad_pdf_sha256"]
    assert checksum(record) == stored == hashlib.sha256(file_of(package, record)).hexdigest()
    assert LAGRUM in record.find("e:restriction/e:regulation", NS).text     # § 9 is secret
    assert record.find("e:dates/e:date[@otherDateType='justerat']", NS).text == "2023-03-01T00:00:00"
    assert record.find("e:eSignatures", NS) is None                        # justerat on paper
    hidden = meeting.find("e:record[@recordType='delegationsbeslut']", NS)
    assert hidden.findtext("e:title", namespaces=NS) == "Bistånd enligt 4 kap. 1 § SoL"
    assert hidden.find("e:restriction/e:regulation", NS).text == LAGRUM
    assert case_file(tree, SECRET) is not None and case_file(tree, PLAN) is not None
    assert verify_package(package.folder).problems == []


def test_a_year_package_holds_the_closed_arenden_and_the_justerade_meetings(justerat, tmp_path):
    store, meeting_id = justerat
    package = export_year(store, store.the_namnd()["id"], 2023, tmp_path, TODAY, BRANDING)
    tree = erms(package)
    assert {c.findtext("e:objectId", namespaces=NS) for c in tree.iterfind(".//e:aggregation[@aggregationType="
                                                                             "'caseFile']", NS)} == {PLAN}
    assert package.arenden == 1 and package.meetings == 1
    # the secret delegationsbeslut of no ärende in the package goes with the meeting it was reported to
    assert tree.find(".//e:aggregation[@otherAggregationType='sammanträde']/e:record[@recordType="
                     "'delegationsbeslut']", NS) is not None
    # one flat data folder, each file named by the ärende or the meeting it belongs to
    data = package.folder / layout.DATA
    assert all(p.is_file() for p in data.iterdir())
    for aggregation in tree.iterfind(".//e:aggregation", NS):
        paths = [a.get("path") for a in aggregation.iter(f"{{{schemas.ERMS_NS}}}appendix")]
        prefix = "Protokoll_" if aggregation.get("otherAggregationType") == "sammanträde" else \
            aggregation.findtext("e:objectId", namespaces=NS).replace("/", "-").replace(":", "-") + "_"
        assert paths and all(p.startswith(f"{layout.DATA}/{prefix}") for p in paths), paths
    with pytest.raises(NamndtoolError, match="inget att arkivera från 2019"):
        export_year(store, store.the_namnd()["id"], 2019, tmp_path, TODAY, BRANDING)


def test_the_format_report_lists_each_bilaga_that_is_not_pdfa_with_its_hash(justerat, tmp_path):
    store, meeting_id = justerat
    package = export_arende(store, store.arende_by_number(parse(PLAN))["id"], tmp_path, TODAY, BRANDING)
    report = (package.folder / layout.FORMAT_REPORT).read_text(encoding="utf-8")
    plan = case_file(erms(package), PLAN)
    listed = {r.find("e:additionalInformation/e:appendix", NS).get("path"): checksum(r)
              for r in plan.iterfind("e:record", NS) if r.find("e:additionalInformation", NS) is not None}
    not_pdfa = {p: s for p, s in listed.items()
                if r_format(plan, p) != "PDF/A-2a" and not r_format(plan, p).startswith("PDF/A")}
    assert not_pdfa and package.not_archival == len(not_pdfa)
    for path, sha in not_pdfa.items():
        assert path in report and sha in report
    own = [p for p in listed if r_format(plan, p) == "PDF/A-2a"]
    assert own and not any(p in report for p in own)


def r_format(case, path: str) -> str:
    return case.find(f"e:record/e:additionalInformation/e:appendix[@path='{path}']", NS).get("fileFormat")


def test_an_unjusterat_meeting_and_a_public_folder_are_refused(imported, tmp_path):
    store, meeting_id = imported
    with pytest.raises(NamndtoolError, match="inte justerat"):
        export_meeting(store, meeting_id, tmp_path, TODAY, BRANDING)
    board = tmp_path / "anslagstavla"
    board.mkdir()
    (board / ".namndtool-anslag.json").write_text("{}")
    for out in (board, board / "arkiv"):
        with pytest.raises(NamndtoolError, match="publicerad anslagstavla"):
            export_arende(store, store.arende_by_number(parse(PLAN))["id"], out, TODAY, BRANDING)
    assert [p.name for p in board.iterdir()] == [".namndtool-anslag.json"]


def test_a_digitally_justerat_protokoll_carries_its_signatures(imported, pki, tmp_path, monkeypatch):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    protokoll.mark_klar_for_justering(store, meeting_id)
    digital_justering.start(store, meeting_id)
    for field in PEOPLE:
        digital_justering.sign(store, meeting_id, signer(pki, field), trust_roots=pki["roots"])
    assert store.is_justerat(meeting_id)
    monkeypatch.setenv("NAMNDTOOL_TRUST_DIR", str(pki["trust_dir"]))
    package = export_meeting(store, meeting_id, tmp_path, TODAY, BRANDING)
    record = erms(package).find(".//e:record[@recordType='justerat protokoll']", NS)
    signed = [s.find("e:signature/u:underskrift", NS) for s in record.iterfind("e:eSignatures/e:eSignature", NS)]
    assert [(s.get("roll"), s.get("undertecknare"), s.get("giltig")) for s in signed] == [
        ("Sekreterare", "Madelene Sönnerfors", "ja"), ("Ordförande", "Martin Edgélius", "ja"),
        ("Justerande", "Anders Gölevik", "ja")]
    assert all(s.get("present") == "true" for s in record.iterfind("e:eSignatures/e:eSignature", NS))
    assert verify_package(package.folder).problems == []


# --- verify finds every damage, in the sample store's packages and in generated stores' -----------------------

def _damage(folder: Path, how: str) -> str:
    """Damage the package one way; returns the path (inside it) the report must name."""
    data = sorted(p for p in (folder / layout.DATA).rglob("*") if p.is_file())[0]
    name = data.relative_to(folder).as_posix()
    if how == "changed byte":
        content = bytearray(data.read_bytes())
        content[len(content) // 2] ^= 0x01
        data.write_bytes(bytes(content))
    elif how == "missing file":
        data.unlink()
    elif how == "extra file":
        extra = data.parent / "okänd.pdf"
        extra.write_bytes(b"%PDF-1.7 inte med")
        name = extra.relative_to(folder).as_posix()
    elif how == "changed ERMS":
        path = folder / layout.ERMS
        text = path.read_bytes()
        at = text.index(b"<title>") + len(b"<title>")
        path.write_bytes(text[:at] + b"Z" + text[at + 1:])   # same size, another title
        name = layout.ERMS
    return name


DAMAGE = ("changed byte", "missing file", "extra file", "changed ERMS")
EXPECTED = {"changed byte": "kontrollsumma", "missing file": "saknas", "extra file": "inte förtecknad",
            "changed ERMS": "kontrollsumma"}


@pytest.mark.parametrize("how", DAMAGE)
def test_verify_reports_damage_to_a_sample_package(justerat, tmp_path, how):
    store, meeting_id = justerat
    package = export_meeting(store, meeting_id, tmp_path / "ut", TODAY, BRANDING)
    assert verify_package(package.folder).problems == []
    name = _damage(package.folder, how)
    problems = verify_package(package.folder).problems
    assert any(name in p and EXPECTED[how] in p for p in problems), problems


def test_archive_and_verify_on_the_command_line(justerat, tmp_path, store_location):
    store, meeting_id = justerat
    if not isinstance(store_location, Path):
        pytest.skip("the command line test runs on the file store; the server store is covered above")
    store.close()
    done = run_cli("archive", "--meeting", str(meeting_id), "--out", str(tmp_path / "ut"), db=store_location)
    assert done.returncode == 0, done.stderr
    assert "är skrivet och kontrollerat" in done.stdout and " 1 sammanträde, " in done.stdout
    one = run_cli("archive", "--case", PLAN, "--out", str(tmp_path / "ett"), db=store_location)
    assert one.returncode == 0 and ": 1 ärende, 0 sammanträden, " in one.stdout, one.stdout
    ok = run_cli("archive", "verify", str(tmp_path / "ut"))
    assert ok.returncode == 0 and "paketet är helt" in ok.stdout
    package = next((tmp_path / "ut").iterdir())
    name = _damage(package, "changed byte")
    bad = run_cli("archive", "verify", str(package))
    assert bad.returncode == 1 and name in bad.stdout and "kontrollsumma" in bad.stdout
    none = run_cli("archive", "verify", str(tmp_path))
    assert none.returncode == 1 and "inget arkivpaket" in none.stderr
    missing = run_cli("archive", "--out", str(tmp_path / "x"), db=store_location)
    assert missing.returncode == 1 and "--case DIARIENR, --year ÅR eller --meeting ID" in missing.stderr


GENERATED = make_store.Scale(arenden=400, handlingar=900, meetings=100, files=30)


@pytest.fixture(scope="module", params=[18, 1818], ids=["seed 18", "seed 1818"])
def generated(request, tmp_path_factory):
    """A generated store (benchmarks/make_store.py, small) and the year with the most closed ärenden."""
    from nämndtool.store import Store

    path = tmp_path_factory.mktemp("genererat") / "register.sqlite"
    make_store.generate(path, GENERATED, seed=request.param)
    with Store.open(path) as store:
        yield store, make_store.archive_year(store)


@pytest.mark.parametrize("how", DAMAGE)
def test_verify_reports_damage_to_a_generated_year(generated, tmp_path, how):
    store, year = generated
    package = export_year(store, store.the_namnd()["id"], year, tmp_path, TODAY, BRANDING)
    assert package.arenden > 0 and package.files > 0
    assert verify_package(package.folder).problems == []
    copy = tmp_path / "kopia" / package.objid
    shutil.copytree(package.folder, copy)
    name = _damage(copy, how)
    problems = verify(copy)[0].problems
    assert any(name in p and EXPECTED[how] in p for p in problems), problems
    assert verify_package(package.folder).problems == []     # the original is untouched


def test_every_schematron_rule_runs():
    """lxml refuses the Schematron's xslt2 binding; its rules are XPath 1.0, so every one runs (none left out)."""
    assert schemas.rules_not_run() == ()


def test_schema_errors_in_every_part_are_found_at_their_lines(justerat, tmp_path):
    """The ERMS document is checked against the schema SCHEMATRON_PART aggregations at a time: an error in any
    part is found, at the line the whole document's validation gives, and the schema has no identity constraint
    (key, keyref, unique) that only the whole could break."""
    import copy

    store, meeting_id = justerat
    package = export_arende(store, store.arende_by_number(parse(PLAN))["id"], tmp_path, TODAY, BRANDING)
    root = erms(package).getroot()
    aggregations = root.find("e:aggregations", NS)
    for n in range(2 * schemas.SCHEMATRON_PART + 50):
        aggregations.append(copy.deepcopy(aggregations[0]))
    for n in (3, schemas.SCHEMATRON_PART + 7, 2 * schemas.SCHEMATRON_PART + 40):
        etree.SubElement(aggregations[n], f"{{{schemas.ERMS_NS}}}okant")
    written = etree.tostring(root, pretty_print=True)
    whole = schemas.erms_schema()
    assert not whole.validate(etree.fromstring(written))
    expected = [f"ERMS.xml följer inte ERMS-schemat, rad {e.line}: {e.message}" for e in whole.error_log]
    assert len(expected) == 3 and schemas.erms_problems(written) == expected
    xsd = schemas.schema_path("ERMS_v3.xsd").read_text(encoding="utf-8")
    assert not any(f"<xs:{c}" in xsd for c in ("key", "keyref", "unique"))


def test_hostile_file_names_become_safe_names_inside_the_package(imported, tmp_path):
    """A registered file's own name is kept in ERMS (appendix/@name), but its path in the package is made safe:
    no folder parts, no characters a file system refuses, not longer than a file system takes."""
    store, meeting_id = imported
    plan = store.arende_by_number(parse(PLAN))["id"]
    names = ["a" * 240 + ".pdf", "..  rapport: del 1?.pdf", "Rapport.pdf", "rapport.pdf"]
    for name in names:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n" + name.encode() + b"\n%%EOF\n")
        diary.add_handling(store, diary.NewHandling(plan, f"Fil {len(name)}", "in", dt.date(2023, 2, 1), path=path))
    package = export_arende(store, plan, tmp_path / "ut", TODAY, BRANDING)
    assert verify_package(package.folder).problems == []
    appendices = {a.get("name"): a.get("path") for a in erms(package).iter(f"{{{schemas.ERMS_NS}}}appendix")}
    assert set(names) <= set(appendices)
    paths = [appendices[n] for n in names]
    assert len({p.casefold() for p in paths}) == len(paths)          # Rapport.pdf and rapport.pdf both kept
    assert all(len(Path(p).name) <= 120 and ".." not in p and ":" not in p and "?" not in p for p in paths)


def test_the_schematron_run_in_parts_finds_what_it_finds_on_the_whole(justerat, tmp_path):
    """A year is run through the Schematron SCHEMATRON_PART aggregations at a time (lxml's takes time growing with
    the square of the siblings): the same failures as on the whole document, each named by its aggregation."""
    import copy

    store, meeting_id = justerat
    package = export_arende(store, store.arende_by_number(parse(PLAN))["id"], tmp_path, TODAY, BRANDING)
    root = erms(package).getroot()
    aggregations = root.find("e:aggregations", NS)
    for n in range(2 * schemas.SCHEMATRON_PART + 50):
        twin = copy.deepcopy(aggregations[0])
        twin.find("e:objectId", NS).text = f"SOCN/2023:{1000 + n}"
        aggregations.append(twin)
    for n in (10, schemas.SCHEMATRON_PART + 30):
        relation = aggregations[n].find("e:relation", NS)
        relation.set("relationType", "own_relation_definition")      # without otherRelationType
    found = schemas.erms_problems(root)
    assert len(found) == 2 and "SOCN/2023:1009" in found[0] and f"SOCN/2023:{1000 + schemas.SCHEMATRON_PART + 29}" in found[1]
    assert all("otherRelationType" in p for p in found)
    whole = schemas._schematron()[0]
    assert not whole.validate(root)
    assert len(list(whole.validation_report.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert"))) == 2


def test_the_fast_builder_writes_what_lxml_builder_writes(justerat, tmp_path, monkeypatch):
    """earkiv.builder.Maker stands in for lxml.builder.ElementMaker for speed: the same ERMS and METS bytes."""
    from lxml.builder import ElementMaker

    from nämndtool.earkiv import erms as erms_module, mets

    store, meeting_id = justerat

    def package_xml(out):
        package = export_meeting(store, meeting_id, out, TODAY, BRANDING)
        texts = [(package.folder / name).read_bytes() for name in (layout.ERMS, layout.METS)]
        return [t.replace(package.objid.encode(), b"OBJID") for t in texts]

    monkeypatch.setattr(package_module.dt, "datetime", _Frozen)
    fast = package_xml(tmp_path / "snabb")
    monkeypatch.setattr(erms_module, "E", ElementMaker(namespace=schemas.ERMS_NS, nsmap={None: schemas.ERMS_NS}))
    monkeypatch.setattr(mets, "M", ElementMaker(namespace=schemas.METS_NS, nsmap={
        None: schemas.METS_NS, "csip": schemas.CSIP_NS, "xlink": schemas.XLINK_NS}))
    assert package_xml(tmp_path / "lxml") == fast


class _Frozen(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2026, 12, 6, 10, 0, 0)
