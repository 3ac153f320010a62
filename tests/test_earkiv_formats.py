"""The format check of an archive package: which files are PDF/A that passes the level it declares (page-validation),
what every other file is, identified from its bytes, and the report that tells the archivist which files are not in
archival format and why."""

import hashlib
import io
import os
import types
import zipfile

import docx
import page
import pikepdf
import pytest

from nämndtool.documents.branding import load_branding
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.documents.templates import render_template
from nämndtool.earkiv import formats
from nämndtool.earkiv.formats import FormatCheck, check, check_all, report
from support import SAMPLE_DIR

DEMO_BILAGA = SAMPLE_DIR / "bilagor" / "motion-om-att-starta-ytterligare-en-familjecentral.pdf"


@pytest.fixture(autouse=True)
def empty_cache():
    formats.clear_cache()
    yield
    formats.clear_cache()


@pytest.fixture(scope="module")
def own_pdf() -> bytes:
    """A PDF/A-2a (and PDF/UA-1) the program writes from its own template."""
    document = render_template("bilaga_saknas.xml", titel="Statistik januari", namnd="Socialnämnden",
                               orsak="Filen finns inte.", filnamn="statistik.pdf", public=True, marking=None)
    return render_pdf(document, load_branding())


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def checked(path: str, content: bytes) -> FormatCheck:
    return check(path, sha(content), content)


def with_claim(pdf: bytes, part: str, conformance: str | None) -> bytes:
    """The PDF with a PDF/A declaration written into its XMP metadata."""
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        with opened.open_metadata() as metadata:
            metadata["pdfaid:part"] = part
            if conformance:
                metadata["pdfaid:conformance"] = conformance
        out = io.BytesIO()
        opened.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Yttrande över motionen om en familjecentral i Valla")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# A 1×1 JPEG (JFIF) and PNG as their first bytes: what identifies them.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64) + b"\xff\xd9"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


# --- PDF --------------------------------------------------------------------------------------------------------


def test_a_pdf_a_2a_the_program_makes_is_archival(own_pdf):
    result = checked("representations/rep1/data/bilaga.pdf", own_pdf)
    assert result == FormatCheck("representations/rep1/data/bilaga.pdf", sha(own_pdf), len(own_pdf),
                                 "application/pdf", "PDF/A-2a", True, None)


def test_a_pdf_without_pdf_a_declaration_is_not_archival():
    bilaga = DEMO_BILAGA.read_bytes()
    result = checked("data/motion.pdf", bilaga)
    assert (result.mimetype, result.format, result.archival) == ("application/pdf", "PDF 1.6", False)
    assert result.problem == "inte PDF/A (ingen PDF/A-deklaration i XMP)"


def test_a_pdf_that_declares_pdf_a_but_fails_it_is_reported_with_its_rules():
    declared = with_claim(DEMO_BILAGA.read_bytes(), "2", "B")
    expected = page.validate_pdf_bytes(declared, profile="2b")
    assert not expected.is_compliant
    result = checked("data/motion.pdf", declared)
    assert not result.archival and result.format == "PDF 1.6, anger PDF/A-2b"
    assert expected.rules.failed == 1 and expected.failures[0].rule_id == "PDFA2B-DEVICE-RGB-001"   # RGB, no intent
    assert result.problem == "anger PDF/A-2b men klarar inte 1 regel (PDFA2B-DEVICE-RGB-001)"


def test_a_pdf_is_validated_against_the_level_it_declares(own_pdf):
    """The program's PDF/A-2a declared as 2b passes 2b (a subset of 2a); declared as 1a it fails 1a (its ICC profile
    and PDF version are PDF/A-2's)."""
    as_2b = checked("data/a.pdf", with_claim(own_pdf, "2", "B"))
    assert (as_2b.format, as_2b.archival, as_2b.problem) == ("PDF/A-2b", True, None)
    as_1a = checked("data/b.pdf", with_claim(own_pdf, "1", "A"))
    assert not as_1a.archival and as_1a.format == "PDF 1.7, anger PDF/A-1a"
    assert as_1a.problem.startswith("anger PDF/A-1a men klarar inte ") and ", bland annat PDFA1" in as_1a.problem


def test_a_declared_level_the_validator_cannot_check_is_reported():
    blank = pikepdf.new()
    blank.add_blank_page()
    out = io.BytesIO()
    blank.save(out)
    result = checked("data/a4.pdf", with_claim(out.getvalue(), "4", None))
    assert not result.archival and result.format == "PDF 1.3, anger PDF/A-4"
    assert result.problem.startswith("anger PDF/A-4, som page-validation")


@pytest.mark.parametrize("cut", [100, 2000, 0.5, -30])
def test_a_truncated_pdf_is_reported_not_raised(own_pdf, cut):
    broken = own_pdf[:int(len(own_pdf) * cut) if isinstance(cut, float) else cut]
    result = checked("data/trasig.pdf", broken)
    assert result.mimetype == "application/pdf" and not result.archival
    assert "PDF-filen kan inte läsas" in result.problem


def test_random_bytes_named_pdf_are_reported_as_unknown():
    result = checked("data/inte-en.pdf", os.urandom(4096).replace(b"%PDF-", b"xxxxx"))
    assert (result.mimetype, result.format, result.archival) == ("application/octet-stream", "okänt format", False)
    assert "filnamnet slutar på .pdf, men innehållet är ingen PDF" in result.problem


def test_a_pdf_that_needs_a_password_is_reported(own_pdf):
    with pikepdf.open(io.BytesIO(own_pdf)) as opened:
        out = io.BytesIO()
        opened.save(out, encryption=pikepdf.Encryption(user="hemligt", owner="hemligare"))
    result = checked("data/låst.pdf", out.getvalue())
    assert not result.archival and "lösenordsskyddad" in result.problem


def test_a_pdf_larger_than_the_validator_reads_is_not_checked(own_pdf, monkeypatch):
    monkeypatch.setattr(page, "SafetyLimits", types.SimpleNamespace(DEFAULT_MAX_INPUT_SIZE=10 * 1024 * 1024))
    large = own_pdf + b"\n%" + b"x" * (10 * 1024 * 1024)
    result = checked("data/stor.pdf", large)
    assert not result.archival and result.size == len(large)
    assert result.problem == "anger PDF/A-2a men är för stor för att kontrolleras (över 10 MB)"


def test_a_file_on_disk_is_checked_from_its_path(own_pdf, tmp_path):
    on_disk = tmp_path / "bilaga.pdf"
    on_disk.write_bytes(own_pdf)
    result = check("data/bilaga.pdf", sha(own_pdf), on_disk)
    assert (result.size, result.format, result.archival) == (len(own_pdf), "PDF/A-2a", True)
    text = tmp_path / "anteckning"
    text.write_bytes("Åtgärder för nämndens ärenden\n".encode() * 100_000)   # 3 MB: read in chunks
    assert check("data/anteckning", sha(text.read_bytes()), text).format == "Textfil (UTF-8)"


# --- other formats ----------------------------------------------------------------------------------------------


def test_word_and_images_are_identified_and_not_archival():
    word = checked("data/yttrande.docx", docx_bytes())
    assert word.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert word.format == "Word-dokument (docx)" and not word.archival
    assert word.problem.startswith("Word-dokument (docx), inget arkivformat för slutarkivet")
    jpeg, png = checked("data/foto.jpg", JPEG), checked("data/karta.png", PNG)
    assert (jpeg.mimetype, jpeg.format, jpeg.archival) == ("image/jpeg", "JPEG-bild", False)
    assert (png.mimetype, png.format, png.archival) == ("image/png", "PNG-bild", False)
    assert jpeg.problem and png.problem


def test_the_content_decides_not_the_name():
    assert checked("data/yttrande.pdf", docx_bytes()).format == "Word-dokument (docx)"
    assert checked("data/bild.txt", PNG).mimetype == "image/png"


@pytest.mark.parametrize("name, content, mimetype, shown", [
    ("a.txt", "Beslut om ändrad förskoleplacering\n".encode(), "text/plain", "Textfil (UTF-8)"),
    ("a.txt", "Beslut om ändrad förskoleplacering\n".encode("cp1252"), "text/plain", "Textfil (inte UTF-8)"),
    ("a.xml", b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><a/>', "application/xml", "XML-fil"),
    ("a.tif", b"II*\x00\x08\x00\x00\x00" + bytes(32), "image/tiff", "TIFF-bild"),
    ("a.gif", b"GIF89a\x01\x00\x01\x00" + bytes(16), "image/gif", "GIF-bild"),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "application/msword",
     "Word-dokument (doc, äldre format)"),
    ("a.rtf", b"{\\rtf1\\ansi Hej}", "application/rtf", "RTF-dokument"),
    ("a.bin", bytes(range(256)), "application/octet-stream", "okänt format"),
    ("a.bin", b"", "application/octet-stream", "tom fil"),
])
def test_other_formats_are_identified(name, content, mimetype, shown):
    result = checked(name, content)
    assert (result.mimetype, result.format, result.archival) == (mimetype, shown, False) and result.problem


def test_zip_based_formats_are_told_apart():
    def zipped(entries: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
        return out.getvalue()

    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    xlsx = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    plain = zipped({"a.txt": b"hej"})
    assert checked("a.odt", odt).format == "OpenDocument-text (odt)"
    assert checked("a.xlsx", xlsx).format == "Excel-arbetsbok (xlsx)"
    assert checked("a.zip", plain).format == "ZIP-arkiv"
    assert "kan inte läsas" in checked("b.zip", plain[:30]).problem


# --- the cache --------------------------------------------------------------------------------------------------


def test_the_same_checksum_is_checked_once(own_pdf, monkeypatch):
    first = check("data/ärende1/bilaga.pdf", sha(own_pdf), own_pdf)

    def never(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(page, "validate_pdf_bytes", never)
    again = check("data/ärende2/bilaga.pdf", sha(own_pdf), own_pdf)
    assert again.path == "data/ärende2/bilaga.pdf"
    assert (again.sha256, again.size, again.format, again.archival, again.problem) == \
           (first.sha256, first.size, first.format, first.archival, first.problem)


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(formats, "CACHE_ENTRIES", 3)
    for n in range(5):
        checked(f"{n}.txt", f"fil {n}\n".encode())
    assert list(formats._cache) == [sha(f"fil {n}\n".encode()) for n in (2, 3, 4)]


def test_check_all_keeps_the_order_and_validates_each_checksum_once(own_pdf, monkeypatch):
    calls = []
    validate = page.validate_pdf_bytes
    monkeypatch.setattr(page, "validate_pdf_bytes", lambda data, **kw: calls.append(1) or validate(data, **kw))
    files = [(f"data/{n}/bilaga.pdf", sha(own_pdf), own_pdf) for n in range(6)]
    files.insert(3, ("data/foto.jpg", sha(JPEG), JPEG))
    results = check_all(files, workers=3)
    assert [r.path for r in results] == [path for path, _, _ in files]
    assert [r.archival for r in results] == [True, True, True, False, True, True, True]
    assert len(calls) == 1


# --- the report -------------------------------------------------------------------------------------------------


def test_the_report_lists_exactly_the_files_not_in_archival_format(own_pdf):
    bilaga = DEMO_BILAGA.read_bytes()
    checks = [checked("representations/rep1/data/protokoll.pdf", own_pdf),
              checked("representations/rep1/data/motion.pdf", bilaga),
              checked("representations/rep1/data/yttrande.docx", docx_bytes()),
              checked("representations/rep1/data/tjänsteskrivelse.pdf", own_pdf)]
    text = report(checks, "SIP-2023-0042", "2024-02-01T10:15:00+01:00")
    assert text.startswith("Formatkontroll för paketet SIP-2023-0042\n")
    assert "2024-02-01T10:15:00+01:00" in text
    assert "Kontrollerade filer: 4\nI arkivformat: 2\nInte i arkivformat: 2\n" in text
    listed = text.split("Filer som inte är i arkivformat\n", 1)[1]
    assert [line.split(None, 1)[1] for line in listed.splitlines() if line.startswith("Fil:")] == \
           ["representations/rep1/data/motion.pdf", "representations/rep1/data/yttrande.docx"]
    for result in checks[1:3]:
        assert f"SHA-256:  {result.sha256}" in listed and f"Problem:  {result.problem}" in listed
        assert f"Format:   {result.format}" in listed
    assert sha(own_pdf) not in text
    assert f"Storlek:  {len(bilaga):,} byte".replace(",", " ") in listed
    assert text.endswith(f"Kontrollerat med page-validation {page.__version__} mot den PDF/A-nivå filen anger.\n")


def test_the_report_says_so_when_all_files_are_archival(own_pdf):
    checks = [checked("a.pdf", own_pdf), check("b.pdf", sha(own_pdf), own_pdf)]
    text = report(checks, "SIP-1", "2024-02-01 10:15")
    assert "Alla filer i paketet är i arkivformat" in text
    assert "Filer som inte är i arkivformat" not in text and "Problem:" not in text
    assert "inga filer att kontrollera" in report([], "SIP-2", "2024-02-01")
