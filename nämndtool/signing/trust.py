"""The CA certificates a kommun trusts: the roots signatures are checked against (for SITHS, the Inera root; for a
kommun's own CA, its root), from PEM or DER files or folders of them, plus the folder in NAMNDTOOL_TRUST_DIR."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

from nämndtool.errors import NamndtoolError

TRUST_DIR_VARIABLE = "NAMNDTOOL_TRUST_DIR"
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
"""The files a trust folder is read for; anything else in it (a README, a CRL) is left alone."""


def as_asn1(cert) -> asn1_x509.Certificate:
    """An asn1crypto certificate, also from a ``cryptography`` one or DER bytes."""
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, (bytes, bytearray)):
        return asn1_x509.Certificate.load(bytes(cert))
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def load_trust_roots(paths: Sequence[Path] = ()) -> list[asn1_x509.Certificate]:
    """The trusted CA certificates (asn1crypto) from ``paths`` (files in PEM or DER, or folders of .pem, .crt,
    .cer and .der files), then from the folder in NAMNDTOOL_TRUST_DIR when it is set. A path that is missing or
    a file that is not a certificate raises NamndtoolError naming it."""
    sources = [Path(p) for p in paths]
    folder = os.environ.get(TRUST_DIR_VARIABLE)
    if folder:
        if not Path(folder).is_dir():
            raise NamndtoolError(f"Mappen med betrodda rotcertifikat i {TRUST_DIR_VARIABLE}, {folder}, finns "
                                 "inte. Rätta sökvägen eller ta bort inställningen.")
        sources.append(Path(folder))
    found: dict[bytes, asn1_x509.Certificate] = {}
    for source in sources:
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in CERT_SUFFIXES)
        elif source.is_file():
            files = [source]
        else:
            raise NamndtoolError(f"Rotcertifikatet {source} finns inte. Kontrollera sökvägen.")
        for path in files:
            for cert in _read(path):
                found.setdefault(cert.sha256, cert)
    return list(found.values())


def _read(path: Path) -> list[asn1_x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError:
        raise NamndtoolError(f"Rotcertifikatet {path} kan inte läsas. Kontrollera att du har behörighet att "
                             "läsa filen.") from None
    try:
        if pem.detect(data):
            certs = [asn1_x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
                     if kind == "CERTIFICATE"]
        else:
            certs = [asn1_x509.Certificate.load(data)]
        for cert in certs:
            cert.native   # parse it all now: a broken file fails here, not during a check
    except (ValueError, TypeError, KeyError):
        certs = []
    if not certs:
        raise NamndtoolError(f"Filen {path} är inget certifikat i PEM- eller DER-format. Ta bort den ur mappen "
                             "med betrodda rotcertifikat eller byt ut den mot rätt fil.")
    return certs
