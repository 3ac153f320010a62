"""The gate every public output passes last.

It reads the finished bytes (PDF, DOCX, e-mail draft, JSON) with extractors other than the ones that wrote them
(``extract``), and refuses, writing nothing, when it finds a secret ärende's title, a name tied to a secret
ärende, a secret ärende's diary number where the output may not show it, a secret file's content, a personnummer
or samordningsnummer, or the internal marking. The message names the output, the page or part and the kind of
finding, never the secret itself in full.

The documents leave secrets out by construction (their context functions); the gate is what makes a mistake
upstream harmless instead of a leak.
"""

import email
import email.policy
import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.errors import NamndtoolError
from nämndtool.personnummer import scan
from nämndtool.secrecy import content, extract
from nämndtool.secrecy.extract import Piece, Unreadable, kind_of, pieces
from nämndtool.secrecy.facts import SecretFacts
from nämndtool.secrecy.labels import INTERNAL_MARK
from nämndtool.secrecy.matching import diary_numbers, normalise, words

MAX_LINES = 12


@dataclass(frozen=True)
class Finding:
    where: str
    what: str


class GateError(NamndtoolError):
    """A public output was refused; nothing was written. ``findings`` says where and what."""

    def __init__(self, output: str, findings: list[Finding]):
        self.output = output
        self.findings = findings
        unique = list(dict.fromkeys(f"{f.where}: {f.what}" for f in findings))
        lines = "\n".join(f"  – {line}" for line in unique[:MAX_LINES])
        more = f"\n  … och {len(unique) - MAX_LINES} till" if len(unique) > MAX_LINES else ""
        super().__init__(
            f"Den offentliga versionen av ”{output}” skapades inte, eftersom den innehåller uppgifter som inte får "
            f"lämnas ut:\n{lines}{more}\nIngenting har skrivits. Ta bort eller maskera uppgiften i underlaget "
            "(till exempel ÅÅMMDD-XXXX för ett personnummer), eller markera det som ska vara hemligt som sekretess, "
            "och försök igen."
        )


@dataclass
class PackFacts(SecretFacts):
    """The facts of a public pack, with what its bilaga pages were copied from: ``examined`` is [(made-safe bytes,
    ``examined.Examination``)], ``bilaga_facts`` the facts the pack matched each bilaga against (their verdicts are
    reused only when they are these facts without OSL 5:2 list pages). ``check`` then reads everything of the pack
    but what it proves, by the bytes, to be those copies' pages (``findings_in_pack``)."""

    examined: list = field(default_factory=list)
    bilaga_facts: SecretFacts | None = None
    readings: object = None   # where readings of rendered parts are kept by content (part_cache.DiskParts), or None


def pack_facts(facts: SecretFacts, examined: list, bilaga_facts: SecretFacts | None = None,
               readings=None) -> PackFacts:
    """``examined``: every part of the pack as [(bytes, examination)], the examination None for a part the program
    rendered (the gate reads it, or takes its reading kept by content in ``readings``)."""
    return PackFacts(**{f.name: getattr(facts, f.name) for f in fields(SecretFacts)}, examined=list(examined),
                     bilaga_facts=bilaga_facts, readings=readings)


def check(data: bytes, kind: str, output: str, facts: SecretFacts) -> None:
    """Raise GateError unless ``data`` (a finished public file of ``kind``) is free of secrets."""
    if isinstance(facts, PackFacts) and kind == "pdf":
        findings = findings_in_pack(data, facts, facts.examined, facts.bilaga_facts, facts.readings)
    else:
        findings = findings_in(data, kind, facts)
    if findings:
        raise GateError(output, findings)


def write_public(store, path: Path, data: bytes, *, output: str, facts: SecretFacts, slag: str,
                 meeting_id: int | None = None, arende_id: int | None = None) -> None:
    """Check, write atomically, and record where the public version went (so a later change of secrecy can say
    where to withdraw it)."""
    kind = kind_of(str(path)) or "pdf"
    check(data, kind, output, facts)
    write_atomic(Path(path), data)
    store.record_publication(slag, str(path), sha256=hashlib.sha256(data).hexdigest(), meeting_id=meeting_id,
                             arende_id=arende_id)


def findings_in(data: bytes, kind: str, facts: SecretFacts) -> list[Finding]:
    digest = hashlib.sha256(data).hexdigest()
    known = _known(digest, kind, facts)
    if known is not None:
        return known
    found: list[Finding] = []
    try:
        if kind == "eml":
            parts, attachments = _split_eml(data)
            for name, attachment_kind, payload in attachments:
                found += [Finding(f"den bifogade filen ”{_short(name)}”, {f.where}", f.what)
                          for f in findings_in(payload, attachment_kind, facts)]
        else:
            parts = pieces(data, kind)
    except Unreadable as error:
        return [Finding("filen", f"den kunde inte läsas i sin helhet för kontroll ({error.reason})")]
    found += _text_findings(parts, facts)
    found += [Finding("filens innehåll", what) for what in content.secret_content(data, kind, parts, facts)]
    facts.verdicts[(digest, kind)] = found
    return found


def findings_in_examined(examination, facts: SecretFacts, readings=None) -> list[Finding]:
    """``findings_in(safe, "pdf", facts)`` for a made-safe PDF whose pieces and image hashes were read before
    (``examined.Examination``, kept by the SHA-256 of the made-safe bytes): the same matching, the same result.
    ``readings``: where the six-word windows of the reading are kept (``part_cache.DiskParts``), or None."""
    digest = examination.safe_sha256
    known = _known(digest, "pdf", facts)
    if known is not None:
        return known
    if examination.pieces is None:
        return [Finding("filen", f"den kunde inte läsas i sin helhet för kontroll ({examination.unreadable})")]
    parts = [Piece(where, text) for where, text in examination.pieces]
    reading = content.reading_digest(parts)
    found = _text_findings(parts, facts, _prepared_reading(reading, parts, readings))
    if facts.files and facts.store is not None:   # else secret_content compares nothing
        found += [Finding("filens innehåll", what)
                  for what in content.secret_content(b"", "pdf", [], facts, set(examination.images),
                                                     content.pieces_shingles(parts, readings, reading))]
    facts.verdicts[(digest, "pdf")] = found
    return found


def findings_in_pack(data: bytes, facts: SecretFacts, examined: list, bilaga_facts: SecretFacts | None = None,
                     readings=None) -> list[Finding]:
    """``findings_in(data, "pdf", facts)`` for an assembled public pack made of ``examined`` parts ([(bytes,
    examination)]: a bilaga's made-safe copy with what was read from it when it was examined, or a rendered part
    with None, read here by its bytes or taken from ``readings`` by its SHA-256): whatever of ``data`` is proven by
    its bytes to be a page of such a part (``proof``) is not read again; everything else is, and the parts' own
    readings are matched here against the facts (without OSL 5:2 list pages: a part that shows a listed number is
    left unproven, and read where it stands in the pack)."""
    from nämndtool.secrecy import proof

    digest = hashlib.sha256(data).hexdigest()
    known = _known(digest, "pdf", facts)
    if known is not None:
        return known
    strict = _facts_for_bilagor(facts, bilaga_facts)
    copies, read = {}, {}
    for safe, examination in examined:
        if examination is None:
            examination = _reading_of_part(safe, readings)
        sha = examination.safe_sha256
        if (sha is None or examination.pieces is None or sha in copies
                or hashlib.sha256(safe).hexdigest() != sha):
            continue
        if findings_in_examined(examination, strict, readings) or _secret_file_anywhere(facts, examination):
            continue   # not proven: its pages are read in the pack and found there
        copies[sha], read[sha] = safe, examination
    rest = proof.residual(data, copies) if copies else None
    if rest is None:
        return findings_in(data, "pdf", facts)
    try:
        parts = extract.pdf_objects(rest.pdf) + extract.pdf_envelope(data)
    except Unreadable as error:
        return [Finding("filen", f"den kunde inte läsas i sin helhet för kontroll ({error.reason})")]
    found = _text_findings(parts, facts)
    images = content.image_hashes(rest.pdf)
    more: set[int] = set()
    for sha in sorted(rest.copies_used):
        images |= set(read[sha].images)
        if facts.files and facts.store is not None:   # else secret_content compares nothing
            more |= content.pieces_shingles([Piece(where, text) for where, text in read[sha].pieces], readings)
    found += [Finding("filens innehåll", what)
              for what in content.secret_content(rest.pdf, "pdf", parts, facts, images, more)]
    facts.verdicts[(digest, "pdf")] = found
    return found


_readings: dict[str, object] = {}
_kept: set[tuple[str, str]] = set()   # (folder, SHA-256) of the readings known to be kept on disk there


def _reading_of_part(data: bytes, readings):
    """``examined.read_part`` of a rendered part, kept by the SHA-256 of its bytes for the process and, with
    ``readings`` (``part_cache.DiskParts``), on disk."""
    from nämndtool.secrecy import examined

    sha = hashlib.sha256(data).hexdigest()
    key = examined.reading_key(sha) if readings is not None else None
    where = (str(getattr(readings, "folder", id(readings))), sha)
    found = _readings.get(sha)
    if found is not None:
        if key and where not in _kept:   # read in this process for another store's pack
            readings.put(key, found.encoded())
            _kept.add(where)
        return found
    blob = readings.get(key) if key else None
    if blob is not None:
        try:
            found = examined.Examination.decoded(0, sha, None, blob)
        except Exception:  # noqa: BLE001 — a reading that cannot be decoded is read again
            found = None
    if found is None:
        found = examined.read_part(data)
        if key and found.encoded() is not None:
            readings.put(key, found.encoded())
    if key:
        _kept.add(where)
    if len(_readings) > 256:
        _readings.clear()
        _kept.clear()
    _readings[sha] = found
    return found


def _secret_file_anywhere(facts: SecretFacts, examination) -> bool:
    return facts.store is not None and content.secret_windows_anywhere(facts.store, set(examination.windows))


_SAME_FACTS = ("titles", "names", "numbers", "listed_numbers", "files", "file_names")


def _facts_for_bilagor(facts: SecretFacts, given: SecretFacts | None) -> SecretFacts:
    """The facts a bilaga's own reading is matched against: ``facts`` without OSL 5:2 list pages (a bilaga's page
    numbers are its own, not the pack's). ``given`` is used, with the verdicts it holds, only when it is exactly
    that: checked here, never assumed."""
    if (given is not None and not given.listed_pages and given.store is facts.store
            and all(getattr(given, name) == getattr(facts, name) for name in _SAME_FACTS)):
        return given
    return replace(facts, listed_pages=set(), verdicts={})


def _known(digest: str, kind: str, facts: SecretFacts) -> list[Finding] | None:
    """The findings for bytes with this SHA-256 when they are known without reading: a secret file itself, or
    already read against these facts."""
    if digest in facts.files:
        return [Finding("hela filen", f"{facts.files[digest]}")]
    return facts.verdicts.get((digest, kind))


def _text_findings(parts: list[Piece], facts: SecretFacts, prepared: list | None = None) -> list[Finding]:
    """``prepared``: ``_prepare`` of each of ``parts`` when it was done before (``_prepared_reading``)."""
    found: list[Finding] = []
    titles, names = facts.title_index, facts.name_index
    # A piece holds a title or a name only if it holds every word of it: the set look-ups (in C) spare the
    # word-by-word search of every piece that cannot hold one.
    phrase_words = [frozenset(phrase) for index in (titles, names) for phrase in index.phrases if phrase]
    for piece in (prepared if prepared is not None else map(_prepare, parts)):
        if piece is None:
            continue
        where, marked, hits, tokens, numbers = piece
        if marked:
            found.append(Finding(where, "märkningen för en intern version"))
        found += [Finding(where, hit) for hit in hits]
        present = set(tokens)
        if not any(phrase <= present for phrase in phrase_words):
            tokens = []
        for match in titles.find(tokens):
            found.append(Finding(where, f"rubriken på {facts.titles[match.key].label}"))
        for match in names.find(tokens):
            found.append(Finding(where, f"ett namn ({_initials(facts.names[match.key].text)}) som hör till "
                                        f"{facts.names[match.key].label}"))
        for number in numbers:
            if number in facts.listed_numbers and _page(where) in facts.listed_pages:
                continue   # a Meddelanden or delegationsbeslut list may show it (OSL 5 kap. 2 §)
            if number in facts.numbers:
                found.append(Finding(where, f"diarienumret för {facts.numbers[number]}"))
    return found


def _prepare(piece: Piece) -> tuple | None:
    """What ``_text_findings`` matches of a piece, whatever the facts: (where, whether it shows the internal
    marking, the personnummer findings, its words, its diary numbers); None for a piece without text."""
    text = normalise(piece.text)
    if not text.strip():
        return None
    marked = INTERNAL_MARK.casefold() in " ".join(text.split()).casefold()
    hits = [f"ett {hit.kind()} ({hit.masked()})" for hit in scan(text)]
    return (piece.where, marked, hits, words(text, normalised=True),
            sorted(diary_numbers(text, normalised=True)))


def _prepared_reading(digest: str, parts: list[Piece], kept=None) -> list:
    """``_prepare`` of every piece of a reading (``digest``: its ``content.reading_digest``), kept with ``kept``
    (``part_cache.DiskParts``) on disk, bound to the version of the code that prepares them (``_preparer``). Not
    kept in memory: a process matches a reading about once, and its words are the bulk of a pack's text."""
    found = None
    key = hashlib.sha256(f"förberedd\0{_preparer()}\0{digest}".encode()).hexdigest() if kept is not None else None
    blob = kept.get(key) if key else None
    if blob is not None:
        try:
            found = [None if p is None else (p[0], p[1], p[2], p[3], p[4])
                     for p in json.loads(zlib.decompress(blob))]
        except Exception:  # noqa: BLE001 — what cannot be decoded is prepared again
            found = None
        if found is not None and len(found) != len(parts):
            found = None
    if found is None:
        found = [_prepare(piece) for piece in parts]
        if key:
            kept.put(key, zlib.compress(json.dumps(found, ensure_ascii=False).encode(), 6))
    return found


@lru_cache(maxsize=1)
def _preparer() -> str:
    """The examiner's version with the source of this module, the personnummer scan and the markings."""
    from nämndtool import personnummer
    from nämndtool.secrecy import examined, labels

    digest = hashlib.sha256(examined.examiner().encode())
    for module in (personnummer, labels):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def _page(where: str) -> int | None:
    pages = _PAGE.findall(where)
    return int(pages[-1]) if pages else None


_PAGE = re.compile(r"\bsida (\d+)")


def _initials(name: str) -> str:
    return " ".join(f"{w[0].upper()}." for w in name.split() if w)


def _short(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


def _split_eml(data: bytes) -> tuple[list[Piece], list[tuple[str, str, bytes]]]:
    """The e-mail without its attachments' bytes (headers, bodies and attachment names, read by the extractor),
    and the attachments, each checked on its own (the same pack attached to twenty drafts is read once)."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as error:  # noqa: BLE001 — a hostile message is refused, never crashes the gate
        raise Unreadable("e-postmeddelandet kunde inte tolkas") from error
    attachments = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() != "attachment":
            continue
        name = part.get_filename() or "utan namn"
        payload = part.get_payload(decode=True) or b""
        attachment_kind = kind_of(name) or ("pdf" if part.get_content_type() == "application/pdf" else None)
        if attachment_kind is None:
            raise Unreadable(f"den bifogade filen ”{_short(name)}” är av en typ som inte kan kontrolleras")
        attachments.append((name, attachment_kind, payload))
        part.set_payload("")
    return pieces(message.as_bytes(), "eml"), attachments
