"""Digital justering in the register (issue 17, point 1): start, sign in turn, refusals, cancel, and the justering
recorded from the signed PDF, on both stores. The signing itself is tested in test_signing.py."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from signing_ca import asn1, make_issuing_ca, make_person, make_root_ca, write_pem, write_pkcs12
from test_protokoll_issue13 import ready_for_justering

from nämndtool.errors import NamndtoolError
from nämndtool.operations import digital_justering, protokoll
from nämndtool.signing import FileSigner, verify

BOTH_STORES = True

PEOPLE = {"sekreterare": "Madelene Sönnerfors", "ordforande": "Martin Edgélius", "justerare_1": "Anders Gölevik"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    root = make_root_ca()
    issuing = make_issuing_ca(root)
    files = {field: write_pkcs12(folder / f"{field}.p12", make_person(issuing, name)) for field, name in PEOPLE.items()}
    files["stranger"] = write_pkcs12(folder / "stranger.p12", make_person(issuing, "Eva Främling"))
    files["expired"] = write_pkcs12(folder / "expired.p12", make_person(issuing, "Martin Edgélius", expired=True))
    # the chair's name as a certificate writes it: other case and spacing
    files["chair_other_case"] = write_pkcs12(folder / "chair2.p12", make_person(issuing, "MARTIN  edgélius"))
    (folder / "trust").mkdir()
    write_pem(folder / "trust" / "root.pem", root.cert)
    return {"files": files, "roots": [asn1(root.cert)], "trust_dir": folder / "trust"}


def signer(pki, name):
    return FileSigner(pki["files"][name], b"hemligt")


@pytest.fixture
def ready(imported):
    """The sample meeting klar för justering."""
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    protokoll.mark_klar_for_justering(store, meeting_id)
    return store, meeting_id


def test_a_digital_justering_from_start_to_justerat(ready, pki):
    store, meeting_id = ready
    with pytest.raises(NamndtoolError, match="Ingen digital justering pågår"):
        digital_justering.sign(store, meeting_id, signer(pki, "sekreterare"), trust_roots=pki["roots"])
    started = digital_justering.start(store, meeting_id)
    assert [(s.field, s.roll, s.namn, s.signed) for s in started.states] == [
        ("sekreterare", "Sekreterare", "Madelene Sönnerfors", False), ("ordforande", "Ordförande", "Martin Edgélius", False),
        ("justerare_1", "Justerande", "Anders Gölevik", False)]

    # locked while under way: no edit, no paper justering, no second start
    p = store.protokoll(meeting_id)["paragrafer"][0]
    with pytest.raises(NamndtoolError, match="justeras digitalt"):
        protokoll.save_paragraf(store, p["id"], {"fields": {"rubrik": "Ändrad"}, "beslut": ["Nytt beslut."]})
    with pytest.raises(NamndtoolError, match="justeras digitalt"):
        protokoll.justera(store, meeting_id, dt.date.today())
    with pytest.raises(NamndtoolError, match="pågår redan"):
        digital_justering.start(store, meeting_id)

    # out of order: the chair before the secretary
    with pytest.raises(NamndtoolError, match="först ska sekreterare Madelene Sönnerfors"):
        digital_justering.sign(store, meeting_id, signer(pki, "ordforande"), trust_roots=pki["roots"])
    # someone who does not sign this protokoll
    with pytest.raises(NamndtoolError, match="Eva Främling, som inte ska skriva under"):
        digital_justering.sign(store, meeting_id, signer(pki, "stranger"), trust_roots=pki["roots"])

    one = digital_justering.sign(store, meeting_id, signer(pki, "sekreterare"), trust_roots=pki["roots"])
    assert [s.valid for s in one.states] == [True, False, False] and one.justerad is None
    with pytest.raises(NamndtoolError, match="redan skrivit under"):
        digital_justering.sign(store, meeting_id, signer(pki, "sekreterare"), trust_roots=pki["roots"])
    # an expired certificate of the right person is refused and nothing is saved
    before = store.signing_pdf(meeting_id)
    with pytest.raises(NamndtoolError, match="godtogs inte"):
        digital_justering.sign(store, meeting_id, signer(pki, "expired"), trust_roots=pki["roots"])
    assert store.signing_pdf(meeting_id) == before

    two = digital_justering.sign(store, meeting_id, signer(pki, "chair_other_case"), trust_roots=pki["roots"])
    assert [s.valid for s in two.states] == [True, True, False] and not store.is_justerat(meeting_id)
    done = digital_justering.sign(store, meeting_id, signer(pki, "justerare_1"), trust_roots=pki["roots"])

    assert done.complete and done.justerad == dt.date.today()
    assert store.is_justerat(meeting_id) and store.signing_pdf(meeting_id) is None
    recorded = store.protokoll(meeting_id)
    assert recorded["justerad"] == dt.date.today().isoformat()
    signed = store.file_path(recorded["justerad_pdf_sha256"]).read_bytes()
    states = verify(signed, pki["roots"])
    assert [(s.signer_name, s.valid) for s in states] == [
        ("Madelene Sönnerfors", True), ("MARTIN  edgélius", True), ("Anders Gölevik", True)]
    # the akt copies are filed as for a paper justering
    assert store.value("SELECT count(*) FROM akt_dokument WHERE sammantrade_id = ?", (meeting_id,)) > 0
    status = digital_justering.status(store, meeting_id, pki["roots"])
    assert status.complete and status.justerad == dt.date.today()
    with pytest.raises(NamndtoolError, match="justerat"):
        digital_justering.start(store, meeting_id)


def test_cancel_opens_the_protokoll_and_the_signatures_do_not_count(ready, pki):
    store, meeting_id = ready
    with pytest.raises(NamndtoolError, match="inget att avbryta"):
        digital_justering.cancel(store, meeting_id)
    digital_justering.start(store, meeting_id)
    digital_justering.sign(store, meeting_id, signer(pki, "sekreterare"), trust_roots=pki["roots"])
    digital_justering.cancel(store, meeting_id)
    assert store.signing_pdf(meeting_id) is None and digital_justering.status(store, meeting_id) is None
    p = store.protokoll(meeting_id)["paragrafer"][0]
    protokoll.save_paragraf(store, p["id"], {"fields": {"rubrik": p["rubrik"]}, "beslut": ["Ändrat efter avbrott."]})
    protokoll.mark_klar_for_justering(store, meeting_id)
    again = digital_justering.start(store, meeting_id)
    assert not any(s.signed for s in again.states)   # everyone signs anew
    # the cancelled versions are kept, stamped
    assert store.value("SELECT count(*) FROM signering WHERE sammantrade_id = ? AND avbruten IS NOT NULL",
                       (meeting_id,)) == 2


def test_two_signing_on_the_same_version_cannot_both_be_kept(ready, pki):
    """The second signature made on a version that is no longer the latest is refused, nothing saved."""
    store, meeting_id = ready
    digital_justering.start(store, meeting_id)
    was = store.signing_pdf(meeting_id)
    digital_justering.sign(store, meeting_id, signer(pki, "sekreterare"), trust_roots=pki["roots"])
    with pytest.raises(NamndtoolError, match="medan du skrev under"):
        store.add_signing_version(meeting_id, was, store.signing_pdf(meeting_id))


def test_not_klar_for_justering_is_refused(imported):
    store, meeting_id = imported
    protokoll.create_paragraphs(store, meeting_id)
    with pytest.raises(NamndtoolError, match="klart för justering"):
        digital_justering.start(store, meeting_id)
    assert store.signing_pdf(meeting_id) is None


def test_protokoll_verify_on_the_command_line(ready, pki, tmp_path, store_location):
    store, meeting_id = ready
    digital_justering.start(store, meeting_id)
    digital_justering.sign(store, meeting_id, signer(pki, "sekreterare"), trust_roots=pki["roots"])
    exported = tmp_path / "under-justering.pdf"
    run = [sys.executable, "-m", "nämndtool"]
    env = {**os.environ, "NAMNDTOOL_TRUST_DIR": str(pki["trust_dir"])}
    result = subprocess.run([*run, "--db", str(store_location), "protokoll", "sign-export", "--meeting",
                             str(meeting_id), "--out", str(exported)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([*run, "protokoll", "verify", str(exported)], capture_output=True, text=True, env=env)
    assert result.returncode == 1   # two still to sign
    assert "Madelene Sönnerfors" in result.stdout and "Martin Edgélius" in result.stdout
    exported.write_bytes(exported.read_bytes().replace(b"Socialn", b"Sociain", 1))   # a changed byte
    result = subprocess.run([*run, "protokoll", "verify", str(exported)], capture_output=True, text=True, env=env)
    assert result.returncode == 1 and result.stdout.strip()
