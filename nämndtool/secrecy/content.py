"""Is a secret file's content in this output? A secret file may come back with other bytes (saved again, printed
to PDF, pasted into another document), so the gate compares content, not only SHA-256.

Text: each page of the secret file as overlapping six-word windows (shingles); a page counts as found when at least
half of its windows are in the output, so a shared letterhead or a standard phrase is not enough. Scans (pages with
next to no text): their images, by the SHA-256 of the image data as stored, which copying pages keeps.
Fingerprints are kept per SHA-256 for the life of the process: stored files never change.
"""

import hashlib
import io

from nämndtool.secrecy.extract import Piece, Unreadable, kind_of, pieces
from nämndtool.secrecy.matching import words

SHINGLE = 6
MIN_SHINGLES = 12
FOUND_SHARE = 0.5
MIN_IMAGE_BYTES = 20_000
SCAN_TEXT_CHARS = 40


class Fingerprint:
    def __init__(self, pages: list[set[int]], images: set[str]):
        self.pages = [p for p in pages if len(p) >= MIN_SHINGLES]
        self.images = images


_fingerprints: dict[str, Fingerprint] = {}


def shingles(tokens: list[str]) -> set[int]:
    return {hash(tuple(tokens[i:i + SHINGLE])) for i in range(max(0, len(tokens) - SHINGLE + 1))}


def secret_content(data: bytes, kind: str, parts: list[Piece], facts) -> list[str]:
    if not facts.files or facts.store is None:
        return []
    output = shingles([w for piece in parts for w in words(piece.text)])
    images = image_hashes(data) if kind == "pdf" else set()
    found = []
    for sha, label in facts.files.items():
        fingerprint = _fingerprint(facts.store, sha, facts.file_names.get(sha, ""))
        if fingerprint is None:
            continue
        if any(len(page & output) >= FOUND_SHARE * len(page) for page in fingerprint.pages) or (
                fingerprint.images & images):
            found.append(f"innehåll ur {label}")
    return found


def _fingerprint(store, sha: str, name: str) -> Fingerprint | None:
    if sha in _fingerprints:
        return _fingerprints[sha]
    try:
        data = store.file_path(sha).read_bytes()
    except Exception:  # noqa: BLE001 — a missing secret file cannot be in the output by content
        return None
    kind = kind_of(name) or ("pdf" if data.startswith(b"%PDF") else None)
    pages: list[set[int]] = []
    images: set[str] = set()
    if kind == "pdf":
        from nämndtool.documents.pdfmerge import page_texts

        texts = page_texts(data)
        pages = [shingles(words(t)) for t in texts]
        if texts and all(len(t.strip()) < SCAN_TEXT_CHARS for t in texts):
            images = image_hashes(data)
    elif kind in ("docx", "json", "eml"):
        try:
            pages = [shingles([w for p in pieces(data, kind) for w in words(p.text)])]
        except Unreadable:
            pages = []
    _fingerprints[sha] = Fingerprint(pages, images)
    return _fingerprints[sha]


def image_hashes(pdf: bytes) -> set[str]:
    """SHA-256 of the raw data of every image of some size in the PDF."""
    import pikepdf

    found = set()
    try:
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            for obj in opened.objects:
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
                    raw = obj.read_raw_bytes()
                    if len(raw) >= MIN_IMAGE_BYTES:
                        found.add(hashlib.sha256(raw).hexdigest())
    except Exception:  # noqa: BLE001 — unreadable here means the extractor refused it already
        return found
    return found
