"""Exporting a meeting to the exchange format, bilaga files included."""

import json
from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.exchange.format import FORMAT, sekretess_to_json
from nämndtool.documents.convert import WORD_SUFFIXES, word_to_pdf
from nämndtool.errors import NamndtoolError
from nämndtool.secrecy import gate
from nämndtool.secrecy.content import secret_content_anywhere
from nämndtool.secrecy.extract import kind_of
from nämndtool.secrecy.facts import Scope
from nämndtool.secrecy.sanitize import UnsafeBilaga, make_public_safe
from nämndtool.store import Store


def meeting_to_json(store: Store, meeting_id: int, *, public: bool = False) -> dict:
    """The meeting as an exchange-format dict. Bilagor carry ``sha256`` beside ``fil`` (bilagor/<filnamn>).

    The public version leaves secret items out, and with them their ärenden, tjänsteskrivelser, files, §§ and
    recipients; a file that is secret anywhere is left out wherever it is attached."""
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    agenda = [i for i in store.agenda(meeting_id) if not (public and i["sekretess"])]
    arende_ids = list(dict.fromkeys(item["arende_id"] for item in agenda if item["arende_id"]))
    file_names = _unique_file_names(store, meeting_id, arende_ids, public)
    chair = store.person(meeting["ordforande_id"])
    contact = {"namn": meeting["forhinder_namn"], "epost": meeting["forhinder_epost"],
               "telefon": meeting["forhinder_telefon"]}
    return {
        "format": FORMAT,
        "utgava": "offentlig" if public else "intern",
        "namnd": {k: namnd[k] for k in ("namn", "kod", "forvaltning", "kommun", "adress")},
        "sammantrade": {
            "organ": meeting["organ"],
            "datum": meeting["datum"],
            "tid": meeting["tid"],
            "plats": meeting["plats"],
            "ordforande": chair and {"namn": chair["namn"], "parti": chair["parti"]},
            "forhinder_anmals_till": contact if any(contact.values()) else None,
        },
        "dagordning": [
            {
                "nr": item["nr"],
                "rubrik": item["rubrik"],
                "typ": item["typ"],
                "diarienummer": item["diarienummer"],
                "sekretess": sekretess_to_json(item["sekretess"], item["sekretess_lagrum"]),
                "anteckning": item["anteckning"],
            }
            for item in agenda
        ],
        "arenden": [_arende(store, meeting_id, arende_id, file_names) for arende_id in arende_ids],
        **({"protokoll": _protokoll(protokoll, public)} if (protokoll := store.protokoll(meeting_id)) else {}),
    }


def _protokoll(p: dict, public: bool) -> dict:
    return {
        "sekreterare": p["sekreterare"],
        "justerare": p["justerare"],
        "justering": {"datum": p["justering_datum"], "plats": p["justering_plats"]},
        "forvaringsplats": p["forvaringsplats"],
        "narvaro": [
            {**{k: n[k] for k in ("namn", "roll", "parti", "titel", "ersatter", "fran_paragraf", "till_paragraf")},
             "tjanstgor": bool(n["tjanstgor"]), "forhinder": bool(n["forhinder"])}
            for n in p["narvaro"]
        ],
        "paragrafer": [_paragraf(g) for g in p["paragrafer"] if not (public and g["sekretess"])],
    }


def _paragraf(g: dict) -> dict:
    voted = g["roster"] or any(g[k] is not None for k in ("votering_ja", "votering_nej", "votering_avstar"))
    return {
        "nr": g["nr"],
        "dagordning_nr": g["dagordning_nr"],
        "beslut": g["beslut"],
        "yrkanden": g["yrkanden"],
        "propositionsordning": g["propositionsordning"],
        "omrostning": {"ja": g["votering_ja"], "nej": g["votering_nej"], "avstar": g["votering_avstar"],
                       "roster": g["roster"], "resultat": g["votering_resultat"],
                       "proposition": {"ja": g["proposition_ja"], "nej": g["proposition_nej"]}
                       if g["proposition_ja"] or g["proposition_nej"] else None} if voted else None,
        "reservationer": g["reservationer"],
        "protokollsanteckningar": g["protokollsanteckningar"],
        "omedelbart_justerad": bool(g["omedelbart_justerad"]),
        "jav": g["jav"],
        "berord": g["berord"],
        "skickas_av": g["skickas_av"],
        "beslutet_skickas_till": [
            {"namn": m["namn"], "adress": m["adress"], "epost": m["epost"],
             "adress_bekraftad": bool(m["adress_bekraftad"] or m["bekraftad_enligt_import"])}
            for m in g["mottagare"]
        ],
    }


def export_meeting(store: Store, meeting_id: int, out: Path | None, *, public: bool) -> tuple[str, list[Path]]:
    """The meeting as JSON text; with ``out``, also written there with its bilagor in ``bilagor/`` beside it.

    A public export is made safe and read by the secrecy gate, the JSON and every bilaga, before anything is
    written; a bilaga that cannot be made safe stops the export with a message that names it."""
    data = meeting_to_json(store, meeting_id, public=public)
    for arende in data["arenden"]:
        for bilaga in arende["bilagor"]:
            bilaga.pop("sha256")
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    files = [(name, sha) for names in _unique_file_names(store, meeting_id, _arende_ids(store, meeting_id, public),
                                                         public).values()
             for sha, name in names.items()] if out is not None else []
    if public:
        facts = Scope(store, meeting_id=meeting_id).facts
        meeting = store.meeting(meeting_id)
        gate.check(text.encode("utf-8"), "json", f"utbytesfilen för {meeting['organ']} {meeting['datum']}", facts)
        files = [(name, _public_file(store, name, sha, facts)) for name, sha in files]
    else:
        files = [(name, store.file_path(sha).read_bytes()) for name, sha in files]
    written: list[Path] = []
    if out is not None:
        out = Path(out)
        folder = out.parent / "bilagor"
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files:
            target = folder / name
            write_atomic(target, content)
            written.append(target)
        write_atomic(out, text.encode("utf-8"))
        written.append(out)
        if public:
            store.record_publication("Utbytesfil (offentlig)", str(out), meeting_id=meeting_id)
    return text, written


def _public_file(store: Store, name: str, sha: str, facts) -> bytes:
    path = store.file_path(sha)
    content = path.read_bytes()
    kind = kind_of(name)
    if kind == "pdf" and not content.startswith(b"%PDF"):   # a Word file going out as PDF
        content = word_to_pdf(path, Path(_stored_name(store, sha)).suffix.lower())
        if content is None:
            raise NamndtoolError(f"Bilagan {Path(name).stem} är en Word-fil och lämnas ut som PDF, men LibreOffice "
                                 "saknas eller kunde inte omvandla den. Installera LibreOffice, eller byt ut bilagan "
                                 "mot en PDF, och försök igen.")
    if kind == "pdf":
        try:
            content = make_public_safe(content)
        except UnsafeBilaga as error:
            raise NamndtoolError(f"Bilagan {name} kan inte lämnas ut i den offentliga utbytesfilen: {error.reason}. "
                                 "Byt ut den mot en fungerande fil och försök igen.") from error
        if secret_content_anywhere(store, content):
            raise NamndtoolError(f"Bilagan {name} har samma innehåll som en sekretessbelagd handling, så den "
                                 "offentliga utbytesfilen skapades inte. Ta bort bilagan från den offentliga punkten.")
    elif kind is None:
        raise NamndtoolError(f"Bilagan {name} är av en filtyp som inte kan kontrolleras före utlämnande, så den "
                             "offentliga utbytesfilen skapades inte. Byt ut den mot en PDF och försök igen.")
    gate.check(content, kind, f"bilagan {name}", facts)
    return content


def _stored_name(store: Store, sha: str) -> str:
    return store.stored_file_name(sha) or ""


def _arende_ids(store: Store, meeting_id: int, public: bool = False) -> list[int]:
    return list(dict.fromkeys(i["arende_id"] for i in store.agenda(meeting_id)
                              if i["arende_id"] and not (public and i["sekretess"])))


def _unique_file_names(store: Store, meeting_id: int, arende_ids: list[int],
                       public: bool = False) -> dict[int, dict[str, str]]:
    """Per ärende, sha256 -> file name under bilagor/ of the bilagor the meeting has (as decided, once justerat),
    made unique when two different files share a name. A public
    export has no secret file, wherever it is attached, and its Word files go out as PDF (made safe like every
    public PDF: a Word file's properties, comments and tracked changes do not go with it)."""
    taken: dict[str, str] = {}
    result: dict[int, dict[str, str]] = {}
    for arende_id in arende_ids:
        names = result.setdefault(arende_id, {})
        for bilaga in store.bilagor_as_decided(meeting_id, arende_id):
            sha, name = bilaga["sha256"], bilaga["filnamn"]
            if sha is None or (public and (bilaga["sekretess"] or store.is_secret_file(sha))):
                continue
            if public and Path(name).suffix.lower() in WORD_SUFFIXES:
                name = f"{Path(name).stem}.pdf"
            candidate, n = name, 2
            while taken.get(candidate, sha) != sha:
                stem, dot, suffix = name.rpartition(".")
                candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
                n += 1
            taken[candidate] = sha
            names[sha] = candidate
    return result


def _arende(store: Store, meeting_id: int, arende_id: int, file_names: dict[int, dict[str, str]]) -> dict:
    """The ärende as the meeting has it: as decided once the meeting is justerat (secrecy always live)."""
    a = store.arende_as_decided(meeting_id, arende_id)
    return {
        "diarienummer": a["diarienummer"],
        "klassificering": a["klassificering"],
        "rubrik": a["rubrik"],
        "offentlig_rubrik": a["offentlig_rubrik"],
        "sekretess": sekretess_to_json(a["sekretess"], a["sekretess_lagrum"]),
        "status": a["status"],
        "svar_senast": a["svar_senast"],
        "omedelbar_justering": None if a["omedelbar_justering"] is None else bool(a["omedelbar_justering"]),
        "tjansteskrivelse": _tjansteskrivelse(store.tjansteskrivelse_as_decided(meeting_id, arende_id)),
        "bilagor": [
            {"titel": b["titel"], "fil": f"bilagor/{file_names[arende_id][b['sha256']]}", "sha256": b["sha256"],
             **({"sekretess": sekretess_to_json(1, b.get("sekretess_lagrum"))} if b["sekretess"] else {})}
            for b in store.bilagor_as_decided(meeting_id, arende_id) if b["sha256"] in file_names[arende_id]
        ],
    }


def _tjansteskrivelse(ts: dict | None) -> dict | None:
    if ts is None:
        return None
    person = ts["handlaggare"]
    return {
        **{k: ts[k] for k in ("forvaltning", "enhet")},
        "handlaggare": person and {k: person[k] for k in ("namn", "telefon", "epost")},
        **{k: ts[k] for k in ("datum", "ert_datum", "er_beteckning", "mottagare", "rubrik")},
        "forslag_till_beslut": ts["forslag"],
        "sammanfattning": ts["sammanfattning"],
        "avsnitt": ts["avsnitt"],
        "handlingar": ts["handlingar"],
        "undertecknare": ts["undertecknare"],
        "beslutet_skickas_till": [{k: r[k] for k in ("namn", "adress", "epost")} for r in ts["beslutet_skickas_till"]],
    }
