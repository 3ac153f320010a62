"""Putting PDF pieces together into one file: pages in order, bookmarks, a stamp on every page, metadata.

Everything that touches PDF internals for the pack is here, so the PDF library can be swapped on measured figures
(see benchmarks/pack_benchmark.py and BENCHMARKS.md) without touching the pack's logic.

Pages are copied and stamped with pikepdf (qpdf, C++), measured several times faster than pypdf for the same work.
A source page's content is left as it is: it is wrapped in q … Q and the stamp, one small form XObject per page, is
drawn over it, turned to match the page's /Rotate so that it reads upright where the page is shown. The stamp is
page furniture, drawn inside /Artifact BMC … EMC, so it never enters the reading order. Text is read with PDFium
(pypdfium2), which pikepdf cannot do.

The pack stays tagged (PDF/UA-1) where its parts are: the structure tree of each tagged part (the program's own
documents, an accessible bilaga) becomes a /Part under one /Document element, in page order, with its
/StructParents keys moved past the parts before it and its element IDs prefixed so that no two parts collide.
An untagged bilaga's pages are copied as they are: their content stays untagged (the bilaga's own matter, reported
when it is imported). The pack claims PDF/UA-1 in its XMP only when every part does.
"""

import io
import re
from dataclasses import dataclass

import pikepdf
import pypdfium2
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nämndtool.assets import resource
from nämndtool.pdfium import LOCK as PDFIUM

STAMP_FONT = "NamndtoolStamp"
STAMP_FONT_BOLD = "NamndtoolStampBold"


@dataclass
class Bookmark:
    title: str
    page: int                     # 0-based page index in the assembled file
    parent: "Bookmark | None"


@dataclass
class Stamp:
    page: int
    marking: str | None           # secrecy marking for this page, or None


def _register_fonts() -> None:
    if STAMP_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(STAMP_FONT, io.BytesIO(resource("fonts", "DejaVuSans.ttf").read_bytes())))
        pdfmetrics.registerFont(TTFont(STAMP_FONT_BOLD, io.BytesIO(resource("fonts", "DejaVuSans-Bold.ttf").read_bytes())))


def page_count(pdf: bytes) -> int:
    with Pdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of each page (empty where extraction fails), read with PDFium: the personnummer scan of
    a public pack reads every bilaga page, and pypdf's pure-Python extraction took most of the pack's time."""
    with PDFIUM:
        return _page_texts(pdf)


def _page_texts(pdf: bytes) -> list[str]:
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return []
    texts = []
    try:
        for page in document:
            try:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
            except pypdfium2.PdfiumError:
                texts.append("")
            finally:
                page.close()
    finally:
        document.close()
    return texts


@dataclass
class _Placement:
    """Where a page shows: its visible box and its /Rotate, as the reader sees the page."""

    box: tuple[float, float, float, float]   # the crop box, x0 y0 x1 y1 in the page's own space
    rotate: int                              # 0, 90, 180 or 270 (clockwise, as /Rotate)

    @property
    def shown_size(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x1 - x0, y1 - y0) if self.rotate in (0, 180) else (y1 - y0, x1 - x0)

    def matrix(self) -> tuple[float, ...]:
        """From the upright stamp's space (origin bottom left as shown) to the page's own space."""
        x0, y0, x1, y1 = self.box
        return {0: (1, 0, 0, 1, x0, y0), 90: (0, 1, -1, 0, x1, y0),
                180: (-1, 0, 0, -1, x1, y1), 270: (0, -1, 1, 0, x0, y1)}[self.rotate]


def _placement(page: pikepdf.Page) -> _Placement:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    rotate = int(page.obj.get(Name.Rotate, 0)) % 360
    return _Placement((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), rotate - rotate % 90)


def _add_pages(pdfs: list[bytes]) -> tuple[Pdf, list[Pdf], list[tuple[int, int]]]:
    """The pack's pages, copied from each part; with each part's range of pages in the pack."""
    out = Pdf.new()
    sources = [Pdf.open(io.BytesIO(pdf)) for pdf in pdfs]
    ranges = []
    for source in sources:
        first = len(out.pages)
        out.pages.extend(source.pages)
        ranges.append((first, len(out.pages)))
    return out, sources, ranges


class _Structure:
    """The pack's one structure tree, gathered part by part: each tagged part's elements under a /Part, its parent
    tree entries under keys moved past the parts before it, its IDs prefixed; untagged parts leave no trace."""

    def __init__(self, out: Pdf):
        self.out = out
        self.parts: list[Dictionary] = []
        self.parents: list = []           # [key, value, key, value …] in key order, for one flat /Nums
        self.next_key = 0
        self.ids: dict[bytes, pikepdf.Object] = {}
        self.role_map = Dictionary()
        self.class_map = Dictionary()
        self.languages: list[str] = []    # each tagged part's /Lang, in order
        self.all_accessible = True        # every part tagged and claiming PDF/UA-1

    def add(self, number: int, source: Pdf, pages: list[pikepdf.Page], language: str) -> None:
        root = source.Root.get(Name.StructTreeRoot)
        tagged = root is not None and root.get(Name.K) is not None and _marked(source)
        try:
            if tagged:
                self._add_tagged(number, source, root, pages, language)
                self.all_accessible = self.all_accessible and _claims_ua(source)
                return
        except (pikepdf.PdfError, KeyError, TypeError, ValueError, AttributeError):
            pass  # a broken structure tree: the part's pages are kept, untagged
        self.all_accessible = False
        for page in pages:
            _forget_parents(page)

    def _add_tagged(self, number: int, source: Pdf, root: Dictionary, pages: list[pikepdf.Page],
                    language: str) -> None:
        """Everything that reads the part's tree comes before the first change to the pack's own tree, so a broken
        one leaves nothing behind but unreachable copies, which are not written."""
        part = _part_element(source, root)
        lang = source.Root.get(Name.Lang)
        if lang is not None and str(lang) and str(lang).casefold() != language.casefold():
            part[Name.Lang] = lang    # a part in another language says so for its whole subtree
        title = source.docinfo.get(Name.Title)
        if title is not None and Name.T not in part:
            part[Name.T] = title
        tree = root.get(Name.ParentTree)
        declared = root.get(Name.ParentTreeNextKey)
        ids = _renamed_ids(number, source, root, set(self.ids))
        maps = [Dictionary({key: theirs[key] for key in theirs.keys() if key not in ours})
                if isinstance(theirs, Dictionary) else Dictionary()
                for ours, theirs in ((self.role_map, root.get(Name.RoleMap)),
                                     (self.class_map, root.get(Name.ClassMap)))]
        # One copy of the part's tree, its parent tree (flattened below, in the pack) and its renamed elements;
        # qpdf maps every page and annotation they refer to onto the copies already in the pack.
        bundle = source.make_indirect(Array([part, tree if tree is not None else Dictionary(Nums=Array()),
                                             *maps, Array([element for _, element in ids])]))
        part, tree, role_map, class_map, elements = self.out.copy_foreign(bundle)
        parents = sorted(((int(key), value) for key, value in pikepdf.NumberTree(tree).items()),
                         key=lambda entry: entry[0])
        span = max(int(declared) if declared is not None else 0, parents[-1][0] + 1 if parents else 0)

        offset = self.next_key
        self.parts.append(part)
        for ours, theirs in ((self.role_map, role_map), (self.class_map, class_map)):
            for key in theirs.keys():
                ours[key] = theirs[key]
        for key, value in parents:
            self.parents += [key + offset, value]
        for (name, _), element in zip(ids, elements):
            self.ids[name] = element
        for page in pages:
            _move_parents(page, offset)
        self.next_key += span
        if lang is not None:
            self.languages.append(str(lang))

    def finish(self) -> bool:
        """Write the structure tree into the pack's catalog; False when no part was tagged."""
        if not self.parts:
            return False
        out = self.out
        document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(self.parts)))
        for part in self.parts:
            part[Name.P] = document
        root = Dictionary(Type=Name.StructTreeRoot, K=Array([document]),
                          ParentTree=out.make_indirect(Dictionary(Nums=Array(self.parents))),
                          ParentTreeNextKey=self.next_key)
        if self.ids:
            names = []
            for name in sorted(self.ids):
                names += [pikepdf.String(name), self.ids[name]]
            root[Name.IDTree] = out.make_indirect(Dictionary(Names=Array(names)))
        if len(self.role_map):
            root[Name.RoleMap] = self.role_map
        if len(self.class_map):
            root[Name.ClassMap] = self.class_map
        root = out.make_indirect(root)
        document[Name.P] = root
        out.Root[Name.StructTreeRoot] = root
        out.Root[Name.MarkInfo] = Dictionary(Marked=True)
        return True


def _marked(source: Pdf) -> bool:
    mark_info = source.Root.get(Name.MarkInfo)
    return isinstance(mark_info, Dictionary) and bool(mark_info.get(Name.Marked, False))


_UA_CLAIM = re.compile(rb"pdfuaid:part\s*(?:>|=\s*[\"'])\s*1\s*[<\"']")


def _claims_ua(source: Pdf) -> bool:
    """Whether the part's XMP says PDF/UA-1 (read as bytes: parsing the XMP cost more than merging the tree).
    A claim written with another prefix reads as none, so the pack may under-claim, never over-claim."""
    metadata = source.Root.get(Name.Metadata)
    return isinstance(metadata, pikepdf.Stream) and bool(_UA_CLAIM.search(metadata.read_bytes()))


def _part_element(source: Pdf, root: Dictionary) -> Dictionary:
    """The part's structure as one /Part element in the source (not saved): its own /Document element renamed,
    or a new /Part around its top-level elements. Cut loose from the source's root, so copying it brings the
    elements and the pages they mark, not the source's whole tree."""
    kids = root.K
    kids = list(kids) if isinstance(kids, Array) else [kids]
    if len(kids) == 1 and isinstance(kids[0], Dictionary) and kids[0].get(Name.S) == Name.Document:
        part = kids[0]
        part[Name.S] = Name.Part
    else:
        part = source.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Part, K=Array(kids)))
        for kid in kids:
            if isinstance(kid, Dictionary):
                kid[Name.P] = part
    if Name.P in part:
        del part[Name.P]
    return part


def _renamed_ids(number: int, source: Pdf, root: Dictionary, taken: set[bytes]) -> list[tuple[bytes, Dictionary]]:
    """The part's element IDs, each prefixed with the part's number when any collides with one already in the
    pack; the table cells' /Headers that name them follow."""
    if root.get(Name.IDTree) is None:
        return []
    ids = [(bytes(pikepdf.String(key)), element) for key, element in pikepdf.NameTree(root.IDTree).items()]
    if not any(name in taken for name, _ in ids):
        return ids
    prefix = f"p{number}-".encode()
    tables = {}
    for name, element in ids:
        element[Name.ID] = pikepdf.String(prefix + name)
        table = _table_of(element)
        if table is not None:
            tables.setdefault(table.objgen if table.is_indirect else id(table), table)
    for table in tables.values():
        _rename_headers(table, prefix)
    return [(prefix + name, element) for name, element in ids]


def _table_of(element: Dictionary) -> Dictionary | None:
    """The /Table an element is in: /Headers (a table attribute of TH and TD cells) name cells of their own table
    only, so renaming walks the tables that hold an ID, not the whole tree."""
    for _ in range(64):
        if not isinstance(element, Dictionary):
            return None
        if element.get(Name.S) == Name.Table:
            return element
        element = element.get(Name.P)
    return None


_ROWS = (Name.THead, Name.TBody, Name.TFoot, Name.TR)
_CELLS = (Name.TH, Name.TD)


def _rename_headers(table: Dictionary, prefix: bytes) -> None:
    """Prefix every /Headers ID of the cells of a table. Only the rows and row groups are walked, not what a
    cell holds: a table inside a cell is renamed as a table of its own when it holds an ID."""
    stack = [table.get(Name.K)]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
            continue
        if not isinstance(node, Dictionary):
            continue
        kind = node.get(Name.S)
        if kind in _ROWS:
            stack.append(node.get(Name.K))
        elif kind in _CELLS:
            attributes = node.get(Name.A)
            for attribute in ([attributes] if isinstance(attributes, Dictionary) else
                              attributes if isinstance(attributes, Array) else []):
                headers = attribute.get(Name.Headers) if isinstance(attribute, Dictionary) else None
                if isinstance(headers, Array) and len(headers):
                    attribute[Name.Headers] = Array([pikepdf.String(prefix + bytes(h)) for h in headers])


def _move_parents(page: pikepdf.Page, offset: int) -> None:
    """Move a copied page's and its annotations' parent tree keys past the parts before it."""
    if not offset:
        return
    obj = page.obj
    if Name.StructParents in obj:
        obj[Name.StructParents] = int(obj[Name.StructParents]) + offset
    for annotation in obj.get(Name.Annots, ()):
        if isinstance(annotation, Dictionary) and Name.StructParent in annotation:
            annotation[Name.StructParent] = int(annotation[Name.StructParent]) + offset


def _forget_parents(page: pikepdf.Page) -> None:
    """An untagged part's page keeps no parent tree key of its own file, which the pack's tree would misread."""
    obj = page.obj
    if Name.StructParents in obj:
        del obj[Name.StructParents]
    for annotation in obj.get(Name.Annots, ()):
        if isinstance(annotation, Dictionary) and Name.StructParent in annotation:
            del annotation[Name.StructParent]


@dataclass
class _Overlay:
    fonts: bytes            # a one-page PDF whose /Resources /Font holds the stamp's font subsets
    font_names: set[str]    # the names under which the content streams use them
    contents: list[bytes]   # per page of the pack, the stamp's content stream, upright as shown
    sizes: list[tuple[float, float]]


FOOTER_COLOUR = b"0.333 0.333 0.333 rg"   # #555555
MARKING_COLOUR = b"0.690 0 0.125 rg"      # #b00020


def _stamp_overlay(sizes: list[tuple[float, float]], stamps: list[Stamp], footer: str) -> _Overlay:
    """Per page of the pack, upright as shown: "footer · sida n (N)" at the bottom, the marking at the top.
    reportlab subsets and encodes the fonts (one document for all pages, so one subset per font); the content
    streams are written here, since reportlab's pure-Python writer of a page per pack page took longer than
    the rest of the stamping."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    document = canvas._doc
    total = len(sizes)
    contents, names = [], set()
    for (width, height), stamp in zip(sizes, stamps):
        content = _centred(document, names, STAMP_FONT, 7.5, FOOTER_COLOUR, width / 2, 14,
                           f"{footer} · sida {stamp.page + 1} ({total})")
        if stamp.marking:
            content += _centred(document, names, STAMP_FONT_BOLD, 10, MARKING_COLOUR, width / 2, height - 16,
                                stamp.marking)
        contents.append(content)
    # One page that uses the fonts, so that reportlab writes their subsets with every code assigned above.
    for font, size in ((STAMP_FONT, 7.5), (STAMP_FONT_BOLD, 10)):
        canvas.setFont(font, size)
        canvas.drawString(0, 0, " ")
    canvas.showPage()
    canvas.save()
    return _Overlay(buffer.getvalue(), names, contents, sizes)


def _centred(document, names: set[str], font_name: str, size: float, colour: bytes, centre: float, y: float,
             text: str) -> bytes:
    """Text centred on x = centre, as reportlab's drawCentredString draws it, in the font's subset codes; the
    subsets' resource names are added to names."""
    font = pdfmetrics.getFont(font_name)
    x = centre - font.stringWidth(text, size) / 2
    shows = []
    for subset, chunk in font.splitString(text, document):
        name = font.getSubsetInternalName(subset, document)
        names.add(name)
        shows.append(b"%s %g Tf <%s> Tj " % (name.encode(), size, chunk.hex().encode()))
    shows = b"".join(shows)
    return b"BT %s 1 0 0 1 %.3f %.3f Tm %sET\n" % (colour, x, y, shows)


_BFCHAR = re.compile(rb"(\d+) beginbfchar\n(.*?)endbfchar", re.S)


def _unicode_values_only(stamps: Pdf) -> None:
    """reportlab maps the codes a font subset leaves unused to U+0000 in its ToUnicode CMap, which PDF/UA-1
    forbids (7.21.7): those entries go; the codes the stamp uses keep their Unicode values."""
    seen = set()
    for page in stamps.pages:
        fonts = page.obj.get(Name.Resources, Dictionary()).get(Name.Font, Dictionary())
        for key in fonts.keys():
            cmap = fonts[key].get(Name.ToUnicode)
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)

            def used(match: re.Match) -> bytes:
                lines = [line for line in match.group(2).splitlines(keepends=True)
                         if not line.rstrip().endswith(b"<0000>")]
                return b"%d beginbfchar\n%bendbfchar" % (len(lines), b"".join(lines))

            cmap.write(_BFCHAR.sub(used, cmap.read_bytes()))


def _own_resources(page: pikepdf.Page) -> tuple[Dictionary, Dictionary]:
    """A /Resources and /XObject of the page's own: pages copied from one file often share one dictionary."""
    resources = page.obj.get(Name.Resources)
    own = Dictionary({key: resources[key] for key in resources.keys()}) if resources is not None else Dictionary()
    xobjects = own.get(Name.XObject)
    own_x = Dictionary({key: xobjects[key] for key in xobjects.keys()}) if xobjects is not None else Dictionary()
    own[Name.XObject] = own_x
    page.obj[Name.Resources] = own
    return own, own_x


def _stamp(out: Pdf, placements: list[_Placement], overlay: _Overlay) -> None:
    """Draw the stamp over page n: the page's own content in q … Q, then the stamp as a form XObject, inside
    /Artifact BMC … EMC (page furniture, outside the reading order)."""
    with Pdf.open(io.BytesIO(overlay.fonts)) as carrier:
        _unicode_values_only(carrier)
        everything = carrier.pages[0].Resources.Font   # also reportlab's unembedded default, which is not used
        fonts = out.copy_foreign(carrier.make_indirect(Dictionary({n: everything[n] for n in overlay.font_names})))
    resources = out.make_indirect(Dictionary(Font=fonts))
    for page, placement, content, (width, height) in zip(out.pages, placements, overlay.contents, overlay.sizes):
        form = out.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, width, height],
                               Resources=resources)
        _, xobjects = _own_resources(page)
        name, n = "/NtStamp", 0
        while name in xobjects:
            n += 1
            name = f"/NtStamp{n}"
        xobjects[name] = form
        matrix = " ".join(f"{v:g}" for v in placement.matrix())
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        page.contents_add(out.make_stream(f"\nQ\n/Artifact BMC\nq {matrix} cm {name} Do Q\nEMC\n".encode()))


def _outline(out: Pdf, bookmarks: list[Bookmark]) -> None:
    items: dict[int, OutlineItem] = {}
    with out.open_outline() as outline:
        for bookmark in bookmarks:
            item = OutlineItem(bookmark.title, bookmark.page)
            items[id(bookmark)] = item
            parent = items.get(id(bookmark.parent)) if bookmark.parent else None
            (parent.children if parent else outline.root).append(item)


def _write(out: Pdf, version: str) -> bytes:
    """No object streams: the outline, metadata and every page's objects stay readable in the file as written.
    The version is the newest of the parts' (a structure tree, /Lang and /MarkInfo need 1.4 at least)."""
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, min_version=version)
    return buffer.getvalue()


def _tags(out: Pdf, sources: list[Pdf], ranges: list[tuple[int, int]], language: str) -> _Structure:
    structure = _Structure(out)
    pages = list(out.pages)
    for number, (source, (first, end)) in enumerate(zip(sources, ranges)):
        structure.add(number, source, pages[first:end], language)
    structure.finish()
    return structure


def _metadata(out: Pdf, metadata: dict, language: str, accessible: bool) -> None:
    """Info and XMP alike (title, author, subject, creator), the language, the title shown in the title bar, and
    the PDF/UA-1 claim when every part makes it."""
    for key, value in metadata.items():
        out.docinfo[Name(key)] = value
    out.Root[Name.Lang] = pikepdf.String(language)
    out.Root[Name.ViewerPreferences] = Dictionary(DisplayDocTitle=True)
    out.Root[Name.PageMode] = Name.UseOutlines
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp.load_from_docinfo(out.docinfo)
        xmp["dc:language"] = [language]
        if accessible:
            xmp["pdfuaid:part"] = "1"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def assemble(pdfs: list[bytes], bookmarks: list[Bookmark], stamps: list[Stamp], *, metadata: dict,
             language: str, footer: str) -> bytes:
    out, sources, ranges = _add_pages(pdfs)
    try:
        structure = _tags(out, sources, ranges, language)
        language = language or next(iter(structure.languages), "")
        placements = [_placement(page) for page in out.pages]
        _stamp(out, placements, _stamp_overlay([p.shown_size for p in placements], stamps, footer))
        _outline(out, bookmarks)
        _metadata(out, metadata, language, structure.all_accessible and bool(structure.parts))
        return _write(out, max([s.pdf_version for s in sources] + ["1.4"], key=_version_key))
    finally:
        for source in sources:
            source.close()
        out.close()
