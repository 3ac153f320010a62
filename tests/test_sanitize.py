"""make_public_safe: hostile bilagor lose every hidden name, personnummer and address, while what a reader saw on
the page (comments, filled form fields, layers switched off) stays on the page; damaged and locked files are
refused; ordinary files and the demo bilagor come out with the same pages, text and rendering."""

import io
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import Image, ImageChops
from pikepdf import Array, AttachedFileSpec, Dictionary, Name, OutlineItem, Pdf, String
from reportlab.pdfgen.canvas import Canvas

from nämndtool.assets import resource
from nämndtool.documents.pdfmerge import page_texts
from nämndtool.secrecy.sanitize import UnsafeBilaga, make_public_safe

FREETEXT = "Kalle Anka 800101-1234"
FIELD_VALUE = "Lisa Svensson"
SWEDISH_VALUE = "Åsa Öberg-Jönsson"
LAYER_TEXT = "Dold text i lager"

# Text that is only in places a reader does not see on the page: after cleaning it must be nowhere in the file.
HIDDEN = ["kalle", "800101", "svensson", "holgersson", "pippi", "example.com", "app.alert", "hemligt",
          "storgatan"]


# --- building hostile files -----------------------------------------------------------------------------------

def text_pdf(pages: int = 1, rotate: dict[int, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for n in range(pages):
        canvas.drawString(72, 720, f"Vanlig text på sida {n + 1}")
        canvas.drawString(72, 700, "Socialnämnden i Katrineholm")
        canvas.showPage()
    canvas.save()
    if not rotate:
        return buffer.getvalue()
    with Pdf.open(buffer) as pdf:
        for index, angle in rotate.items():
            pdf.pages[index].obj.Rotate = angle
        return saved(pdf)


def saved(pdf: Pdf, **options) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def build(edit, pages: int = 1) -> bytes:
    with Pdf.open(io.BytesIO(text_pdf(pages))) as pdf:
        edit(pdf)
        return saved(pdf)


def helvetica(pdf: Pdf):
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))


def appearance(pdf: Pdf, text: str, width: float = 300, height: float = 20):
    """A form XObject drawing text in Helvetica, as an annotation appearance stream."""
    content = f"BT /Helv 10 Tf 2 6 Td ({text}) Tj ET".encode("cp1252")
    return pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, width, height],
                           Resources=Dictionary(Font=Dictionary(Helv=helvetica(pdf))))


def annotate(pdf: Pdf, page: int = 0, **fields):
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, **fields))
    page_obj = pdf.pages[page].obj
    if "/Annots" not in page_obj:
        page_obj.Annots = Array()
    page_obj.Annots.append(annot)
    return annot


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 40, 40))
    for x in range(20):
        for y in range(15):
            image.putpixel((x, y), (20, 60, 220))
    exif = Image.Exif()
    exif[0x013B] = "Kalle Anka"                  # Artist
    exif[0x8298] = "Kalle Anka 800101-1234"      # Copyright
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"Kalle Anka", quality=90)
    return buffer.getvalue()


def add_image(pdf: Pdf, page: int = 0) -> None:
    data = jpeg_with_exif()
    image = pdf.make_stream(data, Type=Name.XObject, Subtype=Name.Image, Width=40, Height=30,
                            ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)
    image.Metadata = pdf.make_stream(b"<x:xmpmeta><dc:creator>Kalle Anka</dc:creator></x:xmpmeta>",
                                     Type=Name.Metadata, Subtype=Name.XML)
    target = pdf.pages[page]
    target.obj.Resources.XObject = Dictionary(Im9=image)
    target.contents_add(pdf.make_stream(b"q 120 0 0 90 300 500 cm /Im9 Do Q"))


def add_freetext(pdf: Pdf, with_appearance: bool) -> None:
    annot = annotate(pdf, Subtype=Name.FreeText, Rect=[72, 560, 372, 580], F=4, Contents=String(FREETEXT),
                     DA=String("/Helv 10 Tf 1 0 0 rg"), T=String("Kalle Anka"))
    if with_appearance:
        annot.AP = Dictionary(N=appearance(pdf, FREETEXT))


def add_form(pdf: Pdf) -> None:
    """A form as a reader fills it: values in /V, /NeedAppearances true, no appearance streams, no /DR."""
    page = pdf.pages[0].obj
    plain = annotate(pdf, Subtype=Name.Widget, FT=Name.Tx, T=String("namn"), V=String(FIELD_VALUE),
                     Rect=[72, 520, 300, 540], F=4, DA=String("/Helv 11 Tf 0 g"), P=page)
    swedish = annotate(pdf, Subtype=Name.Widget, FT=Name.Tx, T=String("namn2"), V=String(SWEDISH_VALUE),
                       Rect=[72, 490, 300, 510], F=4, DA=String("/Helv 0 Tf 0 g"), P=page)
    password = annotate(pdf, Subtype=Name.Widget, FT=Name.Tx, T=String("kod"), V=String("hemligt123"),
                        Ff=1 << 13, Rect=[72, 460, 300, 480], F=4, P=page)
    parent = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("adress"), V=String("Storgatan 1"),
                                          DA=String("/Helv 10 Tf 0 g")))
    kid = annotate(pdf, Subtype=Name.Widget, Parent=parent, Rect=[72, 430, 300, 450], F=4, P=page)
    parent.Kids = Array([kid])
    pdf.Root.AcroForm = Dictionary(Fields=Array([plain, swedish, password, parent]), NeedAppearances=True,
                                   DA=String("/Helv 0 Tf 0 g"))


def add_links(pdf: Pdf) -> None:
    annotate(pdf, Subtype=Name.Link, Rect=[72, 400, 300, 420],
             A=Dictionary(S=Name.URI, URI=String("mailto:kalle@example.com")))
    annotate(pdf, Subtype=Name.Link, Rect=[72, 370, 300, 390],
             A=Dictionary(S=Name.JavaScript, JS=String("app.alert('Kalle Anka');")))


def add_notes(pdf: Pdf) -> None:
    note = annotate(pdf, Subtype=Name.Text, Rect=[400, 700, 420, 720], F=4, Open=True,
                    Contents=String("Anteckning: Nils Holgersson"), AP=Dictionary(N=appearance(pdf, "i", 20, 20)))
    note.Popup = annotate(pdf, Subtype=Name.Popup, Rect=[420, 600, 560, 720], Open=True, Parent=note,
                          AP=Dictionary(N=appearance(pdf, "Nils Holgersson", 140, 120)))
    annotate(pdf, Subtype=Name.FreeText, Rect=[72, 330, 300, 350], F=2, Contents=String("Pippi Långstrump"),
             DA=String("/Helv 10 Tf 0 g"), AP=Dictionary(N=appearance(pdf, "Pippi")))


def add_layer(pdf: Pdf) -> None:
    """Page 2 holds only text in a layer switched OFF, named after a person, with a creator in /Usage."""
    layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Kalles lager"),
                                         Usage=Dictionary(CreatorInfo=Dictionary(Creator=String("Kalle Anka"),
                                                                                 Subtype=Name.Artwork))))
    pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(Order=Array([layer]), OFF=Array([layer])))
    page = pdf.pages[1]
    page.obj.Contents = pdf.make_stream(f"/OC /L1 BDC BT /Helv 14 Tf 72 600 Td ({LAYER_TEXT}) Tj ET EMC".encode())
    page.obj.Resources = Dictionary(Font=Dictionary(Helv=helvetica(pdf)), Properties=Dictionary(L1=layer))


def add_hidden_places(pdf: Pdf) -> None:
    page = pdf.pages[0]
    pdf.docinfo[Name.Author] = "Kalle Anka"
    pdf.docinfo[Name.Title] = "Utredning om Kalle Anka 800101-1234"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Kalle Anka"]
        meta["dc:description"] = "Kalle Anka 800101-1234"
    page.obj.Metadata = pdf.make_stream(b"<x:xmpmeta>Kalle Anka 800101-1234</x:xmpmeta>",
                                        Type=Name.Metadata, Subtype=Name.XML)
    page.obj.PieceInfo = Dictionary(Namndapp=Dictionary(LastModified=String("D:20230101"),
                                                        Private=String("Kalle Anka 800101-1234")))
    page.obj.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.alert('Kalle');")))
    page.obj.Thumb = pdf.make_stream(b"Kalle", Width=1, Height=1)
    pdf.attachments["kalle.txt"] = AttachedFileSpec(pdf, b"Kalle Anka 800101-1234", description="Kalle",
                                                    filename="kalle.txt")
    pdf.Root.Names.JavaScript = Dictionary(Names=Array([String("kalle"), Dictionary(
        S=Name.JavaScript, JS=String("app.alert('Kalle Anka 800101-1234');"))]))
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('Kalle Anka');"))
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.URI, URI=String("https://example.com/kalle")))
    with pdf.open_outline() as outline:
        outline.root.append(OutlineItem("Kalle Anka", 0))
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, P=String("Kalle "))]))
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Figure, Alt=String("Foto på Kalle Anka"),
                                           ActualText=String("Kalle Anka 800101-1234"), Pg=page.obj))
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=element))
    element.P = tree
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    page.obj.StructParents = 0
    pdf.Root.URI = Dictionary(Base=String("https://example.com/kalle/"))
    pdf.Root.SpiderInfo = Dictionary(V=1.0, C=Array([String("Kalle")]))
    pdf.Root.Collection = Dictionary(D=String("kalle.txt"))
    pdf.Root.Perms = Dictionary(UR3=Dictionary(Name=String("Kalle Anka")))
    pdf.Root.Threads = Array([Dictionary(Type=Name.Thread, I=Dictionary(Title=String("Kalle Anka")))])
    pdf.Root.Private = String("Kalle Anka")
    unused = pdf.make_stream(b"BT /Helv 10 Tf (Kalle Anka) Tj ET", Type=Name.XObject, Subtype=Name.Form,
                             BBox=[0, 0, 100, 20], Resources=Dictionary(Font=Dictionary(Helv=helvetica(pdf))))
    page.obj.Resources.XObject.Unused = unused
    pdf.trailer.ID = Array([String("Kalle Anka 800101-1234"), String("Kalle")])
    pdf.trailer[Name("/Private")] = String("Kalle Anka")


def everything(pdf: Pdf) -> None:
    add_image(pdf)
    add_hidden_places(pdf)
    add_freetext(pdf, with_appearance=False)
    add_form(pdf)
    add_links(pdf)
    add_notes(pdf)
    add_layer(pdf)


@pytest.fixture(scope="module")
def hostile() -> bytes:
    return build(everything, pages=2)


@pytest.fixture(scope="module")
def cleaned(hostile) -> bytes:
    return make_public_safe(hostile)


# --- reading the result back ----------------------------------------------------------------------------------

def drawn_forms(pdf: Pdf) -> set[tuple[int, int]]:
    """The form XObjects that page content actually draws (with Do), nested forms included."""
    drawn = set()

    def visit(container, resources, depth):
        xobjects = resources.get("/XObject", Dictionary()) if resources is not None else Dictionary()
        for operands, operator in pikepdf.parse_content_stream(container):
            if str(operator) != "Do" or depth > 10:
                continue
            xobject = xobjects.get(operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Form and xobject.objgen not in drawn:
                drawn.add(xobject.objgen)
                visit(xobject, xobject.get("/Resources", resources), depth + 1)

    for page in pdf.pages:
        visit(page, page.obj.get("/Resources"), 0)
    return drawn


def _contains(data: bytes, needle: str) -> bool:
    lowered = data.lower()
    return any(needle.lower().encode(codec) in lowered for codec in ("latin-1", "utf-8", "utf-16-be"))


def places(pdf_bytes: bytes, needle: str) -> list[str]:
    """Every place in the file (every object, every string, name and stream, the trailer) where needle occurs,
    except the data of form XObjects the pages draw: text drawn there is on the page."""
    found = []
    with Pdf.open(io.BytesIO(pdf_bytes)) as pdf:
        drawn = drawn_forms(pdf)

        def walk(obj, where, depth=0):
            if depth > 50:
                return
            if isinstance(obj, (String, Name)):
                if needle.lower() in str(obj).lower() or _contains(bytes(obj) if isinstance(obj, String) else b"",
                                                                   needle):
                    found.append(f"{where}: {str(obj)[:60]!r}")
            elif isinstance(obj, pikepdf.Stream):
                if obj.objgen not in drawn:
                    try:
                        data = obj.read_bytes()
                    except pikepdf.PdfError:
                        data = obj.read_raw_bytes()
                    if _contains(data, needle) or _contains(obj.read_raw_bytes(), needle):
                        found.append(f"{where}: stream data")
                walk_dict(obj, where, depth)
            elif isinstance(obj, Dictionary):
                walk_dict(obj, where, depth)
            elif isinstance(obj, Array):
                for i, item in enumerate(obj):
                    if isinstance(item, pikepdf.Object) and not item.is_indirect:
                        walk(item, f"{where}[{i}]", depth + 1)

        def walk_dict(obj, where, depth):
            for key in obj.keys():
                if needle.lower() in key.lower():
                    found.append(f"{where}: key {key}")
                value = obj[key]
                if isinstance(value, pikepdf.Object) and not value.is_indirect:
                    walk(value, f"{where}{key}", depth + 1)

        for obj in pdf.objects:
            walk(obj, f"obj {obj.objgen}" if obj.is_indirect else "obj")
        walk(pdf.trailer, "trailer")
    return found


def text_of(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def renders(pdf: bytes, scale: float = 0.5) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=scale).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def same_rendering(before: bytes, after: bytes) -> bool:
    first, second = renders(before), renders(after)
    return len(first) == len(second) and all(
        a.size == b.size and ImageChops.difference(a, b).getbbox() is None for a, b in zip(first, second))


# --- the hostile file -----------------------------------------------------------------------------------------

def test_hostile_file_is_really_hostile(hostile):
    """The test file itself holds every needle, so an empty search afterwards means something."""
    for needle in HIDDEN:
        assert places(hostile, needle), needle


@pytest.mark.parametrize("needle", HIDDEN)
def test_nothing_hidden_survives(cleaned, needle):
    assert places(cleaned, needle) == []


def test_what_the_reader_saw_stays_on_the_page(cleaned):
    text = text_of(cleaned)
    for shown in (FREETEXT, FIELD_VALUE, SWEDISH_VALUE, "Storgatan 1", LAYER_TEXT, "Vanlig text på sida 1"):
        assert shown in text
    for hidden in ("Holgersson", "Pippi", "hemligt", "example.com", "alert"):
        assert hidden not in text


def test_no_annotations_forms_or_document_extras_remain(cleaned):
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 2
        assert set(pdf.Root.keys()) <= {"/Type", "/Pages", "/Version", "/PageLayout", "/PageMode", "/Lang"}
        assert set(pdf.trailer.keys()) <= {"/Root", "/Size", "/ID"}
        assert not pdf.is_encrypted
        for page in pdf.pages:
            assert not set(page.obj.keys()) & {"/Annots", "/AA", "/Metadata", "/PieceInfo", "/Thumb", "/B",
                                                "/StructParents"}
        for obj in pdf.objects:
            if isinstance(obj, (Dictionary, pikepdf.Stream)):
                assert not set(obj.keys()) & {"/Metadata", "/PieceInfo", "/JS", "/URI", "/EmbeddedFile",
                                               "/EmbeddedFiles", "/JavaScript", "/OpenAction"}
                assert obj.get("/Type") not in (Name.Annot, Name.EmbeddedFile, Name.Filespec)


def test_layer_switched_off_becomes_visible(hostile, cleaned):
    """Page 2 holds only text in a layer that was OFF: blank before, the text shows after."""
    before, after = renders(hostile)[1], renders(cleaned)[1]
    white = Image.new("RGB", before.size, (255, 255, 255))
    assert ImageChops.difference(before, white).getbbox() is None
    assert ImageChops.difference(after, white).getbbox() is not None


def test_layer_without_its_type_loses_its_name_too():
    def edit(pdf):
        add_layer(pdf)
        del pdf.Root.OCProperties.OCGs[0].Type
    cleaned = make_public_safe(build(edit, pages=2))
    assert places(cleaned, "kalle") == [] and LAYER_TEXT in text_of(cleaned)


def test_image_keeps_its_pixels_and_loses_exif():
    original = build(add_image)
    cleaned = make_public_safe(original)
    assert same_rendering(original, cleaned)
    assert places(cleaned, "kalle") == []
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        image = next(iter(pdf.pages[0].get_images().values()))
        data = image.read_raw_bytes()
        assert b"Exif" not in data and data.startswith(b"\xff\xd8")
        assert Image.open(io.BytesIO(data)).size == (40, 30)


# --- comments and form fields, one at a time --------------------------------------------------------------------

@pytest.mark.parametrize("with_appearance", [False, True])
def test_freetext_comment_is_drawn_into_the_page(with_appearance):
    cleaned = make_public_safe(build(lambda pdf: add_freetext(pdf, with_appearance)))
    assert FREETEXT in text_of(cleaned)
    assert places(cleaned, "800101") == []
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/Annots" not in pdf.pages[0].obj


def test_freetext_with_rich_text_only():
    def edit(pdf):
        annotate(pdf, Subtype=Name.FreeText, Rect=[72, 560, 372, 600], F=4, DA=String("/Helv 10 Tf 0 g"),
                 RC=String("<body><p>Kalle Anka</p><p>800101-1234 &amp; mer</p></body>"))
    text = text_of(make_public_safe(build(edit)))
    assert "Kalle Anka" in text and "800101-1234 & mer" in text


def char_boxes(pdf: bytes, needle: str) -> list[tuple[float, float, float, float]]:
    """PDFium's boxes (left, bottom, right, top, in page space) of the characters of needle on page 1."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        textpage = document[0].get_textpage()
        start = textpage.get_text_range().index(needle)
        return [textpage.get_charbox(i) for i in range(start, start + len(needle)) if needle[i - start] != " "]
    finally:
        document.close()


@pytest.mark.parametrize("rotate", [0, 90])
def test_long_freetext_wraps_inside_its_rectangle(rotate):
    words = "Beslut om insats enligt SoL för Kalle Anka, född 800101-1234, boende på Storgatan 1 i Katrineholm."
    rect = (100, 300, 260, 420)

    def edit(pdf):
        pdf.pages[0].obj.Rotate = rotate
        annotate(pdf, Subtype=Name.FreeText, Rect=list(rect), F=4, Contents=String(words),
                 DA=String("/Helv 11 Tf 0 g"), RD=Array([10, 10, 10, 10]))
    cleaned = make_public_safe(build(edit))
    text = text_of(cleaned)
    assert "800101-1234" in text and text.count("\n") >= 4
    for word in ("Beslut", "Kalle", "Storgatan", "Katrineholm."):
        for left, bottom, right, top in char_boxes(cleaned, word):
            assert rect[0] + 10 <= left and right <= rect[2] - 10 and rect[1] + 10 <= bottom and top <= rect[3] - 10


def test_sticky_note_and_hidden_comment_are_removed():
    cleaned = make_public_safe(build(add_notes))
    assert places(cleaned, "holgersson") == [] and places(cleaned, "pippi") == []
    assert "Holgersson" not in text_of(cleaned)


def test_filled_form_fields_are_drawn_and_the_form_removed():
    cleaned = make_public_safe(build(add_form))
    text = text_of(cleaned)
    assert FIELD_VALUE in text and SWEDISH_VALUE in text and "Storgatan 1" in text
    assert "hemligt" not in text and places(cleaned, "hemligt") == []
    assert places(cleaned, "svensson") == []
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/AcroForm" not in pdf.Root and "/Annots" not in pdf.pages[0].obj


def test_form_field_with_its_own_appearance_is_flattened_as_shown():
    def edit(pdf):
        page = pdf.pages[0].obj
        field = annotate(pdf, Subtype=Name.Widget, FT=Name.Tx, T=String("namn"), V=String(FIELD_VALUE),
                         Rect=[72, 520, 372, 540], F=4, AP=Dictionary(N=appearance(pdf, FIELD_VALUE)), P=page)
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    cleaned = make_public_safe(build(edit))
    assert FIELD_VALUE in text_of(cleaned) and places(cleaned, "svensson") == []


@pytest.mark.parametrize("need_appearances, shown", [(True, "KRYSS"), (False, "TOM")])
def test_checkbox_shows_the_state_a_reader_shows(need_appearances, shown):
    """With /NeedAppearances a reader shows the state /V names (qpdf sets /AS from it), otherwise /AS as it is."""
    def edit(pdf):
        box = annotate(pdf, Subtype=Name.Widget, FT=Name.Btn, T=String("ja"), V=Name.Yes, AS=Name.Off, F=4,
                       Rect=[72, 500, 92, 520], P=pdf.pages[0].obj,
                       AP=Dictionary(N=Dictionary(Yes=appearance(pdf, "KRYSS", 20, 20),
                                                  Off=appearance(pdf, "TOM", 20, 20))))
        pdf.Root.AcroForm = Dictionary(Fields=Array([box]), NeedAppearances=need_appearances)
    text = text_of(make_public_safe(build(edit)))
    assert shown in text and ({"KRYSS", "TOM"} - {shown}).pop() not in text


def test_links_lose_their_address_and_script():
    cleaned = make_public_safe(build(add_links))
    for needle in ("example.com", "app.alert", "kalle"):
        assert places(cleaned, needle) == []


def test_private_keys_in_resources_are_removed():
    def edit(pdf):
        pdf.pages[0].obj.Resources.Private = String("Kalle Anka")
    assert places(make_public_safe(build(edit)), "kalle") == []


def test_personnummer_left_in_an_unknown_place_refuses_the_file():
    """A private key inside a font dictionary is not on any list of removals: the last check finds it."""
    def edit(pdf):
        font = next(iter(pdf.pages[0].obj.Resources.Font.values()))
        font.Private = String("Kalle Anka 800101-1234")
    with pytest.raises(UnsafeBilaga) as raised:
        make_public_safe(build(edit))
    assert "personnummer" in raised.value.reason


# --- opening: passwords and damage ------------------------------------------------------------------------------

def test_owner_password_only_comes_out_readable():
    original = text_pdf(3)
    with Pdf.open(io.BytesIO(original)) as pdf:
        locked = saved(pdf, encryption=pikepdf.Encryption(owner="x", user=""))
    cleaned = make_public_safe(locked)
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        assert not pdf.is_encrypted and len(pdf.pages) == 3
    assert page_texts(cleaned) == page_texts(original)


def test_user_password_is_refused():
    with Pdf.open(io.BytesIO(text_pdf())) as pdf:
        locked = saved(pdf, encryption=pikepdf.Encryption(owner="x", user="y"))
    with pytest.raises(UnsafeBilaga) as raised:
        make_public_safe(locked)
    assert raised.value.reason == "filen är lösenordsskyddad"


@pytest.mark.parametrize("damage", [
    lambda pdf: b"",
    lambda pdf: b"inte en pdf alls" * 50,
    lambda pdf: bytes(range(256)) * 20,
    lambda pdf: b"%PDF-1.7\n" + b"\x00" * 4000,
    lambda pdf: pdf[:len(pdf) // 2],
    lambda pdf: pdf[:400],
])
def test_damaged_file_is_refused(damage):
    with pytest.raises(UnsafeBilaga) as raised:
        make_public_safe(damage(text_pdf(3)))
    assert raised.value.reason == "filen är skadad och kan inte läsas"


def test_file_missing_only_its_cross_reference_tail_is_repaired():
    original = text_pdf(3)
    cleaned = make_public_safe(original[:original.rindex(b"xref")])
    assert page_texts(cleaned) == page_texts(original)


def test_any_error_while_cleaning_refuses_the_file(monkeypatch):
    def broken(self):
        raise pikepdf.PdfError("qpdf gave up")
    monkeypatch.setattr(pikepdf.Pdf, "remove_unreferenced_resources", broken)   # qpdf failing mid-clean
    with pytest.raises(UnsafeBilaga) as raised:
        make_public_safe(text_pdf())
    assert raised.value.reason == "filen kunde inte rensas från dolda uppgifter"


def test_an_error_in_flattening_refuses_the_file(monkeypatch):
    def broken(self, mode="all"):
        raise pikepdf.PdfError("qpdf gave up")
    monkeypatch.setattr(pikepdf.Pdf, "flatten_annotations", broken)
    with pytest.raises(UnsafeBilaga) as raised:
        make_public_safe(build(lambda pdf: add_freetext(pdf, True)))
    assert raised.value.reason == "en kommentar kunde inte plattas till"


# --- ordinary files ----------------------------------------------------------------------------------------------

def test_ordinary_multipage_file_with_rotated_page_is_unchanged_to_the_reader():
    original = text_pdf(4, rotate={1: 90, 3: 270})
    cleaned = make_public_safe(original)
    assert page_texts(cleaned) == page_texts(original)
    assert same_rendering(original, cleaned)
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        assert [int(page.obj.get("/Rotate", 0)) for page in pdf.pages] == [0, 90, 0, 270]


def test_output_is_deterministic(hostile, cleaned):
    assert make_public_safe(hostile) == cleaned


def test_output_opens_in_pikepdf_and_pdfium(cleaned):
    with Pdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.pages) == 2
        assert pdf.check_pdf_syntax() == []
    document = pypdfium2.PdfDocument(cleaned)
    assert len(document) == 2
    document.close()


DEMO = sorted(Path(str(resource("demo", "bilagor"))).glob("*.pdf"))


@pytest.mark.parametrize("path", DEMO, ids=[p.stem[:30] for p in DEMO])
def test_demo_bilagor_keep_pages_text_and_rendering(path):
    original = path.read_bytes()
    cleaned = make_public_safe(original)
    assert page_texts(cleaned) == page_texts(original)
    assert same_rendering(original, cleaned)


def test_demo_bilagor_exist():
    assert len(DEMO) >= 5
