"""What the secrecy gate reads from a stored PDF bilaga, read once and kept by the file's SHA-256 (db/018).

A public pack makes each public bilaga safe (``sanitize.make_public_safe``), compares its text with every secret
file of the store (``content.secret_content_anywhere``) and lets the gate read it (``gate.findings_in``). Stored
files never change, and making safe and reading are deterministic, so all of that except the matching depends only
on the file's bytes and on the code that reads them. ``examine`` does the reading once (when the file is
registered, or on first use for a file stored before db/018) and the pack keeps only the matching against the facts
and the store's index of the moment: a verdict is never kept, so secrecy set a minute ago still counts.

``EXAMINER`` is a hash of the modules and libraries that read the file: a row written by another version of them
is examined again, never used.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
"""Larger files are not examined when they are registered (their bytes would be held in memory twice); the pack
examines them when it needs them, as before."""


@dataclass(frozen=True)
class Examination:
    pages: int                       # the original's page count
    safe_sha256: str | None          # SHA-256 of the made-safe bytes, None when the file cannot be made safe
    refusal: str | None              # why it cannot be made safe (Swedish), else None
    pieces: list | None = None       # the gate's pieces of the made-safe bytes, [(where, text)], or None if …
    unreadable: str | None = None    # … the gate could not read them (its reason, Swedish)
    windows: frozenset = frozenset()  # sampled six-word windows of the made-safe page text (secret_content_anywhere)
    images: frozenset = frozenset()  # SHA-256 of each image of some size (content.image_hashes)

    def encoded(self) -> bytes | None:
        if self.safe_sha256 is None:
            return None
        return zlib.compress(json.dumps({"pieces": self.pieces, "unreadable": self.unreadable,
                                         "windows": sorted(self.windows), "images": sorted(self.images)}).encode(), 6)

    @classmethod
    def decoded(cls, pages: int, safe_sha256: str | None, refusal: str | None, blob: bytes | None) -> Examination:
        if safe_sha256 is None:
            return cls(pages, None, refusal)
        data = json.loads(zlib.decompress(blob))
        pieces = None if data["pieces"] is None else [tuple(p) for p in data["pieces"]]
        return cls(pages, safe_sha256, None, pieces, data["unreadable"], frozenset(data["windows"]),
                   frozenset(data["images"]))


@lru_cache(maxsize=1)
def examiner() -> str:
    """The version of everything that reads a file here: the source of the modules and the libraries' versions."""
    import pikepdf
    import pypdfium2

    from nämndtool.documents import pdfmerge
    from nämndtool.secrecy import content, extract, matching, sanitize

    digest = hashlib.sha256()
    for module in (sanitize, extract, content, matching, pdfmerge):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(f"{pikepdf.__version__} {pikepdf.__libqpdf_version__} {pypdfium2.version.PYPDFIUM_INFO} "
                  f"{pypdfium2.version.PDFIUM_INFO}".encode())
    return digest.hexdigest()[:32]


def made_safe(pdf: bytes) -> tuple[bytes | None, str | None]:
    """The bilaga made safe to publish, or None and the reason it cannot be."""
    from nämndtool.secrecy.sanitize import UnsafeBilaga, make_public_safe

    try:
        return make_public_safe(pdf), None
    except UnsafeBilaga as error:
        return None, error.reason


def examine(pdf: bytes, pages: int) -> tuple[Examination, bytes | None]:
    """Make ``pdf`` safe and read the made-safe bytes as the gate and the secret-file index do; with the made-safe
    bytes (None when it cannot be made safe). ``pages``: the original's page count."""
    safe, refusal = made_safe(pdf)
    if safe is None:
        return Examination(pages, None, refusal), None
    return read(safe, pages), safe


def read(safe: bytes, pages: int) -> Examination:
    """What the gate and ``secret_content_anywhere`` read from made-safe bytes."""
    from nämndtool.documents.pdfmerge import page_texts
    from nämndtool.secrecy.content import image_hashes, sampled_windows
    from nämndtool.secrecy.extract import Unreadable, pieces
    from nämndtool.secrecy.matching import words

    try:
        found, unreadable = [(p.where, p.text) for p in pieces(safe, "pdf")], None
    except Unreadable as error:
        found, unreadable = None, error.reason
    windows = sampled_windows([w for text in page_texts(safe) for w in words(text)])
    return Examination(pages, hashlib.sha256(safe).hexdigest(), None, found, unreadable, frozenset(windows),
                       frozenset(image_hashes(safe)))


def read_part(data: bytes) -> Examination:
    """What the gate reads from a part the program rendered for a pack (kallelse, contents, tjänsteskrivelse, list,
    a page saying a bilaga is missing): its pieces and image hashes, by the SHA-256 of its bytes. The final gate
    matches them against the facts and proves the pack's pages to be this part's (``proof``), so a part unchanged
    since the last pack is not read again."""
    from nämndtool.secrecy.content import image_hashes
    from nämndtool.secrecy.extract import Unreadable, pieces

    try:
        found, unreadable = [(p.where, p.text) for p in pieces(data, "pdf")], None
    except Unreadable as error:
        found, unreadable = None, error.reason
    return Examination(0, hashlib.sha256(data).hexdigest(), None, found, unreadable, frozenset(),
                       frozenset(image_hashes(data)))


def reading_key(sha256: str) -> str:
    """Where ``read_part``'s reading of the part with this SHA-256 is kept (``part_cache.DiskParts``): bound to the
    examiner's version, so other readers never use it."""
    return hashlib.sha256(f"läsning\0{examiner()}\0{sha256}".encode()).hexdigest()
