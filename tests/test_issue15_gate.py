"""Issue 15, B: the final gate of a public pack does not read again the bilaga pages it proves, by their bytes in
the assembled file, to be pages of the examined made-safe copies; everything else it still reads. Each test puts a
secret where only the final gate can find it (the pack is built through the public path, with the assembler
patched to misbehave) and the pack must be refused."""

import datetime as dt
import io
import re

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from docs_helpers import flat, pdf_pages
from nämndtool.documents import pack, pdfmerge
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.secrecy import proof
from nämndtool.secrecy.gate import GateError

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"
SECRET_TITLE = "Vårdnadsutredning om familjen Ekström på Granvägen"
PERSONNUMMER = "Tolvan Tolvansson 121212-1212"
SECRETS = [pytest.param(SECRET_TITLE, id="secret title"), pytest.param(PERSONNUMMER, id="personnummer")]


def _bilaga() -> bytes:
    """A page with text of its own and a form XObject (a drawn box with a caption) that it draws."""
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.beginForm("Ruta")
    canvas.setFont("Helvetica", 9)
    canvas.drawString(62, 602, "Rutans text")
    canvas.rect(60, 590, 200, 30)
    canvas.endForm()
    canvas.setFont("Helvetica", 11)
    canvas.drawString(60, 700, "Bilagetext om skolskjutsar")
    canvas.doForm("Ruta")
    canvas.save()
    return out.getvalue()


def _meeting(store, folder) -> int:
    namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2024-05-15", {"tid": "13:00", "plats": "Solrosen"})
    agenda = []
    for nr, title, secret in ((1, "Skolskjutsar till Solrosens förskola", False), (2, SECRET_TITLE, True)):
        fields = {"sekretess": 1, "sekretess_lagrum": OSL} if secret else {}
        arende = store.register_arende(namnd_id, title, today=dt.date(2024, 5, 2), **fields)
        store.save_tjansteskrivelse(arende["id"], {"rubrik": title, "sammanfattning": "Sammanfattning."},
                                    forslag=["Socialnämnden beslutar enligt förslaget."], avsnitt=[],
                                    undertecknare=[], mottagare_ids=[], handlingar=[])
        path = folder / f"bilaga{nr}.pdf"
        path.write_bytes(_bilaga())
        sha = store.put_file(path)
        store.save_bilagor(arende["id"], [{"titel": f"Bilaga {nr}", "sha256": sha, "filnamn": path.name}])
        agenda.append({"nr": nr, "rubrik": title, "typ": "arende", "arende_id": arende["id"],
                       "sekretess": int(secret), "sekretess_lagrum": OSL if secret else None})
    store.save_agenda(meeting_id, agenda)
    return meeting_id


def _patched_assemble(monkeypatch, change):
    """pack.assemble with ``change(pdfs, bookmarks, stamps, kwargs)`` applied to its arguments first."""
    original = pack.assemble

    def assemble(pdfs, bookmarks, stamps, **kwargs):
        pdfs, bookmarks, stamps = list(pdfs), list(bookmarks), list(stamps)
        change(pdfs, bookmarks, stamps, kwargs)
        return original(pdfs, bookmarks, stamps, **kwargs)
    monkeypatch.setattr(pack, "assemble", assemble)


def _patched_write(monkeypatch, change):
    """pdfmerge._write with ``change(out)`` applied to the assembled pack just before it is written."""
    original = pdfmerge._write

    def write(out, version):
        change(out)
        return original(out, version)
    monkeypatch.setattr(pdfmerge, "_write", write)


def _refused(store, meeting_id):
    with pytest.raises(GateError) as raised:
        build_pack(store, meeting_id, True, load_branding())
    return str(raised.value)


def _residuals(monkeypatch) -> list:
    found = []
    original = proof.residual

    def residual(data, copies):
        result = original(data, copies)
        found.append(result)
        return result
    monkeypatch.setattr(proof, "residual", residual)
    return found


def test_every_page_is_proven_and_not_read_again_but_the_stamps_are(store, tmp_path, monkeypatch):
    """The bilaga page is proven to be its made-safe copy's, the pages the pack rendered to be those parts' (each
    read by the gate on its own): the residual the final gate reads has the stamps, not the pages' own text."""
    meeting_id = _meeting(store, tmp_path)
    residuals = _residuals(monkeypatch)
    result = build_pack(store, meeting_id, True, load_branding())
    shown = [flat(text) for text in pdf_pages(result.pdf)]
    assert any("Bilagetext om skolskjutsar" in text for text in shown)
    [rest] = residuals
    assert rest is not None and rest.proven_pages == len(shown)
    pages = [flat(text) for text in pdf_pages(rest.pdf)]
    assert len(pages) == len(shown)
    for number, text in enumerate(pages, 1):
        assert f"sida {number} ({len(shown)})" in text                 # the stamp is still read
        assert "Bilagetext" not in text and "Rutans text" not in text and "Sammanfattning" not in text


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_in_the_footer_stamp_is_refused(store, tmp_path, monkeypatch, secret):
    meeting_id = _meeting(store, tmp_path)
    _patched_assemble(monkeypatch, lambda pdfs, bookmarks, stamps, kwargs: kwargs.update(
        footer=f"{kwargs['footer']} {secret}"))
    _refused(store, meeting_id)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_in_the_marking_stamped_on_a_bilaga_page_is_refused(store, tmp_path, monkeypatch, secret):
    meeting_id = _meeting(store, tmp_path)

    def mark_last_page(pdfs, bookmarks, stamps, kwargs):   # the last page is the public bilaga's
        stamps[-1] = pdfmerge.Stamp(stamps[-1].page, secret)
    _patched_assemble(monkeypatch, mark_last_page)
    _refused(store, meeting_id)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_in_the_outline_is_refused(store, tmp_path, monkeypatch, secret):
    meeting_id = _meeting(store, tmp_path)
    _patched_assemble(monkeypatch, lambda pdfs, bookmarks, stamps, kwargs: bookmarks.append(
        pdfmerge.Bookmark(secret, len(stamps) - 1, None)))
    assert "bokmärkena" in _refused(store, meeting_id)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_in_the_metadata_is_refused(store, tmp_path, monkeypatch, secret):
    meeting_id = _meeting(store, tmp_path)
    _patched_assemble(monkeypatch, lambda pdfs, bookmarks, stamps, kwargs: kwargs.update(
        metadata={**kwargs["metadata"], "/Keywords": secret}))
    _refused(store, meeting_id)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_on_a_tjansteskrivelse_page_is_refused(store, tmp_path, monkeypatch, secret):
    meeting_id = _meeting(store, tmp_path)

    def replace_tjansteskrivelse(pdfs, bookmarks, stamps, kwargs):
        index = next(n for n, pdf in enumerate(pdfs) if "Sammanfattning" in " ".join(pdf_pages(pdf)))
        out = io.BytesIO()
        canvas = Canvas(out)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(60, 700, "Tjänsteskrivelse")
        canvas.drawString(60, 680, secret)
        canvas.save()
        pdfs[index] = out.getvalue()
    _patched_assemble(monkeypatch, replace_tjansteskrivelse)
    _refused(store, meeting_id)


def _bilaga_page(out: pikepdf.Pdf) -> pikepdf.Page:
    return next(page for page in out.pages
                if any(b"Bilagetext" in stream.read_bytes() for stream in _contents(page)))


def _contents(page) -> list:
    contents = page.obj.Contents
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


@pytest.mark.parametrize("secret", SECRETS)
def test_text_added_to_a_copied_bilaga_content_stream_is_refused(store, tmp_path, monkeypatch, secret):
    meeting_id = _meeting(store, tmp_path)

    def inject(out):
        page = _bilaga_page(out)
        stream = next(s for s in _contents(page) if b"Bilagetext" in s.read_bytes())
        font = next(name for name in page.obj.Resources.Font.keys())
        shown = secret.encode("cp1252").replace(b"(", b"\\(").replace(b")", b"\\)")
        stream.write(stream.read_bytes() + b"\nBT %s 11 Tf 60 650 Td (%s) Tj ET\n" % (font.encode(), shown))
    _patched_write(monkeypatch, inject)
    _refused(store, meeting_id)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_bilaga_resource_changed_after_the_examination_is_refused(store, tmp_path, monkeypatch, secret):
    """The page's content stream is the examined one, byte for byte; the form it draws now shows the secret."""
    meeting_id = _meeting(store, tmp_path)

    def inject(out):
        page = _bilaga_page(out)
        xobjects = page.obj.Resources.XObject
        form = next(xobjects[name] for name in xobjects.keys() if not name.startswith("/NtStamp"))
        font = next(iter(form.Resources.Font.keys()))
        shown = secret.encode("cp1252")
        form.write(b"BT %s 9 Tf 62 602 Td (%s) Tj ET" % (font.encode(), shown))
    _patched_write(monkeypatch, inject)
    _refused(store, meeting_id)


def test_a_font_of_a_bilaga_page_changed_after_the_examination_leaves_the_page_unproven(store, tmp_path,
                                                                                         monkeypatch):
    """A changed font could show the examined content as other text: the page is read again, not proven."""
    meeting_id = _meeting(store, tmp_path)
    residuals = _residuals(monkeypatch)

    def change_font(out):
        page = _bilaga_page(out)
        fonts = page.obj.Resources.Font
        name = next(iter(fonts.keys()))
        fonts[name] = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                         BaseFont=pikepdf.Name.Courier)
    _patched_write(monkeypatch, change_font)
    build_pack(store, meeting_id, True, load_branding())
    assert residuals == [None] or all("Bilagetext" in " ".join(pdf_pages(r.pdf)) for r in residuals)


def test_an_object_nothing_refers_to_is_still_read(store, tmp_path, monkeypatch):
    """An object of the assembled file that nothing refers to (here added by an incremental update, so the file
    is well-formed) is outside every proven subgraph: it is read."""
    meeting_id = _meeting(store, tmp_path)
    original = pdfmerge._write

    def write(out, version):
        data = original(out, version)
        trailer = data[data.rindex(b"trailer"):]
        size = int(re.search(rb"/Size (\d+)", trailer)[1])
        root = re.search(rb"/Root (\d+ \d+ R)", trailer)[1]
        previous = int(data.rsplit(b"startxref", 1)[1].split()[0])
        orphan = b"%d 0 obj\n(%s)\nendobj\n" % (size, PERSONNUMMER.encode())
        xref = len(data) + len(orphan)
        return (data + orphan + b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Prev %d >>\n"
                b"startxref\n%d\n%%%%EOF\n" % (size, len(data), size + 1, root, previous, xref))
    monkeypatch.setattr(pdfmerge, "_write", write)
    _refused(store, meeting_id)
