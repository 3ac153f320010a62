"""An attacker's import files: paths out of the folder, files that are not what they claim, password PDFs, deep
nesting, huge numbers and texts, lone surrogates, diary numbers at the top of the series. Each gets a clear
Swedish message naming the problem and leaves the store exactly as it was, database and file folder. Also: names
in decomposed Unicode, and re-importing the file of a justerat meeting."""

import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from support import SAMPLE_JSON, run_cli
from nämndtool.documents.branding import load_branding
from nämndtool.errors import NamndtoolError, ValidationError
from nämndtool.exchange.exporter import export_meeting
from nämndtool.exchange.importer import import_meeting
from nämndtool.diarienummer import MAX_LOPNR, parse
from nämndtool.store import Store

TABLES = ("namnd", "organ", "sammantrade", "arende", "handling", "fil", "person", "mottagare")


def _state(store: Store) -> tuple:
    """Row counts of the tables an import writes, and every file in the file folder."""
    counts = tuple(store.value(f"SELECT count(*) FROM {table}") for table in TABLES)
    files = sorted(str(p.relative_to(store.files_dir)) for p in store.files_dir.rglob("*")) \
        if store.files_dir.exists() else []
    return counts, files


def _pdf(text: str = "Bilaga med text") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _encrypted(user: str) -> bytes:
    """AES-256 (R6): ``user`` empty means only an owner password, a file any reader opens."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(_pdf("Hemlig årsredovisning"))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="ägarlösen", user=user, R=6))
    return out.getvalue()


def _with_bilaga(sample_copy: Path, fil: str) -> Path:
    data = json.loads(sample_copy.read_text())
    data["arenden"][0]["bilagor"] = [{"titel": "Bilaga", "fil": "bilagor/arsredovisning-2022.pdf"},
                                     {"titel": "Angriparens bilaga", "fil": fil}]
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    return sample_copy


def _refused(store: Store, path: Path) -> NamndtoolError:
    before = _state(store)
    with pytest.raises(NamndtoolError) as caught:
        import_meeting(store, path)
    assert _state(store) == before
    assert "Traceback" not in str(caught.value) and "Inget har sparats" in str(caught.value)
    return caught.value


# --- bilaga paths ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fil, reason", [
    ("../../../../etc/passwd", '".." ut ur mappen'),
    ("bilagor/../../utanför.pdf", '".." ut ur mappen'),
    ("/etc/shadow", "är absolut"),
    ("C:\\Windows\\win.ini", "är absolut"),
    ("\\\\server\\dela\\fil.pdf", "är absolut"),
])
def test_absolute_and_escaping_paths_are_refused_with_their_json_path(imported, sample_copy, fil, reason):
    store, _ = imported
    error = _refused(store, _with_bilaga(sample_copy, fil))
    assert reason in dict(error.problems)["$.arenden[0].bilagor[1].fil"]


def test_a_symlinked_file_or_folder_pointing_out_is_refused(imported, sample_copy, tmp_path):
    store, _ = imported
    outside = tmp_path / "utanför"
    outside.mkdir()
    (outside / "hemlig.pdf").write_bytes(_pdf())
    folder = sample_copy.parent
    (folder / "bilagor" / "länk.pdf").symlink_to(outside / "hemlig.pdf")
    (folder / "länkmapp").symlink_to(outside)
    for fil, link in (("bilagor/länk.pdf", "länk.pdf"), ("länkmapp/hemlig.pdf", "länkmapp")):
        error = _refused(store, _with_bilaga(sample_copy, fil))
        message = dict(error.problems)["$.arenden[0].bilagor[1].fil"]
        assert "symboliska länken" in message and link in message


def test_a_symlink_that_stays_inside_the_folder_is_followed(store, sample_copy):
    folder = sample_copy.parent
    (folder / "inne").mkdir()
    (folder / "inne" / "kopia.pdf").symlink_to(folder / "bilagor" / "arsredovisning-2022.pdf")
    result = import_meeting(store, _with_bilaga(sample_copy, "inne/kopia.pdf"))
    assert not [w for w in result.warnings if "Angriparens" in w]


@pytest.mark.parametrize("make, reason", [
    (lambda p: os.mkfifo(p), "ingen vanlig fil"),
    (lambda p: p.mkdir(), "är en mapp"),
])
def test_a_fifo_or_a_folder_named_pdf_is_refused(imported, sample_copy, make, reason):
    store, _ = imported
    make(sample_copy.parent / "bilagor" / "konstig.pdf")
    error = _refused(store, _with_bilaga(sample_copy, "bilagor/konstig.pdf"))
    assert reason in dict(error.problems)["$.arenden[0].bilagor[1].fil"]


@pytest.mark.parametrize("name", ["passwd", "skript.sh", "bild.exe", "anteckning.txt"])
def test_only_pdf_and_word_files_can_be_bilagor(imported, sample_copy, name):
    store, _ = imported
    (sample_copy.parent / "bilagor" / name).write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    error = _refused(store, _with_bilaga(sample_copy, f"bilagor/{name}"))
    assert "PDF- eller Word-fil" in dict(error.problems)["$.arenden[0].bilagor[1].fil"]


@pytest.mark.parametrize("name, content", [
    ("lösenord.docx", b"root:x:0:0:root\n"),
    ("inte.pdf", b"root:x:0:0:root\n"),
])
def test_content_that_does_not_match_its_type_is_stored_and_reported(store, sample_copy, name, content):
    (sample_copy.parent / "bilagor" / name).write_bytes(content)
    result = import_meeting(store, _with_bilaga(sample_copy, f"bilagor/{name}"))
    (warning,) = [w for w in result.warnings if "Angriparens bilaga" in w]
    assert "stämmer inte med filändelsen" in warning


# --- password-protected PDFs --------------------------------------------------------------------------------------

def test_an_owner_password_aes_pdf_is_an_ordinary_bilaga(store, sample_copy):
    (sample_copy.parent / "bilagor" / "skyddad.pdf").write_bytes(_encrypted(user=""))
    result = import_meeting(store, _with_bilaga(sample_copy, "bilagor/skyddad.pdf"))
    assert not [w for w in result.warnings if "Angriparens" in w]
    bilaga = store.bilagor(store.arende_by_number(parse("SOCN/2023:17"))["id"])[1]
    assert bilaga["skadad"] is None


def test_a_pdf_that_needs_a_password_to_open_is_refused_by_name(imported, sample_copy):
    store, _ = imported
    (sample_copy.parent / "bilagor" / "låst.pdf").write_bytes(_encrypted(user="hemligt"))
    error = _refused(store, _with_bilaga(sample_copy, "bilagor/låst.pdf"))
    message = dict(error.problems)["$.arenden[0].bilagor[1].fil"]
    assert "låst.pdf" in message and "lösenord" in message


def test_add_handling_reads_owner_password_pdfs_and_refuses_locked_ones(tmp_path):
    db = tmp_path / "r.sqlite"
    assert run_cli("import", str(SAMPLE_JSON), db=db).returncode == 0
    owner, locked = tmp_path / "ägarskydd.pdf", tmp_path / "låst.pdf"
    owner.write_bytes(_encrypted(user=""))
    locked.write_bytes(_encrypted(user="hemligt"))
    done = run_cli("case", "add-handling", "SOCN/2023:17", "--description", "Skrivelse", "--file", str(owner), db=db)
    assert done.returncode == 0, done.stderr
    with Store.open(db) as store:
        before = _state(store)
    refused = run_cli("case", "add-handling", "SOCN/2023:17", "--description", "Låst", "--file", str(locked), db=db)
    assert refused.returncode == 1
    assert "låst.pdf" in refused.stderr and "lösenord" in refused.stderr and "oväntat" not in refused.stderr
    with Store.open(db) as store:
        assert _state(store) == before


# --- limits on the JSON itself -------------------------------------------------------------------------------------

def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "angrepp.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000])
def test_deep_nesting_is_refused_without_a_crash(imported, tmp_path, text):
    store, _ = imported
    assert "nästlad djupare än" in str(_refused(store, _write(tmp_path, text)))


def _sample_with(change) -> str:
    data = json.loads(SAMPLE_JSON.read_text())
    change(data)
    return json.dumps(data)   # ASCII: a lone surrogate is written as its escape, as an attacker would


@pytest.mark.parametrize("change, path, words", [
    (lambda d: d["dagordning"][0].update(nr=2 ** 63), "$.dagordning[0].nr", "för stort"),
    (lambda d: d["dagordning"][0].update(nr=-(2 ** 63) - 1), "$.dagordning[0].nr", "för stort"),
    (lambda d: d["dagordning"][0].update(nr=10_000_000), "$.dagordning[0].nr", "orimligt stort"),
    (lambda d: d["arenden"][0].update(rubrik="x" * 100_000), "$.arenden[0].rubrik", "för lång"),
    (lambda d: d["arenden"][0].update(diarienummer="SOCN/2023:" + "7" * 5000), "$.arenden[0].diarienummer",
     "för lång"),
    (lambda d: d["namnd"].update(namn="Social\ud800nämnden"), "$.namnd.namn", "surrogattecken"),
])
def test_huge_numbers_long_texts_and_lone_surrogates_are_refused_with_their_path(imported, tmp_path, change, path,
                                                                                   words):
    store, _ = imported
    error = _refused(store, _write(tmp_path, _sample_with(change)))
    assert isinstance(error, ValidationError)
    assert words in dict(error.problems)[path]


def test_a_5000_digit_integer_is_refused_with_its_path(imported, tmp_path):
    store, _ = imported
    text = SAMPLE_JSON.read_text().replace('"nr": 1,', f'"nr": {"9" * 5000},', 1)
    error = _refused(store, _write(tmp_path, text))
    assert "5000 siffror" in dict(error.problems)["$.dagordning[0].nr"]


def test_a_lone_surrogate_escape_is_refused(imported, tmp_path):
    store, _ = imported
    text = SAMPLE_JSON.read_text().replace('"Socialnämnden"', '"Social\\ud800nämnden"', 1)
    assert "surrogattecken" in str(_refused(store, _write(tmp_path, text)))


def test_nan_is_not_json(imported, tmp_path):
    store, _ = imported
    text = SAMPLE_JSON.read_text().replace('"nr": 1,', '"nr": NaN,', 1)
    assert "NaN" in str(_refused(store, _write(tmp_path, text)))


def test_an_oversized_file_is_refused_before_it_is_read(imported, tmp_path):
    store, _ = imported
    path = tmp_path / "stor.json"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)   # sparse
    assert "för stor" in str(_refused(store, path))


@pytest.mark.parametrize("path, words", [("/dev/zero", "ingen vanlig fil"), ("/", "är en mapp")])
def test_a_device_or_folder_instead_of_a_file(imported, path, words):
    store, _ = imported
    with pytest.raises(NamndtoolError, match=words):
        import_meeting(store, Path(path))


def test_a_diary_number_that_would_exhaust_the_series_is_refused(imported, tmp_path):
    store, _ = imported
    top = f"SOCN/2023:{MAX_LOPNR}"
    text = _sample_with(lambda d: d["arenden"][0].update(diarienummer=top)).replace("SOCN/2023:17", top)
    error = _refused(store, _write(tmp_path, text))
    assert "skulle ta slut" in dict(error.problems)["$.arenden[0].diarienummer"]
    beyond = text.replace(top, f"SOCN/2023:{MAX_LOPNR + 1}")
    assert "högst" in dict(_refused(store, _write(tmp_path, beyond)).problems)["$.arenden[0].diarienummer"]


def test_the_command_line_gives_the_message_not_an_unexpected_error(tmp_path):
    db = tmp_path / "r.sqlite"
    deep = _write(tmp_path, "[" * 100_000 + "]" * 100_000)
    done = run_cli("import", str(deep), db=db)
    assert done.returncode == 1 and "nästlad" in done.stderr and "oväntat" not in done.stderr


# --- Unicode -------------------------------------------------------------------------------------------------------

def test_every_string_is_composed_on_load(store, sample_copy):
    import unicodedata
    text = unicodedata.normalize("NFD", sample_copy.read_text())
    assert text != unicodedata.normalize("NFC", text)
    sample_copy.write_text(text)
    meeting_id = import_meeting(store, sample_copy).meeting_id
    assert store.meeting(meeting_id)["organ"] == "Socialnämnden"
    assert store.arende_by_number(parse("SOCN/2023:17"))["rubrik"] == "Socialnämndens årsredovisning 2022"


# --- re-importing the file of a justerat meeting -----------------------------------------------------------------

@pytest.fixture
def justerat(imported):
    from nämndtool.documents.protokoll import justera
    from test_protokoll import _complete
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    return store, meeting_id


def _pruned(value):
    """The export as a person or program might write it: every default (null, false, empty) left out."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, False, [], {}, "intern")}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def test_the_original_file_of_a_justerat_meeting_imports_as_unchanged(justerat):
    store, meeting_id = justerat
    before = _state(store)
    result = import_meeting(store, SAMPLE_JSON)
    assert result.meeting_id == meeting_id and any("inget ändrades" in w for w in result.warnings)
    assert _state(store) == before


def test_an_export_pruned_of_defaults_imports_as_unchanged(justerat, tmp_path):
    store, meeting_id = justerat
    out = tmp_path / "ut" / "m.json"
    export_meeting(store, meeting_id, public=False, out=out)
    out.write_text(json.dumps(_pruned(json.loads(out.read_text())), ensure_ascii=False))
    result = import_meeting(store, out)
    assert any("inget ändrades" in w for w in result.warnings)


@pytest.mark.parametrize("change", [
    lambda d: d["protokoll"]["paragrafer"][4].update(beslut=["Ett annat beslut."]),
    lambda d: d["arenden"][0]["bilagor"].pop(),
    lambda d: d["arenden"][0].update(rubrik="En annan rubrik"),
    lambda d: d["dagordning"][0].update(rubrik="Upprop och mer"),
    lambda d: d["protokoll"]["narvaro"][1].update(tjanstgor=True),
])
def test_a_real_change_to_a_justerat_meeting_is_still_refused(justerat, tmp_path, change):
    store, meeting_id = justerat
    out = tmp_path / "ut" / "m.json"
    export_meeting(store, meeting_id, public=False, out=out)
    data = _pruned(json.loads(out.read_text()))
    change(data)
    out.write_text(json.dumps(data, ensure_ascii=False))
    assert "justerat protokoll" in str(_refused(store, out))


def test_a_different_bilaga_file_is_a_change(justerat, tmp_path):
    store, meeting_id = justerat
    out = tmp_path / "ut" / "m.json"
    export_meeting(store, meeting_id, public=False, out=out)
    first = json.loads(out.read_text())["arenden"][0]["bilagor"][0]["fil"]
    (out.parent / first).write_bytes(_pdf("Ett annat innehåll"))
    assert "justerat protokoll" in str(_refused(store, out))


@pytest.mark.parametrize("make, words", [(lambda p: os.mkfifo(p), "ingen vanlig fil"), (lambda p: p.mkdir(), "en mapp")])
def test_add_handling_refuses_a_pipe_or_a_folder_without_reading_it(tmp_path, make, words):
    db = tmp_path / "r.sqlite"
    assert run_cli("import", str(SAMPLE_JSON), db=db).returncode == 0
    odd = tmp_path / "konstig.pdf"
    make(odd)
    refused = run_cli("case", "add-handling", "SOCN/2023:17", "--description", "Konstig", "--file", str(odd), db=db)
    assert refused.returncode == 1 and words in refused.stderr and "Inget har sparats" in refused.stderr
