"""The secrecy gate's reader: a secret hidden in any place of a PDF, DOCX, e-mail or JSON file is found, with a
Swedish where that does not repeat it, and a file that cannot be read completely is refused (Unreadable)."""

import base64
import io
import json
import random
import re
import time
import zipfile
import zlib
from email.message import EmailMessage

import docx
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, OutlineItem, String
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from nämndtool.secrecy.extract import Piece, Unreadable, kind_of, pieces

SECRET = "Kalle Anka"


def marker(number) -> str:
    return f"{SECRET} HEMLIG-{number:02d}"


def wheres(found: list[Piece], text: str) -> set[str]:
    """The places of every piece that holds ``text``."""
    return {piece.where for piece in found if text in piece.text}


def assert_found(found: list[Piece], number, where: str) -> None:
    places = wheres(found, f"HEMLIG-{number:02d}")
    assert where in places, f"HEMLIG-{number:02d} not found in {where!r}; found in {sorted(places)}"


def reportlab_pdf(*lines: str, pages: int = 1, zero_size: str | None = None) -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        for row, line in enumerate(lines):
            drawing.drawString(50, 800 - 16 * row, line.format(page=page + 1, row=row))
        if zero_size:
            drawing.setFont("Helvetica", 0)
            drawing.drawString(50, 100, zero_size)
            drawing.setFont("Helvetica", 12)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def flate_stream(pdf: pikepdf.Pdf, data: bytes, **keys) -> pikepdf.Object:
    stream = pikepdf.Stream(pdf, zlib.compress(data))
    stream.Filter = Name.FlateDecode
    for key, value in keys.items():
        stream[Name("/" + key)] = value
    return stream


# --- PDF ------------------------------------------------------------------------------------------------------------

def _annotation(pdf, subtype, **keys):
    return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=subtype, Rect=[50, 50, 250, 80], **keys))


def _form(pdf, content: bytes, font) -> pikepdf.Object:
    return flate_stream(pdf, content, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 200, 30],
                        Resources=Dictionary(Font=Dictionary(F1=font)))


def _to_unicode_font(pdf, text: str) -> tuple[pikepdf.Object, bytes]:
    """A font whose codes mean nothing without its ToUnicode map: capitals through a bfrange, the rest bfchar."""
    others = sorted(set(text) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    chars = "".join(f"<{index + 1:02X}> <{ord(char):04X}>\n" for index, char in enumerate(others))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <00> <FF> "
            b"endcodespacerange\n" + f"{len(others)} beginbfchar\n{chars}endbfchar\n".encode()
            + b"1 beginbfrange\n<A1> <BA> <0041>\nendbfrange\n"
            + b"endcmap CMapName currentdict /CMap defineresource pop end end")
    codes = bytes(0xA1 + ord(char) - ord("A") if char.isupper() else others.index(char) + 1 for char in text)
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        ToUnicode=flate_stream(pdf, cmap)))
    return font, codes


def _add_annotations(pdf: pikepdf.Pdf, page, helvetica) -> None:
    widget = _annotation(pdf, Name.Widget, FT=Name.Tx, T=String("namn"), V=String(marker(4)), P=page.obj)
    kid = pdf.make_indirect(Dictionary(T=String("barn"), V=String(marker(5))))
    parent = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("grupp"), Kids=Array([kid])))
    kid.Parent = parent
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget, parent]), DA=String("/F1 0 Tf 0 g"),
                                   DR=Dictionary(Font=Dictionary(F1=helvetica)))
    mapped_font, codes = _to_unicode_font(pdf, "KALLE ANKA HEMLIG-17")
    rich_text = f'<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml"><p>{marker(3)}</p></body>'
    coded = b"BT /F1 12 Tf 2 2 Td <" + codes.hex().encode() + b"> Tj ET"
    page.obj.Annots = pdf.make_indirect(Array([
        _annotation(pdf, Name.FreeText, Contents=String(marker(2)), DA=String("/F1 12 Tf 0 g")),
        _annotation(pdf, Name.Text, Contents=String(""),
                    RC=String(rich_text)),
        widget,
        _annotation(pdf, Name.Link, A=Dictionary(S=Name.URI, URI=String("https://example.se/arende/HEMLIG-06"))),
        _annotation(pdf, Name.Stamp, Contents=String(""), F=2,
                    AP=Dictionary(N=_form(pdf, f"BT /F1 12 Tf 2 2 Td ({marker(15)}) Tj ET".encode(), helvetica))),
        _annotation(pdf, Name.Square, Contents=String(""),
                    AP=Dictionary(N=_form(pdf, coded, mapped_font))),
    ]))


def _add_document_parts(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=flate_stream(pdf, f"app.alert('{marker(7)}');".encode()))
    pdf.docinfo[Name.Title] = marker(8)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:description"] = f"{marker(9)} & mer"
    with pdf.open_outline() as outline:
        chapter = OutlineItem("Kapitel 1", 0)
        chapter.children.append(OutlineItem(marker(10), 0))
        outline.root.append(chapter)
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, P=String(f"{marker(11)} "))]))
    pdf.attachments[f"{marker(12)}.txt"] = pikepdf.AttachedFileSpec(pdf, marker(13).encode(), mime_type="text/plain")
    pdf.attachments["inre.pdf"] = pikepdf.AttachedFileSpec(pdf, reportlab_pdf(marker(19)), mime_type="application/pdf")
    group = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String(marker(14))))
    pdf.Root.OCProperties = Dictionary(OCGs=Array([group]), D=Dictionary(ON=Array([group]), Order=Array([group])))


@pytest.fixture(scope="module")
def secret_pdf() -> bytes:
    pdf = pikepdf.open(io.BytesIO(reportlab_pdf("Offentlig rubrik", marker(1), zero_size=marker(16))))
    helvetica = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                             Encoding=Name.WinAnsiEncoding))
    _add_annotations(pdf, pdf.pages[0], helvetica)
    _add_document_parts(pdf)
    return saved(pdf)


@pytest.fixture(scope="module")
def pdf_pieces(secret_pdf) -> list[Piece]:
    return pieces(secret_pdf, "pdf")


@pytest.mark.parametrize("number, where", [
    (1, "sida 1"),
    (2, "en kommentar eller ett formulärfält på sida 1"),
    (3, "en kommentar eller ett formulärfält på sida 1"),
    (4, "en kommentar eller ett formulärfält på sida 1"),
    (5, "formulärfälten"),
    (6, "en länk på sida 1"),
    (7, "dokumentets åtgärder"),
    (8, "dokumentinformationen"),
    (9, "XMP-metadata"),
    (10, "bokmärkena"),
    (11, "sidetiketterna"),
    (12, "namnet på en bifogad fil"),
    (13, "den bifogade filen ”Kalle Anka HEMLIG-12.txt”, texten"),
    (14, "innehållslagren"),
    (15, "en kommentar eller ett formulärfält på sida 1"),
    (16, "sida 1"),
    (19, "den bifogade filen ”inre.pdf”, sida 1"),
])
def test_pdf_secret_is_found_in_each_place(pdf_pieces, number, where):
    assert_found(pdf_pieces, number, where)


def test_pdf_finds_whole_secret_and_appearance_text_through_to_unicode(pdf_pieces):
    assert wheres(pdf_pieces, marker(1)) >= {"sida 1"}
    assert "en kommentar eller ett formulärfält på sida 1" in wheres(pdf_pieces, "KALLE ANKA HEMLIG-17")
    assert "XMP-metadata" in wheres(pdf_pieces, f"{marker(9)} & mer")


def test_where_never_holds_the_secret_except_an_attached_file_name(pdf_pieces):
    leaking = {piece.where for piece in pdf_pieces if "HEMLIG" in piece.where}
    assert leaking and all("HEMLIG-12.txt" in where for where in leaking)


def test_text_only_an_earlier_revision_holds_is_found():
    original = reportlab_pdf("Offentlig text")
    titled = pikepdf.open(io.BytesIO(original))
    titled.docinfo[Name.Title] = marker(18)
    original = saved(titled, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    info = int(re.search(rb"/Info (\d+) 0 R", original)[1])
    root = int(re.search(rb"/Root (\d+) 0 R", original)[1])
    size = int(re.search(rb"/Size (\d+)", original)[1])
    previous = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    body = f"{info} 0 obj\n<< /Title (Offentlig) >>\nendobj\n".encode()
    xref_at = len(original) + len(body)
    update = (body + f"xref\n0 1\n0000000000 65535 f \n{info} 1\n{len(original):010d} 00000 n \n"
              f"trailer\n<< /Size {size} /Root {root} 0 R /Info {info} 0 R /Prev {previous} >>\n"
              f"startxref\n{xref_at}\n%%EOF\n".encode())
    updated = original + update
    with pikepdf.open(io.BytesIO(updated)) as check:
        assert str(check.docinfo.Title) == "Offentlig"
    found = pieces(updated, "pdf")
    assert "en tidigare version av PDF-filen, dokumentinformationen" in wheres(found, marker(18))


def test_pdf_odd_places_cyclic_outline_junk_after_the_end_actual_text_and_a_name_not_in_utf8():
    pdf = pikepdf.open(io.BytesIO(reportlab_pdf("Offentlig text")))
    first = pdf.make_indirect(Dictionary(Title=String(marker(60))))
    second = pdf.make_indirect(Dictionary(Title=String("Kapitel"), Prev=first, Next=first, Parent=first, First=first))
    first.Next = first.First = first.Parent = second
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=first, Last=second, Count=2))
    pdf.pages[0].contents_add(pdf.make_stream(
        f"/Span <</ActualText ({marker(62)})>> BDC BT /F1 12 Tf 50 150 Td (X) Tj ET EMC".encode()), prepend=False)
    pdf.Root.Placeholder = Name.Placeholder
    data = saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = data.replace(b"/Placeholder", b"/K#e5rlek#20") + f"% {marker(63)}\n".encode()
    found = pieces(data, "pdf")
    assert "bokmärkena" in wheres(found, marker(60))
    assert "sida 1" in wheres(found, marker(62))
    assert "PDF-filens bytes utanför objekten" in wheres(found, marker(63))
    assert "namnen i PDF-filens objekt" in wheres(found, "Kårlek ")


def test_files_inside_files_are_read_five_levels_deep_and_refused_deeper():
    inner = reportlab_pdf(marker(61))
    for level in range(6):
        outer = pikepdf.open(io.BytesIO(reportlab_pdf("Omslag")))
        outer.attachments[f"niva{level}.pdf"] = pikepdf.AttachedFileSpec(outer, inner)
        inner = saved(outer)
        if level == 4:
            places = wheres(pieces(inner, "pdf"), marker(61))
            assert any(where.count("den bifogade filen") == 5 and where.endswith("sida 1") for where in places)
    with pytest.raises(Unreadable, match="för många nivåer"):
        pieces(inner, "pdf")


def test_pdf_with_owner_password_only_is_read():
    pdf = pikepdf.open(io.BytesIO(reportlab_pdf(marker(1))))
    data = saved(pdf, encryption=pikepdf.Encryption(owner="ägaren", user=""))
    assert "sida 1" in wheres(pieces(data, "pdf"), marker(1))


@pytest.mark.parametrize("damage", ["user password", "truncated", "garbage", "empty", "not a pdf at all"])
def test_unreadable_pdf_is_refused(damage):
    original = reportlab_pdf(marker(1), pages=3)
    data = {
        "user password": saved(pikepdf.open(io.BytesIO(original)), encryption=pikepdf.Encryption(owner="a", user="b")),
        "truncated": original[:len(original) // 2],
        "garbage": bytes(random.Random(1).randrange(256) for _ in range(5000)),
        "empty": b"",
        "not a pdf at all": b"%PDF-1.7\nhej\n%%EOF\n",
    }[damage]
    with pytest.raises(Unreadable) as refused:
        pieces(data, "pdf")
    assert refused.value.reason


def test_700_page_pack_reads_in_about_a_second():
    data = reportlab_pdf(*[f"Sida {{page}} rad {{row}}: Socialnämnden behandlar ärendet om bistånd {row}"
                           for row in range(45)], pages=700)
    started = time.perf_counter()
    found = pieces(data, "pdf")
    seconds = time.perf_counter() - started
    print(f"\n700 sidor ({len(data) // 1024} kB) lästes på {seconds:.2f} s")
    assert "sida 700" in wheres(found, "Sida 700 rad 44")
    assert seconds < 6  # about 1 s on a developer machine; generous for a loaded CI runner


# --- DOCX -----------------------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _patched_docx(original: bytes, changes: dict[str, bytes], edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, edit(info.filename, source.read(info.filename)))
        for name, content in changes.items():
            target.writestr(name, content)
    return buffer.getvalue()


def _docx_edit(name: str, content: bytes) -> bytes:
    if name == "word/document.xml":
        deleted = (f'<w:p><w:del w:id="90" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r>'
                   f'<w:delText>{marker(29)}</w:delText></w:r></w:del></w:p>'
                   '<w:p><w:hyperlink r:id="rIdHemlig"><w:r><w:t>länken</w:t></w:r></w:hyperlink></w:p>')
        return content.replace(b"<w:body>", b"<w:body>" + deleted.encode(), 1)
    if name == "word/_rels/document.xml.rels":
        link = ('<Relationship Id="rIdHemlig" TargetMode="External" Target="https://example.se/HEMLIG-27" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>')
        return content.replace(b"</Relationships>", link.encode() + b"</Relationships>")
    return content


@pytest.fixture(scope="module")
def secret_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Offentlig inledning")
    split = document.add_paragraph()
    for part in ("Kal", "le An", "ka HEM", "LIG-20"):
        split.add_run(part)
    section = document.sections[0]
    section.header.paragraphs[0].text = marker(21)
    section.footer.paragraphs[0].text = marker(22)
    document.core_properties.author = marker(23)
    buffer = io.BytesIO()
    document.save(buffer)
    added = {
        "word/footnotes.xml": f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r><w:t>{marker(24)}</w:t>'
                              '</w:r></w:p></w:footnote></w:footnotes>'.encode(),
        "word/comments.xml": f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Handläggaren"><w:p><w:r>'
                             f'<w:t>{marker(25)}</w:t></w:r></w:p></w:comment></w:comments>'.encode(),
        "docProps/custom.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
            'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Klient">'
            f'<vt:lpwstr>{marker(26)}</vt:lpwstr></property></Properties>').encode(),
        "word/embeddings/Bilaga.pdf": reportlab_pdf(marker(28)),
    }
    return _patched_docx(buffer.getvalue(), added, _docx_edit)


@pytest.fixture(scope="module")
def docx_pieces(secret_docx) -> list[Piece]:
    return pieces(secret_docx, "docx")


@pytest.mark.parametrize("number, where", [
    (20, "dokumentets text"),
    (21, "sidhuvudet"),
    (22, "sidfoten"),
    (23, "dokumentegenskaperna"),
    (24, "fotnoterna"),
    (25, "kommentarerna"),
    (26, "de anpassade dokumentegenskaperna"),
    (27, "dokumentets länkar och relationer"),
    (28, "den inbäddade filen ”Bilaga.pdf”, sida 1"),
    (29, "dokumentets text"),
])
def test_docx_secret_is_found_in_each_place(docx_pieces, number, where):
    assert_found(docx_pieces, number, where)


def test_docx_name_split_across_runs_comes_out_whole(docx_pieces):
    assert "dokumentets text" in wheres(docx_pieces, marker(20))
    assert not any("HEMLIG" in piece.where for piece in docx_pieces)


def test_docx_tracked_change_reads_both_ways():
    body = (f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Kal</w:t></w:r>'
            '<w:del w:id="1" w:author="a"><w:r><w:delText>xx</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t>le Anka</w:t></w:r></w:ins></w:p></w:body></w:document>')
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", body)
    found = pieces(data.getvalue(), "docx")
    assert "dokumentets text" in wheres(found, "Kalle Anka")   # as shown, after the change
    assert "dokumentets text" in wheres(found, "Kalxx")        # as before the change


@pytest.mark.parametrize("damage", ["truncated", "garbage", "bad xml", "doctype", "bomb"])
def test_unreadable_docx_is_refused(secret_docx, damage, monkeypatch):
    def with_part(name, content):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, content)
        return buffer.getvalue()
    if damage == "bomb":
        monkeypatch.setattr("nämndtool.secrecy.extract.MAX_UNPACKED", 10_000)
    data = {
        "truncated": secret_docx[:len(secret_docx) // 2],
        "garbage": b"PK\x03\x04" + bytes(random.Random(2).randrange(256) for _ in range(3000)),
        "bad xml": with_part("word/document.xml", b"<w:document><w:body>"),
        "doctype": with_part("word/document.xml", b'<!DOCTYPE d [<!ENTITY x "Kalle Anka">]><d>&x;</d>'),
        "bomb": with_part("word/document.xml", b"<d>" + b" " * 20_000 + b"</d>"),
    }[damage]
    with pytest.raises(Unreadable):
        pieces(data, "docx")


# --- e-mail ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def secret_eml() -> bytes:
    message = EmailMessage()
    message["Subject"] = f"Ärende om {marker(30)} – åäö"
    message["From"] = "kansliet@example.se"
    message["To"] = f"{marker(34)} <kalle@example.se>"
    message.set_content(f"Hej!\n\n{marker(31)}\n")
    message.add_alternative(f"<p>Kalle <b>Anka</b> HEMLIG-35</p>", subtype="html")
    message.add_attachment(b"anteckningar", maintype="application", subtype="octet-stream",
                           filename=f"Anteckningar om {marker(32)} – å.txt")
    message.add_attachment(reportlab_pdf(marker(33)), maintype="application", subtype="pdf", filename="Handlingar.pdf")
    return message.as_bytes()


@pytest.mark.parametrize("number, where", [
    (30, "e-postens rubrik Subject"),
    (31, "e-postens text"),
    (32, "namnet på en bifogad fil"),
    (33, "bilagan ”Handlingar.pdf”, sida 1"),
    (34, "e-postens rubrik To"),
    (35, "e-postens text"),
])
def test_eml_secret_is_found_in_each_place(secret_eml, number, where):
    assert_found(pieces(secret_eml, "eml"), number, where)


def test_eml_encoded_subject_and_file_name_are_decoded(secret_eml):
    assert b"=?utf-8?b?" in secret_eml and b"HEMLIG-30" not in secret_eml
    found = pieces(secret_eml, "eml")
    assert "e-postens rubrik Subject" in wheres(found, f"Ärende om {marker(30)} – åäö")
    assert "namnet på en bifogad fil" in wheres(found, f"Anteckningar om {marker(32)} – å.txt")
    assert "e-postens text" in wheres(found, marker(35))


def test_eml_attachment_that_cannot_be_read_refuses_the_mail():
    message = EmailMessage()
    message["Subject"] = "Handlingar"
    message.set_content("Se bilagan.")
    message.add_attachment(b"%PDF-1.7 trasig", maintype="application", subtype="pdf", filename="Handlingar.pdf")
    with pytest.raises(Unreadable) as refused:
        pieces(message.as_bytes(), "eml")
    assert refused.value.reason.startswith("bilagan ”Handlingar.pdf”")


def test_eml_attachment_emptied_by_the_gate_is_no_refusal():
    message = EmailMessage()
    message["Subject"] = "Handlingar"
    message.set_content("Se bilagan.")
    message.add_attachment(b"", maintype="application", subtype="pdf", filename="Handlingar.pdf")
    assert "namnet på en bifogad fil" in wheres(pieces(message.as_bytes(), "eml"), "Handlingar.pdf")


def test_eml_raw_text_leaves_out_base64_whose_digit_runs_look_like_personnummer():
    message = EmailMessage()
    message["Subject"] = "Data"
    message.set_content("Se bilagan.")
    message.add_attachment(base64.b64decode(b"1234567890123456" * 8), maintype="application",
                           subtype="octet-stream", filename="data.bin")
    assert b"1234567890" in message.as_bytes()
    assert not [piece for piece in pieces(message.as_bytes(), "eml") if "1234567890" in piece.text]


# --- JSON -----------------------------------------------------------------------------------------------------------

def test_json_values_and_keys_are_found_with_their_path():
    data = json.dumps({
        "dagordning": [{"rubrik": "Upprop"}, {}, {"rubrik": marker(40), "nr": 3}],
        marker(41): True,
        "personer": [{"pnr": 191212121212}],
    }, ensure_ascii=True).encode()
    found = pieces(data, "json")
    assert wheres(found, "HEMLIG-40") == {"fältet $.dagordning[2].rubrik"}
    assert wheres(found, "HEMLIG-41") == {"ett fältnamn i $"}
    assert wheres(found, "191212121212") == {"fältet $.personer[0].pnr"}


def test_json_duplicate_keys_hide_nothing():
    found = pieces(b'{"rubrik": "' + marker(42).encode() + b'", "rubrik": "Offentlig"}', "json")
    assert wheres(found, "HEMLIG-42") == {"fältet $.rubrik"}


def test_json_deep_nesting_is_read_or_refused_never_crashes():
    deep = "[" * 500 + json.dumps(marker(43)) + "]" * 500
    assert wheres(pieces(deep.encode(), "json"), "HEMLIG-43") == {"fältet $" + "[0]" * 500}
    with pytest.raises(Unreadable):
        pieces(b"[" * 200_000 + b"]" * 200_000, "json")


@pytest.mark.parametrize("data", [b"", b"{", b'{"a": NaN}', b"[Infinity]", b"\xff\xfe\x00", b"{'a': 1}"])
def test_invalid_json_is_refused(data):
    with pytest.raises(Unreadable):
        pieces(data, "json")


# --- in general -----------------------------------------------------------------------------------------------------

def test_kind_of():
    assert [kind_of(name) for name in ("a.PDF", "b.docx", "c.eml", "d.json", "e.txt", "noext")] == [
        "pdf", "docx", "eml", "json", None, None]


@pytest.mark.parametrize("kind", ["pdf", "docx", "eml", "json"])
def test_damaged_files_raise_only_unreadable(kind, secret_pdf, secret_docx, secret_eml):
    original = {"pdf": secret_pdf, "docx": secret_docx, "eml": secret_eml,
                "json": json.dumps({"a": [marker(1), {"b": 2}]}).encode()}[kind]
    chance = random.Random(kind)
    for _ in range(15):
        data = bytearray(original)
        for _ in range(chance.randrange(1, 20)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        try:
            assert isinstance(pieces(bytes(data), kind), list)
        except Unreadable:
            pass
