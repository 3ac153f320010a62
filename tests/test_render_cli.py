"""`namndtool render …`: the documents from the command line, with no default that could leak a secret."""

import pytest

from support import SAMPLE_JSON, run_cli
from docs_helpers import docx_text, flat, pdf_outline, pdf_pages, pdf_text


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("render") / "register.sqlite"
    result = run_cli("import", str(SAMPLE_JSON), db=path)
    assert result.returncode == 0, result.stderr
    return path


def _ok(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_render_kallelse_both_formats(db, tmp_path, fmt):
    out = tmp_path / f"kallelse.{fmt}"
    _ok(run_cli("render", "kallelse", "--meeting", "1", "--public", "--format", fmt, "--out", str(out), db=db))
    text = pdf_text(out.read_bytes()) if fmt == "pdf" else docx_text(out.read_bytes())
    assert "Sekretessärende" in text and "SOCN/2023:17" in text


def test_public_or_internal_must_be_chosen(db, tmp_path):
    out = tmp_path / "k.pdf"
    for document in ("kallelse", "handlingar"):
        args = ["render", document, "--meeting", "1", "--out", str(out)]
        if document == "kallelse":
            args += ["--format", "pdf"]
        result = run_cli(*args, db=db)
        assert result.returncode == 2 and "--public --internal" in result.stderr
        assert not out.exists()


def test_render_tjansteskrivelse_by_case_and_by_item(db, tmp_path):
    by_case = tmp_path / "ts.docx"
    _ok(run_cli("render", "tjansteskrivelse", "--case", "SOCN/2023:16", "--format", "docx", "--out", str(by_case),
                db=db))
    assert "Nämndens plan med budget" in docx_text(by_case.read_bytes())
    by_item = tmp_path / "meddelanden.pdf"
    _ok(run_cli("render", "tjansteskrivelse", "--meeting", "1", "--item", "15", "--format", "pdf",
                "--out", str(by_item), db=db))
    text = flat(pdf_text(by_item.read_bytes()))
    assert "Meddelanden" in text and "Socialnämnden lägger meddelandena till handlingarna." in text
    result = run_cli("render", "tjansteskrivelse", "--meeting", "1", "--item", "1", "--format", "pdf",
                     "--out", str(tmp_path / "x.pdf"), db=db)
    assert result.returncode == 1 and "inget ärende" in result.stderr


def test_render_tjansteskrivelse_reports_handlingar_mismatch(db, tmp_path):
    result = _ok(run_cli("render", "tjansteskrivelse", "--case", "SOCN/2022:100", "--format", "pdf",
                         "--out", str(tmp_path / "t.pdf"), db=db))
    assert "Varning:" in result.stderr and "står inte under Ärendets handlingar" in result.stderr


def test_render_handlingar_public_and_internal(db, tmp_path):
    public = tmp_path / "offentlig.pdf"
    result = _ok(run_cli("render", "handlingar", "--meeting", "1", "--public", "--out", str(public), db=db))
    assert "lämnar bort 1 sekretessärenden" in result.stderr
    internal = tmp_path / "intern.pdf"
    _ok(run_cli("render", "handlingar", "--meeting", "1", "--internal", "--out", str(internal), db=db))
    assert len(pdf_outline(public.read_bytes())) > 10
    assert "Sekretessärende" in flat(pdf_pages(internal.read_bytes())[0])


def test_a_refused_render_never_replaces_a_good_file(db, tmp_path):
    out = tmp_path / "ts.pdf"
    out.write_bytes(b"en bra fil")
    result = run_cli("render", "tjansteskrivelse", "--case", "SOCN/2099:1", "--format", "pdf", "--out", str(out),
                     db=db)
    assert result.returncode == 1 and out.read_bytes() == b"en bra fil"
    result = run_cli("render", "kallelse", "--meeting", "1", "--public", "--format", "pdf",
                     "--out", str(tmp_path / "saknas" / "k.pdf"), db=db)
    assert result.returncode == 1 and "kunde inte skrivas" in result.stderr
    assert list(tmp_path.iterdir()) == [out]


def test_personnummer_in_a_public_bilaga_keeps_the_bilaga_out_of_the_public_pack(tmp_path, sample_copy):
    from docs_helpers import flat, pdf_pages
    from test_pack import one_page_pdf
    (sample_copy.parent / "bilagor" / "strategi-platsvarumarke-katrineholm.pdf").write_bytes(
        one_page_pdf("Kontaktperson 850709-1234"))
    db = tmp_path / "pn.sqlite"
    _ok(run_cli("import", str(sample_copy), db=db))
    out = tmp_path / "offentlig.pdf"
    result = run_cli("render", "handlingar", "--meeting", "1", "--public", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert "Strategi Platsvarumärke Katrineholm" in result.stderr and "personnummer" in result.stderr
    assert "850709-1234" not in result.stderr   # the message never repeats the number in full
    text = flat(" ".join(pdf_pages(out.read_bytes())))
    assert "Kontaktperson" not in text and "850709" not in text and "kan inte publiceras" in text
    internal = tmp_path / "intern.pdf"
    _ok(run_cli("render", "handlingar", "--meeting", "1", "--internal", "--out", str(internal), db=db))
    assert "Kontaktperson 850709-1234" in flat(" ".join(pdf_pages(internal.read_bytes())))


def test_personnummer_in_an_agenda_title_stops_the_public_kallelse(tmp_path, sample_copy):
    import json
    data = json.loads(sample_copy.read_text())
    data["dagordning"][12]["rubrik"] = "Information om 19850709-1234"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    db = tmp_path / "pn.sqlite"
    _ok(run_cli("import", str(sample_copy), db=db))
    result = run_cli("render", "kallelse", "--meeting", "1", "--public", "--format", "docx",
                     "--out", str(tmp_path / "k.docx"), db=db)
    assert result.returncode == 1 and "1985••••-••••" in result.stderr and "Föredragningslista" in result.stderr
    assert "19850709-1234" not in result.stderr
    _ok(run_cli("render", "kallelse", "--meeting", "1", "--internal", "--format", "docx",
                "--out", str(tmp_path / "k.docx"), db=db))


def test_branding_file_is_created_and_used(tmp_path, db):
    own = tmp_path / "profil" / "branding.toml"
    env = {"NAMNDTOOL_BRANDING": str(own)}
    assert "standardprofilen används" in _ok(run_cli("branding", env=env)).stdout
    _ok(run_cli("branding", "--init", env=env))
    own.write_text(own.read_text().replace('kommun = "Katrineholms kommun"', 'kommun = "Vingåkers kommun"')
                   .replace('# forslag_rubrik."Socialförvaltningen" = "Förvaltningens förslag till beslut"',
                            'forslag_rubrik."Socialförvaltningen" = "Kansliets förslag till beslut"'))
    out = tmp_path / "ts.pdf"
    _ok(run_cli("render", "tjansteskrivelse", "--case", "SOCN/2023:16", "--format", "pdf", "--out", str(out),
                db=db, env=env))
    assert "Kansliets förslag till beslut" in pdf_text(out.read_bytes())
    own.write_text("[trasig")
    result = run_cli("branding", env=env)
    assert result.returncode == 1 and "Profilfilen" in result.stderr and "Traceback" not in result.stderr
