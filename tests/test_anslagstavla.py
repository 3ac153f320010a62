"""The digital anslagstavla (issue 17, point 3; KL 8 kap. 9–12 §§, 13 kap.): publishing the notice of a justerat
protokoll to a web folder, what the page says and how it reads (HTML5, landmarks, contrast, in a real browser),
the secrecy gate over every published byte, the feed, taking notices down from the folder alone, and a folder that
stays consistent when a write fails."""

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from docs_helpers import pdf_text
from nämndtool.anslagstavla import folder as tavla
from nämndtool.anslagstavla import render
from nämndtool.anslagstavla.publish import publish
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.secrecy import gate
from nämndtool.secrecy.facts import facts_for_meeting
from nämndtool.store import Store
from support import SAMPLE_DIR, run_cli
from test_protokoll_issue13 import ready_for_justering

OSL = "26 kap. 1 § OSL"
SECRET_TITLE = "Placering av Vilgot Fjällström i familjehem"
SECRET_DNR = "SOCN/2023:31"
SECRETS = (SECRET_TITLE, "Vilgot", "Fjällström", SECRET_DNR, "Storgatan 1")
JUSTERAD = dt.date(2023, 3, 1)
UP = dt.date(2023, 3, 2)
LAST_DAY = dt.date(2023, 3, 23)     # three weeks from the anslag, a Thursday
DOWN = dt.date(2023, 3, 24)
KEY = "socn-socialnamnden-2023-02-22"
SCREENSHOTS = Path(__file__).parent / "screenshots" / "anslagstavla"


# --- a justerat meeting with a secret ärende, copied for every test ------------------------------------------------


def _with_secret_arende(data: dict) -> dict:
    """The sample meeting with item 4 a secret ärende that names a child and a guardian."""
    item = data["dagordning"][3]
    item.update({"rubrik": SECRET_TITLE, "diarienummer": SECRET_DNR, "sekretess": {"lagrum": OSL}})
    data["arenden"].append({
        "diarienummer": SECRET_DNR, "rubrik": SECRET_TITLE, "sekretess": {"lagrum": OSL}, "status": "klart_for_namnd",
        "tjansteskrivelse": {
            "forvaltning": "Socialförvaltningen", "rubrik": SECRET_TITLE, "mottagare": "Socialnämnden",
            "forslag_till_beslut": ["Socialnämnden beslutar att Vilgot Fjällström placeras i familjehem."],
            "sammanfattning": "Ingrid Fjällström har ansökt om stöd för Vilgot Fjällström.",
            "avsnitt": [], "handlingar": ["Utredning"],
            "undertecknare": [{"namn": "Elin Handläggare", "titel": "Socialsekreterare"}],
            "beslutet_skickas_till": [{"namn": "Ingrid Fjällström", "adress": "Storgatan 1, 641 30 Katrineholm"}],
        },
    })
    return data


@pytest.fixture(scope="module")
def justerat_template(tmp_path_factory):
    """A register holding the sample meeting, justerat 2023-03-01, with a secret ärende; (folder, meeting id)."""
    work = tmp_path_factory.mktemp("anslag-mall")
    shutil.copytree(SAMPLE_DIR, work / "sample")
    meeting_file = work / "sample" / "meeting-2023.json"
    meeting_file.write_text(json.dumps(_with_secret_arende(json.loads(meeting_file.read_text())), ensure_ascii=False))
    store_folder = work / "register"
    store_folder.mkdir()
    with Store.open(store_folder / "s.sqlite") as store:
        meeting_id = import_meeting(store, meeting_file).meeting_id
        ready_for_justering(store, meeting_id)
        justera(store, meeting_id, JUSTERAD, load_branding(), today=JUSTERAD)
    return store_folder, meeting_id


@pytest.fixture
def justerat_store(justerat_template, tmp_path):
    """A copy of the justerat register of its own, no anslag yet; yields (store, meeting id, web folder)."""
    template, meeting_id = justerat_template
    shutil.copytree(template, tmp_path / "register")
    web = tmp_path / "webb"
    web.mkdir()
    with Store.open(tmp_path / "register" / "s.sqlite") as store:
        yield store, meeting_id, web


@pytest.fixture
def published(justerat_store):
    store, meeting_id, web = justerat_store
    result = publish(store, meeting_id, web, today=UP)
    return store, meeting_id, web, result


def notice_files(web: Path) -> set[str]:
    return {p.name for p in web.iterdir() if p.name != tavla.LOCK}


def anslag_cli(*argv: str) -> tuple[int, str, str]:
    """``namndtool anslagstavla …`` through ``cli.main``, as a user runs it; without ``--db``: the commands used
    here work from the folder alone. Exit code, stdout, stderr."""
    done = run_cli("anslagstavla", *argv)
    return done.returncode, done.stdout, done.stderr


# --- publishing -----------------------------------------------------------------------------------------------------


def test_an_unjusterat_protokoll_is_not_published(imported, tmp_path):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    web = tmp_path / "webb"
    web.mkdir()
    with pytest.raises(NamndtoolError, match="inte justerat.*registrera justeringen"):
        publish(store, meeting_id, web, today=UP)
    assert notice_files(web) == set()
    assert store.protokoll(meeting_id)["anslag_datum"] is None


def test_publish_writes_the_notice_and_records_the_anslag(published):
    store, meeting_id, web, result = published
    assert notice_files(web) == {f"{KEY}.html", f"{KEY}-protokoll.pdf", "index.html", "anslag.json",
                                 tavla.MANIFEST}
    assert result.recorded and result.anslag_upp == UP
    assert store.protokoll(meeting_id)["anslag_datum"] == UP.isoformat()
    assert (result.deadlines.overklagande_till, result.deadlines.anslag_ned_tidigast) == (LAST_DAY, DOWN)
    assert not list(web.glob(".ny-*"))   # no temporary file left
    where = {p["mal"] for p in store.publications(meeting_id=meeting_id)}
    assert {str(result.page), str(result.pdf)} <= where   # recorded, so a later sealing can say where


def test_the_page_states_what_the_law_asks(published):
    _, _, web, result = published
    text = " ".join(_shown_text(result.page.read_bytes()).split())
    for expected in ("Organ Socialnämnden", "Sammanträdesdatum 22 februari 2023", "Justeringsdatum 1 mars 2023",
                     "Datum då anslaget sätts upp 2 mars 2023", "Datum då anslaget tas ned 24 mars 2023",
                     "Förvaringsplats för protokollet Socialförvaltningen", "laglighetsprövning",
                     "kommunallagen (2017:725)", "inom tre veckor", "förvaltningsrätten",
                     "Sista dagen att överklaga är 23 mars 2023", "Katrineholms kommun"):
        assert expected in text, expected
    html = result.page.read_text()
    assert f'href="{KEY}-protokoll.pdf"' in html and 'href="index.html"' in html
    assert '<time datetime="2023-03-23">' in html


def test_the_page_is_valid_html5_with_landmarks_and_no_script(published):
    html5lib = pytest.importorskip("html5lib", reason="html5lib is in the test extras (pip install -e '.[test]')")
    _, _, web, _ = published
    for name in (f"{KEY}.html", "index.html"):
        data = (web / name).read_bytes()
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        document = parser.parse(data)   # raises on any parse error
        assert data.startswith(b"<!DOCTYPE html>")
        assert document.get("lang") == "sv"
        body = document.find("body")
        assert [child.tag for child in body if child.tag in ("header", "main", "footer")] == \
               ["header", "main", "footer"]
        assert len(document.findall(".//h1")) == 1 and document.findall(".//h2")
        assert document.find(".//main//h1") is not None
        assert not document.findall(".//script")
        for element in document.iter():
            assert not any(attr.startswith("on") for attr in element.attrib), element.tag
            assert not element.get("href", "").lower().startswith("javascript:")


def test_without_css_the_page_reads_in_order(published):
    """Readable without CSS: the style sheet only styles; the text comes in the order it is read."""
    _, _, _, result = published
    html = re.sub(r"<style>.*?</style>", "", result.page.read_text(), flags=re.S)
    text = " ".join(_shown_text(html.encode()).split())
    order = ["Katrineholms kommun", "Justerat protokoll: Socialnämnden", "Uppgifter om anslaget",
             "Förvaringsplats", "Protokoll Socialnämnden 22 februari 2023", "Så överklagar du",
             "Sista dagen att överklaga"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_every_text_colour_has_contrast_against_its_background(published):
    """WCAG 2.1 AA: at least 4.5:1, computed from the colours in the page's own style sheet."""
    _, _, _, result = published
    css = re.search(r"<style>(.*?)</style>", result.page.read_text(), re.S).group(1)
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", css))
    page_background = _declared(rules[next(s for s in rules if s.strip() == "body")], "background")
    pairs = []
    for selector, body in rules.items():
        colour = _declared(body, "color")
        if colour:
            pairs.append((selector.strip(), colour, _declared(body, "background") or page_background))
    assert len(pairs) >= 6
    for selector, colour, background in pairs:
        ratio = _contrast(colour, background)
        assert ratio >= 4.5, f"{selector}: {colour} på {background} har kontrasten {ratio:.2f}"
    assert _contrast(render.COLOURS["link"], render.COLOURS["page"]) >= 4.5
    assert _contrast(render.COLOURS["link"], render.COLOURS["box"]) >= 4.5


def test_no_secret_of_the_meeting_is_published_anywhere(published):
    store, meeting_id, web, _ = published
    internal = store.protokoll(meeting_id)
    assert any(p["rubrik"] == SECRET_TITLE for p in internal["paragrafer"])   # the secret is in the protokoll
    for path in web.iterdir():
        data = path.read_bytes()
        texts = [data.decode("utf-8", "replace")] + ([pdf_text(data)] if path.suffix == ".pdf" else [])
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret} i {path.name}"
            assert all(secret not in " ".join(t.split()) for t in texts), f"{secret} i {path.name}"
    assert "Sekretessärende" in pdf_text((web / f"{KEY}-protokoll.pdf").read_bytes())


def test_the_gate_reads_a_page_as_html_and_refuses_a_secret_in_it(justerat_store):
    """The page passes the gate's own HTML reader: a name tied to the secret ärende in the text or hidden in
    character references, its title in an attribute, its number in a comment, a personnummer: each is refused and
    nothing is written."""
    store, meeting_id, web = justerat_store
    facts = facts_for_meeting(store, meeting_id)
    for body in ("<p>Ingrid Fjällström</p>", "<p>Ingrid Fj&auml;llstr&#246;m</p>",
                 f'<p><a href="x.pdf" title="{SECRET_TITLE}">Protokoll</a></p>', "<!-- SOCN/2023:31 --><p>x</p>",
                 "<p>Barnet 121212-1212</p>"):
        page = f'<!DOCTYPE html><html lang="sv"><head><title>x</title></head><body>{body}</body></html>'.encode()
        with pytest.raises(gate.GateError):
            tavla.checked_write(web, "prov.html", page, "html", facts, "prov")
        assert not (web / "prov.html").exists()
    tavla.checked_write(web, "prov.html", b'<!DOCTYPE html><html lang="sv"><title>x</title><p>Upprop</p></html>',
                        "html", facts, "prov")
    assert (web / "prov.html").exists()


def test_the_feed_is_a_json_feed_listing_the_notice(published):
    _, _, web, _ = published
    feed = json.loads((web / "anslag.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and isinstance(feed["items"], list) and feed["language"] == "sv"
    [item] = feed["items"]
    assert isinstance(item["id"], str) and item["id"] == KEY
    assert item["url"] == f"{KEY}.html" and (web / item["url"]).is_file()
    assert "content_text" in item and "23 mars" not in item["title"]
    dt.datetime.fromisoformat(item["date_published"])   # RFC 3339
    [pdf] = item["attachments"]
    assert pdf["mime_type"] == "application/pdf" and (web / pdf["url"]).is_file()
    assert item["_anslag"]["overklagande_till"] == LAST_DAY.isoformat()
    assert all(not key.startswith("_") or key == "_anslag" for key in item)


def test_the_feed_has_full_addresses_when_the_folder_address_is_given(justerat_store):
    store, meeting_id, web = justerat_store
    publish(store, meeting_id, web, today=UP, base_url="https://www.katrineholm.se/anslag")
    feed = json.loads((web / "anslag.json").read_text())
    assert feed["feed_url"] == "https://www.katrineholm.se/anslag/anslag.json"
    assert feed["items"][0]["url"] == f"https://www.katrineholm.se/anslag/{KEY}.html"


def test_the_index_lists_current_notices(published):
    _, _, web, _ = published
    text = " ".join(_shown_text((web / "index.html").read_bytes()).split())
    assert "Digital anslagstavla" in text and "Socialnämnden 22 februari 2023 1 mars 2023 2 mars 2023" in text
    assert f'href="{KEY}.html"' in (web / "index.html").read_text()


# --- publishing again -------------------------------------------------------------------------------------------


def test_publishing_again_is_idempotent_and_keeps_the_day(published):
    store, meeting_id, web, first = published
    before = {name: (web / name).read_bytes() for name in notice_files(web)}
    again = publish(store, meeting_id, web, today=UP + dt.timedelta(days=3))
    assert not again.recorded and again.anslag_upp == UP
    after = {name: (web / name).read_bytes() for name in notice_files(web)}
    assert after.keys() == before.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"index.html"}   # only the index's "updated" date
    assert len(json.loads(after[tavla.MANIFEST])["anslag"]) == 1


def test_a_recorded_anslag_not_in_the_folder_is_refused_on_another_day(published, tmp_path):
    store, meeting_id, _, _ = published
    other = tmp_path / "annan"
    other.mkdir()
    with pytest.raises(NamndtoolError, match="registrerat som uppsatt 2023-03-02.*överklagandetiden räknas"):
        publish(store, meeting_id, other, today=UP + dt.timedelta(days=1))
    assert notice_files(other) == set()
    publish(store, meeting_id, other, today=UP)   # the same day: it goes up there too, with that day


# --- taking down ------------------------------------------------------------------------------------------------


def test_expire_keeps_a_running_notice_and_takes_down_an_ended_one(published):
    _, _, web, _ = published
    assert tavla.expire(web, LAST_DAY) == []
    assert (web / f"{KEY}.html").exists() and (web / f"{KEY}-protokoll.pdf").exists()
    assert [a["nyckel"] for a in tavla.current(web)] == [KEY]

    [taken] = tavla.expire(web, DOWN)
    assert set(taken.files) == {f"{KEY}.html", f"{KEY}-protokoll.pdf"}
    assert notice_files(web) == {"index.html", "anslag.json", tavla.MANIFEST}
    assert json.loads((web / "anslag.json").read_text())["items"] == []
    assert KEY not in (web / "index.html").read_text() and "inga anslag just nu" in (web / "index.html").read_text()
    manifest = json.loads((web / tavla.MANIFEST).read_text())
    assert manifest["anslag"] == [] and manifest["nedtagna"][0]["nedtagen"] == DOWN.isoformat()
    assert tavla.current(web) == []


def test_expire_from_the_command_line_without_a_register(published):
    _, _, web, _ = published
    code, out, _ = anslag_cli("expire", "--folder", str(web), "--today", str(LAST_DAY))
    assert code == 0 and "Inget anslag har gått ut." in out
    code, out, _ = anslag_cli("list", "--folder", str(web))
    assert code == 0 and "Socialnämnden 2023-02-22" in out and "till och med 2023-03-23" in out
    code, out, _ = anslag_cli("expire", "--folder", str(web), "--today", str(DOWN))
    assert code == 0 and "Nedtaget: Socialnämnden 2023-02-22" in out
    assert anslag_cli("list", "--folder", str(web))[1].strip() == "Inga anslag är uppe."


def test_publish_from_the_command_line(justerat_store):
    """With the real date: today is long after 2023, so the anslag is recorded today with a warning that it is late."""
    store, meeting_id, web = justerat_store
    done = run_cli("anslagstavla", "publish", "--meeting", str(meeting_id), "--folder", str(web), db=store.path)
    assert done.returncode == 0, done.stderr
    today = dt.date.today().isoformat()
    assert f"Anslaget registrerades {today}" in done.stdout and f"{KEY}.html" in done.stdout
    assert "Varning: Anslaget sattes upp" in done.stderr
    assert store.protokoll(meeting_id)["anslag_datum"] == today
    refused = run_cli("anslagstavla", "publish", "--meeting", "9999", "--folder", str(web), db=store.path)
    assert refused.returncode == 1 and "finns inte" in refused.stderr and "Traceback" not in refused.stderr


def test_withdraw_before_the_end_requires_a_reason(published):
    _, meeting_id, web, _ = published
    before = {name: (web / name).read_bytes() for name in notice_files(web)}
    code, _, err = anslag_cli("withdraw", "--folder", str(web), "--meeting", str(meeting_id), "--today",
                              "2023-03-10")
    assert code == 1
    assert "löper fortfarande, till och med 2023-03-23" in err and "--reason" in err
    assert {name: (web / name).read_bytes() for name in notice_files(web)} == before

    code, out, _ = anslag_cli("withdraw", "--folder", str(web), "--meeting", str(meeting_id), "--reason",
                              "Fel protokoll publicerades", "--today", "2023-03-10")
    assert code == 0 and "nedtaget" in out
    assert not (web / f"{KEY}.html").exists() and not (web / f"{KEY}-protokoll.pdf").exists()
    [down] = json.loads((web / tavla.MANIFEST).read_text())["nedtagna"]
    assert down["skal"] == "Fel protokoll publicerades" and down["fore_overklagandetidens_slut"] is True


def test_withdraw_after_the_end_needs_no_reason(published):
    _, meeting_id, web, _ = published
    tavla.withdraw(web, meeting_id, None, DOWN)
    assert tavla.current(web) == []


def test_withdraw_of_a_meeting_not_up_says_so(published):
    _, _, web, _ = published
    with pytest.raises(NamndtoolError, match="har inget anslag uppe"):
        tavla.withdraw(web, 9999, "skäl nog", DOWN)


# --- a write that fails leaves a consistent folder ----------------------------------------------------------------


def test_a_failure_before_the_manifest_records_nothing_and_is_tidied(justerat_store):
    store, meeting_id, web = justerat_store
    (web / f"{KEY}.html").mkdir()   # the page cannot be written (the PDF before it can)
    with pytest.raises(NamndtoolError):
        publish(store, meeting_id, web, today=UP)
    assert store.protokoll(meeting_id)["anslag_datum"] is None   # the register's transaction rolled back
    assert not (web / tavla.MANIFEST).exists() and not (web / "index.html").exists()
    assert not list(web.glob(".ny-*"))
    (web / f"{KEY}.html").rmdir()
    assert tavla.current(web) == []   # the stray PDF is named by nothing, listed nowhere
    assert tavla.expire(web, UP) == [] and (web / f"{KEY}-protokoll.pdf").exists()   # no manifest: not ours
    publish(store, meeting_id, web, today=UP)   # the next run puts it up, with the same files
    assert notice_files(web) == {f"{KEY}.html", f"{KEY}-protokoll.pdf", "index.html", "anslag.json", tavla.MANIFEST}


def test_a_failure_after_the_manifest_is_completed_by_the_next_run_with_the_day_it_went_up(justerat_store):
    store, meeting_id, web = justerat_store
    (web / "anslag.json").mkdir()   # the feed cannot be written
    with pytest.raises(NamndtoolError):
        publish(store, meeting_id, web, today=UP)
    assert store.protokoll(meeting_id)["anslag_datum"] is None
    for entry in tavla.current(web):   # everything the manifest names is there
        assert (web / entry["sida"]).is_file() and (web / entry["pdf"]).is_file()
    (web / "anslag.json").rmdir()
    again = publish(store, meeting_id, web, today=UP + dt.timedelta(days=1))
    assert again.anslag_upp == UP and store.protokoll(meeting_id)["anslag_datum"] == UP.isoformat()
    assert json.loads((web / "anslag.json").read_text())["items"][0]["id"] == KEY


def test_a_damaged_manifest_is_left_alone(published):
    _, meeting_id, web, _ = published
    (web / tavla.MANIFEST).write_text("{inte json")
    with pytest.raises(NamndtoolError, match="skadad"):
        tavla.expire(web, DOWN)
    assert (web / f"{KEY}.html").exists()


def test_file_names_come_from_the_meeting_only():
    assert tavla.notice_key("SOCN", "Socialnämndens individutskott", "2023-03-08") == \
           "socn-socialnamndens-individutskott-2023-03-08"
    assert tavla.notice_key("KS", "../<script>å", "2023-03-08") == "ks-script-a-2023-03-08"


# --- in a real browser --------------------------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.skip("Chromium finns inte på datorn (apt-get install chromium); sidan öppnas då inte i en webbläsare")
    return found


def test_the_page_in_headless_chromium(published):
    browser = _chromium()
    _, _, web, result = published
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files"]
    dom = subprocess.run([browser, *flags, "--dump-dom", result.page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    shown = " ".join(_shown_text(dom.encode()).split())
    assert "Justerat protokoll: Socialnämnden 22 februari 2023" in shown
    assert "Sista dagen att överklaga är 23 mars 2023" in shown
    links = re.findall(r'href="([^"]+)"', dom)
    assert links
    for link in links:
        if link.startswith("#"):
            continue
        target = (result.page.parent / unquote(urlparse(link).path)).resolve()
        assert target.is_file(), f"länken {link} leder inte till en fil"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("anslag.png", result.page), ("index.png", web / "index.html")):
        shot = SCREENSHOTS / name
        shot.unlink(missing_ok=True)
        subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri()],
                       capture_output=True, timeout=120)
        assert shot.is_file() and shot.stat().st_size > 10_000
        print(f"Skärmbild: {shot}")


# --- helpers ------------------------------------------------------------------------------------------------------


def _shown_text(html: bytes) -> str:
    from lxml import html as lxml_html

    document = lxml_html.document_fromstring(html)
    return " ".join(document.body.itertext())


def _declared(body: str, prop: str) -> str | None:
    found = re.search(rf"(?:^|;|\s){prop}\s*:\s*(#[0-9a-fA-F]{{6}})", body)
    return found.group(1) if found else None


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
