"""A throwaway PKI for the signing tests (issue 17): a root CA, an issuing CA under it, person certificates with a
given common name (valid, expired or not yet valid), a time-stamping certificate, PKCS#12 files, and a SoftHSM2
token holding a person's key and certificate. Plain functions, reused by the justering workflow tests.

Everything is made with ``cryptography``; certificates are returned as ``cryptography.x509.Certificate`` (convert
with ``asn1(cert)`` where pyHanko's asn1crypto type is wanted). Keys are RSA 2048, as on Swedish e-ID cards.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
"""Where Debian and Ubuntu install SoftHSM2's PKCS#11 module."""


@dataclass(frozen=True)
class Party:
    """A key and its certificate, plus the CA certificates above it (issuer first, root last)."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testkommunen"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(subject_cn: str, key, issuer: Party | None, *, ca: bool, not_before: dt.datetime,
           not_after: dt.datetime, eku=None) -> x509.Certificate:
    issuer_name = issuer.cert.subject if issuer else _name(subject_cn)
    signing_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(_name(subject_cn)).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=eku is None, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(signing_key, hashes.SHA256())


def make_root_ca(cn: str = "Testkommunen Rot-CA") -> Party:
    """A self-signed root CA, valid from a year ago for ten years."""
    key = _key()
    now = _now()
    cert = _issue(cn, key, None, ca=True, not_before=now - dt.timedelta(days=365),
                  not_after=now + dt.timedelta(days=3650))
    return Party(key, cert)


def make_issuing_ca(root: Party, cn: str = "Testkommunen Utfärdande CA") -> Party:
    """An intermediate CA signed by ``root``, valid from a year ago for five years."""
    key = _key()
    now = _now()
    cert = _issue(cn, key, root, ca=True, not_before=now - dt.timedelta(days=365),
                  not_after=now + dt.timedelta(days=1825))
    return Party(key, cert, (root.cert, *root.chain))


def make_person(issuer: Party, cn: str, *, expired: bool = False, not_yet_valid: bool = False) -> Party:
    """A person's signing certificate with common name ``cn``, issued by ``issuer``: valid from a month ago for two
    years; ``expired`` makes it end yesterday, ``not_yet_valid`` begin in a month."""
    key = _key()
    now = _now()
    not_before, not_after = now - dt.timedelta(days=30), now + dt.timedelta(days=730)
    if expired:
        not_before, not_after = now - dt.timedelta(days=400), now - dt.timedelta(days=1)
    if not_yet_valid:
        not_before, not_after = now + dt.timedelta(days=30), now + dt.timedelta(days=760)
    cert = _issue(cn, key, issuer, ca=False, not_before=not_before, not_after=not_after)
    return Party(key, cert, (issuer.cert, *issuer.chain))


def make_tsa(issuer: Party, cn: str = "Testkommunen Tidsstämpel") -> Party:
    """A time-stamping authority's certificate (extended key usage timeStamping, critical, as RFC 3161 asks)."""
    key = _key()
    now = _now()
    cert = _issue(cn, key, issuer, ca=False, not_before=now - dt.timedelta(days=30),
                  not_after=now + dt.timedelta(days=730), eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    return Party(key, cert, (issuer.cert, *issuer.chain))


def pkcs12_bytes(person: Party, passphrase: bytes | None = b"hemligt") -> bytes:
    """The person's key, certificate and CA chain as a PKCS#12 file's bytes (what a kommun's e-tjänstekort export
    or a soft certificate looks like); ``passphrase=None`` leaves it unencrypted."""
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(person.name.encode(), person.key, person.cert,
                                                 list(person.chain), encryption)


def write_pkcs12(path: Path, person: Party, passphrase: bytes | None = b"hemligt") -> Path:
    """``pkcs12_bytes`` written to ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(pkcs12_bytes(person, passphrase))
    return path


def write_pem(path: Path, *certs: x509.Certificate) -> Path:
    """Certificates written as one PEM file (a trust root file a kommun would hand out)."""
    path = Path(path)
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The same certificate as asn1crypto's type (the one pyHanko and ``nämndtool.signing`` use)."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def softhsm_available() -> bool:
    """Whether SoftHSM2 (its module and softhsm2-util) is installed here."""
    return SOFTHSM_MODULE.exists() and shutil.which("softhsm2-util") is not None


@dataclass(frozen=True)
class SoftToken:
    """A SoftHSM2 token made by ``softhsm_token``: what ``CardSigner`` needs to open it."""

    module: Path
    label: str
    pin: str
    key_label: str
    conf: Path


def softhsm_token(directory: Path, person: Party, *, label: str = "Testkort", pin: str = "123456",
                  key_label: str = "underskrift") -> SoftToken:
    """A fresh SoftHSM2 token in ``directory`` holding ``person``'s private key and certificate under ``key_label``
    (same CKA_ID), with user PIN ``pin``.

    Sets ``os.environ["SOFTHSM2_CONF"]`` to the token's configuration (set it with ``monkeypatch.setenv`` first so
    the old value comes back after the test) and re-initialises SoftHSM2 in this process if it was loaded, because
    SoftHSM2 reads its configuration only when initialised. Sessions opened on SoftHSM2 before the call end."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    directory = Path(directory)
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin",
                    "12345678"], check=True, env=env, capture_output=True)
    key_pem = directory / f"{key_label}.key.pem"
    key_pem.write_bytes(person.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    key_id = "01"
    subprocess.run(["softhsm2-util", "--import", str(key_pem), "--token", label, "--label", key_label, "--id",
                    key_id, "--pin", pin], check=True, env=env, capture_output=True)
    key_pem.unlink()
    library = pkcs11.lib(str(SOFTHSM_MODULE))
    library.reinitialize()
    token = library.get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        der = person.cert.public_bytes(serialization.Encoding.DER)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: key_label, Attribute.ID: bytes.fromhex(key_id),
            Attribute.VALUE: der, Attribute.SUBJECT: person.cert.subject.public_bytes(),
        })
        for number, ca in enumerate(person.chain, start=2):   # the chain too, as on a real card
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: f"ca{number}", Attribute.ID: bytes([number]),
                Attribute.VALUE: ca.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: ca.subject.public_bytes(),
            })
    return SoftToken(SOFTHSM_MODULE, label, pin, key_label, conf)
