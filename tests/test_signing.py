"""Issue 17, point 1: the signing core of digital justering (nämndtool/signing). A real protokoll PDF from the
renderer gets tagged signature fields, is signed in turn by sekreterare, ordförande and justerande (PKCS#12 files,
a SoftHSM2 token, an in-process signing service), and is checked offline: intact, changed after signing,
expired and untrusted certificates, time-stamps from a real RFC 3161 exchange over HTTP, PDF/A-2a and PDF/UA-1."""

import datetime as dt
import http.server
import io
import re
import threading
from pathlib import Path

import page
import pikepdf
import pytest
from asn1crypto import keys, tsp
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.timestamps import DummyTimeStamper

from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import protokoll_document
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.errors import NamndtoolError
from nämndtool.signing import (
    CardSigner, FileSigner, SignatureField, SigningService, add_signature_fields, load_trust_roots, report_lines,
    sign, verify,
)
from signing_ca import (
    asn1, make_issuing_ca, make_person, make_root_ca, make_tsa, softhsm_available, softhsm_token, write_pem,
    write_pkcs12,
)

FIELDS = [SignatureField("sekreterare", "Sekreterare", "Anna Andersson"),
          SignatureField("ordforande", "Ordförande", "Bo Berg"),
          SignatureField("justerare_1", "Justerande", "Cecilia Ek")]


def failures(pdf: bytes, profile: str) -> list[str]:
    """As in test_issue14_accessible_pdf: page-validation's failed rules."""
    return [f.rule_id for f in page.validate_pdf_bytes(pdf, profile=profile).failures]


@pytest.fixture(scope="module")
def pki():
    root = make_root_ca()
    issuing = make_issuing_ca(root)
    other_root = make_root_ca("Någon annans Rot-CA")
    return {
        "root": root, "issuing": issuing,
        "people": [make_person(issuing, field.namn) for field in FIELDS],
        "expired": make_person(issuing, "Anna Andersson", expired=True),
        "stranger": make_person(make_issuing_ca(other_root, "Annan CA"), "Anna Andersson"),
        "tsa": make_tsa(issuing),
    }


@pytest.fixture(scope="module")
def roots(pki):
    return [asn1(pki["root"].cert)]


@pytest.fixture(scope="module")
def p12(pki, tmp_path_factory):
    """One PKCS#12 file per person (and the odd ones), passphrase "hemligt"."""
    folder = tmp_path_factory.mktemp("p12")
    return {name: write_pkcs12(folder / f"{name}.p12", party)
            for name, party in [*zip(("sekreterare", "ordforande", "justerare_1"), pki["people"]),
                                ("expired", pki["expired"]), ("stranger", pki["stranger"])]}


def signer(p12, name):
    return FileSigner(p12[name], b"hemligt")


@pytest.fixture(scope="module")
def protokoll_pdf(justerat) -> bytes:
    store, meeting_id = justerat
    return render_pdf(protokoll_document(store, meeting_id, public=False), load_branding())


@pytest.fixture(scope="module")
def unsigned(protokoll_pdf) -> bytes:
    return add_signature_fields(protokoll_pdf, FIELDS)


@pytest.fixture(scope="module")
def revisions(unsigned, p12) -> list[bytes]:
    """The file after each signature in turn: sekreterare, ordförande, justerande."""
    result, pdf = [], unsigned
    for field in FIELDS:
        pdf = sign(pdf, field.name, signer(p12, field.name))
        result.append(pdf)
    return result


# --- fields ---------------------------------------------------------------------------------------------------

def test_fields_are_added_tagged_and_listed_unsigned(unsigned, roots):
    states = verify(unsigned, roots)
    assert [(s.field, s.roll, s.namn, s.signed, s.valid) for s in states] == [
        (f.name, f.roll, f.namn, False, False) for f in FIELDS]
    with pikepdf.open(io.BytesIO(unsigned)) as doc:
        tree = doc.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        widgets = list(doc.Root.AcroForm.Fields)
        assert [str(w.TU) for w in widgets] == [
            "Underskrift: Sekreterare Anna Andersson", "Underskrift: Ordförande Bo Berg",
            "Underskrift: Justerande Cecilia Ek"]
        for widget in widgets:
            assert widget.FT == "/Sig" and int(widget.F) & 4, "a signature field, printable"
            assert [float(x) for x in widget.Rect] == [0, 0, 0, 0]
            element = parent_tree[int(widget.StructParent)]
            assert element.S == "/Form" and element.K.Type == "/OBJR" and element.K.Obj.objgen == widget.objgen
            assert element.P.S == "/Document"
        assert int(tree.ParentTreeNextKey) == max(parent_tree) + 1
    assert failures(unsigned, "2a") == [] and failures(unsigned, "ua1") == []


def test_fields_are_refused_when_they_clash_or_the_file_is_signed(unsigned, revisions, protokoll_pdf):
    with pytest.raises(NamndtoolError, match="redan ett fält som heter \"sekreterare\""):
        add_signature_fields(unsigned, [SignatureField("sekreterare", "Sekreterare", "X Y")])
    with pytest.raises(NamndtoolError, match="redan undertecknat"):
        add_signature_fields(revisions[0], [SignatureField("justerare_2", "Justerande", "D E")])
    with pytest.raises(NamndtoolError, match="Fältnamnet"):
        add_signature_fields(protokoll_pdf, [SignatureField("justerare 1", "Justerande", "D E")])


# --- signing in turn ------------------------------------------------------------------------------------------

def test_three_signatures_in_turn_each_valid_and_the_earlier_ones_intact(revisions, roots):
    for count, pdf in enumerate(revisions, start=1):
        states = verify(pdf, roots)
        assert [s.signed for s in states] == [True] * count + [False] * (3 - count)
        for state, field in zip(states[:count], FIELDS):
            assert state.valid, (state.field, state.modified_after, state.problems)
            assert state.intact and state.modified_after is None and state.certificate_ok
            assert state.signer_name == field.namn
            assert not state.timestamped and state.timestamp_at is None
            assert abs(state.signed_at - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=10)
    lines = report_lines(verify(revisions[1], roots))
    assert "Sekreterare Anna Andersson: undertecknat av Anna Andersson" in lines[0]
    assert lines[-1] == "Väntar på underskrift av: Justerande Cecilia Ek."
    assert report_lines(verify(revisions[2], roots))[-1] == "Alla har skrivit under och alla underskrifter är giltiga."
    assert any("Spärrkontroll har inte gjorts" in line for line in lines), "offline: said, not failed"


def test_each_signature_is_an_incremental_update(unsigned, revisions):
    previous = unsigned
    for pdf in revisions:
        assert pdf.startswith(previous)
        previous = pdf


def test_signed_file_stays_pdfa2a_and_pdfua1(revisions):
    """One signature: zero failed rules. With more, page-validation still checks every /ByteRange against the whole
    file (PDFA2A-SIGNATURE-BYTERANGE-001), which an earlier signature of an incremental update cannot do; veraPDF
    fixed that check to the revision (veraPDF-library#1493) and Adobe Preflight accepts it. So for those files
    that one rule is allowed, and each signature is shown to cover its own revision exactly."""
    assert failures(revisions[0], "2a") == [] and failures(revisions[0], "ua1") == []
    for pdf in revisions[1:]:
        assert failures(pdf, "ua1") == []
        assert set(failures(pdf, "2a")) <= {"PDFA2A-SIGNATURE-BYTERANGE-001"}
    ranges = [tuple(map(int, m.groups())) for m in
              re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", revisions[-1])]
    assert [start + length for _, _, start, length in ranges] == [len(pdf) for pdf in revisions]


def test_an_unknown_or_signed_field_is_refused(revisions, p12):
    with pytest.raises(NamndtoolError, match="inget underskriftsfält som heter \"justerare_9\""):
        sign(revisions[0], "justerare_9", signer(p12, "ordforande"))
    with pytest.raises(NamndtoolError, match="\"sekreterare\" är redan undertecknat"):
        sign(revisions[0], "sekreterare", signer(p12, "ordforande"))


# --- what verify finds ----------------------------------------------------------------------------------------

def test_a_byte_changed_inside_a_signed_revision_breaks_every_signature_covering_it(revisions, roots):
    pdf = revisions[-1]
    at = pdf.index(b"(Justering av protokoll)") + 1   # the first signature's /Reason, covered by all three
    tampered = pdf[:at] + b"j" + pdf[at + 1:]
    states = verify(tampered, roots)
    assert [s.intact for s in states] == [False, False, False]
    assert not any(s.valid for s in states)
    assert "Underskriften är bruten" in "\n".join(report_lines(states))


def test_content_changed_after_signing_is_reported(revisions, roots):
    writer = IncrementalPdfFileWriter(io.BytesIO(revisions[0]), strict=False)
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q Q")))
    out = io.BytesIO()
    writer.write(out)
    state = verify(out.getvalue(), roots)[0]
    assert state.intact and not state.valid
    assert "har ändrats efter underskriften" in state.modified_after


def test_metadata_changed_after_signing_is_reported(revisions, roots):
    writer = IncrementalPdfFileWriter(io.BytesIO(revisions[0]), strict=False)
    info = writer.trailer.raw_get("/Info")
    info.get_object()["/Title"] = generic.TextStringObject("Ett annat protokoll")
    writer.mark_update(info)
    out = io.BytesIO()
    writer.write(out)
    state = verify(out.getvalue(), roots)[0]
    assert state.intact and not state.valid and "metadata" in state.modified_after


def test_bytes_appended_after_the_last_revision_are_reported(revisions, roots):
    states = verify(revisions[-1] + "\nnågot tillagt\n".encode(), roots)
    assert all(s.intact and not s.valid and "ingen underskrift täcker" in s.modified_after for s in states)


def test_an_expired_certificate_is_a_problem(unsigned, p12, roots):
    state = verify(sign(unsigned, "sekreterare", signer(p12, "expired")), roots)[0]
    assert state.intact and not state.valid and not state.certificate_ok
    assert any("hade gått ut när underskriften gjordes" in p for p in state.problems)


def test_an_untrusted_root_is_a_problem(unsigned, p12, roots):
    pdf = sign(unsigned, "sekreterare", signer(p12, "stranger"))
    state = verify(pdf, roots)[0]
    assert state.intact and not state.valid
    assert any("inte utfärdat av någon utfärdare som kommunen litar på" in p for p in state.problems)
    assert any("inga betrodda rotcertifikat" in p for p in verify(pdf, [])[0].problems)


# --- signers --------------------------------------------------------------------------------------------------

def test_a_wrong_passphrase_or_missing_file_is_said_in_swedish(p12, tmp_path):
    with pytest.raises(NamndtoolError, match="lösenordet är fel"):
        FileSigner(p12["sekreterare"], b"fel")
    with pytest.raises(NamndtoolError, match="kan inte läsas"):
        FileSigner(tmp_path / "saknas.p12", b"hemligt")


class InProcessService(SigningService):
    """A signing service that never leaves the process: the digest goes to a FileSigner, its CMS comes back."""

    def __init__(self, inner: FileSigner, cms_by=None):
        self.inner, self.cms_by = inner, cms_by or inner

    def signing_certificate(self):
        return self.inner.signing_certificate()

    def sign_digest(self, document_digest, digest_algorithm, *, timestamp_url):
        return self.cms_by.sign_digest(document_digest, digest_algorithm, timestamp_url=timestamp_url)


def test_a_signing_service_goes_through_the_same_path(unsigned, p12, roots):
    pdf = sign(unsigned, "sekreterare", InProcessService(signer(p12, "sekreterare")))
    state = verify(pdf, roots)[0]
    assert state.valid and state.signer_name == "Anna Andersson"


def test_a_cms_by_another_certificate_is_refused(unsigned, p12):
    service = InProcessService(signer(p12, "sekreterare"), cms_by=signer(p12, "ordforande"))
    with pytest.raises(NamndtoolError, match="inte gjord med Anna Anderssons certifikat"):
        sign(unsigned, "sekreterare", service)


@pytest.mark.skipif(not softhsm_available(), reason="SoftHSM2 is not installed (apt install softhsm2)")
def test_signing_with_a_pkcs11_token(unsigned, pki, roots, tmp_path, monkeypatch):
    monkeypatch.setenv("SOFTHSM2_CONF", str(tmp_path / "none"))
    token = softhsm_token(tmp_path, pki["people"][0])
    card = CardSigner(token.module, token.label, token.pin)
    assert card.signer_name() == "Anna Andersson"
    state = verify(sign(unsigned, "sekreterare", card), roots)[0]
    assert state.valid and state.signer_name == "Anna Andersson"
    assert CardSigner(token.module, token.label, token.pin, key_label=token.key_label).signer_name() == "Anna Andersson"
    with pytest.raises(NamndtoolError, match="PIN-koden är fel"):
        CardSigner(token.module, token.label, "000000")
    with pytest.raises(NamndtoolError, match="Hittar inget kort med namnet Inget kort"):
        CardSigner(token.module, "Inget kort", token.pin)
    with pytest.raises(NamndtoolError, match="programmodul"):
        CardSigner(tmp_path / "saknas.so", token.label, token.pin)


# --- time-stamps (PAdES B-T) ------------------------------------------------------------------------------------

@pytest.fixture
def tsa_url(pki):
    """A time-stamp service on localhost: RFC 3161 over HTTP, answered by pyHanko's DummyTimeStamper."""
    tsa = pki["tsa"]
    stamper = DummyTimeStamper(
        tsa_cert=asn1(tsa.cert), certs_to_embed=[asn1(c) for c in tsa.chain],
        tsa_key=keys.PrivateKeyInfo.load(tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()


def test_a_timestamped_signature_is_pades_b_t(unsigned, p12, roots, tsa_url):
    pdf = sign(unsigned, "sekreterare", signer(p12, "sekreterare"), timestamp_url=tsa_url)
    state = verify(pdf, roots)[0]
    assert state.valid, state.problems
    assert state.timestamped and state.timestamp_at is not None and state.signed_at == state.timestamp_at
    assert "(tidsstämplat)" in report_lines([state])[0]
    assert failures(pdf, "2a") == [] and failures(pdf, "ua1") == []


def test_an_unreachable_timestamp_service_is_said_in_swedish(unsigned, p12):
    with pytest.raises(NamndtoolError, match="Tidsstämpeltjänsten"):
        sign(unsigned, "sekreterare", signer(p12, "sekreterare"), timestamp_url="http://127.0.0.1:9/tsa")


# --- broken input and trust roots ---------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"inte en pdf", b"%PDF-1.7\n1 0 obj\n<<"])
def test_a_broken_or_non_pdf_input_is_refused_in_swedish(data, p12):
    for call in (lambda: verify(data), lambda: sign(data, "sekreterare", signer(p12, "sekreterare")),
                 lambda: add_signature_fields(data, FIELDS)):
        with pytest.raises(NamndtoolError, match="PDF"):
            call()


def test_a_truncated_signed_file_is_refused_or_reported(revisions, roots):
    cut = revisions[-1][: len(revisions[-1]) // 2]
    try:
        states = verify(cut, roots)
    except NamndtoolError as error:
        assert "PDF" in str(error) or "Underskrifterna" in str(error)
    else:
        assert not any(s.valid for s in states)


def test_load_trust_roots_reads_pem_der_folders_and_the_environment(pki, tmp_path, monkeypatch):
    monkeypatch.delenv("NAMNDTOOL_TRUST_DIR", raising=False)
    pem = write_pem(tmp_path / "rot.pem", pki["root"].cert, pki["issuing"].cert)
    folder = tmp_path / "betrodda"
    folder.mkdir()
    (folder / "annan.cer").write_bytes(pki["stranger"].chain[-1].public_bytes(serialization.Encoding.DER))
    (folder / "LÄS MIG.txt").write_text("inte ett certifikat")
    assert len(load_trust_roots([pem])) == 2
    monkeypatch.setenv("NAMNDTOOL_TRUST_DIR", str(folder))
    names = {c.subject.native["common_name"] for c in load_trust_roots([pem, pem])}
    assert names == {"Testkommunen Rot-CA", "Testkommunen Utfärdande CA", "Någon annans Rot-CA"}
    broken = tmp_path / "trasig.pem"
    broken.write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(NamndtoolError, match="trasig.pem"):
        load_trust_roots([broken])
    with pytest.raises(NamndtoolError, match="saknas.pem finns inte"):
        load_trust_roots([Path(tmp_path / "saknas.pem")])
