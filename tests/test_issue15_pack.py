"""Issue 15, points 2 and 3: a bilaga is examined once and the pack only looks it up; rendered parts are kept on
disk by content, reused when unchanged, made again when their content changes, never used when damaged."""

import dataclasses
import datetime as dt
import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from docs_helpers import flat, pdf_pages
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.documents.part_cache import DiskParts, document_key, folder_of
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"


def _pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (Helvetica, 11 pt)."""
    out = io.BytesIO()
    page = Canvas(out)
    page.setFont("Helvetica", 11)
    page.drawString(60, 700, text)
    page.save()
    return out.getvalue()


def _meeting(store, folder: Path) -> tuple[int, list[dict]]:
    """A meeting with a public and a secret ärende, each with a tjänsteskrivelse and a PDF bilaga."""
    namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2024-05-15", {"tid": "13:00", "plats": "Solrosen"})
    agenda, arenden = [], []
    for nr, secret in ((1, False), (2, True)):
        fields = {"sekretess": 1, "sekretess_lagrum": OSL} if secret else {}
        arende = store.register_arende(namnd_id, f"Ärende nummer {nr}", today=dt.date(2024, 5, 2), **fields)
        _write_ts(store, arende["id"], f"Socialnämnden beslutar förslag {nr}.")
        path = folder / f"bilaga{nr}.pdf"
        path.write_bytes(_pdf(f"Bilagetext nummer {nr}"))
        sha = store.put_file(path)
        store.save_bilagor(arende["id"], [{"titel": f"Bilaga {nr}", "sha256": sha, "filnamn": path.name}])
        agenda.append({"nr": nr, "rubrik": f"Ärende nummer {nr}", "typ": "arende", "arende_id": arende["id"],
                       "sekretess": int(secret), "sekretess_lagrum": OSL if secret else None})
        arenden.append({"id": arende["id"], "sha256": sha})
    store.save_agenda(meeting_id, agenda)
    return meeting_id, arenden


def _write_ts(store, arende_id: int, forslag: str) -> None:
    store.save_tjansteskrivelse(arende_id, {"rubrik": "Rubrik", "sammanfattning": "Sammanfattning."},
                                forslag=[forslag], avsnitt=[], undertecknare=[], mottagare_ids=[], handlingar=[])


def _cached_files(store) -> set[Path]:
    return {p for p in folder_of(Path(store.path)).glob("??/*") if p.is_file()}


def test_a_bilaga_is_examined_when_attached(store, tmp_path):
    _, arenden = _meeting(store, tmp_path)
    examination = store.examination(arenden[0]["sha256"])
    assert examination is not None and examination.pages == 1 and examination.safe_sha256
    assert any("Bilagetext nummer 1" in text for _, text in examination.pieces)


def test_the_public_pack_uses_the_stored_examination_not_a_new_reading(store, tmp_path):
    """What the gate matches is what was stored: a personnummer planted in the stored reading (not in the file)
    makes the pack refuse the bilaga, so the pack did not read the file's text again."""
    meeting_id, arenden = _meeting(store, tmp_path)
    sha = arenden[0]["sha256"]
    stored = store.examination(sha)
    store.save_examination(sha, dataclasses.replace(stored, pieces=[("sida 1", "Tolvan 121212-1212")]))
    result = build_pack(store, meeting_id, True, load_branding())
    assert any("Bilaga 1" in w and "inte med i den offentliga versionen" in w for w in result.warnings)
    assert "Bilagetext nummer 1" not in flat(" ".join(pdf_pages(result.pdf)))


def test_a_file_stored_before_the_examination_is_examined_on_first_use(store, tmp_path):
    meeting_id, arenden = _meeting(store, tmp_path)
    with store.write():
        store.execute("DELETE FROM fil_granskning")
    assert store.examination(arenden[0]["sha256"]) is None
    public = build_pack(store, meeting_id, True, load_branding())
    assert "Bilagetext nummer 1" in flat(" ".join(pdf_pages(public.pdf)))
    assert store.examination(arenden[0]["sha256"]).pages == 1


def test_the_public_pack_leaves_out_the_secret_item_and_passes_the_gate(store, tmp_path):
    meeting_id, _ = _meeting(store, tmp_path)
    for _ in range(2):   # the second time from the disk cache
        public = flat(" ".join(pdf_pages(build_pack(store, meeting_id, True, load_branding()).pdf)))
        assert "Bilagetext nummer 1" in public and "Ärende nummer 2" not in public
        assert "Bilagetext nummer 2" not in public and "förslag 2" not in public


def test_unchanged_parts_are_reused_and_a_changed_tjansteskrivelse_is_a_new_part(store, tmp_path):
    meeting_id, arenden = _meeting(store, tmp_path)
    branding = load_branding()
    first = [build_pack(store, meeting_id, public, branding).pdf for public in (True, False)]
    kept = _cached_files(store)
    assert kept
    again = [build_pack(store, meeting_id, public, branding).pdf for public in (True, False)]
    assert again == first and _cached_files(store) == kept          # nothing new made
    _write_ts(store, arenden[0]["id"], "Socialnämnden beslutar något helt annat.")
    changed = build_pack(store, meeting_id, False, branding).pdf
    assert "något helt annat" in flat(" ".join(pdf_pages(changed)))
    assert len(_cached_files(store) - kept) >= 1                      # the changed tjänsteskrivelse, made anew
    assert "förslag 2" in flat(" ".join(pdf_pages(changed)))          # the unchanged one still there


def test_a_changed_secrecy_marking_or_branding_gives_another_part(store, tmp_path):
    meeting_id, arenden = _meeting(store, tmp_path)
    branding = load_branding()
    document = tjansteskrivelse_document(store, arenden[1]["id"], branding, meeting_id).document
    key = document_key(document, branding)
    assert document_key(dataclasses.replace(document, marking="SEKRETESS 25 kap. 1 § OSL"), branding) != key
    other = dataclasses.replace(branding, values={**branding.values,
                                                  "colour": {**branding.values["colour"], "text": "#123456"}})
    assert document_key(document, other) != key
    assert document_key(document, branding) == key


def test_a_damaged_or_truncated_cache_file_is_made_again_never_used(store, tmp_path):
    meeting_id, _ = _meeting(store, tmp_path)
    branding = load_branding()
    first = build_pack(store, meeting_id, False, branding).pdf
    files = sorted(_cached_files(store))
    files[0].write_bytes(files[0].read_bytes()[:100])                 # truncated
    damaged = bytearray(files[1].read_bytes())
    damaged[-10] ^= 0xFF                                               # one byte changed
    files[1].write_bytes(bytes(damaged))
    assert build_pack(store, meeting_id, False, branding).pdf == first
    disk = DiskParts(folder_of(Path(store.path)))
    for path in files[:2]:
        assert disk.get(path.name) is not None                         # written again, whole


def test_the_cache_is_bounded(tmp_path):
    disk = DiskParts(tmp_path / "delar", limit=10_000)
    for n in range(10):
        disk.put(f"{n:02d}" + "a" * 62, bytes(3_000))
    total = sum(p.stat().st_size for p in (tmp_path / "delar").glob("??/*"))
    assert total <= 10_000
    assert disk.get("09" + "a" * 62) == bytes(3_000)                   # the newest is kept
    assert disk.get("00" + "a" * 62) is None                           # the oldest went


def _copy_path(store, sha256: str) -> Path:
    return folder_of(Path(store.path)) / "offentliga" / sha256[:2] / sha256


def test_the_made_safe_copy_is_kept_when_attached_and_the_pack_does_not_make_it_again(store, tmp_path,
                                                                                        monkeypatch):
    """Examination is the attach's cost: with the part cache cold (no disk cache at all) the public pack takes the
    made-safe copy kept at attach, and never makes a bilaga safe itself."""
    from nämndtool.documents.pack import PartCache
    from nämndtool.secrecy import examined

    meeting_id, arenden = _meeting(store, tmp_path)
    copy = _copy_path(store, store.examination(arenden[0]["sha256"]).safe_sha256)
    assert copy.is_file() and copy.stat().st_mode & 0o077 == 0

    def refuse(pdf):
        raise AssertionError("a bilaga was made safe by the pack")
    monkeypatch.setattr(examined, "made_safe", refuse)
    public = build_pack(store, meeting_id, True, load_branding(), cache=PartCache())
    assert "Bilagetext nummer 1" in flat(" ".join(pdf_pages(public.pdf)))


def test_the_made_safe_copy_survives_eviction_and_is_made_again_when_missing_or_damaged(store, tmp_path):
    meeting_id, arenden = _meeting(store, tmp_path)
    copy = _copy_path(store, store.examination(arenden[0]["sha256"]).safe_sha256)
    kept = copy.read_bytes()
    disk = DiskParts(folder_of(Path(store.path)), limit=1)
    disk.put("ab" + "c" * 62, bytes(100))                               # evicts every cached part
    assert not _cached_files(store) and copy.read_bytes() == kept
    for spoil in (lambda: copy.unlink(), lambda: copy.write_bytes(kept[:-20])):
        spoil()
        public = build_pack(store, meeting_id, True, load_branding())
        assert "Bilagetext nummer 1" in flat(" ".join(pdf_pages(public.pdf)))
        assert copy.read_bytes() == kept                                 # made again, whole, and kept


def test_the_gate_reads_an_unchanged_part_once_and_a_changed_tjansteskrivelse_again(store, tmp_path, monkeypatch):
    """What the final gate read from each rendered part is kept by the part's SHA-256 on disk: a new process (the
    in-process readings forgotten) reads none of them again, and after a change only what changed."""
    from nämndtool.secrecy import examined, gate

    meeting_id, arenden = _meeting(store, tmp_path)
    build_pack(store, meeting_id, True, load_branding())
    read = []
    original = examined.read_part
    monkeypatch.setattr(examined, "read_part", lambda data: read.append(data) or original(data))
    gate._readings.clear()
    build_pack(store, meeting_id, True, load_branding())
    assert read == []
    _write_ts(store, arenden[0]["id"], "Socialnämnden beslutar något helt annat.")
    gate._readings.clear()
    public = build_pack(store, meeting_id, True, load_branding())
    assert "något helt annat" in flat(" ".join(pdf_pages(public.pdf)))
    assert read and any("något helt annat" in flat(" ".join(pdf_pages(data))) for data in read)
    assert not any("Bilagetext" in flat(" ".join(pdf_pages(data))) for data in read)   # bilagor: examined at attach
