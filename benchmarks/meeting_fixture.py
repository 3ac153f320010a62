"""A realistic 20-item meeting for the pack benchmark, built in a folder through the store API.

20 agenda items, each with a tjänsteskrivelse: 3 standard items (without diary number), 3 secret ärenden and 14
public ärenden. The tjänsteskrivelser carry Swedish text of several paragraphs, förslag till beslut, a table
and signers. The bilagor total exactly ``BILAGA_PAGES`` PDF pages: the real PDFs in resources/demo/bilagor/ and
generated ones (reportlab text pages of varying length, landscape tables, two pages saved with /Rotate 90 and a
"scanned" letter of JPEG images). Everything is seeded: the same meeting every time.

Each secret ärende has one bilaga of its own, an investigation written in words of its own (``SECRET_SENTENCES``):
the secrecy gate compares the public pack with the secret files' content, and a secret file made of the same
sentences as the public documents (or a public report of the kansli filed under a secret ärende) would be found in
most public bilagor, which is not what a real meeting looks like. The other bilagor go to the public ärenden and to
"Anmälan av delegationsbeslut" in turn.
"""

import datetime as dt
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nämndtool.assets import resource
from nämndtool.store import Store

BILAGA_PAGES = 300
OSL = "26 kap. 1 § OSL"

SENTENCES = [
    "Socialnämnden ansvarar för att kommunens invånare får det stöd och den hjälp de har rätt till enligt socialtjänstlagen.",
    "Förvaltningen har under perioden sett ett ökat antal ansökningar om ekonomiskt bistånd, framför allt bland unga vuxna.",
    "Kostnaderna för externa placeringar av barn och unga ligger fortsatt över budgeterad nivå.",
    "Arbetet med Signs of Safety har fortsatt och fler familjer har fått stöd genom sitt eget nätverk.",
    "Kompetensförsörjningen är fortsatt en utmaning, särskilt när det gäller erfarna socialsekreterare.",
    "Förvaltningen bedömer att insatserna på hemmaplan bör utvecklas för att minska behovet av HVB-placeringar.",
    "Under året har en fördjupad genomlysning av kostnad per brukare genomförts inom individ- och familjeomsorgen.",
    "Samverkan med region, skola och polis har stärkts genom gemensamma arbetsgrupper och regelbundna avstämningar.",
    "Antalet orosanmälningar rörande barn har ökat med elva procent jämfört med motsvarande period föregående år.",
    "Nämnden har beviljats statsbidrag för att stärka den sociala barn- och ungdomsvården.",
    "Förslaget innebär inga ytterligare kostnader utöver det som ryms inom nämndens befintliga budgetram.",
    "En riskanalys har genomförts och de identifierade riskerna har värderats utifrån sannolikhet och konsekvens.",
    "Verksamheten för ekonomiskt bistånd har infört digital ansökan, vilket har kortat handläggningstiden.",
    "Förvaltningen föreslår att nämnden ger förvaltningschefen i uppdrag att återrapportera resultatet i oktober.",
    "Uppföljningen visar att 78 procent av de enskilda som avslutat en insats upplever att de fått ett gott bemötande.",
    "Familjecentralen bidrar till tidiga och förebyggande insatser för barnfamiljer i kommunen.",
    "Ärendet har beretts i samverkan med kommunledningsförvaltningen och bildnings- och omsorgsförvaltningen.",
    "Dataskyddsombudet har granskat behandlingen av personuppgifter och lämnat rekommendationer till nämnden.",
    "Arbetsmiljön för medarbetarna har följts upp genom medarbetarenkäten och skyddsronder på samtliga enheter.",
    "Nämnden ska enligt kommunallagen se till att den interna kontrollen är tillräcklig.",
    "Ett barnrättsperspektiv har beaktats i beredningen av ärendet i enlighet med barnkonventionen.",
    "Målet är att fler personer ska gå från försörjningsstöd till egen försörjning genom arbete eller studier.",
    "Den ekonomiska prognosen för helåret pekar mot ett underskott på omkring 12 miljoner kronor.",
    "Ärendet har diskuterats i förvaltningens samverkansgrupp utan att några invändningar framförts.",
    "Rapporteringen omfattar beslut som inte verkställts inom tre månader från beslutsdatum.",
    "Förvaltningen har tagit fram en handlingsplan med åtgärder, ansvariga och tidplan för genomförandet.",
    "Insatserna inom öppenvården har utökats med ytterligare en alkohol- och drogterapeut.",
    "Remissen har skickats till nämnden för yttrande senast den 31 mars.",
]

# The secret ärenden's own investigations: no sentence in common with the public documents (and no names or
# personnummer, which the gate would rightly refuse in any public file that quoted them).
SECRET_SENTENCES = [
    "Utredningen har genomförts genom hembesök, samtal med vårdnadshavarna och kontakter med skolans elevhälsa.",
    "Den enskilde har vid två tillfällen uttryckt att han inte vill flytta från sitt nuvarande boende.",
    "Vårdnadshavarna har tagit del av utredningen och lämnat synpunkter som redovisas i sin helhet nedan.",
    "Enhetschefen bedömer att bristen har medfört en påtaglig risk för ett allvarligt missförhållande.",
    "Placeringen i familjehemmet bedöms tillgodose behovet av trygghet, kontinuitet och skolgång.",
    "Förvaltningsrätten har begärt nämndens yttrande över överklagandet inom tre veckor från delgivningen.",
    "Anmälan inkom från personal på boendet efter att en brukare lämnats utan tillsyn under natten.",
    "Socialsekreteraren har träffat flickan enskilt vid fyra tillfällen under utredningstiden.",
    "Mottagande kommun har meddelat att den inte motsätter sig en överflyttning av ärendet.",
    "Av journalanteckningarna framgår att insatsen inte har följts upp enligt genomförandeplanen.",
    "Nämnden vidhåller sitt beslut och anser att det överklagade beslutet inte ska ändras.",
    "Utredaren rekommenderar att ärendet överflyttas med hänsyn till var den enskilde har sin starkaste anknytning.",
    "Verksamheten har efter händelsen infört dubbla kontroller vid varje överlämning mellan arbetspassen.",
    "Modern har uppgett att hon under en längre tid saknat stöd från sitt eget nätverk.",
    "Den enskildes ombud har anfört att utredningen är ofullständig i fråga om barnets vilja.",
    "Inspektionen för vård och omsorg har underrättats om utredningen och dess slutsatser.",
]

# the generated bilaga that belongs to each secret ärende (written from SECRET_SENTENCES)
SECRET_BILAGOR = {"Utredning": "Ansökan om överflyttning av ärende enligt SoL",
                  "Underlag förvaltningsrätten": "Yttrande till förvaltningsrätten",
                  "Lex Sarah-utredning": "Anmälan enligt lex Sarah"}

HEADINGS = ["Bakgrund", "Ärendebeskrivning", "Förvaltningens bedömning", "Ekonomiska konsekvenser",
            "Uppföljning", "Måluppfyllelse", "Risker och åtgärder", "Samverkan", "Slutsatser"]

PUBLIC_TITLES = [
    "Socialnämndens delårsrapport per augusti", "Budgetuppföljning per oktober", "Internkontrollplan 2025",
    "Yttrande över motion om fler fritidsgårdar", "Rapportering av ej verkställda gynnande beslut kvartal 3",
    "Riktlinjer för ekonomiskt bistånd", "Revidering av delegationsordning", "Verksamhetsplan för öppenvården",
    "Yttrande över remiss om regional handlingsplan mot våld i nära relationer", "Sammanträdesplan 2025",
    "Patientsäkerhetsberättelse för socialtjänsten", "Uppföljning av familjecentralen",
    "Avgifter inom individ- och familjeomsorgen", "Återrapportering av dataskyddsefterlevnad",
]
SECRET_TITLES = ["Ansökan om överflyttning av ärende enligt SoL", "Yttrande till förvaltningsrätten",
                 "Anmälan enligt lex Sarah"]
STANDARD_TITLES = ["Verksamhetsinformation", "Anmälan av delegationsbeslut", "Meddelanden"]

# (title stem, pages, kind) of the generated bilagor; the last one is sized to make the total exactly right
GENERATED = [
    ("Delårsrapport", 24, "text"), ("Budgetuppföljning, tabeller", 6, "landscape"), ("Internkontrollplan", 9, "text"),
    ("Motion", 2, "text"), ("Rapport ej verkställda beslut", 8, "landscape"), ("Riktlinjer", 18, "text"),
    ("Delegationsordning", 22, "text"), ("Verksamhetsplan", 12, "text"), ("Remiss, regional handlingsplan", 25, "text"),
    ("Sammanträdesplan", 1, "landscape"), ("Patientsäkerhetsberättelse", 14, "text"), ("Inskannat yttrande", 4, "scan"),
    ("Avgiftstabell", 3, "landscape"), ("Dataskyddsrapport", 7, "text"), ("Utredning", 9, "text"),
    ("Underlag förvaltningsrätten", 6, "text"), ("Lex Sarah-utredning", 5, "text"), ("Delegationslista", 4, "rotated"),
    ("Meddelanden", 6, "text"), ("Statistikbilaga", 5, "landscape"), ("Protokollsutdrag", 2, "text"),
    ("Utfyllnad", None, "text"),
]


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 6), pool: list[str] = SENTENCES) -> str:
    return " ".join(rng.sample(pool, rng.randint(*sentences)))


def _register_font() -> str:
    if "BenchDejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchDejaVu", str(resource("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont("BenchDejaVuBold", str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    return "BenchDejaVu"


def _text_pdf(title: str, pages: int, rng: random.Random, *, wide: bool, embedded: bool,
              pool: list[str] = SENTENCES) -> bytes:
    """``pages`` pages: each a heading, paragraphs of varying length and for wide pages a table (one page each)."""
    font, bold = ("BenchDejaVu", "BenchDejaVuBold") if embedded and _register_font() else ("Helvetica", "Helvetica-Bold")
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13.5, spaceAfter=6)
    heading = ParagraphStyle("h", fontName=bold, fontSize=13, leading=16, spaceAfter=8)
    size = landscape(A4) if wide else A4
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=size, title=title, author="Socialförvaltningen",
                            leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm, bottomMargin=22 * mm)
    story = []
    for n in range(pages):
        story.append(Paragraph(f"{title} – {rng.choice(HEADINGS)}" if n else title, heading))
        if wide:
            months = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
            rows = [["Verksamhet", *months]]
            for area in ["Ekonomiskt bistånd", "Barn och unga", "Vuxna", "Öppenvård", "Familjehem", "HVB vuxna",
                         "HVB barn", "Administration", "Summa"][:rng.randint(5, 9)]:
                rows.append([area, *[f"{rng.randint(-900, 9000):,}".replace(",", " ") for _ in months]])
            table = Table(rows, repeatRows=1)
            table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8), ("FONT", (0, 0), (-1, 0), bold, 8),
                                       ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee"))]))
            story += [Paragraph(_paragraph(rng, (2, 4), pool), body), Spacer(1, 6), table]
        else:
            for _ in range(rng.randint(2, 6)):
                story.append(Paragraph(_paragraph(rng, pool=pool), body))
        story.append(PageBreak())
    doc.build(story[:-1])
    return out.getvalue()


def _scanned_pdf(title: str, pages: int, rng: random.Random) -> bytes:
    """A letter scanned at 150 dpi: every page one greyscale JPEG, no text layer."""
    font = ImageFont.truetype(str(resource("fonts", "DejaVuSans.ttf")), 22)
    images = []
    for n in range(pages):
        image = Image.new("L", (1240, 1754), 246)
        draw = ImageDraw.Draw(image)
        y = 140
        draw.text((130, y), f"{title}, sida {n + 1}", font=font, fill=20)
        y += 70
        for _ in range(rng.randint(4, 7)):
            words = _paragraph(rng, (2, 4)).split()
            line = ""
            for word in words:
                if len(line) + len(word) > 78:
                    draw.text((130, y), line, font=font, fill=30)
                    y, line = y + 34, ""
                line += word + " "
            draw.text((130, y), line, font=font, fill=30)
            y += 60
        for _ in range(3000):  # scanner noise
            draw.point((rng.randrange(1240), rng.randrange(1754)), fill=rng.randint(150, 220))
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150.0, save_all=True, append_images=images[1:], quality=70)
    return out.getvalue()


def _rotated_pdf(pdf: bytes) -> bytes:
    """The same pages saved as a sideways scanner would: portrait pages with /Rotate 90 on every other page."""
    writer = PdfWriter()
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        added = writer.add_page(page)
        if n % 2 == 0:
            added.rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def generated_bilagor(folder: Path, demo_pages: int) -> list[tuple[str, Path, int]]:
    """The generated bilagor, Flate-compressed without reportlab's ASCII85 layer, as Word and LibreOffice write
    them (the demo bilagor are LibreOffice exports)."""
    use_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _generated_bilagor(folder, demo_pages)
    finally:
        rl_config.useA85 = use_a85


def _generated_bilagor(folder: Path, demo_pages: int) -> list[tuple[str, Path, int]]:
    rng = random.Random(2024)
    made, total = [], demo_pages
    for stem, pages, kind in GENERATED:
        if pages is None:
            pages = BILAGA_PAGES - total
            if pages <= 0:
                break
        if kind == "scan":
            pdf = _scanned_pdf(stem, pages, rng)
        else:
            pdf = _text_pdf(stem, pages, rng, wide=kind == "landscape", embedded=len(made) % 2 == 0,
                            pool=SECRET_SENTENCES if stem in SECRET_BILAGOR else SENTENCES)
            if kind == "rotated":
                pdf = _rotated_pdf(pdf)
        path = folder / f"{len(made) + 1:02d}-{stem.lower().replace(' ', '-').replace(',', '')}.pdf"
        path.write_bytes(pdf)
        count = len(PdfReader(io.BytesIO(pdf)).pages)
        made.append((stem, path, count))
        total += count
    if total != BILAGA_PAGES:
        raise RuntimeError(f"de genererade bilagorna blev {total} sidor, inte {BILAGA_PAGES}")
    return made


def _tjansteskrivelse(rng: random.Random, rubrik: str, handlingar: list[str], secret: bool) -> dict:
    forslag = [f"Socialnämnden beslutar att {verb} {rubrik[0].lower() + rubrik[1:]}." for verb in
               rng.sample(["godkänna", "anta", "lägga till handlingarna", "överlämna till kommunstyrelsen"],
                          rng.randint(1, 3))]
    table = ("| Verksamhet | Budget (tkr) | Utfall (tkr) | Avvikelse (tkr) |\n|---|---:|---:|---:|\n" + "\n".join(
        f"| {area} | {b} | {u} | {b - u} |" for area in rng.sample(
            ["Ekonomiskt bistånd", "Barn och unga", "Vuxna", "Öppenvård", "Familjehem", "Administration"], 4)
        for b, u in [(rng.randint(2000, 60000), rng.randint(2000, 60000))]))
    avsnitt = [{"rubrik": "Ärendebeskrivning", "text": "\n\n".join(_paragraph(rng) for _ in range(rng.randint(3, 5)))},
               {"rubrik": "Ekonomiska konsekvenser", "text": _paragraph(rng, (2, 3)) + "\n\n" + table},
               {"rubrik": "Förvaltningens bedömning", "text": "\n\n".join(_paragraph(rng) for _ in range(2))}]
    if secret:
        avsnitt[0]["text"] += "\n\nUppgifterna om den enskilde omfattas av sekretess enligt " + OSL + "."
    return {"header": {"forvaltning": "Socialförvaltningen", "enhet": rng.choice(["Individ- och familjeomsorg",
                                                                                  "Ekonomi och administration"]),
                       "datum": "2024-11-04", "mottagare": "Socialnämnden", "rubrik": rubrik,
                       "sammanfattning": "\n\n".join(_paragraph(rng) for _ in range(2))},
            "forslag": forslag, "avsnitt": avsnitt, "handlingar": handlingar}


def build_meeting(folder: Path) -> tuple[Path, int]:
    """Create the store and the meeting in ``folder``; returns (store path, meeting id)."""
    rng = random.Random(1862)
    bilaga_dir = folder / "bilagor"
    bilaga_dir.mkdir(parents=True, exist_ok=True)
    demo = sorted(Path(str(resource("demo", "bilagor"))).glob("*.pdf"))
    demo_files = [(p.stem.replace("-", " ").capitalize(), p, len(PdfReader(p).pages)) for p in demo]
    files = demo_files + generated_bilagor(bilaga_dir, sum(n for *_, n in demo_files))
    rng.shuffle(files)

    items = ([("standard", t, False) for t in STANDARD_TITLES[:1]] +
             [("arende", t, False) for t in PUBLIC_TITLES[:7]] + [("arende", SECRET_TITLES[0], True)] +
             [("arende", t, False) for t in PUBLIC_TITLES[7:]] + [("arende", t, True) for t in SECRET_TITLES[1:]] +
             [("standard", t, False) for t in STANDARD_TITLES[1:]])
    # bilagor over the items: each secret ärende gets its own investigation; every public ärende and "Anmälan av
    # delegationsbeslut" gets 1-3 of the others, in turn; Verksamhetsinformation and Meddelanden none
    takers = [i for i, (typ, title, secret) in enumerate(items)
              if (typ == "arende" and not secret) or title == "Anmälan av delegationsbeslut"]
    per_item: dict[int, list] = {i: [] for i in range(len(items))}
    by_title = {title: i for i, (_, title, _) in enumerate(items)}
    shared = [f for f in files if f[0] not in SECRET_BILAGOR]
    for bilaga in files:
        if bilaga[0] in SECRET_BILAGOR:
            per_item[by_title[SECRET_BILAGOR[bilaga[0]]]].append(bilaga)
    for n, bilaga in enumerate(shared):
        per_item[takers[n % len(takers)]].append(bilaga)

    store_path = folder / "register.sqlite"
    with Store.open(store_path) as store:
        namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
        organ_id = store.organs(namnd_id)[0]["id"]
        meeting_id = store.save_meeting(organ_id, "2024-11-20", {"tid": "13:00", "plats": "Solrosen, Stadshuset"})
        handlaggare = store.ensure_person("Anna Lindqvist", telefon="0150-570 00", epost="anna.lindqvist@example.se",
                                          roll="tjansteperson")
        mottagare = [store.ensure_recipient(n) for n in ("Kommunstyrelsen", "Ekonomienheten", "akten")]
        agenda = []
        for nr, (typ, title, secret) in enumerate(items, 1):
            fields = {"sekretess": 1, "sekretess_lagrum": OSL} if secret else {}
            if typ == "standard":
                arende_id = store.save_unnumbered_arende(namnd_id, None, {"rubrik": title})
            else:
                arende_id = store.register_arende(namnd_id, title, today=dt.date(2024, 10, 1), **fields)["id"]
            bilagor = [{"titel": f"{stem} ({nr}.{k})", "sha256": store.put_file(path), "filnamn": path.name}
                       for k, (stem, path, _) in enumerate(per_item[nr - 1], 1)]
            ts = _tjansteskrivelse(rng, title, [b["titel"] for b in bilagor], secret)
            ts["header"]["handlaggare_id"] = handlaggare
            store.save_tjansteskrivelse(
                arende_id, ts["header"], forslag=ts["forslag"], avsnitt=ts["avsnitt"], handlingar=ts["handlingar"],
                undertecknare=[{"namn": "Marie Lundqvist", "titel": "Förvaltningschef"},
                               {"namn": "Anna Lindqvist", "titel": "Enhetschef"}],
                mottagare_ids=rng.sample(mottagare, 2))
            store.save_bilagor(arende_id, bilagor)
            agenda.append({"nr": nr, "rubrik": title, "typ": typ, "arende_id": arende_id, "sekretess": int(secret),
                           "sekretess_lagrum": OSL if secret else None})
        store.save_agenda(meeting_id, agenda)
    return store_path, meeting_id
