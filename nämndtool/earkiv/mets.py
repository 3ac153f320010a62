"""METS.xml of a package, following E-ARK CSIP and SIP (FGS Paketstruktur 2.0) as far as the shipped METS 1.12
and CSIP extension schemas and the requirements they leave to the text (CSIP1–CSIP117) go:

- mets/@OBJID is the package's folder name; @TYPE the content category from the CSIP vocabulary ("Textual works
  – Digital": ärenden and their documents); @PROFILE the E-ARK SIP profile; csip:CONTENTINFORMATIONTYPE is
  ``OTHER`` with csip:OTHERCONTENTINFORMATIONTYPE ``citserms_v3_0`` (the shipped extension schema knows no CITS
  ERMS value; the attribute is admitted by METS's lax ##other attributes);
- metsHdr: CREATEDATE, RECORDSTATUS NEW, csip:OAISPACKAGETYPE SIP, the creating software as agent (ROLE CREATOR,
  TYPE OTHER, OTHERTYPE SOFTWARE, its version as a SOFTWARE VERSION note) and the nämnd as the submitting
  organisation (ROLE CREATOR, TYPE ORGANIZATION);
- dmdSec with an mdRef to the ERMS document; fileSec with one fileGrp per use (Documentation, Schemas,
  Representations/rep1), every file with MIMETYPE, SIZE, CREATED, SHA-256 CHECKSUM and an FLocat; one PHYSICAL
  structMap labelled CSIP whose divs point at the metadata and at each fileGrp."""

import datetime as dt
import io
from dataclasses import dataclass

from lxml import etree

from nämndtool import __version__
from nämndtool.earkiv import layout
from nämndtool.earkiv.builder import Maker
from nämndtool.earkiv.erms import SOFTWARE, timestamp
from nämndtool.earkiv.schemas import CSIP_NS, METS_NS, XLINK_NS

NSMAP = {None: METS_NS, "csip": CSIP_NS, "xlink": XLINK_NS}
M = Maker(METS_NS, NSMAP)
CONTENT_CATEGORY = "Textual works – Digital"


def _csip(name: str) -> str:
    return f"{{{CSIP_NS}}}{name}"


def _xlink(name: str) -> str:
    return f"{{{XLINK_NS}}}{name}"


@dataclass(frozen=True)
class Listed:
    """One file of the package as METS lists it."""
    path: str           # relative to the package root, '/'-separated
    use: str            # the fileGrp: "Documentation", "Schemas" or layout.REPRESENTATION_USE
    sha256: str
    size: int
    mimetype: str


def _location(path: str) -> dict:
    return {"LOCTYPE": "URL", _xlink("type"): "simple", _xlink("href"): path}


def _file_attributes(f: Listed, created: str) -> dict:
    return {"MIMETYPE": f.mimetype, "SIZE": str(f.size), "CREATED": created, "CHECKSUM": f.sha256,
            "CHECKSUMTYPE": "SHA-256"}


USES = ("Documentation", "Schemas", layout.REPRESENTATION_USE)


def document(objid: str, agency: str, created: dt.datetime, erms: Listed, files: list[Listed]) -> bytes:
    """The METS.xml of the package ``objid`` holding ``files`` and described by the ERMS document ``erms``. The
    file groups are written one file at a time: a year's 26 000 files as one tree held 110 MB more."""
    when = timestamp(created)
    header = M.metsHdr(
        M.agent(M.name(f"{SOFTWARE}"), M.note(__version__, **{_csip("NOTETYPE"): "SOFTWARE VERSION"}),
                ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"),
        M.agent(M.name(agency), ROLE="CREATOR", TYPE="ORGANIZATION"),
        CREATEDATE=when, RECORDSTATUS="NEW", **{_csip("OAISPACKAGETYPE"): "SIP"})
    dmd = M.dmdSec(M.mdRef(**_location(erms.path), MDTYPE="OTHER", OTHERMDTYPE="ERMS",
                           **_file_attributes(erms, when)),
                   ID="dmd-erms", CREATED=when, STATUS="CURRENT")
    groups = [(n, use, [f for f in files if f.use == use]) for n, use in enumerate(USES, 1)]
    groups = [(n, use, members) for n, use, members in groups if members]
    written = io.BytesIO()
    with etree.xmlfile(written, encoding="UTF-8") as out:
        out.write_declaration()
        with out.element(_mets("mets"), nsmap=NSMAP, OBJID=objid, TYPE=CONTENT_CATEGORY,
                         PROFILE=layout.CSIP_PROFILE, LABEL=f"Arkivleverans {objid}",
                         **{_csip("CONTENTINFORMATIONTYPE"): "OTHER",
                            _csip("OTHERCONTENTINFORMATIONTYPE"): "citserms_v3_0"}):
            out.write("\n")
            out.write(header, pretty_print=True)
            out.write(dmd, pretty_print=True)
            with out.element(_mets("fileSec"), ID="filesec"):
                out.write("\n")
                for n, use, members in groups:
                    with out.element(_mets("fileGrp"), ID=f"grp-{n}", USE=use):
                        out.write("\n")
                        for i, f in enumerate(members, 1):     # written as they come: no element objects
                            with out.element(_mets("file"), ID=f"grp-{n}-{i}", **_file_attributes(f, when)):
                                out.write("\n  ")
                                with out.element(_mets("FLocat"), **_location(f.path)):
                                    pass
                                out.write("\n")
                            out.write("\n")
                    out.write("\n")
            out.write("\n")
            divs = [M.div(ID="div-metadata", LABEL="Metadata", DMDID="dmd-erms")]
            divs += [M.div(*[M.fptr(FILEID=f"grp-{n}-{i}") for i in range(1, len(members) + 1)], ID=f"div-{n}",
                           LABEL=use)
                     for n, use, members in groups]
            out.write(M.structMap(M.div(*divs, ID="div-root", LABEL=objid), TYPE="PHYSICAL", LABEL="CSIP",
                                  ID="structmap"), pretty_print=True)
    return written.getvalue()


def _mets(name: str) -> str:
    return f"{{{METS_NS}}}{name}"
