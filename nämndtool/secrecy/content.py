"""Is a secret file's content in this output? A secret file may come back with other bytes (saved again, printed
to PDF, pasted into another document), so the gate compares content, not only SHA-256.

Text: each page of the secret file as overlapping six-word windows (shingles); a page counts as found when at least
four fifths of its windows (at least twenty) are in the output, so a shared letterhead, a standard phrase or
another letter made from the same template is not enough. Scans (pages with
next to no text): their images, by the SHA-256 of the image data as stored, which copying pages keeps.
Fingerprints are kept per SHA-256 for the life of the process: stored files never change.

Every secret file of the store, wherever it belongs: before a public bilaga enters a public pack or export, its
text is compared with a persisted index of sampled windows (one window in eight, by a stable hash) of every secret
file's pages (``fil_avtryck``). The index is filled on first use for the files that lack it and kept: a one-off cost, measured at 52 s for the
4,982 secret files of the ten-year benchmark store (the largest meeting's public pack then took 5.0 s, the internal
one 2.7 s).
"""

import array
import hashlib
import io
import sys

from nämndtool.secrecy.extract import Piece, Unreadable, kind_of, pieces
from nämndtool.secrecy.matching import words

SHINGLE = 6
MIN_SHINGLES = 20
FOUND_SHARE = 0.8
MIN_IMAGE_BYTES = 20_000
SCAN_TEXT_CHARS = 40


class Fingerprint:
    def __init__(self, pages: list[set[int]], images: set[str]):
        self.pages = [p for p in pages if len(p) >= MIN_SHINGLES]
        self.images = images


_fingerprints: dict[str, Fingerprint] = {}


def shingles(tokens: list[str]) -> set[int]:
    """The six-word windows of ``tokens``, each as the hash of its words' stable numbers (``_word_number``): the
    same in every process of the same Python build, so that the windows of a reading can be kept with it
    (``pieces_shingles``)."""
    numbers = _word_numbers
    ids = [numbers.get(t) or _word_number(t) for t in tokens]
    return {hash(tuple(ids[i:i + SHINGLE])) for i in range(max(0, len(ids) - SHINGLE + 1))}


_word_numbers: dict[str, int] = {}


def _word_number(word: str) -> int:
    """A word's stable 64-bit number (BLAKE2b), kept for the process."""
    if len(_word_numbers) > 1_000_000:
        _word_numbers.clear()
    number = _word_numbers[word] = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big") | 1
    return number


SAMPLE = 8
MIN_SAMPLED = 3


def sampled_windows(tokens: list[str]) -> set[int]:
    """The six-word windows whose stable 63-bit hash is divisible by SAMPLE: the same in every process."""
    found = set()
    for i in range(max(0, len(tokens) - SHINGLE + 1)):
        value = int.from_bytes(hashlib.blake2b(" ".join(tokens[i:i + SHINGLE]).encode(), digest_size=8).digest(),
                               "big") >> 1
        if value % SAMPLE == 0:
            found.add(value)
    return found


def secret_content_anywhere(store, pdf: bytes) -> bool:
    """Whether a page of any secret file of the store is in ``pdf`` (four fifths of its sampled windows)."""
    from nämndtool.documents.pdfmerge import page_texts

    return secret_windows_anywhere(store, sampled_windows([w for text in page_texts(pdf) for w in words(text)]))


def secret_windows_anywhere(store, windows: set[int]) -> bool:
    """``secret_content_anywhere`` for a file whose sampled windows were read before (``examined``): matched
    against the store's index as it is now."""
    _index_secret_files(store)
    if not windows:
        return False
    return any(page["antal"] >= MIN_SAMPLED and page["delade"] >= FOUND_SHARE * page["antal"]
               for page in store.fingerprint_overlap(windows))


def _index_secret_files(store) -> None:
    """Fingerprint the secret files that lack one; looked for again only when the store has changed."""
    state = store.change_mark()
    if _indexed.get(id(store)) == state:
        return
    for row in store.secret_files_without_fingerprint():
        try:
            data = store.file_path(row["sha256"]).read_bytes()
        except Exception:  # noqa: BLE001 — a missing file is reported by 'namndtool check', not here
            continue
        store.save_fingerprint(row["sha256"], [sampled_windows(words(t)) for t in _page_texts_of(data, row["filnamn"])])
    _indexed[id(store)] = store.change_mark()


_indexed: dict[int, tuple[int, int]] = {}


def _page_texts_of(data: bytes, name: str | None) -> list[str]:
    kind = kind_of(name or "") or ("pdf" if data.startswith(b"%PDF") else None)
    if kind == "pdf":
        from nämndtool.documents.pdfmerge import page_texts
        return page_texts(data)
    if kind in ("docx", "json", "eml"):
        try:
            return [" ".join(p.text for p in pieces(data, kind))]
        except Unreadable:
            return []
    return []


def secret_content(data: bytes, kind: str, parts: list[Piece], facts, images: set[str] | None = None,
                   more: set[int] | None = None) -> list[str]:
    """``images``: the PDF's image hashes when they were read before (``examined``), else read from ``data``.
    ``more``: six-word windows of text read before that the output also holds (``pieces_shingles``: the pages a
    public pack copied from examined bilagor, ``secrecy.proof``)."""
    if not facts.files or facts.store is None:
        return []
    output = shingles([w for piece in parts for w in words(piece.text)])
    if more:
        output |= more
    if images is None:
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


def pieces_shingles(parts: list[Piece], kept=None, key: str | None = None) -> set[int]:
    """``shingles`` of the words of ``parts``, kept by what was read (``reading_digest``, or ``key`` when the
    caller has it) for the life of the process and, with ``kept`` (``part_cache.DiskParts``), on disk, bound to the
    examiner's version and the Python build (``shingles_key``)."""
    key = key or reading_digest(parts)
    found = _examined_shingles.get(key)
    if found is not None:
        return found
    where = shingles_key(key) if kept is not None else None
    blob = kept.get(where) if where else None
    if blob is not None and len(blob) % 8 == 0:
        found = set(array.array("q", blob))
    else:
        found = shingles([w for piece in parts for w in words(piece.text)])
        if where:
            kept.put(where, array.array("q", sorted(found)).tobytes())
    if len(_examined_shingles) > 256:
        _examined_shingles.clear()
    _examined_shingles[key] = found
    return found


def reading_digest(parts: list[Piece]) -> str:
    """The SHA-256 of what was read (each piece's place and text): what the kept windows and matching are a
    function of, whatever bytes the reading says it was made from."""
    digest = hashlib.sha256()
    for piece in parts:
        for value in (piece.where, piece.text):
            data = value.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def shingles_key(sha256: str) -> str:
    """Where the windows of the reading with this ``reading_digest`` are kept: bound to the examiner's version
    (this module's source among it) and to the Python build, whose tuple hash makes them."""
    from nämndtool.secrecy.examined import examiner

    return hashlib.sha256(f"fönster\0{examiner()}\0{sys.version}\0{sys.hash_info}\0{sha256}".encode()).hexdigest()


_examined_shingles: dict[str, set[int]] = {}


def _fingerprint(store, sha: str, name: str) -> Fingerprint | None:
    if sha in _fingerprints:
        return _fingerprints[sha]
    try:
        data = store.file_path(sha).read_bytes()
    except Exception:  # noqa: BLE001 — a missing secret file cannot be in the output by content
        return None
    texts = _page_texts_of(data, name)
    scanned = data.startswith(b"%PDF") and texts and all(len(t.strip()) < SCAN_TEXT_CHARS for t in texts)
    _fingerprints[sha] = Fingerprint([shingles(words(t)) for t in texts], image_hashes(data) if scanned else set())
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
