"""Digital justering (issue 17): PAdES signatures on a justerat protokoll, one per person, each an incremental
update, in the order sekreterare, ordförande, justerande 1..n; and their offline verification.

- ``add_signature_fields``: empty, tagged signature fields in the unsigned PDF (it stays PDF/A-2a and PDF/UA-1);
- ``Signer`` and its kinds ``FileSigner`` (PKCS#12), ``CardSigner`` (PKCS#11) and ``SigningService`` (the plug-in
  point for an external service); certificates are asn1crypto's ``x509.Certificate``;
- ``sign``: fill one field, PAdES B-B, or B-T with a time-stamp service;
- ``verify``, ``SignatureState``, ``report_lines``: what every field holds, checked against ``load_trust_roots``.
"""

from nämndtool.signing.fields import SignatureField, add_signature_fields
from nämndtool.signing.sign import sign
from nämndtool.signing.signers import CardSigner, FileSigner, Signer, SigningService, cms_for_digest
from nämndtool.signing.trust import load_trust_roots
from nämndtool.signing.verify import SignatureState, report_lines, verify

__all__ = [
    "CardSigner", "FileSigner", "SignatureField", "SignatureState", "Signer", "SigningService",
    "add_signature_fields", "cms_for_digest", "load_trust_roots", "report_lines", "sign", "verify",
]
