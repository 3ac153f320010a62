"""The protokoll from the command line: render, utdrag, justera and anslag."""

import json

from conftest import run_cli
from docs_helpers import flat, pdf_text


def _meeting_with_protokoll(tmp_path, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["protokoll"] = {
        "sekreterare": "Madelene Sönnerfors", "justerare": ["Anders Gölevik (C)"],
        "justering": {"datum": "2023-03-01", "plats": "Socialförvaltningen"},
        "narvaro": [{"namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": True},
                    {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": True}],
        "paragrafer": [
            {"nr": n, "dagordning_nr": n, "beslut": [f"Beslut i punkt {n}."]} for n in range(1, 16)
        ],
    }
    data["protokoll"]["paragrafer"][3]["beslutet_skickas_till"] = [
        {"namn": "Vårdnadshavare 1", "adress": "Storgatan 12 B, 641 30 Katrineholm", "adress_bekraftad": False}]
    data["protokoll"]["paragrafer"][3]["berord"] = "Barn född 2015"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    db = tmp_path / "p.sqlite"
    assert run_cli("import", str(sample_copy), db=db).returncode == 0
    return db


def test_protokoll_commands_end_to_end(tmp_path, sample_copy):
    db = _meeting_with_protokoll(tmp_path, sample_copy)
    out = tmp_path / "protokoll.pdf"
    result = run_cli("render", "protokoll", "--meeting", "1", "--public", "--format", "pdf", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert "§ 4 Sekretessärende" in flat(pdf_text(out.read_bytes()))
    utdrag = tmp_path / "utdrag.pdf"
    result = run_cli("render", "utdrag", "--meeting", "1", "--paragraph", "4", "--recipient", "Vårdnadshavare 1",
                     "--format", "pdf", "--out", str(utdrag), db=db)
    assert result.returncode == 1 and "inte bekräftad" in result.stderr and not utdrag.exists()
    result = run_cli("justera", "--meeting", "1", "--date", "2023-03-01", db=db)
    assert result.returncode == 0, result.stderr
    assert "justerat 2023-03-01 och låst" in result.stdout
    result = run_cli("justera", "--meeting", "1", "--date", "2023-03-02", db=db)
    assert result.returncode == 1 and "redan justerat" in result.stderr
    result = run_cli("anslag", "--meeting", "1", "--date", "2023-03-02", db=db)
    assert result.returncode == 0 and "tas ned tidigast 2023-03-24" in result.stdout
    public = run_cli("render", "utdrag", "--meeting", "1", "--paragraph", "5", "--format", "docx",
                     "--out", str(tmp_path / "u5.docx"), db=db)
    assert public.returncode == 0, public.stderr


def test_justera_refuses_an_incomplete_protokoll(tmp_path, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["protokoll"] = {"sekreterare": "Madelene Sönnerfors", "justerare": [], "narvaro": [], "paragrafer": []}
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    db = tmp_path / "p.sqlite"
    assert run_cli("import", str(sample_copy), db=db).returncode == 0
    result = run_cli("justera", "--meeting", "1", "--date", "2023-03-01", db=db)
    assert result.returncode == 1
    for missing in ("Närvaron är inte ifylld", "Ingen justerare är utsedd", "inga paragrafer"):
        assert missing in result.stderr
    result = run_cli("justera", "--meeting", "1", "--date", "1 mars", db=db)
    assert result.returncode == 1 and "ÅÅÅÅ-MM-DD" in result.stderr
