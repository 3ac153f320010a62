"""Who signs: one interface (``Signer``) for every way of making a signature. The document digest goes out, a CMS
(CAdES/PAdES ``SignedData``) comes back, so a certificate file, a card and an external signing service all go
through the same ``sign()``.

Certificates are asn1crypto's ``asn1crypto.x509.Certificate`` throughout (the type pyHanko uses); convert a
``cryptography`` certificate with ``asn1crypto.x509.Certificate.load(cert.public_bytes(Encoding.DER))``.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from pathlib import Path

from asn1crypto import x509 as asn1_x509

from nämndtool.errors import NamndtoolError


def common_name(cert: asn1_x509.Certificate) -> str:
    """The subject's common name (CN), or the whole subject when it has none."""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


class Signer(ABC):
    """One way of signing. Subclasses give the signing certificate and turn a document digest into a DER CMS
    ``ContentInfo`` (SignedData, detached, PAdES attributes: no signing-time attribute, ESS signing-certificate-v2).
    """

    @abstractmethod
    def signing_certificate(self) -> asn1_x509.Certificate:
        """The signer's certificate (asn1crypto)."""

    def signer_name(self) -> str:
        """The certificate subject's common name: what is matched against the name in the protokoll."""
        return common_name(self.signing_certificate())

    @abstractmethod
    def sign_digest(self, document_digest: bytes, digest_algorithm: str, *, timestamp_url: str | None) -> bytes:
        """A DER CMS ``ContentInfo`` (SignedData) signing ``document_digest`` (the digest of the PDF's byte range,
        made with ``digest_algorithm``, e.g. "sha256"); with a signature time-stamp token from ``timestamp_url``
        (RFC 3161) as unsigned attribute when given (PAdES B-T)."""


class _PyHankoSigner(Signer):
    """A signer whose key pyHanko reaches itself (a key in memory or on a PKCS#11 token)."""

    @abstractmethod
    def _pyhanko_signer(self):
        """A ``pyhanko.sign.signers.Signer`` ready to sign."""

    def sign_digest(self, document_digest: bytes, digest_algorithm: str, *, timestamp_url: str | None) -> bytes:
        return cms_for_digest(self._pyhanko_signer(), document_digest, digest_algorithm, timestamp_url)


def cms_for_digest(pyhanko_signer, document_digest: bytes, digest_algorithm: str,
                   timestamp_url: str | None) -> bytes:
    """The PAdES CMS a pyHanko signer makes for a document digest, time-stamped by ``timestamp_url`` if given.
    For a SigningService that has a pyHanko signer of its own."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
    from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

    timestamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None

    async def run():
        return await pyhanko_signer.async_sign(document_digest, digest_algorithm, use_pades=True,
                                               timestamper=timestamper,
                                               signed_attr_settings=PdfCMSSignedAttributes())
    try:
        return run_async(run()).dump()
    except TimestampRequestError as error:
        raise NamndtoolError(
            f"Tidsstämpeltjänsten {timestamp_url} gav ingen tidsstämpel ({error}). Kontrollera adressen och "
            "nätverket och försök igen, eller skriv under utan tidsstämpel.") from None
    except SigningError as error:
        raise NamndtoolError(f"Underskriften kunde inte göras ({error}). Försök igen; kontakta IT-stöd om "
                             "felet kvarstår.") from None


def run_async(coroutine):
    """Run a pyHanko coroutine to its end from synchronous code (the CLI, or a worker thread of the app)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    import concurrent.futures   # called inside an event loop: run it on a thread of its own

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class FileSigner(_PyHankoSigner):
    """A key and certificate in a PKCS#12 file (.p12/.pfx), e.g. a soft certificate, opened with its passphrase."""

    def __init__(self, path: Path, passphrase: bytes | None):
        from asn1crypto import keys
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError:
            raise NamndtoolError(f"Certifikatfilen {path} kan inte läsas. Kontrollera att filen finns och att du "
                                 "har behörighet att läsa den.") from None
        if isinstance(passphrase, str):
            passphrase = passphrase.encode()
        try:
            key, cert, others = pkcs12.load_key_and_certificates(data, passphrase or None)
        except (ValueError, TypeError):
            raise NamndtoolError(
                f"Certifikatfilen {path.name} kunde inte öppnas: lösenordet är fel eller filen är ingen "
                "PKCS#12-fil (.p12/.pfx). Kontrollera lösenordet och försök igen.") from None
        if key is None or cert is None:
            raise NamndtoolError(f"Certifikatfilen {path.name} saknar privat nyckel eller certifikat och kan inte "
                                 "användas för att skriva under. Använd filen med din underskriftsnyckel.")

        def der(c):
            return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

        self._cert = der(cert)
        self._chain = [der(c) for c in others or ()]
        signing_key = keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        self._signer = SimpleSigner(signing_cert=self._cert, signing_key=signing_key,
                                    cert_registry=SimpleCertificateStore.from_certs(self._chain))

    def signing_certificate(self) -> asn1_x509.Certificate:
        return self._cert

    def _pyhanko_signer(self):
        return self._signer


class CardSigner(Signer):
    """A key on a smart card or other PKCS#11 token (SITHS, e-tjänstekort), reached through the card's PKCS#11
    module. ``key_label`` picks the key when the card has several; without it the card must hold exactly one
    signing key. The certificate is read from the card (same CKA_ID as the key), with any CA certificates on it.
    Each operation opens and closes its own session, so nothing stays logged in between."""

    def __init__(self, module: Path, token_label: str, pin: str, key_label: str | None = None):
        self.module = Path(module)
        self.token_label = token_label
        self._pin = pin
        self.key_label = key_label
        with self._session() as session:
            self._key_id = None if key_label else self._only_key_id(session)
            self._cert = self._signer_in(session).signing_cert

    def signing_certificate(self) -> asn1_x509.Certificate:
        return self._cert

    def _only_key_id(self, session) -> bytes:
        from pkcs11 import Attribute, ObjectClass

        ids = [key[Attribute.ID] for key in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                                                                  Attribute.SIGN: True})]
        if len(ids) != 1:
            raise NamndtoolError(
                f"Kortet {self.token_label} har {len(ids)} nycklar för underskrift; ange vilken som ska användas "
                "(nyckelns etikett)." if ids else
                f"Kortet {self.token_label} har ingen nyckel för underskrift. Använd kortet med din "
                "underskriftsnyckel.")
        return ids[0]

    def _signer_in(self, session):
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.pkcs11 import PKCS11Signer

        signer = PKCS11Signer(session, key_label=self.key_label, key_id=self._key_id, other_certs_to_pull=None)
        try:
            run_async(signer.ensure_objects_loaded())
        except (SigningError, RuntimeError) as error:   # SigningError from pyHanko, PKCS11Error from the token
            raise NamndtoolError(
                f"Hittar ingen nyckel med certifikat på kortet {self.token_label}"
                + (f" med etiketten \"{self.key_label}\"" if self.key_label else "")
                + f" ({error}). Kontrollera att rätt kort sitter i läsaren.") from None
        return signer

    def _session(self):
        from pkcs11 import exceptions as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import open_pkcs11_session
        from pyhanko.sign.general import SigningError

        if not self.module.exists():
            raise NamndtoolError(f"Kortläsarens programmodul (PKCS#11) {self.module} finns inte. Installera "
                                 "kortets programvara eller ange rätt sökväg.")
        try:
            return open_pkcs11_session(str(self.module), token_criteria=TokenCriteria(label=self.token_label),
                                       user_pin=self._pin)
        except p11.PinIncorrect:
            raise NamndtoolError("PIN-koden är fel. Försök igen; efter för många felaktiga försök spärras "
                                 "kortet.") from None
        except p11.PinLocked:
            raise NamndtoolError(f"Kortet {self.token_label} är spärrat efter för många felaktiga PIN-koder. "
                                 "Lås upp det med PUK-koden eller kontakta den som utfärdade kortet.") from None
        except (p11.PinLenRange, p11.PinInvalid):
            raise NamndtoolError("PIN-koden har fel längd eller innehåller tecken som kortet inte tar emot. "
                                 "Skriv PIN-koden igen.") from None
        except (SigningError, p11.PKCS11Error):
            raise NamndtoolError(f"Hittar inget kort med namnet {self.token_label}. Sätt i kortet i läsaren och "
                                 "försök igen.") from None
        except (OSError, RuntimeError) as error:
            raise NamndtoolError(f"Kortläsarens programmodul {self.module} kunde inte läsas in ({error}). "
                                 "Installera om kortets programvara.") from None

    def sign_digest(self, document_digest: bytes, digest_algorithm: str, *, timestamp_url: str | None) -> bytes:
        with self._session() as session:
            return cms_for_digest(self._signer_in(session), document_digest, digest_algorithm, timestamp_url)


class SigningService(Signer):
    """The plug-in point for an external signing service (BankID, Freja eID or SITHS through a kommun's signing
    service): the document digest is sent out, the service returns a CMS. No network implementation is here; a
    kommun's integration subclasses this and implements

    - ``signing_certificate()``: the certificate the service signs with for this person (known before signing,
      e.g. from the service's "get certificate" step), asn1crypto;
    - ``sign_digest(document_digest, digest_algorithm, *, timestamp_url)``: send the digest, wait for the person
      to approve in their app, return the DER CMS ``ContentInfo``. It must be a detached SignedData over the
      digest with PAdES attributes (content-type, message-digest = ``document_digest``, signing-certificate-v2,
      no signing-time). If the service can only sign raw data, build the CMS with pyHanko's
      ``ExternalSigner`` or ``cms_for_digest`` around its signature. When ``timestamp_url`` is given, add a
      signature time-stamp (or let the service do it) for PAdES B-T.

    ``sign()`` checks the returned CMS: it must be signed by ``signing_certificate()`` and cover the digest it was
    given, otherwise the signature is refused before anything is written.
    """
