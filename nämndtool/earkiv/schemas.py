"""The official schemas, shipped in resources/schema/e-ark/ and loaded offline (never fetched): METS 1.12 with
the E-ARK CSIP extension for METS.xml, E-ARK CITS ERMS 3 and its Schematron for the ERMS document.

The Schematron (erms_v3.sch) declares ``queryBinding="xslt2"``, which lxml's ISO Schematron (XSLT 1.0) refuses
outright. Every rule in it uses XPath 1.0 only (``normalize-space``, ``count``), so it is run with the XSLT 1.0
binding; a rule whose context or test does not compile as XPath 1.0 would be left out and named by
:func:`rules_not_run` (today none is)."""

import copy
import functools
import io
from pathlib import Path
from typing import BinaryIO

from lxml import etree, isoschematron

from nämndtool.assets import resource

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
ERMS_NS = "https://DILCIS.eu/XML/ERMS"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"


def schema_path(name: str) -> Path:
    """The shipped schema file ``name`` (one of layout.SCHEMA_FILES)."""
    return Path(str(resource("schema", "e-ark", name)))


@functools.cache
def mets_schema() -> etree.XMLSchema:
    """METS 1.12 together with the CSIP extension, so the csip: attributes METS admits laxly are checked too."""
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:namndtool:mets-csip">
      <xs:import namespace="{METS_NS}" schemaLocation="mets.xsd"/>
      <xs:import namespace="{CSIP_NS}" schemaLocation="CSIPExtensionMETS.xsd"/>
    </xs:schema>"""
    base = schema_path("mets-csip.xsd").as_uri()    # no such file: only the folder the imports are read from
    return etree.XMLSchema(etree.fromstring(wrapper.encode("utf-8"), base_url=base))


@functools.cache
def erms_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path("ERMS_v3.xsd"))))


def _compiles(expression: str, namespaces: dict[str, str]) -> bool:
    try:
        etree.XPath(expression, namespaces=namespaces)
        return True
    except etree.XPathSyntaxError:
        return False


@functools.cache
def _schematron() -> tuple[isoschematron.Schematron, tuple[str, ...]]:
    source = etree.parse(str(schema_path("erms_v3.sch")))
    tree = copy.deepcopy(source.getroot())
    ns = {"s": SCH_NS}
    prefixes = {n.get("prefix"): n.get("uri") for n in tree.iterfind("s:ns", ns)}
    not_run = []
    for rule in tree.iterfind(".//s:rule", ns):
        tests = [a.get("test") for a in rule.iterfind("s:assert", ns)] + \
                [r.get("test") for r in rule.iterfind("s:report", ns)]
        if not all(_compiles(e, prefixes) for e in [rule.get("context"), *tests]):
            not_run.append(rule.get("context"))
            rule.getparent().remove(rule)
    tree.set("queryBinding", "xslt")
    return isoschematron.Schematron(tree, store_report=True), tuple(not_run)


def rules_not_run() -> tuple[str, ...]:
    """The contexts of the Schematron rules that cannot be run here (not XPath 1.0); empty for erms_v3.sch."""
    return _schematron()[1]


def _errors(log, what: str) -> list[str]:
    return [f"{what}, rad {e.line}: {e.message}" for e in log]


def mets_problems(document: etree._ElementTree | etree._Element, where: str = "METS.xml") -> list[str]:
    """Why ``document`` is not valid METS with the CSIP extension, in Swedish; empty when it is."""
    schema = mets_schema()
    return [] if schema.validate(document) else _errors(schema.error_log, f"{where} följer inte METS-schemat")


SCHEMATRON_PART = 100
"""How many top-level aggregations (or records) the Schematron is run on at a time; see :func:`erms_problems`."""
_TOP_LEVEL = (f"{{{ERMS_NS}}}aggregation", f"{{{ERMS_NS}}}record")
_APPENDIX = f"{{{ERMS_NS}}}appendix"


def erms_problems(source: bytes | Path | BinaryIO | etree._Element | etree._ElementTree, where: str = "ERMS.xml",
                  appendices: list[str] | None = None) -> list[str]:
    """Why the ERMS document ``source`` (its bytes, a file, or a tree) is not valid ERMS (schema and Schematron),
    in Swedish; empty when it is. The path of every appendix is added to ``appendices`` when given.

    The document is read as a stream (no entities, DTDs or network) and checked in parts, each let go when
    checked, so a year's document (730 000 elements, some 400 MB as one tree) is never whole in memory: each
    SCHEMATRON_PART of its top-level aggregations (or records) moved into a copy of the document's frame (the
    root and its ``control``), and at the end the document as left (its frame and the last aggregations). The
    ERMS schema has no identity constraints (no key, keyref or unique) and each part is an ERMS document of its
    own, so the parts are valid exactly when the whole is. The Schematron likewise: every rule of erms_v3.sch
    looks only at its context element and that element's children. Parts are needed for speed too: lxml's ISO
    Schematron takes time growing with the square of the number of sibling aggregations (2 000 took 1 s, a year
    of 9 734 ärenden 88 s). What the frame's copies repeat is reported once."""
    if isinstance(source, (etree._Element, etree._ElementTree)):
        source = etree.tostring(source)
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    found: list[str] = []
    events = etree.iterparse(str(source) if isinstance(source, Path) else source, events=("end",), tag=_TOP_LEVEL,
                             resolve_entities=False, no_network=True, load_dtd=False)
    try:
        for _event, element in events:
            container = element.getparent()
            root = None if container is None else container.getparent()
            if root is None or root.getparent() is not None:
                continue    # a record inside an aggregation: it goes with its aggregation
            if len(container) > SCHEMATRON_PART:
                found += _part_problems(_moved_part(root, container), where, appendices)
    except etree.XMLSyntaxError as error:
        return [f"{where} är inte välformad XML: {error}"]
    except FileNotFoundError:
        return [f"{where} saknas i paketet."]
    except OSError as error:
        return [f"{where} kan inte läsas ({error.strerror or error})."]
    found += _part_problems(events.root, where, appendices)
    return list(dict.fromkeys(found))


def _moved_part(root: etree._Element, container: etree._Element) -> etree._Element:
    """The first SCHEMATRON_PART children of ``container`` moved out of the document into a copy of its frame."""
    part = etree.Element(root.tag, nsmap=root.nsmap)
    part.extend(copy.deepcopy(c) for c in root if c is not container)
    etree.SubElement(part, container.tag).extend(container[:SCHEMATRON_PART])
    return part


def _part_problems(part: etree._Element, where: str, appendices: list[str] | None) -> list[str]:
    """One part against the schema, then (when valid) the Schematron."""
    if appendices is not None:
        appendices += [a.get("path") or "" for a in part.iter(_APPENDIX)]
    schema = erms_schema()
    if not schema.validate(part):
        return _errors(schema.error_log, f"{where} följer inte ERMS-schemat")
    schematron = _schematron()[0]
    if schematron.validate(part):
        return []
    failed = list(schematron.validation_report.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert"))
    return [_failed_text(part, f, where) for f in failed] or \
        _errors(schematron.error_log, f"{where} bryter mot ERMS Schematron")


def _failed_text(part: etree._Element, failed: etree._Element, where: str) -> str:
    """A failed assertion in Swedish, naming the aggregation or record it is in by its objectId."""
    text = " ".join("".join(failed.itertext()).split())
    found = part.xpath(failed.get("location") or "/..")
    inside = ""
    if found:
        owner = next((e for e in found[0].iterancestors() if e.getparent() is not None
                      and e.getparent().getparent() is part), found[0])
        inside = owner.findtext(f"{{{ERMS_NS}}}objectId") or ""
    place = f"i {inside}, " if inside else ""
    return f"{where} bryter mot en Schematron-regel i ERMS ({place}{found[0].tag.split('}')[-1] if found else ''}): {text}"
