"""What the final gate of a public pack need not read again: bilaga pages proven, by their bytes, to be pages of a
made-safe copy that the gate has read already (issue 15, B).

A public pack is a few pages the program made (kallelse, contents, tjänsteskrivelser, lists, pages saying a bilaga
is missing) and many bilaga pages copied from made-safe copies (``secrecy.examined``), each of them read by the gate
when it was examined and matched against the facts of this build. Reading those pages a second time in the
assembled file is most of the final gate's work. It can be skipped only where it is PROVEN that the assembled file
holds exactly what was read: the assembler's word (page ranges, which part is which) is never taken.

The proof, page by page of the assembled file:

* a run of the page's /Contents streams is, stream for stream, the content of one page of an examined copy: the
  same stream dictionary (but /Length) and the same raw bytes, so the same decoded content; the streams before
  that run do nothing but save the graphics state (``q``), so they cannot change how the run is shown or read;
* each entry of the page's own /Resources (a font, an image, a form, a colour space … by kind and name) whose whole
  subgraph hashes the same as the same entry of that copy page's resources (scalars and names by their bytes,
  dictionaries key by key, arrays item by item, streams by dictionary and raw bytes; a cycle proves nothing).

What is proven is taken out of a RESIDUAL copy of the pack: the page keeps its other content streams (the stamp),
every resource not proven identical or named by what remains of its content, its annotations and every other key.
The gate then reads the residual in full, as it reads any PDF (``extract.pieces``): the pages the pack made, the
stamps and footers, the outline, the document information, XMP, the structure tree, names, and every object of the
assembled file that is not inside a proven subgraph (kept reachable in the residual even when nothing in the pack
refers to it). The bytes outside the objects and earlier revisions are read from the assembled bytes themselves.
A file qpdf warns about, or any surprise, proves nothing: the whole pack is read as before.

The page text of the proven pages enters the comparison with the secret files' content through what the gate read
from their copies (``secret_content``: the pack's six-word windows are the residual's and the copies' together).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, ObjectType

_REFERENCE = re.compile(rb"\d+\s+\d+\s+R")
_ONLY_SAVES = re.compile(rb"[\sq]*")
_NAMED_BY = {  # content operators whose name operand is a resource, and its kind
    "Tf": "/Font", "Do": "/XObject", "gs": "/ExtGState", "cs": "/ColorSpace", "CS": "/ColorSpace",
    "sh": "/Shading", "scn": "/Pattern", "SCN": "/Pattern", "BDC": "/Properties", "DP": "/Properties"}


class _NotProven(Exception):
    pass


@dataclass
class Residual:
    pdf: bytes                     # the pack with the proven page content and resources taken out
    proven_pages: int = 0          # pages whose copied content was proven identical to an examined copy's page
    copies_used: set[str] = field(default_factory=set)   # SHA-256 of the copies a proven page came from


class _Digests:
    """Canonical SHA-256 of objects of one PDF: equal digests in two files mean equal objects, whatever their
    object numbers. Indirect objects are kept by number, so shared fonts are hashed once."""

    def __init__(self):
        self.memo: dict[tuple[int, int], bytes] = {}
        self.active: set[tuple[int, int]] = set()

    def of(self, value) -> bytes:
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            key = value.objgen
            known = self.memo.get(key)
            if known is not None:
                return known
            if key in self.active:
                raise _NotProven()
            self.active.add(key)
            try:
                digest = self._direct(value)
            finally:
                self.active.discard(key)
            self.memo[key] = digest
            return digest
        return self._direct(value)

    def _direct(self, value) -> bytes:
        if not isinstance(value, pikepdf.Object):
            return hashlib.sha256(b"v" + type(value).__name__.encode() + b"\0" + repr(value).encode()).digest()
        code = value._type_code
        if code == ObjectType.stream:
            digest = hashlib.sha256(b"s")
            digest.update(self._dictionary(value.stream_dict, skip=("/Length",)))
            digest.update(hashlib.sha256(value.read_raw_bytes()).digest())
            return digest.digest()
        if code in (ObjectType.dictionary, ObjectType.array):
            text = value.unparse(resolved=True)
            if not _REFERENCE.search(text):   # no reference inside: its bytes are its content
                return hashlib.sha256(b"t" + text).digest()
            if code == ObjectType.dictionary:
                return hashlib.sha256(b"d" + self._dictionary(value)).digest()
            digest = hashlib.sha256(b"a")
            for item in value:
                digest.update(self.of(item))
            return digest.digest()
        return hashlib.sha256(b"o" + value.unparse(resolved=True)).digest()

    def _dictionary(self, dictionary, skip=()) -> bytes:
        digest = hashlib.sha256()
        try:
            keys = sorted(dictionary.keys())
        except UnicodeDecodeError:
            raise _NotProven() from None
        for key in keys:
            if key in skip:
                continue
            digest.update(key.encode() + b"\0" + self.of(dictionary[key]))
        return digest.digest()


@dataclass
class _CopyPage:
    contents: list[bytes]              # the digest of each content stream, in order
    resources: dict[tuple[str, str], bytes]   # (kind, name) → digest of the resource's subgraph
    copy: str                          # the copy's SHA-256


def _streams(contents) -> list:
    if isinstance(contents, pikepdf.Object) and contents._type_code == ObjectType.stream:
        return [contents]
    if isinstance(contents, pikepdf.Object) and contents._type_code == ObjectType.array:
        return list(contents)
    return []


def _inherited(page: pikepdf.Object, key: str):
    node, hops = page, 0
    while isinstance(node, pikepdf.Object) and node._type_code == ObjectType.dictionary and hops < 64:
        if key in node:
            return node[key]
        node, hops = node.get("/Parent"), hops + 1
    return None


def _resources(resources, digests: _Digests) -> dict[tuple[str, str], bytes]:
    found = {}
    if not isinstance(resources, Dictionary):
        return found
    for kind in resources.keys():
        entries = resources[kind]
        if isinstance(entries, Dictionary):
            for name in entries.keys():
                found[(kind, name)] = digests.of(entries[name])
        else:
            found[(kind, "")] = digests.of(entries)
    return found


_copy_pages: dict[str, list[_CopyPage]] = {}


def _pages_of_copy(safe: bytes, sha256: str) -> list[_CopyPage]:
    """Each page of a made-safe copy as the proof compares it; kept per SHA-256 (a copy never changes)."""
    if sha256 in _copy_pages:
        return _copy_pages[sha256]
    pages = []
    try:
        with pikepdf.open(io.BytesIO(safe), attempt_recovery=False) as pdf:
            digests = _Digests()
            for page in pdf.pages:
                streams = _streams(page.obj.get("/Contents"))
                if not streams or not all(s._type_code == ObjectType.stream for s in streams):
                    continue
                try:
                    pages.append(_CopyPage([digests.of(s) for s in streams],
                                           _resources(_inherited(page.obj, "/Resources"), digests), sha256))
                except _NotProven:
                    continue
            if pdf.get_warnings():
                pages = []
    except Exception:  # noqa: BLE001 — a copy that cannot be read proves nothing; its pages are read as before
        pages = []
    if len(_copy_pages) > 512:
        _copy_pages.clear()
    _copy_pages[sha256] = pages
    return pages


def residual(data: bytes, copies: dict[str, bytes]) -> Residual | None:
    """The assembled PDF ``data`` with what is proven to come from the made-safe ``copies`` (SHA-256 → bytes, each
    checked against its SHA-256 here) taken out; None when nothing could be proven (read ``data`` itself)."""
    by_first: dict[bytes, list[_CopyPage]] = {}
    for sha256, safe in copies.items():
        if hashlib.sha256(safe).hexdigest() != sha256:
            continue
        for page in _pages_of_copy(safe, sha256):
            by_first.setdefault(page.contents[0], []).append(page)
    if not by_first:
        return None
    try:
        return _residual(data, by_first)
    except _NotProven:
        return None
    except Exception:  # noqa: BLE001 — any surprise proves nothing: the gate reads the whole pack
        return None


def _residual(data: bytes, by_first: dict[bytes, list[_CopyPage]]) -> Residual | None:
    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        digests = _Digests()
        result = Residual(b"")
        changes = []
        for page in pdf.pages:
            change = _prove_page(page.obj, by_first, digests)
            if change is not None:
                changes.append((page.obj, *change))
                result.copies_used.add(change[2])
        if not changes or pdf.get_warnings():
            return None
        # Every object of the file stays reachable in the residual unless it was hashed: what was hashed is either
        # inside a proven subgraph, identical to the copy's, or part of what the residual keeps anyway (a page not
        # proven, a resource left on a page). So an object nothing refers to is read too.
        rest = [obj for obj in pdf.objects
                if isinstance(obj, pikepdf.Object) and obj.is_indirect and obj.objgen not in digests.memo
                and obj._type_code != ObjectType.null]
        if pdf.get_warnings():
            return None
        for obj, kept_contents, kept_resources, _ in changes:
            obj[Name.Contents] = Array(kept_contents)
            obj[Name.Resources] = kept_resources
        pdf.Root[Name("/NtUnproven")] = pdf.make_indirect(Array(rest))
        result.proven_pages = len(changes)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
        result.pdf = buffer.getvalue()
        return result


def _prove_page(page: pikepdf.Object, by_first: dict[bytes, list[_CopyPage]], digests: _Digests):
    """(kept content streams, kept resources, copy) for a page with a run of content proven to be a copy page's,
    else None."""
    streams = _streams(page.get("/Contents"))
    if not streams or not all(isinstance(s, pikepdf.Object) and s._type_code == ObjectType.stream and s.is_indirect
                              for s in streams):
        return None
    try:
        own = [digests.of(s) for s in streams]
    except _NotProven:
        return None
    for start, digest in enumerate(own):
        for candidate in by_first.get(digest, ()):
            end = start + len(candidate.contents)
            if own[start:end] != candidate.contents:
                continue
            try:
                if not all(_ONLY_SAVES.fullmatch(s.read_bytes()) for s in streams[:start]):
                    continue
                taken = _taken_out(page, streams, start, end, candidate, digests)
            except (_NotProven, pikepdf.PdfError):
                continue
            if taken is not None:
                return taken
    return None


def _taken_out(page, streams, start, end, candidate: _CopyPage, digests: _Digests):
    """What the residual keeps of a page whose content streams ``start:end`` are the copy page's: None unless every
    resource of the copy page is on the page with the same digest and the page adds nothing but forms (the stamp):
    a changed font, graphics state or any other added kind could show that content as other text."""
    resources = _inherited(page, "/Resources")
    if resources is not None and not isinstance(resources, Dictionary):
        return None
    here = _resources(resources, digests)
    if any(here.get(key) != digest for key, digest in candidate.resources.items()):
        return None
    if any(kind != "/XObject" for kind, _ in here.keys() - candidate.resources.keys()):
        return None
    kept_streams = streams[end:]   # those before the run were checked to hold nothing but q
    used = _named_in(kept_streams)
    kept = Dictionary()
    for kind in (resources.keys() if resources is not None else ()):
        entries = resources[kind]
        if not isinstance(entries, Dictionary):
            if (kind, "") not in candidate.resources:
                kept[kind] = entries
            continue
        left = Dictionary()
        for name in entries.keys():
            if (kind, name) in used or (kind, name) not in candidate.resources:
                left[name] = entries[name]
        if len(left):
            kept[kind] = left
    return kept_streams, kept, candidate.copy


def _digest(digests: _Digests, value) -> bytes | None:
    try:
        return digests.of(value)
    except _NotProven:
        return None


def _named_in(streams: list) -> set[tuple[str, str]]:
    """The resources (kind, name) that the content left on a page names; all of them stay."""
    used = set()
    for stream in streams:
        try:
            instructions = pikepdf.parse_content_stream(stream)
        except (pikepdf.PdfError, ValueError, TypeError):
            raise _NotProven() from None
        for instruction in instructions:
            kind = _NAMED_BY.get(str(instruction.operator))
            if kind is None:
                continue
            for operand in instruction.operands:
                if isinstance(operand, pikepdf.Object) and operand._type_code == ObjectType.name_:
                    used.add((kind, str(operand)))
    return used
