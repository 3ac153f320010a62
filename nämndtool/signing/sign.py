"""Filling one empty signature field: PAdES B-B (B-T with a time-stamp), an incremental update so every earlier
signature stays intact.

One path for every ``Signer``: pyHanko's interrupted signing. pyHanko writes the revision with a placeholder and
hashes its byte range (``digest_doc_for_signing``), the signer turns that digest into a CMS (a file or card key
here, an external service elsewhere), and pyHanko puts the CMS into the placeholder (``finish_signing``). The
CMS is checked first: it must be by the signer's certificate and cover exactly this document.
"""

from __future__ import annotations

import io

from nämndtool.errors import NamndtoolError
from nämndtool.signing.signers import Signer, common_name, run_async

DIGEST_ALGORITHM = "sha256"
CMS_ROOM = 24576
"""Room for the CMS in the file, in bytes of DER (written as hex, so twice that in the file). The signer's certificate chain (a few kB even for SITHS), the signature and a
time-stamp token with its TSA chain fit with plenty to spare; a larger CMS is refused before anything is written."""


def read_pdf(pdf: bytes):
    """The PDF opened with pyHanko's reader (not strict: typst's and qpdf's output is fine, but a later tool's
    may not be), or NamndtoolError in Swedish."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not isinstance(pdf, (bytes, bytearray)) or b"%PDF-" not in bytes(pdf[:1024]):
        raise NamndtoolError("Filen är ingen PDF-fil. Välj protokollets PDF-fil och försök igen.")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root   # the catalog must be there
        if reader.encrypted:
            raise NamndtoolError("PDF-filen är krypterad och kan inte skrivas under eller kontrolleras. "
                                 "Använd protokollet som programmet skapade.")
        return reader
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as error:
        raise NamndtoolError(f"PDF-filen är skadad och kan inte läsas ({type(error).__name__}). Skapa "
                             "protokollets PDF på nytt, eller be om en hel kopia av den undertecknade filen.") from None


def _writer(pdf: bytes):
    """pyHanko's incremental writer, told to leave the document metadata alone.

    pyHanko updates the XMP packet and the Info dictionary on every write; its XMP round trip drops typst's PDF/A
    extension schema description (the one declaring pdfuaid:part), and PDF/A-2 fails without it. A signature does
    not change what the document says, so the metadata stays exactly as it was rendered (both Info and XMP, so
    they still agree). ``_update_meta`` is pyHanko's private hook; the PDF/A test in tests/test_signing.py fails
    if a pyHanko release renames it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class MetadataKeepingWriter(IncrementalPdfFileWriter):
        def _update_meta(self):
            pass

    return MetadataKeepingWriter(io.BytesIO(pdf), strict=False)


def signature_fields(reader) -> list[tuple[str, object, object]]:
    """(name, value or None, field reference) of every signature field, in the order of the form's field list."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return list(enumerate_sig_fields(reader))


def sign(pdf: bytes, field_name: str, signer: Signer, *, timestamp_url: str | None = None,
         reason: str = "Justering av protokoll") -> bytes:
    """The PDF with the empty field ``field_name`` signed by ``signer`` as an incremental update: PAdES B-B, or
    B-T when ``timestamp_url`` (an RFC 3161 time-stamp service) is given. Refuses a field that does not exist or is
    already signed, and a CMS that is not by the signer's certificate or not over this document."""
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
    from pyhanko.sign.signers.pdf_cms import ExternalSigner
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    reader = read_pdf(pdf)
    fields = {name: value for name, value, _ in signature_fields(reader)}
    if field_name not in fields:
        known = ", ".join(fields) or "inga"
        raise NamndtoolError(f"Protokollet har inget underskriftsfält som heter \"{field_name}\" (fälten är: "
                             f"{known}). Välj ett av fälten, eller lägg till fälten innan någon skriver under.")
    if fields[field_name] is not None:
        raise NamndtoolError(f"Fältet \"{field_name}\" är redan undertecknat och kan inte skrivas under igen. "
                             "Välj nästa fält som väntar på underskrift.")
    cert = signer.signing_certificate()
    meta = PdfSignatureMetadata(field_name=field_name, md_algorithm=DIGEST_ALGORITHM,
                                subfilter=SigSeedSubFilter.PADES, reason=reason)
    # Only the certificate is needed to lay out the signature dictionary; the signature comes from the signer.
    placeholder = ExternalSigner(signing_cert=cert, cert_registry=SimpleCertificateStore(), signature_value=256)
    writer = _writer(pdf)
    pdf_signer = PdfSigner(meta, signer=placeholder)
    prepared, _, output = run_async(pdf_signer.async_digest_doc_for_signing(
        writer, existing_fields_only=True, bytes_reserved=2 * CMS_ROOM))
    cms_der = signer.sign_digest(prepared.document_digest, DIGEST_ALGORITHM, timestamp_url=timestamp_url)
    content_info = check_cms(cms_der, cert, prepared.document_digest)
    if len(cms_der) > CMS_ROOM:
        raise NamndtoolError("Underskriften blev för stor för att få plats i PDF-filen. Kontakta IT-stöd.")
    run_async(PdfTBSDocument.async_finish_signing(output, prepared, content_info))
    return output.getvalue()


def check_cms(cms_der: bytes, cert, document_digest: bytes):
    """The CMS parsed, when it is a SignedData by ``cert`` over ``document_digest``; else NamndtoolError."""
    from asn1crypto import cms

    who = common_name(cert)
    try:
        content_info = cms.ContentInfo.load(bytes(cms_der))
        if content_info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signer_info = content_info["content"]["signer_infos"][0]
        sid = signer_info["sid"]
        if sid.name == "issuer_and_serial_number":
            ours = (sid.chosen["issuer"].dump() == cert.issuer.dump()
                    and sid.chosen["serial_number"].native == cert.serial_number)
        else:
            ours = sid.chosen.native == cert.key_identifier
        digests = [attr["values"][0].native for attr in signer_info["signed_attrs"]
                   if attr["type"].native == "message_digest"]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise NamndtoolError(f"Underskriften som kom tillbaka för {who} är inte en giltig CMS-underskrift. "
                             "Försök igen; kontakta IT-stöd om felet kvarstår.") from None
    if not ours:
        raise NamndtoolError(f"Underskriften som kom tillbaka är inte gjord med {who}s certifikat. Inget har "
                             "skrivits i protokollet; försök igen.")
    if digests != [document_digest]:
        raise NamndtoolError("Underskriften som kom tillbaka gäller inte det här protokollet (kontrollsumman "
                             "stämmer inte). Inget har skrivits i protokollet; försök igen.")
    return content_info
