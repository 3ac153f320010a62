"""Reading an archive package (nämndtool.earkiv.package) in tests: its ERMS document, an ärende's caseFile and its
records, a record's file found by its appendix path (its SHA-256 checked against the record on the way), the files
of the representation, and the package checked as the receiving archive checks it."""

import hashlib
from pathlib import Path

from lxml import etree

from nämndtool.earkiv import layout
from nämndtool.earkiv.schemas import ERMS_NS
from nämndtool.earkiv.verify import verify_package

NS = {"e": ERMS_NS}
CASE_FILES = "e:aggregations/e:aggregation[@aggregationType='caseFile']"
SHA256 = "e:additionalInformation/e:ownElement/e:ownElement[@name='SHA-256']/e:value"


def folder_of(package) -> Path:
    """The package's folder: a ``Package`` as the export returns it, or the folder itself."""
    return Path(getattr(package, "folder", package))


def packages(out: Path) -> list[Path]:
    """The package folders in ``out`` (each holding a METS.xml), by name; hidden folders are not deliveries."""
    return sorted(p for p in Path(out).iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / layout.METS).is_file())


def erms(package) -> etree._ElementTree:
    return etree.parse(str(folder_of(package) / layout.ERMS))


def case_files(tree) -> list[etree._Element]:
    return tree.getroot().findall(CASE_FILES, NS)


def case_file(tree, diarienummer: str) -> etree._Element:
    """The caseFile aggregation of the ärende ``diarienummer`` (its objectId); there is exactly one."""
    found = [a for a in case_files(tree) if a.findtext("e:objectId", namespaces=NS) == diarienummer]
    assert len(found) == 1, f"{len(found)} caseFile med objectId {diarienummer}"
    return found[0]


def records(aggregation: etree._Element) -> list[etree._Element]:
    return aggregation.findall("e:record", NS)


def text(element: etree._Element, path: str) -> str | None:
    """``findtext`` with the ERMS prefix ``e``."""
    return element.findtext(path, namespaces=NS)


def regulation(element: etree._Element) -> str | None:
    """The lagrum of a confidential restriction of the aggregation or record, or None when it has none."""
    found = element.find("e:restriction[@restrictionType='confidential']", NS)
    return None if found is None else found.findtext("e:regulation", namespaces=NS)


def appendix(record: etree._Element) -> etree._Element | None:
    return record.find("e:additionalInformation/e:appendix", NS)


def sha256(record: etree._Element) -> str | None:
    """The SHA-256 the record gives its file (an ownElement beside the appendix), or None for a record without."""
    return record.findtext(SHA256, namespaces=NS)


def date(element: etree._Element, date_type: str) -> str | None:
    return element.findtext(f"e:dates/e:date[@dateType='{date_type}']", namespaces=NS)


def file_of(package, record: etree._Element) -> bytes:
    """The bytes of the record's file, read at its appendix path; their SHA-256 is the one the record gives."""
    found = appendix(record)
    assert found is not None, f"{record.get('systemIdentifier')} har ingen fil"
    assert found.get("path").startswith(f"{layout.DATA}/"), found.get("path")
    data = (folder_of(package) / found.get("path")).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256(record), found.get("path")
    return data


def files_of(package, aggregation: etree._Element) -> dict[str, bytes]:
    """Appendix path → bytes of every record of the aggregation that has a file."""
    return {appendix(r).get("path"): file_of(package, r) for r in records(aggregation) if appendix(r) is not None}


def data_files(package) -> dict[str, bytes]:
    """Every file of the representation: path under representations/rep1/data → bytes."""
    data = folder_of(package) / layout.DATA
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def canonical(element: etree._Element) -> bytes:
    """The element as canonical XML, to compare what two deliveries say of the same thing."""
    return etree.tostring(element, method="c14n")


def assert_sound(package) -> None:
    """The package passes the check an archive makes (earkiv.verify): METS and ERMS valid, every file listed,
    present, of its size and SHA-256, nothing unlisted."""
    checked = verify_package(folder_of(package))
    assert checked.problems == [], checked.problems
