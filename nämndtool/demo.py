"""The demo store: Socialnämnden in Katrineholm with the 2023 meeting of the sample data, its roster, an
individutskott with secret cases, an address book, and coming meetings, so every view has something real."""

import datetime as dt
from pathlib import Path

from nämndtool.assets import resource
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.secrecy.labels import SECRET_TITLE
from nämndtool.store import Store
from nämndtool.store.sammantraden import STANDARD_CLOSING, STANDARD_OPENING

TERM = ("2023-01-01", "2026-12-31")
UTSKOTT = "Socialnämndens individutskott"
SECRETARY = {"namn": "Madelene Sönnerfors", "epost": "madelene.sonnerfors@katrineholm.se", "telefon": "0150-569 90"}
OSL = "26 kap. 1 § OSL"

# (name, party, seat in the nämnd, seat in the utskott or None)
ROSTER = [
    ("Martin Edgélius", "M", "ordforande", "ordforande"),
    ("Johanna Karlsson", "S", "vice_ordforande", "ledamot"),
    ("Anders Gölevik", "C", "ledamot", "ledamot"),
    ("Wahid Moosawi", "M", "ledamot", None),
    ("Birgitta Åström", "S", "ledamot", None),
    ("Łukasz Nowak", "L", "ledamot", None),
    ("Şahin Yılmaz", "S", "ledamot", None),
    ("Kerstin Öberg", "KD", "ledamot", None),
    ("Mats Ekholm", "SD", "ledamot", None),
    ("Eva Lindqvist", "S", "ersattare", "ersattare"),
    ("Jonas Sjöberg", "M", "ersattare", None),
    ("Fatima Hassan", "V", "ersattare", None),
    ("Per-Olof Nyström", "C", "ersattare", None),
]

STAFF = [
    ("Marie Lundqvist", "T.f. förvaltningschef", "marie.lundqvist@katrineholm.se", "0150-570 00"),
    ("Julia Lindberg", "Controller", "julia.lindberg@katrineholm.se", "0150-570 00"),
    ("Matilda Johansson", "Utredare", "Matilda.Johansson2@katrineholm.se", "0150-570 18"),
    ("Sara Gibro", "Verksamhetsstrateg", "sara.gibro@katrineholm.se", "0150-570 22"),
    (SECRETARY["namn"], "Nämndsekreterare", SECRETARY["epost"], SECRETARY["telefon"]),
]

ADDRESS_BOOK = [
    ("Kommunstyrelsen", "Kommunledningsförvaltningen, 641 80 Katrineholm", "kommunstyrelsen@katrineholm.se"),
    ("Kommunfullmäktige", "Kommunledningsförvaltningen, 641 80 Katrineholm", "kommunfullmaktige@katrineholm.se"),
    ("Revisorerna", "Kommunrevisionen, 641 80 Katrineholm", "revisionen@katrineholm.se"),
    ("Överförmyndaren", "Överförmyndarnämnden, 641 80 Katrineholm", "overformyndaren@katrineholm.se"),
    ("Akten", None, None),
]



def create_demo(store: Store, today: dt.date | None = None) -> int:
    """Fill an empty store with the demo nämnd; returns the id of the imported 2023 meeting."""
    if not store.is_empty():
        raise NamndtoolError(
            f"Registret {store} innehåller redan uppgifter, så demot skrivs inte dit. "
            "Ange en ny fil med --db för demoregistret."
        )
    today = today or dt.date.today()
    meeting_id = import_meeting(store, Path(str(resource("demo", "meeting-2023.json")))).meeting_id
    with store.write():
        namnd_id = store.save_namnd("SOCN", adress="Västgötagatan 18, 641 80 Katrineholm")
        nämnd_organ = store.ensure_organ(namnd_id, "Socialnämnden")
        utskott = store.ensure_organ(namnd_id, UTSKOTT)
        people = _roster(store, nämnd_organ, utskott)
        staff = {name: store.ensure_person(name, titel=title, epost=email, telefon=phone, roll="tjansteperson")
                 for name, title, email, phone in STAFF}
        for name, address, email in ADDRESS_BOOK:
            store.ensure_recipient(name, address, email)
        store.set_meeting_status(meeting_id, "genomfort")
        store.save_meeting(nämnd_organ, "2023-02-22", {"forhinder_namn": SECRETARY["namn"],
                                                      "forhinder_epost": SECRETARY["epost"],
                                                      "forhinder_telefon": SECRETARY["telefon"]})
        _coming_nämnd_meeting(store, namnd_id, nämnd_organ, people, staff, today)
        _coming_utskott_meeting(store, namnd_id, utskott, people, staff, today)
    return meeting_id


def _roster(store: Store, nämnd_organ: int, utskott: int) -> dict[str, int]:
    people = {}
    for name, party, seat, utskott_seat in ROSTER:
        role = "ersattare" if seat == "ersattare" else "ledamot"
        person_id = store.ensure_person(name, parti=party, roll=role)
        store.update_person(person_id, {"epost": _politician_email(name)})
        store.add_seat(person_id, nämnd_organ, seat, *TERM)
        if utskott_seat:
            store.add_seat(person_id, utskott, utskott_seat, *TERM)
        people[name] = person_id
    return people


def _politician_email(name: str) -> str:
    """firstname.lastname@politik.katrineholm.se, with å ä ö é and the like written as plain letters."""
    import unicodedata
    plain = unicodedata.normalize("NFKD", name.lower().replace("ł", "l").replace("ı", "i"))
    plain = "".join(c for c in plain if c.isascii() and (c.isalnum() or c in " -"))
    return ".".join(plain.split()) + "@politik.katrineholm.se"


def _next_weekday(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7 or 7)


def _meeting(store, organ_id, datum, plats, chair_id) -> int:
    return store.save_meeting(organ_id, datum.isoformat(), {
        "tid": "13:00", "plats": plats, "ordforande_id": chair_id, "forhinder_namn": SECRETARY["namn"],
        "forhinder_epost": SECRETARY["epost"], "forhinder_telefon": SECRETARY["telefon"],
    })


def _coming_nämnd_meeting(store, namnd_id, organ_id, people, staff, today) -> None:
    datum = _next_weekday(today + dt.timedelta(days=14), 2)
    meeting_id = _meeting(store, organ_id, datum, "Solrosen", people["Martin Edgélius"])
    plan = store.register_arende(
        namnd_id, f"Socialnämndens internkontrollplan {datum.year + 1}", today=today,
        handlaggare_id=staff["Sara Gibro"], status="klart_for_namnd", klassificering="1.2.7 - Återkoppla till förtroendevalda",
    )
    store.save_tjansteskrivelse(
        plan["id"],
        {"forvaltning": "Socialförvaltningen", "enhet": "Stab", "handlaggare_id": staff["Sara Gibro"],
         "datum": today.isoformat(), "mottagare": "Socialnämnden", "rubrik": plan["rubrik"],
         "sammanfattning": "Nämnderna ska senast i februari fastställa sina planer för det kommande årets interna "
                           "kontroll. Förvaltningen har tagit fram ett förslag utifrån en risk- och väsentlighetsanalys."},
        forslag=[f"Socialnämnden godkänner upprättad internkontrollplan för år {datum.year + 1}."],
        avsnitt=[{"rubrik": "Förvaltningens bedömning",
                  "text": "Förvaltningen bedömer att planen täcker de största riskerna i verksamheten."}],
        handlingar=[f"Internkontrollplan {datum.year + 1}"],
        undertecknare=[{"namn": "Marie Lundqvist", "titel": "T.f. förvaltningschef"}],
        mottagare_ids=[store.ensure_recipient("Kommunstyrelsen", "Kommunledningsförvaltningen, 641 80 Katrineholm",
                                              "kommunstyrelsen@katrineholm.se"),
                       store.ensure_recipient("Akten")],
    )
    remiss = store.register_arende(
        namnd_id, "Yttrande över remiss om kommunens trygghetsstrategi", today=today,
        handlaggare_id=staff["Julia Lindberg"], status="under_beredning", extern_referens="KS/2026:212 - 047",
        svar_senast=(datum + dt.timedelta(days=10)).isoformat(),
    )
    items = [(t, "standard", None) for t in STANDARD_OPENING] + [
        (plan["rubrik"], "arende", plan["id"]),
        (remiss["rubrik"], "arende", remiss["id"]),
    ] + [(t, "standard", None) for t in STANDARD_CLOSING]
    store.save_agenda(meeting_id, [
        {"nr": nr, "rubrik": title, "typ": kind, "arende_id": arende_id, "sekretess": 0}
        for nr, (title, kind, arende_id) in enumerate(items, 1)
    ])


def _coming_utskott_meeting(store, namnd_id, organ_id, people, staff, today) -> None:
    datum = _next_weekday(today + dt.timedelta(days=7), 1)
    meeting_id = _meeting(store, organ_id, datum, "Rosen", people["Martin Edgélius"])
    family = store.ensure_recipient("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    cases = []
    for title in ("Ansökan om vård enligt 2 § LVU", "Övervägande om fortsatt vård enligt 13 § LVU",
                  "Yttrande till förvaltningsrätten i mål om vård enligt LVM"):
        arende = store.register_arende(
            namnd_id, title, today=today, handlaggare_id=staff["Matilda Johansson"], status="klart_for_namnd",
            sekretess=1, sekretess_lagrum=OSL, offentlig_rubrik=SECRET_TITLE,
        )
        store.save_tjansteskrivelse(
            arende["id"],
            {"forvaltning": "Socialförvaltningen", "enhet": "Myndighetsavdelningen",
             "handlaggare_id": staff["Matilda Johansson"], "datum": today.isoformat(),
             "mottagare": UTSKOTT, "rubrik": title},
            forslag=["Socialnämndens individutskott beslutar i enlighet med förvaltningens förslag."],
            avsnitt=[], handlingar=["Utredning"], undertecknare=[{"namn": "Matilda Johansson", "titel": "Utredare"}],
            mottagare_ids=[family, store.ensure_recipient("Akten")],
        )
        cases.append(arende)
    items = [(t, "standard", None, 0) for t in STANDARD_OPENING]
    items += [(a["rubrik"], "arende", a["id"], 1) for a in cases]
    items += [("Anmälan av delegationsbeslut", "standard", None, 0)]
    store.save_agenda(meeting_id, [
        {"nr": nr, "rubrik": title, "typ": kind, "arende_id": arende_id, "sekretess": secret,
         "sekretess_lagrum": OSL if secret else None}
        for nr, (title, kind, arende_id, secret) in enumerate(items, 1)
    ])
