"""Importing a meeting from the exchange format: validate everything first, then write it in one transaction."""

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nämndtool import diarienummer as dnr
from nämndtool.errors import DiarienummerError, NamndtoolError, ValidationError
from nämndtool.exchange.exporter import meeting_to_json
from nämndtool.exchange.attachments import bilaga_problem
from nämndtool.exchange.compare import would_change
from nämndtool.exchange.format import merge_sekretess, sekretess_from_json
from nämndtool.exchange.limits import (MAX_FILE_BYTES, composed, depth_problem, limit_problems, parse_constant,
                                       parse_int)
from nämndtool.secrecy.matching import title_key
from nämndtool.exchange.schema import structural_problems
from nämndtool.store import Store
from nämndtool.store.files import sha256_of



@dataclass
class ImportResult:
    meeting_id: int
    created: bool
    warnings: list[str] = field(default_factory=list)


def load_json(path: Path) -> object:
    """The parsed file, every string in composed Unicode (NFC), or a Swedish error; limits are checked on the way
    (size before reading, nesting depth before parsing, numbers, text lengths and surrogates after)."""
    text = _read_text(Path(path))
    problem = depth_problem(text)
    if problem:
        raise NamndtoolError(f"Filen {path} kan inte importeras: {problem}. Inget har sparats.")
    try:
        data = json.loads(text, parse_int=parse_int, parse_constant=parse_constant)
    except json.JSONDecodeError as error:
        raise NamndtoolError(
            f"Filen {path} är ingen giltig JSON: fel på rad {error.lineno}, kolumn {error.colno}. "
            "Inget har sparats. Rätta filen (kanske saknas ett kommatecken eller ett citattecken) och försök igen."
        ) from None
    except ValueError as error:   # NaN or Infinity, from parse_constant
        raise NamndtoolError(
            f"Filen {path} är ingen giltig JSON: {error} är inget tal i JSON. Skriv ett tal eller null. "
            "Inget har sparats."
        ) from None
    except RecursionError:   # depth_problem should have caught it; never a traceback
        raise NamndtoolError(f"Filen {path} är nästlad för djupt för att läsas. Inget har sparats.") from None
    problems = limit_problems(data)
    if problems:
        raise ValidationError(problems)
    return composed(data)


def _read_text(path: Path) -> str:
    """The file as text, refused before reading when it is not a regular file or is too large to be a meeting."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise NamndtoolError(f"{path} är en mapp. Ange JSON-filen för sammanträdet. Inget har sparats.")
        if not stat.S_ISREG(info.st_mode):
            raise NamndtoolError(f"{path} är ingen vanlig fil (det är en enhet, en rörledning eller liknande). "
                                 "Ange JSON-filen för sammanträdet. Inget har sparats.")
        if info.st_size > MAX_FILE_BYTES:
            raise NamndtoolError(
                f"Filen {path} är för stor för en utbytesfil ({info.st_size / 1024 / 1024:.0f} MB, högst "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB). Bilagorna ska ligga som egna filer bredvid den. "
                "Inget har sparats.")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise NamndtoolError(f"Filen {path} finns inte. Kontrollera sökvägen. Inget har sparats.") from None
    except OSError as error:
        raise NamndtoolError(f"Filen {path} kunde inte läsas ({error.strerror}). Inget har sparats.") from None
    if len(raw) > MAX_FILE_BYTES:   # grew while we read it
        raise NamndtoolError(f"Filen {path} är för stor för en utbytesfil. Inget har sparats.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NamndtoolError(f"Filen {path} är inte en textfil i UTF-8. Spara den som UTF-8 och försök igen. "
                             "Inget har sparats.") from None


def import_meeting(store: Store, path: Path) -> ImportResult:
    path = Path(path)
    data = load_json(path)
    problems = structural_problems(data)
    if not problems:
        problems = semantic_problems(data, path.parent, store.known_codes()) + protokoll_problems(data)
    if not problems:
        problems = unknown_number_problems(store, data)
    if problems:
        raise ValidationError(problems)
    justerat = _justerat_meeting(store, data)
    if justerat is not None:   # checked before any file is copied: a refused import leaves the file folder as it was
        meeting_id, exported = justerat
        if would_change(exported, data, lambda b: b["sha256"], lambda b: sha256_of(path.parent / b["fil"])):
            raise _justerat_refusal(data)
        return ImportResult(meeting_id, False, ["Sammanträdet är justerat och filen stämmer med det; inget ändrades."])
    stored = {b["fil"]: store.store_file_bytes(path.parent / b["fil"])
              for a in data.get("arenden") or [] for b in a.get("bilagor") or []}
    with store.write():
        if _justerat_meeting(store, data) is not None:   # justerat by another window meanwhile
            raise _justerat_refusal(data)
        for file in stored.values():
            store.register_file(file)
        return _write(store, data, stored)


def _justerat_refusal(data: dict) -> NamndtoolError:
    return NamndtoolError(
        f"Sammanträdet {data['sammantrade']['organ']} {data['sammantrade']['datum']} har ett justerat "
        "protokoll och kan inte ändras genom import. Inget har sparats."
    )


def semantic_problems(data: dict, base_dir: Path, known_codes: list[str]) -> list[tuple[str, str]]:
    """What the schema cannot see: diary numbers, links between items and ärenden, files, uniqueness."""
    problems: list[tuple[str, str]] = []
    kod = data["namnd"]["kod"]
    if not dnr.is_valid_code(kod):
        problems.append(("$.namnd.kod", f'"{kod}" är ingen nämndkod: koden ska vara 2–10 versaler, till exempel SOCN'))
    codes = sorted(set(known_codes) | {kod.upper()})
    meeting = data["sammantrade"]
    if not meeting.get("datum"):
        problems.append((
            "$.sammantrade.datum",
            "sammanträdet saknar datum. Ett sammanträde känns igen på nämnd, organ och datum, så datum måste finnas "
            "(ÅÅÅÅ-MM-DD)",
        ))
    for where, contact in (("$.sammantrade.forhinder_anmals_till", meeting.get("forhinder_anmals_till")),):
        problems += _email_problems(where, contact)

    def number(where: str, text: str | None) -> dnr.Diarienummer | None:
        if text is None:
            return None
        try:
            found = dnr.parse(text, codes)
        except DiarienummerError as error:
            problems.append((where, str(error)))
            return None
        if found.kod != kod.upper():
            problems.append((where, f'diarienumret "{text}" hör till nämnden {found.kod}, men filen gäller {kod}'))
        if found.lopnr >= dnr.MAX_LOPNR:
            # Importing a number moves the series up to it; at the top no ärende could be registered that year.
            problems.append((where, f"löpnumret {found.lopnr} är det högsta en diarieserie har ({dnr.MAX_LOPNR}), "
                                    f"så serien {found.kod}/{found.ar} skulle ta slut och inga fler ärenden kunna "
                                    "registreras det året. Kontrollera diarienumret"))
        return found

    seen_nr: dict[int, int] = {}
    for i, item in enumerate(data["dagordning"]):
        if item["nr"] in seen_nr:
            problems.append((f"$.dagordning[{i}].nr",
                             f"punkt nummer {item['nr']} finns redan (punkt {seen_nr[item['nr']]} i listan)"))
        seen_nr.setdefault(item["nr"], i)
        number(f"$.dagordning[{i}].diarienummer", item.get("diarienummer"))

    item_titles = {title_key(item["rubrik"]) for item in data["dagordning"]}
    seen_numbers: dict[dnr.Diarienummer, int] = {}
    seen_titles: dict[str, int] = {}
    for i, arende in enumerate(data.get("arenden") or []):
        where = f"$.arenden[{i}]"
        found = number(f"{where}.diarienummer", arende.get("diarienummer"))
        if found is not None:
            if found in seen_numbers:
                problems.append((f"{where}.diarienummer", f"ärendet {found} finns två gånger i filen"))
            seen_numbers.setdefault(found, i)
        elif arende.get("diarienummer") is None:
            title = arende["rubrik"]
            if title_key(title) in seen_titles:
                problems.append((f"{where}.rubrik", f'två ärenden utan diarienummer har rubriken "{title}"'))
            elif title_key(title) not in item_titles:
                problems.append((
                    f"{where}.rubrik",
                    f'ärendet saknar diarienummer och ingen punkt på dagordningen har rubriken "{title}". '
                    "Ge ärendet ett diarienummer eller samma rubrik som sin punkt",
                ))
            seen_titles.setdefault(title_key(title), i)
        ts = arende.get("tjansteskrivelse") or {}
        problems += _email_problems(f"{where}.tjansteskrivelse.handlaggare", ts.get("handlaggare"))
        for j, recipient in enumerate(ts.get("beslutet_skickas_till") or []):
            problems += _email_problems(f"{where}.tjansteskrivelse.beslutet_skickas_till[{j}]", recipient)
        for j, bilaga in enumerate(arende.get("bilagor") or []):
            problem = bilaga_problem(base_dir, bilaga["fil"], bilaga["titel"])
            if problem:
                problems.append((f"{where}.bilagor[{j}].fil", problem))
    return sorted(problems)


def _numbers_by_title(data: dict) -> dict[str, dnr.Diarienummer]:
    """The diary number an ärende without one in the file takes from its agenda item: an item carrying a number
    that no ärende of the file has, and whose title is the ärende's (linked by title, as the format says), keyed
    by the title as compared (:func:`title_key`). When the diary already has the number, the ärende of the file
    is that ärende, updated: the same number is the same ärende."""
    in_file = {dnr.parse(a["diarienummer"]) for a in data.get("arenden") or [] if a.get("diarienummer")}
    unnumbered = {title_key(a["rubrik"]) for a in data.get("arenden") or [] if not a.get("diarienummer")}
    taken = {}
    for item in data["dagordning"]:
        number = item.get("diarienummer") and dnr.parse(item["diarienummer"])
        if number and number not in in_file and title_key(item["rubrik"]) in unnumbered:
            taken.setdefault(title_key(item["rubrik"]), number)
    return taken


def unknown_number_problems(store: Store, data: dict) -> list[tuple[str, str]]:
    """An agenda item whose diary number is neither in the diary nor brought by the file (as an ärende with that
    number, or one without a number under the item's title) is refused: printed in the kallelse, its papers
    would be silently missing from the handlingar."""
    namnd = store.namnd_by_kod(data["namnd"]["kod"].upper())
    in_file = {dnr.parse(a["diarienummer"]) for a in data.get("arenden") or [] if a.get("diarienummer")}
    by_title = _numbers_by_title(data)
    problems = []
    for i, item in enumerate(data["dagordning"]):
        number = item.get("diarienummer") and dnr.parse(item["diarienummer"])
        if (not number or number in in_file or by_title.get(title_key(item["rubrik"])) == number
                or (namnd is not None and store.find_arende(namnd["id"], number) is not None)):
            continue
        problems.append((f"$.dagordning[{i}].diarienummer", unknown_number_text(item["nr"], item["rubrik"], number)))
    return problems


def unknown_number_text(nr: int, rubrik: str, number: dnr.Diarienummer) -> str:
    return (f"punkt {nr} ({rubrik}) har diarienumret {number}, men det ärendet finns varken i diariet eller i "
            "filen. Registrera ärendet i diariet eller lägg till det under arenden i filen (med diarienumret, "
            "eller utan diarienummer och med punktens rubrik), eller ta bort diarienumret från punkten")


def _email_problems(where: str, contact: dict | None) -> list[tuple[str, str]]:
    email = (contact or {}).get("epost")
    if email is not None and "@" not in email[1:]:
        return [(f"{where}.epost", f'"{email}" är ingen e-postadress (den saknar @)')]
    return []


def _justerat_meeting(store: Store, data: dict) -> tuple[int, dict] | None:
    """(id, the stored meeting as exported) when it exists and its protokoll is justerat; else None."""
    namnd = store.namnd_by_kod(data["namnd"]["kod"])
    organ = namnd and store.organ(namnd["id"], data["sammantrade"]["organ"])
    existing = organ and store.find_meeting(organ["id"], data["sammantrade"]["datum"])
    if not existing or not store.is_justerat(existing["id"]):
        return None
    return existing["id"], meeting_to_json(store, existing["id"], public=data.get("utgava") == "offentlig")


def _write(store: Store, data: dict, stored: dict) -> ImportResult:
    n = data["namnd"]
    namnd_id = store.save_namnd(n["kod"].upper(), n["namn"], forvaltning=n.get("forvaltning"),
                                kommun=n.get("kommun"), adress=n.get("adress"))
    m = data["sammantrade"]
    organ_id = store.ensure_organ(namnd_id, m["organ"])
    created = store.find_meeting(organ_id, m["datum"]) is None
    chair = m.get("ordforande")
    contact = m.get("forhinder_anmals_till") or {}
    meeting_id = store.save_meeting(organ_id, m["datum"], _given({
        "tid": m.get("tid"),
        "plats": m.get("plats"),
        "ordforande_id": chair and store.ensure_person(chair["namn"], parti=chair.get("parti"), roll="ledamot"),
        "forhinder_namn": contact.get("namn"),
        "forhinder_epost": contact.get("epost"),
        "forhinder_telefon": contact.get("telefon"),
    }))

    items = data["dagordning"]
    arenden = data.get("arenden") or []
    item_secrecy = {}
    for item in items:
        key = item.get("diarienummer") and str(dnr.parse(item["diarienummer"]))
        item_secrecy.setdefault(key or ("rubrik", item["rubrik"]), []).append(sekretess_from_json(item.get("sekretess")))
        if not key:   # an item without number may link by title to a numbered ärende of the file
            item_secrecy.setdefault(("titel", title_key(item["rubrik"])), []).append(
                sekretess_from_json(item.get("sekretess")))

    previous_unnumbered = {
        store.arende(row["arende_id"])["rubrik"]: row["arende_id"]
        for row in store.agenda(meeting_id) if row["arende_id"] and row["diarienummer"] is None
    }
    warnings: list[str] = []
    arende_ids: dict[object, int] = {}
    titles: dict[str, list[int]] = {}   # every ärende of the file by its title as compared, for items without number
    numbers_by_title = _numbers_by_title(data)
    secret_titles = store.secret_titles_of_meeting(meeting_id)
    for a in arenden:
        number = (dnr.parse(a["diarienummer"]) if a.get("diarienummer")
                  else numbers_by_title.get(title_key(a["rubrik"])))
        key = str(number) if number else ("rubrik", a["rubrik"])
        existing_id = previous_unnumbered.get(a["rubrik"]) if not number else None
        existing = store.find_arende(namnd_id, number) if number else existing_id and store.arende(existing_id)
        # Import may make an ärende secret, never public: an old file must not lift secrecy set since.
        stored_secrecy = (existing["sekretess"], existing["sekretess_lagrum"]) if existing else (0, None)
        if stored_secrecy[0] and not sekretess_from_json(a.get("sekretess"))[0]:
            warnings.append(
                f"Ärendet {a.get('diarienummer') or '(utan diarienummer)'} omfattas av sekretess i registret och "
                "förblir sekretess, fast filen anger det som offentligt. Sekretessen hävs bara med ett eget beslut "
                "och ett skäl (Häv sekretess i programmet, eller 'namndtool case unseal')."
            )
        if not number and not stored_secrecy[0] and title_key(a["rubrik"]) in secret_titles:
            # The same title as a secret item of this meeting: the same secret, whatever number the file gives.
            stored_secrecy = (1, secret_titles[title_key(a["rubrik"])])
            if not sekretess_from_json(a.get("sekretess"))[0]:
                warnings.append(
                    "Ett ärende utan diarienummer i filen har samma rubrik som ett sekretessärende på sammanträdet "
                    "och behandlas som sekretess. Sekretessen hävs bara med ett eget beslut och ett skäl."
                )
        secret, lagrum = merge_sekretess(sekretess_from_json(a.get("sekretess")), *item_secrecy.get(key, []),
                                         *(item_secrecy.get(("titel", title_key(a["rubrik"])), []) if number else []),
                                         stored_secrecy)
        ts = a.get("tjansteskrivelse")
        handlaggare = (ts or {}).get("handlaggare")
        fields = _given({
            "rubrik": a["rubrik"],
            "klassificering": a.get("klassificering"),
            "offentlig_rubrik": a.get("offentlig_rubrik"),
            "status": a.get("status"),
            "svar_senast": a.get("svar_senast"),
            "omedelbar_justering": None if a.get("omedelbar_justering") is None else int(a["omedelbar_justering"]),
            "handlaggare_id": handlaggare and _person(store, handlaggare),
        })
        fields.update(sekretess=secret, sekretess_lagrum=lagrum)
        if number:
            arende_id = store.save_arende_by_number(namnd_id, number, fields)
        else:
            arende_id = store.save_unnumbered_arende(namnd_id, existing_id, fields)
        arende_ids[key] = arende_id
        titles.setdefault(title_key(a["rubrik"]), []).append(arende_id)
        if ts is not None:
            _save_tjansteskrivelse(store, arende_id, ts)
        if a.get("bilagor") is not None:
            bilagor = [{"titel": b["titel"], "sha256": stored[b["fil"]].sha256, "filnamn": Path(b["fil"]).name,
                        **dict(zip(("sekretess", "sekretess_lagrum"), sekretess_from_json(b.get("sekretess"))))}
                       for b in a["bilagor"]]
            store.save_bilagor(arende_id, bilagor)
            for b in a["bilagor"]:
                if stored[b["fil"]].problem:
                    warnings.append(
                        f'Bilagan "{b["titel"]}" ({b["fil"]}) i ärendet {a.get("diarienummer") or a["rubrik"]}: '
                        f"{stored[b['fil']].problem}. Den är sparad, men byt ut den mot en fungerande fil före utskick."
                    )

    agenda = []
    numbered_items = {str(dnr.parse(i["diarienummer"])) for i in items if i.get("diarienummer")}
    linked = {arende_ids[n] for n in numbered_items if n in arende_ids}
    for item in items:
        number = item.get("diarienummer") and dnr.parse(item["diarienummer"])
        arende_id = None
        if number:
            arende_id = arende_ids.get(str(number)) or _arende_in_diary(store, namnd_id, item, number)
        elif ("rubrik", item["rubrik"]) in arende_ids:
            arende_id = arende_ids[("rubrik", item["rubrik"])]
        else:   # by title: the one ärende of the file with the item's title that no item links by its number
            same = [i for i in titles.get(title_key(item["rubrik"]), []) if i not in linked]
            arende_id = same[0] if len(same) == 1 else None
        if arende_id:
            linked.add(arende_id)
        secret, lagrum = sekretess_from_json(item.get("sekretess"))
        if arende_id:
            own = store.arende(arende_id)
            secret, lagrum = merge_sekretess((secret, lagrum), (own["sekretess"], own["sekretess_lagrum"]))
        agenda.append({"nr": item["nr"], "rubrik": item["rubrik"], "typ": item["typ"], "arende_id": arende_id,
                       "sekretess": secret, "sekretess_lagrum": lagrum, "anteckning": item.get("anteckning")})
    warnings += store.save_agenda(meeting_id, agenda, keep_secret=data.get("utgava") == "offentlig")
    if data.get("protokoll"):
        _write_protokoll(store, meeting_id, organ_id, m["datum"], data["protokoll"])
    return ImportResult(meeting_id, created, warnings)


def _arende_in_diary(store: Store, namnd_id: int, item: dict, number: dnr.Diarienummer) -> int:
    """The ärende of the diary an item names by number; checked before the import began, so only a diary changed
    meanwhile gets here, and the whole import is rolled back."""
    found = store.find_arende(namnd_id, number)
    if found is None:
        raise ValidationError([("$.dagordning", unknown_number_text(item["nr"], item["rubrik"], number))])
    return found["id"]


def _person(store: Store, person: dict) -> int:
    return store.ensure_person(person["namn"], telefon=person.get("telefon"), epost=person.get("epost"),
                               roll="tjansteperson")


def _save_tjansteskrivelse(store: Store, arende_id: int, ts: dict) -> None:
    handlaggare = ts.get("handlaggare")
    header = {c: ts.get(c) for c in ("forvaltning", "enhet", "datum", "ert_datum", "er_beteckning", "mottagare",
                                     "rubrik", "sammanfattning")}
    header["handlaggare_id"] = handlaggare and _person(store, handlaggare)
    store.save_tjansteskrivelse(
        arende_id, header,
        forslag=ts.get("forslag_till_beslut") or [],
        avsnitt=[{"rubrik": s.get("rubrik"), "text": s.get("text")} for s in ts.get("avsnitt") or []],
        handlingar=ts.get("handlingar") or [],
        undertecknare=[{"namn": s["namn"], "titel": s.get("titel")} for s in ts.get("undertecknare") or []],
        mottagare_ids=list(dict.fromkeys(store.same_recipient(r["namn"], r.get("adress"), r.get("epost"))
                                         for r in ts.get("beslutet_skickas_till") or [])),
    )


def _given(fields: dict) -> dict:
    """Only the fields the file gives: null means "not given" and leaves a stored value as it is."""
    return {k: v for k, v in fields.items() if v is not None}


NARVARO_ROLES = {"ordforande", "vice_ordforande", "ledamot", "ersattare", "tjansteperson"}
VOTES = {"ja", "nej", "avstar"}


def protokoll_problems(data: dict) -> list[tuple[str, str]]:
    """The protokoll section's links and values that the schema cannot check."""
    protokoll = data.get("protokoll")
    if not protokoll:
        return []
    problems = []
    items = {item["nr"] for item in data["dagordning"]}
    for i, n in enumerate(protokoll.get("narvaro") or []):
        if n.get("roll") not in NARVARO_ROLES:
            problems.append((f"$.protokoll.narvaro[{i}].roll",
                             f'ska vara en av: {", ".join(sorted(NARVARO_ROLES))} – inte "{n.get("roll")}"'))
    seen: set[int] = set()
    for i, p in enumerate(protokoll.get("paragrafer") or []):
        where = f"$.protokoll.paragrafer[{i}]"
        if p.get("nr") in seen:
            problems.append((f"{where}.nr", f"§ {p['nr']} finns två gånger"))
        seen.add(p.get("nr"))
        if p.get("dagordning_nr") not in items:
            problems.append((f"{where}.dagordning_nr",
                             f"det finns ingen punkt {p.get('dagordning_nr')} på dagordningen"))
        for j, vote in enumerate((p.get("omrostning") or {}).get("roster") or []):
            if vote.get("rost") not in VOTES:
                problems.append((f"{where}.omrostning.roster[{j}].rost",
                                 f'ska vara ja, nej eller avstar – inte "{vote.get("rost")}"'))
        for j, recipient in enumerate(p.get("beslutet_skickas_till") or []):
            problems += _email_problems(f"{where}.beslutet_skickas_till[{j}]", recipient)
    return problems


def _write_protokoll(store: Store, meeting_id: int, organ_id: int, datum: str, protokoll: dict) -> None:
    justering = protokoll.get("justering") or {}
    store.save_protokoll_header(
        meeting_id, sekreterare=protokoll.get("sekreterare"), justering_plats=justering.get("plats"),
        justering_datum=justering.get("datum"), forvaringsplats=protokoll.get("forvaringsplats"),
        justerare=protokoll.get("justerare") or [])
    store.save_narvaro(meeting_id, [
        {**{k: n.get(k) for k in ("namn", "roll", "parti", "titel", "ersatter", "fran_paragraf", "till_paragraf")},
         "tjanstgor": int(bool(n.get("tjanstgor"))), "forhinder": int(bool(n.get("forhinder")))}
        for n in protokoll.get("narvaro") or []])
    items = {item["nr"]: item for item in store.agenda(meeting_id)}
    for p in protokoll.get("paragrafer") or []:
        vote = p.get("omrostning") or {}
        proposition = vote.get("proposition") or {}
        # A confirmation in the file is the sender's claim: stored as such, it never satisfies the address rule
        # of a secret §; a person confirms in the app or with 'namndtool protokoll confirm-address'.
        recipients = {}   # by id: two spellings of one recipient ("Akten", "akten") are one line
        for r in p.get("beslutet_skickas_till") or []:
            recipient_id = store.same_recipient(r["namn"], r.get("adress"), r.get("epost"))
            claimed = recipients.get(recipient_id, {}).get("bekraftad_enligt_import", False)
            recipients[recipient_id] = {"mottagare_id": recipient_id,
                                        "bekraftad_enligt_import": claimed or bool(r.get("adress_bekraftad"))}
        recipients = list(recipients.values())
        paragraf_id = store.ensure_paragraph(meeting_id, organ_id, int(datum[:4]), p["nr"], items[p["dagordning_nr"]])
        store.save_paragraf(
            paragraf_id,
            {"propositionsordning": p.get("propositionsordning"), "votering_ja": vote.get("ja"),
             "votering_nej": vote.get("nej"), "votering_avstar": vote.get("avstar"),
             "votering_resultat": vote.get("resultat"), "proposition_ja": proposition.get("ja"),
             "proposition_nej": proposition.get("nej"), "omedelbart_justerad": int(bool(p.get("omedelbart_justerad"))),
             "berord": p.get("berord"), "skickas_av": p.get("skickas_av")},
            beslut=p.get("beslut") or [], yrkanden=p.get("yrkanden") or [],
            roster=vote.get("roster") or [], reservationer=p.get("reservationer") or [],
            protokollsanteckningar=p.get("protokollsanteckningar") or [], jav=p.get("jav") or [],
            mottagare=recipients)
