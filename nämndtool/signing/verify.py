"""Checking a signed protokoll offline: every signature field, who signed when, whether the signed bytes are
unchanged, what was changed after each signature, and what is wrong with the certificates.

Validation is pyHanko's (``validate_pdf_signature``: digest, signature, chain, difference analysis between
revisions) with a ``ValidationContext`` of the kommun's trust roots and no network (``allow_fetching=False``).
Revocation can therefore not be checked; that is said in ``problems`` rather than failing the signature.

The certificate is judged at the time of signing: the time-stamp's time when there is one (PAdES B-T), otherwise
the time the signer's software wrote in the signature (``/M``, claimed, not proven). A certificate that has
expired since is fine for a time-stamped signature and worth a remark for one without.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nämndtool.errors import NamndtoolError
from nämndtool.signing.fields import NAMN_KEY, ROLL_KEY, TU_PREFIX
from nämndtool.signing.sign import read_pdf, signature_fields
from nämndtool.signing.signers import common_name, run_async
from nämndtool.signing.trust import as_asn1

# pyHanko logs every failed path search with a traceback; without a handler of the app's, Python's last-resort
# handler would print those to stderr under the CLI's Swedish output. The outcome is in SignatureState instead.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

REVOCATION_NOT_CHECKED = ("Spärrkontroll har inte gjorts: kontrollen sker utan nätverk, så det går inte att se om "
                          "certifikatet har spärrats.")


@dataclass(frozen=True)
class SignatureState:
    """One signature field and, when signed, what the check found.

    ``signed_at`` is the time-stamp's time when the signature has a valid time-stamp, otherwise the signing time
    the signer claimed. ``problems`` are Swedish sentences; some only inform (revocation not checked), those that
    matter make ``certificate_ok`` false. ``modified_after`` is None when nothing but later signatures and
    signature fields changed after this signature."""

    field: str
    roll: str
    namn: str
    signed: bool
    signer_name: str | None = None
    signed_at: dt.datetime | None = None
    timestamped: bool = False
    intact: bool = False
    modified_after: str | None = None
    problems: tuple[str, ...] = ()
    certificate_ok: bool = False
    """The signature is cryptographically valid, its certificate chains to a trust root and was valid at the time
    of signing, not revoked as far as known, and its time-stamp (if any) is valid and trusted."""
    claimed_at: dt.datetime | None = None
    """The signing time the signer's software wrote in the signature (/M), unproven."""
    timestamp_at: dt.datetime | None = None
    """The time in the signature time-stamp, when there is one."""

    @property
    def valid(self) -> bool:
        """Signed, the signed bytes unchanged, nothing but signatures added after it, and a good certificate."""
        return self.signed and self.intact and self.modified_after is None and self.certificate_ok


def _roll_namn(field) -> tuple[str, str]:
    """The role and name written into the field by add_signature_fields, else what /TU says."""
    roll, namn = field.get(ROLL_KEY), field.get(NAMN_KEY)
    if roll is not None and namn is not None:
        return str(roll), str(namn)
    label = str(field.get("/TU", ""))
    if label.startswith(TU_PREFIX):
        label = label[len(TU_PREFIX):]
    roll, _, namn = label.partition(" ")
    return roll, namn


def verify(pdf: bytes, trust_roots: Sequence = ()) -> list[SignatureState]:
    """Every signature field in document order, signed or not, checked offline against ``trust_roots``
    (asn1crypto or cryptography certificates, e.g. from ``load_trust_roots``). A PDF that cannot be read raises
    NamndtoolError in Swedish."""
    roots = [as_asn1(cert) for cert in trust_roots]
    reader = read_pdf(pdf)
    try:
        fields = signature_fields(reader)
        embedded = {sig.field_name: sig for sig in reader.embedded_regular_signatures}
    except Exception as error:   # noqa: BLE001 - pyHanko raises many kinds on a damaged form or signature
        raise NamndtoolError(f"Underskrifterna i PDF-filen kan inte läsas, filen är skadad "
                             f"({type(error).__name__}). Be om en hel kopia av den undertecknade filen.") from None
    signature_names = {name for name, _, _ in fields}
    trailing = _trailing_data(pdf)
    states = []
    for name, value, field_ref in fields:
        roll, namn = _roll_namn(field_ref.get_object())
        if value is None:
            states.append(SignatureState(field=name, roll=roll, namn=namn, signed=False))
        elif name not in embedded:
            states.append(SignatureState(field=name, roll=roll, namn=namn, signed=True, problems=(
                "Fältet har ett värde men ingen läsbar underskrift.",)))
        else:
            state = _check(embedded[name], name, roll, namn, roots, signature_names)
            if trailing and state.modified_after is None:
                state = replace(state, modified_after=trailing)
            states.append(state)
    return states


def _trailing_data(pdf: bytes) -> str | None:
    """A Swedish description of bytes after the file's last "%%EOF" (readers ignore them, and so does the
    revision-by-revision comparison, but no signature covers them), or None."""
    end = pdf.rfind(b"%%EOF")
    if end < 0 or not pdf[end + 5:].strip(b"\r\n\t\x00 "):
        return None
    return (f"Efter filens sista version har {len(pdf) - end - 5} byte lagts till som ingen underskrift täcker "
            "och som inte är en underskrift.")


def _check(embedded, name, roll, namn, roots, signature_names) -> SignatureState:
    from pyhanko.sign.validation import KeyUsageConstraints, async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    claimed = embedded.self_reported_timestamp
    stamp_time = _timestamp_time(embedded.signer_info)
    moment = stamp_time or claimed or dt.datetime.now(dt.timezone.utc)
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    signer_context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment,
                                       revocation_mode="soft-fail")
    stamp_context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = run_async(async_validate_pdf_signature(
            embedded, signer_validation_context=signer_context, ts_validation_context=stamp_context,
            key_usage_settings=usage))
    except Exception as error:   # noqa: BLE001 - a broken CMS or signature dictionary, of many kinds
        cert = _embedded_cert(embedded)
        return SignatureState(
            field=name, roll=roll, namn=namn, signed=True, signer_name=common_name(cert) if cert else None,
            signed_at=claimed, claimed_at=claimed,
            problems=(f"Underskriften kan inte kontrolleras, den är skadad ({type(error).__name__}).",))

    cert = status.signing_cert
    problems = []
    certificate_ok = bool(status.valid and status.intact)
    if not status.intact:
        problems.append("Underskriften är bruten: det som skrevs under har ändrats efteråt (kontrollsumman "
                        "stämmer inte).")
    elif not status.valid:
        problems.append("Den kryptografiska underskriften är ogiltig.")

    stamp = status.timestamp_validity
    stamp_ok = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    if stamp is not None and not stamp_ok:
        certificate_ok = False
        problems.append("Tidsstämpeln är ogiltig eller kommer från en tidsstämpeltjänst som inte är betrodd; "
                        "underskriftens tidpunkt är inte styrkt.")
    signed_at = stamp.timestamp if stamp_ok else claimed
    when = signed_at or moment

    start, end = cert["tbs_certificate"]["validity"]["not_before"].native, \
        cert["tbs_certificate"]["validity"]["not_after"].native
    if when > end:
        certificate_ok = False
        problems.append(f"Certifikatet hade gått ut när underskriften gjordes (giltigt till och med "
                        f"{_day(end)}).")
    elif when < start:
        certificate_ok = False
        problems.append(f"Certifikatet var ännu inte giltigt när underskriften gjordes (giltigt från "
                        f"{_day(start)}).")
    elif not status.trusted and status.intact and status.valid:   # a broken signature's chain is not looked at
        certificate_ok = False
        problems.append(_untrusted(roots))
    if status.revoked:
        certificate_ok = False
        problems.append("Certifikatet är spärrat (återkallat) av utfärdaren.")
    if not stamp_ok and start <= when <= end and dt.datetime.now(dt.timezone.utc) > end:
        problems.append(f"Certifikatet har gått ut sedan underskriften ({_day(end)}), och underskriften har "
                        "ingen tidsstämpel som styrker att den gjordes innan dess.")
    problems.append(REVOCATION_NOT_CHECKED)
    return SignatureState(
        field=name, roll=roll, namn=namn, signed=True, signer_name=common_name(cert), signed_at=signed_at,
        timestamped=stamp is not None, intact=bool(status.intact),
        modified_after=_modified_after(status, signature_names) or _metadata_changed(embedded),
        problems=tuple(problems),
        certificate_ok=certificate_ok, claimed_at=claimed, timestamp_at=stamp.timestamp if stamp else None)


def _day(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d")


def _untrusted(roots) -> str:
    if not roots:
        return ("Certifikatets utfärdare kunde inte kontrolleras: inga betrodda rotcertifikat är angivna. Ange "
                "kommunens rotcertifikat (mappen i NAMNDTOOL_TRUST_DIR).")
    return ("Certifikatet är inte utfärdat av någon utfärdare som kommunen litar på (kedjan når inget av de "
            "betrodda rotcertifikaten).")


def _modified_after(status, signature_names) -> str | None:
    """None when nothing but signatures and signature fields changed after the signature, else what did."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return ("Underskriften täcker inte hela sin version av filen, så det går inte att avgöra vad som "
                "skrevs under.")
    result = status.diff_result
    if not isinstance(result, DiffResult):
        return ("Protokollets innehåll har ändrats efter underskriften: en senare version av filen ändrar mer "
                "än underskrifter.")
    level = result.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING):
        others = sorted(set(result.changed_form_fields) - set(signature_names))
        if others:
            return (f"Formulärfält har fyllts i eller ändrats efter underskriften: {', '.join(others)}.")
        return None
    if level == ModificationLevel.ANNOTATIONS:
        return "Kommentarer eller anteckningar har lagts till eller ändrats i protokollet efter underskriften."
    return ("Protokollets innehåll har ändrats efter underskriften: en senare version av filen ändrar mer än "
            "underskrifter.")


_DESCRIPTIVE_INFO = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate")
_XMP_DC = re.compile(rb"<dc:(title|creator|description|subject)\b[^>]*>(.*?)</dc:\1>", re.S)


def _descriptive_metadata(handler):
    """What the document says about itself (Info title, author …, XMP dc: properties); not the dates and the
    producer a later signing tool may update."""
    from pyhanko.pdf_utils.generic import IndirectObject

    def resolved(value):   # in this revision, not the newest
        return handler.get_object(value.reference) if isinstance(value, IndirectObject) else value

    trailer = handler.trailer_view
    info = resolved(trailer.raw_get("/Info")) if "/Info" in trailer else {}
    items = tuple((key, str(info[key])) for key in _DESCRIPTIVE_INFO if key in info)
    root = handler.root
    xmp = resolved(root.raw_get("/Metadata")).data if "/Metadata" in root else b""
    # the text inside each dc: property, without markup and spacing a rewriting XMP library may change
    return items, tuple(sorted((name, re.sub(rb"<[^>]*>|\s+", b"", value)) for name, value in _XMP_DC.findall(xmp)))


def _metadata_changed(embedded) -> str | None:
    """pyHanko's difference analysis accepts changed document metadata after a signature; our signing never
    changes it, so a later change of the title, author or description is reported."""
    reader = embedded.reader
    try:
        then = _descriptive_metadata(reader.get_historical_resolver(embedded.signed_revision))
        now = _descriptive_metadata(reader)
    except Exception:   # noqa: BLE001 - unreadable metadata is the difference analysis' business
        return None
    if then != now:
        return ("Protokollets metadata (titel, författare eller beskrivning) har ändrats efter "
                "underskriften.")
    return None


def _timestamp_time(signer_info) -> dt.datetime | None:
    """The genTime of the signature time-stamp token in the unsigned attributes, if there is one."""
    from asn1crypto import cms, tsp

    try:
        for attr in signer_info["unsigned_attrs"] or ():
            if attr["type"].native == "signature_time_stamp_token":
                token = attr["values"][0]
                content = token["content"]["encap_content_info"]["content"].parsed
                if isinstance(content, tsp.TSTInfo):
                    return content["gen_time"].native
                return tsp.TSTInfo.load(content.contents if isinstance(content, cms.ParsableOctetString)
                                        else bytes(content))["gen_time"].native
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return None


def _embedded_cert(embedded):
    try:
        return embedded.signer_cert
    except Exception:   # noqa: BLE001
        return None


def report_lines(states: Sequence[SignatureState]) -> list[str]:
    """Swedish lines for ``namndtool protokoll verify FILE.pdf``: each field, who signed when, whether the
    signature is intact and what changed after it, the certificate's problems, and who is still to sign."""
    if not states:
        return ["Protokollet har inga underskriftsfält."]
    lines = []
    waiting = []
    for state in states:
        who = f"{state.roll} {state.namn}".strip() or state.field
        if not state.signed:
            lines.append(f"{who}: inte undertecknat ännu (fält {state.field}).")
            waiting.append(who)
            continue
        if state.signed_at is not None:
            when = state.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            how = "tidsstämplat" if state.timestamped and state.timestamp_at else "tid enligt undertecknaren"
            lines.append(f"{who}: undertecknat av {state.signer_name or 'okänd'} {when} ({how}).")
        else:
            lines.append(f"{who}: undertecknat av {state.signer_name or 'okänd'} (tidpunkt saknas).")
        if state.signer_name and state.namn and state.signer_name.casefold() != state.namn.casefold():
            lines.append(f"  Obs: certifikatet är utfärdat till {state.signer_name}, inte till {state.namn}.")
        lines.append("  Underskriften är oförändrad." if state.intact else
                     "  Underskriften är bruten: det undertecknade innehållet har ändrats.")
        if state.modified_after:
            lines.append(f"  Ändrat efter underskriften: {state.modified_after}")
        for problem in state.problems:
            lines.append(f"  - {problem}")
        lines.append("  Giltig: ja." if state.valid else "  Giltig: nej.")
    if waiting:
        lines.append("Väntar på underskrift av: " + ", ".join(waiting) + ".")
    elif all(state.valid for state in states):
        lines.append("Alla har skrivit under och alla underskrifter är giltiga.")
    else:
        lines.append("Alla har skrivit under, men minst en underskrift är inte giltig (se ovan).")
    return lines
