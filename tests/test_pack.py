"""The meeting pack: order, bookmarks, page numbers, failed bilagor, and no secret in the public version —
over many generated meetings, not one fixture."""

import datetime as dt
import io
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from docs_helpers import docx_text, flat, pdf_outline, pdf_pages
from nämndtool.documents.branding import load_branding
from nämndtool.documents.convert import libreoffice
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.pack import PartCache, build_pack
from nämndtool.documents.service import render_bytes
from nämndtool.store import Store

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"


def one_page_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _token(draw, nr):
    return f"Q{nr}" + draw(st.text(alphabet=string.ascii_lowercase, min_size=5, max_size=5))


@st.composite
def agendas(draw):
    items = []
    for nr in range(1, draw(st.integers(2, 8)) + 1):
        items.append({
            "nr": nr, "token": _token(draw, nr), "secret": draw(st.booleans()),
            "tjansteskrivelse": draw(st.booleans()), "bilagor": draw(st.integers(0, 2)),
        })
    return items


def build_meeting(store: Store, folder: Path, items: list[dict]) -> int:
    namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2024-05-15", {"tid": "13:00", "plats": "Solrosen"})
    agenda = []
    for item in items:
        token = item["token"]
        fields = {"sekretess": 1, "sekretess_lagrum": OSL} if item["secret"] else {}
        arende = store.register_arende(namnd_id, f"Ärende {token}", today=dt.date(2024, 5, 2), **fields)
        item["diarienummer"] = arende["diarienummer"]
        if item["tjansteskrivelse"]:
            store.save_tjansteskrivelse(
                arende["id"], {"rubrik": f"Rubrik {token}", "sammanfattning": f"Sammanfattning {token}."},
                forslag=[f"Socialnämnden beslutar {token}."], avsnitt=[], undertecknare=[], mottagare_ids=[],
                handlingar=[f"Bilaga {token} {i}" for i in range(item["bilagor"])])
        bilagor = []
        for i in range(item["bilagor"]):
            path = folder / f"fil{token}{i}.pdf"
            path.write_bytes(one_page_pdf(f"Bilagetext {token}b{i}"))
            bilagor.append({"titel": f"Bilaga {token} {i}", "sha256": store.put_file(path), "filnamn": path.name})
        store.save_bilagor(arende["id"], bilagor)
        agenda.append({"nr": item["nr"], "rubrik": f"Ärende {token}", "typ": "arende", "arende_id": arende["id"],
                       "sekretess": int(item["secret"]), "sekretess_lagrum": OSL if item["secret"] else None})
    store.save_agenda(meeting_id, agenda)
    return meeting_id


def _secret_strings(items):
    for item in items:
        if item["secret"]:
            yield item["token"]
            yield item["diarienummer"]
            for i in range(item["bilagor"]):
                yield f"fil{item['token']}{i}.pdf"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agendas())
def test_public_outputs_never_show_a_secret_and_internal_shows_all(items):
    branding = load_branding()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        with Store.open(folder / "s.sqlite") as store:
            meeting_id = build_meeting(store, folder, items)
            cache = PartCache()
            public = build_pack(store, meeting_id, True, branding, cache=cache)
            internal = build_pack(store, meeting_id, False, branding, cache=cache)
            kallelse_docx = render_bytes(kallelse_document(store, meeting_id, True), "docx", branding)
    public_text = flat(" ".join(pdf_pages(public.pdf)))
    public_outline = " ".join(title for _, title, _ in pdf_outline(public.pdf))
    metadata = " ".join(str(v) for v in PdfReader(io.BytesIO(public.pdf)).metadata.values())
    docx = docx_text(kallelse_docx)
    for secret in _secret_strings(items):
        for where, text in (("pack", public_text), ("bokmärken", public_outline), ("metadata", metadata),
                            ("kallelse.docx", docx)):
            assert secret not in text, f"{secret} läckte i {where}"
        assert secret.encode() not in public.pdf
    assert public.left_out == sum(item["secret"] for item in items)

    internal_text = flat(" ".join(pdf_pages(internal.pdf)))
    for item in items:
        shown_in = internal_text if item["secret"] else public_text
        assert f"Ärende {item['token']}" in shown_in
        for i in range(item["bilagor"]):
            assert f"Bilagetext {item['token']}b{i}" in shown_in
    for page in pdf_pages(internal.pdf):
        if any(f"Bilagetext {i['token']}" in page for i in items if i["secret"]):
            assert "SEKRETESS 26 kap. 1 § OSL" in page


def _sample_pack(imported, public=True):
    store, meeting_id = imported
    return build_pack(store, meeting_id, public, load_branding())


def test_sample_pack_order_bookmarks_and_page_numbers(imported):
    result = _sample_pack(imported)
    pages = pdf_pages(result.pdf)
    total = len(pages)
    for n, page in enumerate(pages, 1):
        assert f"sida {n} ({total})" in page
    outline = pdf_outline(result.pdf)
    top = [(title, page) for depth, title, page in outline if depth == 0]
    assert [t for t, _ in top][:3] == ["Kallelse", "Innehåll", "5. Socialnämndens årsredovisning 2022"]
    assert [t for t, _ in top][-1] == "15. Meddelanden"
    assert [p for _, p in top] == sorted(p for _, p in top)
    assert "4. Sekretessärende" not in [t for t, _ in top]
    bilagor = [(title, page) for depth, title, page in outline if depth == 1]
    assert ("Investeringsbudget 2023 med plan 2024-2027", ) in [(t,) for t, _ in bilagor]
    assert "Kallelse" in pages[0] and "Innehåll" in pages[1]
    assert "Nämndens plan med budget" in pages[dict(top)["6. Socialnämndens plan med budget 2023"]]
    contents = flat(pages[1])
    first_item_page = dict(top)["5. Socialnämndens årsredovisning 2022"] + 1
    assert f"5. Socialnämndens årsredovisning 2022 {first_item_page}" in contents
    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert reader.metadata.title == "Handlingar Socialnämnden 2023-02-22"
    assert result.left_out == 1


def test_damaged_and_word_bilagor_become_a_page_that_says_so(store, sample_copy):
    import json
    from nämndtool.exchange.importer import import_meeting
    folder = sample_copy.parent / "bilagor"
    (folder / "arsredovisning-2022.pdf").write_bytes(b"%PDF-1.7 trasig")
    (folder / "yttrande.docx").write_bytes(b"PK\x03\x04 inte riktigt word")
    data = json.loads(sample_copy.read_text())
    data["arenden"][1]["bilagor"].append({"titel": "Yttrande i Word", "fil": "bilagor/yttrande.docx"})
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    result = build_pack(store, meeting_id, True, load_branding())
    text = flat(" ".join(pdf_pages(result.pdf)))
    assert "Bilagan kunde inte tas med i handlingarna" in text and "arsredovisning-2022.pdf" in text
    assert any("Socialnämndens årsredovisning 2022" in w and "kunde inte tas med" in w for w in result.warnings)
    assert any("Yttrande i Word" in w for w in result.warnings)
    if libreoffice() is None:
        assert "LibreOffice" in text


def test_tabled_item_has_no_documents_in_the_pack(store, sample_copy):
    import json
    from nämndtool.exchange.importer import import_meeting
    data = json.loads(sample_copy.read_text())
    data["dagordning"][4]["anteckning"] = "handlingarna dukas"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    result = build_pack(store, meeting_id, True, load_branding())
    titles = [t for _, t, _ in pdf_outline(result.pdf)]
    assert "5. Socialnämndens årsredovisning 2022" not in titles
    assert "6. Socialnämndens plan med budget 2023" in titles


def test_personnummer_in_a_public_bilaga_is_reported(store, sample_copy):
    from nämndtool.exchange.importer import import_meeting
    (sample_copy.parent / "bilagor" / "motion-om-att-starta-ytterligare-en-familjecentral.pdf").write_bytes(
        one_page_pdf("Motionen gäller Kalle, 19850709-1234, och hans familj."))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    result = build_pack(store, meeting_id, True, load_branding())
    warning = next(w for w in result.warnings if "Motion om att starta ytterligare en familjecentral" in w)
    assert "personnummer" in warning and "19850709-1234" not in warning
    public_text = flat(" ".join(pdf_pages(result.pdf)))
    assert "Kalle," not in public_text and "0709" not in public_text
    internal = build_pack(store, meeting_id, False, load_branding())
    assert "19850709-1234" in flat(" ".join(pdf_pages(internal.pdf)))


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) saknas: Word-bilagor kan inte omvandlas")
def test_word_bilaga_is_converted_when_libreoffice_is_installed(store, sample_copy):
    import json
    from nämndtool.documents.render_docx import render_docx
    from nämndtool.documents.markup import parse_document
    from nämndtool.exchange.importer import import_meeting
    word = render_docx(parse_document("<document title='x'><p>Ordtext i bilagan</p></document>"), load_branding())
    (sample_copy.parent / "bilagor" / "ord.docx").write_bytes(word)
    data = json.loads(sample_copy.read_text())
    data["arenden"][1]["bilagor"].append({"titel": "Ordbilaga", "fil": "bilagor/ord.docx"})
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    result = build_pack(store, meeting_id, True, load_branding())
    assert "Ordtext i bilagan" in flat(" ".join(pdf_pages(result.pdf)))


def test_public_pack_passes_the_same_release_as_a_document_whole_and_last(imported, monkeypatch):
    """One road out for public outputs: the pack's finished bytes go through service.release, as a single
    document's do in render_bytes; the internal pack does not leave as a public output."""
    from nämndtool.documents import service
    released = []
    original = service.release

    def spy(data, fmt, title, facts):
        released.append((data, fmt, title))
        return original(data, fmt, title, facts)

    monkeypatch.setattr(service, "release", spy)
    public = _sample_pack(imported)
    assert released == [(public.pdf, "pdf", "Handlingar Socialnämnden 2023-02-22")]
    released.clear()
    _sample_pack(imported, public=False)
    assert released == []
