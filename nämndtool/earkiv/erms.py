"""The ERMS document of a delivery (E-ARK CITS ERMS 3, adopted by Riksarkivet as FGS Ärendehantering 2.0).

The mapping from the register is the table in docs/arkiv.md; this module is that table in code. It builds
elements from the model ``package`` gathers (plain dicts from the store, each record with its file already
placed), in the order the schema's sequences demand, so every function here returns schema-ordered children."""

import datetime as dt
from typing import Iterable

from lxml import etree

from nämndtool import __version__, labels
from nämndtool.earkiv.builder import Maker
from nämndtool.earkiv.schemas import ERMS_NS

E = Maker(ERMS_NS, {None: ERMS_NS})
SIGNATURE_NS = "urn:namndtool:underskrift:1"
"""The namespace of the program's own description of a PDF signature inside ERMS eSignature/signature (the ERMS
schema admits any XML there)."""

SOFTWARE = "Nämndtool"
OSL = "Offentlighets- och sekretesslagen (2009:400)"

STATUS = {"inkommet": "received", "under_beredning": "in_progress", "klart_for_namnd": "prepared",
          "beslutat": "expedited", "avslutat": "closed"}
"""arende.status → ERMS status/@value."""
DIRECTION = {"in": ("incoming", "Inkommande"), "ut": ("outgoing", "Utgående"), "upprattad": ("other", "Upprättad")}
"""handling.riktning → ERMS direction/@directionDefinition and its text; an upprättad handling has no ERMS
direction of its own, so it is ``other`` with otherDirectionDefinition ``upprättad``."""
DATE_OF_DIRECTION = {"in": "received", "ut": "sent", "upprattad": "created"}


def timestamp(day: str | dt.datetime | None) -> str | None:
    """An ISO date (or date-time) as the xs:dateTime ERMS dates are."""
    if day is None or day == "":
        return None
    if isinstance(day, dt.datetime):
        return day.replace(microsecond=0, tzinfo=None).isoformat()
    return f"{day[:10]}T00:00:00"


def _date(date_type: str, day, other: str | None = None):
    attributes = {"dateType": date_type}
    if other:
        attributes["otherDateType"] = other
    return E.date(timestamp(day), **attributes)


def _dates(*dates) -> list:
    """A ``dates`` element of the (type, day[, other]) pairs that have a day, or nothing."""
    found = [_date(*d) for d in dates if d[1]]
    return [E.dates(*found)] if found else []


def agent(agent_type: str, name: str, role: str | None = None, other: str | None = None,
           organisation: str | None = None):
    attributes = {"agentType": agent_type}
    if other:
        attributes["otherAgentType"] = other
    children = [E.name(name)]
    if organisation:
        children.append(E.organisation(organisation))
    if role:
        children.append(E.role(role))
    return E.agent(*children, **attributes)


def _agents(agents: list[tuple]) -> list:
    """``agents`` of the given agents, each the arguments of :func:`agent` (a record's model is plain data until
    it is written)."""
    return [E.agents(*(agent(*a) for a in agents))] if agents else []


def restriction(secret: int | bool, lagrum: str | None, about: str | None = None) -> list:
    """The ``restriction`` of a secret object: confidential, the OSL provision as ``regulation`` (every archived
    secret ärende, handling, § and delegationsbeslut carries one, so the archive can try each request for it)."""
    if not secret:
        return []
    text = f"Sekretess enligt {OSL}" + (f" ({about})" if about else "") + "."
    return [E.restriction(E.explanatoryText(text), E.regulation(lagrum or f"{OSL}, lagrum ej angivet i registret"),
                          restrictionType="confidential")]


def _notes(*notes) -> list:
    found = [E.note(text, noteType=kind) for kind, text in notes if text]
    return [E.notes(*found)] if found else []


def _file_information(placed: dict | None) -> list:
    """The record's file: an ``appendix`` naming its path in the package and its format, and its SHA-256 as an
    ownElement (ERMS has no checksum of its own; METS.xml carries the same one)."""
    if placed is None:
        return []
    appendix = E.appendix(name=placed["filnamn"], path=placed["path"], fileFormat=placed["format"])
    checksum = E.ownElement(E.ownElementDescription("Filens kontrollsumma"),
                            E.ownElement(E.value(placed["sha256"]), name="SHA-256", dataType="hexBinary"))
    return [E.additionalInformation(appendix, checksum)]


def signatures(states: list[dict], checked: dt.datetime) -> list:
    """``eSignatures`` for the signatures in a signed PDF, as read and checked when the package was made: who,
    in which role, when, and whether the check found the signature valid (and why not)."""
    if not states:
        return []
    found = []
    for state in states:
        detail = etree.Element(f"{{{SIGNATURE_NS}}}underskrift", nsmap={"u": SIGNATURE_NS})
        for key in ("roll", "namn", "undertecknare", "tid", "tidsstampel", "giltig"):
            if state.get(key) not in (None, ""):
                detail.set(key, str(state[key]))
        for problem in state.get("problem", ()):
            etree.SubElement(detail, f"{{{SIGNATURE_NS}}}anmarkning").text = problem
        found.append(E.eSignature(E.signature(detail), present="true",
                                  dateeSignatureIsVerified=timestamp(checked)))
    return [E.eSignatures(*found)]


def record(r: dict, checked: dt.datetime):
    """One ``record`` from the model's record dict (see package.py: handlingar, the protokoll, the
    delegationsbeslut), its children in the schema's order."""
    direction = []
    if r.get("riktning"):
        definition, text = DIRECTION[r["riktning"]]
        attributes = {"directionDefinition": definition}
        if definition == "other":
            attributes["otherDirectionDefinition"] = "upprättad"
        direction = [E.direction(text, **attributes)]
    attributes = {"systemIdentifier": r["system_id"], "recordType": r["typ"]}
    attributes["recordPhysicalOrDigital"] = "digital" if r.get("fil") else "does_not_apply"
    return E.record(
        E.objectId(r["object_id"]),
        E.title(r["titel"]),
        *[E.relation(text, relationType=kind) for kind, text in r.get("relationer", ())],
        *restriction(r["sekretess"], r["sekretess_lagrum"], r.get("sekretess_om")),
        *direction,
        *_agents(r.get("agenter", [])),
        *_dates(*r.get("datum", ())),
        *_notes(*r.get("anteckningar", ())),
        *signatures(r.get("underskrifter", []), checked),
        *_file_information(r.get("fil")),
        **attributes)


def case_file(a: dict, records: list, relations: list[tuple[str, str]], actions: list, agents: list):
    """The ``aggregation`` of type caseFile for one ärende."""
    extra = [E.extraId(a["extern_referens"], extraIdType="motpartens_referens")] if a["extern_referens"] else []
    classification = [E.classification(a["klassificering"], classificationCode=a["klassificering"])] \
        if a["klassificering"] else []
    public = [E.otherTitle(a["offentlig_rubrik"], titleType="offentlig_titel")] if a["offentlig_rubrik"] else []
    return E.aggregation(
        E.objectId(a["diarienummer"]), *extra, *classification, E.title(a["rubrik"]), *public,
        E.status(value=STATUS[a["status"]]),
        *[E.relation(text, relationType=kind) for kind, text in relations],
        *restriction(a["sekretess"], a["sekretess_lagrum"], "ärendet"),
        *_agents(agents),
        *_dates(("opened", a["registrerad"]), ("closed", a["avslutad"])),
        *actions,
        *_notes(("status_i_namndtool", labels.STATUS[a["status"]])),
        *records,
        systemIdentifier=f"arende-{a['id']}", aggregationType="caseFile")


def decision(organ: str, datum: str, nr: int, texts: list[str], secret: int, lagrum: str | None):
    """An ``action``: the decision of one § about the ärende. A secret § keeps its text here: the archive keeps
    everything, and the ärende's restriction (and the §'s record, the utdrag) says it is secret."""
    text = "\n".join(texts) or f"Beslut i § {nr}"
    return E.action(E.actionText(text), E.actionType(f"Beslut, {organ} {datum} § {nr}"
                                                      + (f" (sekretess: {lagrum})" if secret and lagrum else "")),
                    E.dates(E.actionDate(timestamp(datum), dateType="decision")),
                    E.agents(agent("authorising_person", organ, "Beslutande organ")))


def own_aggregation(system_id: str, kind: str, object_id: str, title: str, relations: list, dates: tuple,
                    records: list, secret: bool = False, lagrum: str | None = None, about: str | None = None):
    """An aggregation of the program's own kind (a sammanträde, the delegationsbeslut of a delivery)."""
    return E.aggregation(
        E.objectId(object_id), E.title(title),
        *[E.relation(text, relationType=k) for k, text in relations],
        *restriction(secret, lagrum, about),
        *_dates(*dates),
        *records,
        systemIdentifier=system_id, aggregationType="own_aggregation_definition", otherAggregationType=kind)


def write(target, objid: str, agency: str, created: dt.datetime, aggregations: Iterable) -> None:
    """The whole ERMS document written to ``target`` (a file or a binary stream): ``control`` (the delivery's
    identity, the nämnd as maintenance agency, the program as the creating agent), then the aggregations, each
    written as it comes and then let go: a year's document is 730 000 elements, some 400 MB as one tree."""
    control = E.control(
        E.identification(objid, identificationType="leverans"),
        E.maintenanceInformation(
            E.maintenanceStatus(value="new"),
            E.maintenanceAgency(E.agencyName(agency)),
            E.maintenanceHistory(E.maintenanceEvent(
                E.eventType(value="created"), E.eventDateTime(timestamp(created)),
                agent("creator", f"{SOFTWARE} {__version__}", "Programmet som skapade arkivpaketet"))),
        ))
    with etree.xmlfile(target, encoding="UTF-8") as out:
        out.write_declaration()
        with out.element(f"{{{ERMS_NS}}}erms", nsmap={None: ERMS_NS}):
            out.write("\n")
            out.write(control, pretty_print=True)
            with out.element(f"{{{ERMS_NS}}}aggregations"):
                out.write("\n")
                for aggregation in aggregations:
                    out.write(aggregation, pretty_print=True)
            out.write("\n")
