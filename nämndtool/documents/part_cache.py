"""The meeting pack's rendered parts kept on disk by content, so that a pack built again after one change renders
only what changed (issue 15).

Where: a folder ``.<namn>.delar`` beside the store file, not the user's cache folder. A part of a secret item's
tjänsteskrivelse is as secret as the store, so it lives where the store and its files live (the same disk, the same
backups policy, the same people with access) and is created readable by the user alone (0700 folder, 0600 files),
never less protected than the store's own files. A copied or restored store starts with an empty cache.

What a part is kept by: the SHA-256 of everything it is made from. For a rendered document that is the JSON the
typst layout reads (the document model with the branding's values, so a changed text, secrecy marking or branding
gives another key), its date, the branding's font and logo bytes, the layout and the renderer's own source, and
typst's version. Nothing is ever invalidated by time: a key that is not asked for any more is only evicted.

The made-safe copies of PDF bilagor are kept apart, in ``offentliga/`` (``SafeCopies``): by the SHA-256 of their own
bytes, written when a file is examined and never evicted, so that a cold or cleared part cache does not make every
public bilaga safe again.

Each file is the SHA-256 of its payload followed by the payload, written atomically; a file whose checksum does not
match (truncated, damaged, changed by hand) is removed and the part made again, never used. Bounded: when the
folder holds more than ``LIMIT`` bytes, the parts used longest ago (by modification time, set again on every use)
are removed until it holds three quarters of it.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

LIMIT = 256 * 1024 * 1024
PREFIX = 32   # bytes of the SHA-256 before the payload


def folder_of(store_path: Path) -> Path:
    return store_path.with_name(f".{store_path.name}.delar")


class DiskParts:
    def __init__(self, folder: Path, limit: int = LIMIT):
        self.folder = Path(folder)
        self.limit = limit

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = data[PREFIX:]
        if len(data) < PREFIX or hashlib.sha256(payload).digest() != data[:PREFIX]:
            self._remove(path)
            return None
        try:
            os.utime(path)   # used now: evicted last
        except OSError:
            pass
        return payload

    def put(self, key: str, payload: bytes) -> None:
        path = self._path(key)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(mode=0o700, exist_ok=True)
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(handle, "wb") as out:   # no fsync: a torn file fails its checksum and is made again
                out.write(hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
            self._evict()
        except OSError:
            self._remove(tmp)   # a full or read-only disk: the pack is built without keeping the part

    def _evict(self) -> None:
        files = []
        for path in self.folder.glob("??/*"):
            try:
                info = path.stat()
            except OSError:
                continue
            files.append((info.st_mtime_ns, info.st_size, path))
        total = sum(size for _, size, _ in files)
        if total <= self.limit:
            return
        for _, size, path in sorted(files):
            self._remove(path)
            total -= size
            if total <= self.limit * 3 // 4:
                return

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass


class SafeCopies:
    """The made-safe copy of each stored PDF bilaga (``secrecy.examined``), written when the file is examined (at
    attach or import, or on first use) so that no pack makes it safe again. Kept by the SHA-256 of its own bytes
    in ``offentliga/`` of the part folder, which the part cache's eviction never touches: a copy is as lasting as
    the examination that names it. A copy that is missing (a copied or restored store, a deleted folder) or whose
    bytes do not match their name is made again from the stored file by the pack and checked against the SHA-256
    the examination recorded, never used unchecked."""

    def __init__(self, folder: Path):
        self.folder = Path(folder) / "offentliga"

    def _path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def get(self, sha256: str) -> bytes | None:
        try:
            data = self._path(sha256).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != sha256:
            DiskParts._remove(self._path(sha256))
            return None
        return data

    def put(self, data: bytes) -> None:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if path.exists():
            return
        tmp = path.with_name(f".{sha256}.{os.getpid()}.tmp")
        try:
            self.folder.parent.mkdir(mode=0o700, exist_ok=True)
            self.folder.mkdir(mode=0o700, exist_ok=True)
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(handle, "wb") as out:   # no fsync: a torn copy fails its SHA-256 and is made again
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            DiskParts._remove(tmp)   # a full or read-only disk: the pack makes the copy when it needs it


def safe_copies(store_path) -> SafeCopies:
    return SafeCopies(folder_of(Path(store_path)))


def for_store(store) -> DiskParts | None:
    """The store's part cache; None for a store opened read-only (nothing is written beside it)."""
    if getattr(store, "read_only", False):
        return None
    return DiskParts(folder_of(Path(store.path)))


def document_key(document, branding) -> str:
    """The SHA-256 of what a rendered PDF of ``document`` is made from (see the module's docstring). Found without
    the renderer's workspace (whose set of drawable characters costs a parse of every font): the document's data
    with every character as written, and the bytes of the layout, the fonts and the logo that decide how each is
    drawn."""
    from nämndtool.documents import render_pdf as renderer

    logo, inputs = _inputs(branding)
    digest = hashlib.sha256(b"pdf\0")
    digest.update(_engine().encode())
    digest.update(inputs.encode())
    digest.update(renderer.document_data(document, branding, logo, _EVERY_CHARACTER).encode())
    digest.update(repr(document.metadata).encode())
    return digest.hexdigest()


class _EveryCharacter:
    """A set of drawable characters that holds them all: the data as written, before the fonts decide."""

    def __contains__(self, _character) -> bool:
        return True


_EVERY_CHARACTER = _EveryCharacter()


def _inputs(branding) -> tuple[str | None, str]:
    """The logo's name in the workspace and the SHA-256 of the files the renderer's workspace compiles with (the
    layout, the branding's fonts and logo), read once per branding as the workspace is found
    (``render_pdf._workspace``: by where they are read from and when those files last changed)."""
    from nämndtool.assets import resource
    from nämndtool.documents import render_pdf as renderer

    styles = renderer._FONT_STYLES
    key = (str(branding.base_dir), tuple(branding.values["font"][s] for s in styles),
           branding.values["organisation"]["logo"], renderer._changed(branding))
    found = _inputs_of.get(key)
    if found is None:
        digest = hashlib.sha256(b"document.typ\0" + hashlib.sha256(resource("typst", "document.typ").read_bytes())
                                .digest())
        for style in styles:
            digest.update(f"{style}\0".encode() + hashlib.sha256(branding.font_file(style)).digest())
        logo = branding.logo()
        name = None if logo is None else "logo" + renderer._image_suffix(logo)
        digest.update(f"{name}\0".encode() + hashlib.sha256(logo or b"").digest())
        found = _inputs_of[key] = (name, digest.hexdigest())
    return found


_inputs_of: dict[tuple, tuple[str | None, str]] = {}


@lru_cache(maxsize=1)
def _engine() -> str:
    import typst

    from nämndtool.documents import render_pdf as renderer

    return f"{getattr(typst, '__version__', '')} {renderer.STANDARDS} " + hashlib.sha256(
        Path(renderer.__file__).read_bytes()).hexdigest()
