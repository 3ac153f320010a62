"""Digital justering (issue 17): the protokoll signed with PAdES signatures, one person after another.

``start`` renders the protokoll as it will be justerat, adds an empty signature field for each person in its
Underskrifter block (sekreterare, ordförande, each justerare, in that order) and keeps that PDF as the first
version (db/021); from then on the protokoll is locked. ``sign`` adds one signature as an incremental update of the
latest version: the certificate must name the person whose turn it is, and the new signature must verify. When
every field holds a valid signature the justering is recorded exactly as a paper justering is (the akt copies
filed, the meeting locked), dated the day of the last signature, and the signed PDF is the justerat protokoll.
``cancel`` ends a digital justering under way: the signatures made count for nothing and the protokoll opens again.

The signatures are read from the PDF each time (``signing.verify``); the register holds only the versions' files.
"""

import datetime as dt
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nämndtool.errors import NamndtoolError
from nämndtool.store import Store

FIELD_NAMES = {"Sekreterare": "sekreterare", "Ordförande": "ordforande", "Justerande": "justerare"}


@dataclass(frozen=True)
class Signing:
    """Where a digital justering stands: each field's state in signing order, and the justering's date once it is
    recorded."""
    states: list
    justerad: dt.date | None = None

    @property
    def remaining(self) -> list:
        """The fields still without a valid signature, in the order they are to be signed."""
        return [s for s in self.states if not s.valid]

    @property
    def complete(self) -> bool:
        return bool(self.states) and not self.remaining


def signature_fields(store: Store, meeting_id: int) -> list:
    """The signature fields of the protokoll, from its Underskrifter block. Refused when a name is missing."""
    from nämndtool.documents.protokoll import signatories
    from nämndtool.signing import SignatureField

    fields, justerare = [], 0
    for title, name in signatories(store, meeting_id):
        if not name:
            raise NamndtoolError(f"{title} saknar namn i protokollet. Fyll i namnet innan den digitala justeringen "
                                 "börjar; den som skriver under måste ha ett certifikat med samma namn.")
        field = FIELD_NAMES[title]
        if field == "justerare":
            justerare += 1
            field = f"justerare_{justerare}"
        fields.append(SignatureField(field, title, name))
    return fields


def start(store: Store, meeting_id: int, branding=None, *, today: dt.date | None = None) -> Signing:
    """Begin the digital justering. Rules: klar för justering, not justerat, none under way (store)."""
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import justerat_pdf
    from nämndtool.signing import add_signature_fields

    branding = branding or load_branding()
    with store.write():
        store.refuse_signing(meeting_id)
        fields = signature_fields(store, meeting_id)
        pdf = add_signature_fields(justerat_pdf(store, meeting_id, today or dt.date.today(), branding), fields)
        store.start_signing(meeting_id, _keep(store, pdf))
    return status(store, meeting_id)


def status(store: Store, meeting_id: int, trust_roots=None) -> Signing | None:
    """The state of the digital justering under way, or of the signed justerat protokoll; None when there is
    neither (not started, cancelled, or justerat on paper)."""
    from nämndtool.signing import verify

    sha = store.signing_pdf(meeting_id)
    justerad = None
    if sha is None:
        protokoll = store.protokoll(meeting_id) or {}
        sha = protokoll.get("justerad_pdf_sha256")
        if not sha or not store.is_signing_version(meeting_id, sha):
            return None
        justerad = dt.date.fromisoformat(protokoll["justerad"])
    states = verify(store.file_path(sha).read_bytes(), _roots(trust_roots))
    return Signing(states, justerad)


def sign(store: Store, meeting_id: int, signer, *, trust_roots=None, timestamp_url: str | None = None,
         branding=None, today: dt.date | None = None) -> Signing:
    """Add ``signer``'s signature to the field whose turn it is. Refused (nothing saved): no digital justering
    under way; the certificate names nobody who signs this protokoll; an earlier field is not signed yet; the new
    signature does not verify (certificate expired, not trusted, …). The last signature records the justering."""
    from nämndtool.signing import sign as add_signature
    from nämndtool.signing import verify

    roots = _roots(trust_roots)
    was = store.signing_pdf(meeting_id)
    if was is None:
        raise NamndtoolError("Ingen digital justering pågår för protokollet. Starta den digitala justeringen först.")
    pdf = store.file_path(was).read_bytes()
    states = verify(pdf, roots)
    field = _turn_of(states, signer.signer_name())
    signed = add_signature(pdf, field.field, signer, timestamp_url=timestamp_url)
    done = Signing(verify(signed, roots))
    after = next(s for s in done.states if s.field == field.field)
    if not after.valid:
        raise NamndtoolError(f"Underskriften av {after.signer_name or signer.signer_name()} godtogs inte: "
                             f"{' '.join(after.problems) or 'den kunde inte verifieras.'} Ingenting har sparats.")
    if not done.complete:
        with store.write():
            store.add_signing_version(meeting_id, was, _keep(store, signed))
        return done
    return _record(store, meeting_id, was, signed, done, branding, today)


def cancel(store: Store, meeting_id: int) -> None:
    """End the digital justering under way; the protokoll can be changed again and everyone signs anew."""
    store.cancel_signing(meeting_id)


def _turn_of(states: list, name: str):
    """The field ``name`` signs now: the first unsigned field of the person, if every field before it is signed."""
    wanted = same_name(name)
    theirs = [s for s in states if same_name(s.namn) == wanted]
    if not theirs:
        people = ", ".join(f"{s.roll.lower()} {s.namn}" for s in states)
        raise NamndtoolError(f"Certifikatet är utfärdat till {name}, som inte ska skriva under det här protokollet "
                             f"({people}). Underskriften har inte gjorts. Skriver rätt person under med sitt eget "
                             "certifikat? Är namnet i protokollet fel avbryter du justeringen och rättar det.")
    open_fields = [s for s in theirs if not s.signed]
    if not open_fields:
        raise NamndtoolError(f"{name} har redan skrivit under protokollet.")
    field = open_fields[0]
    before = [s for s in states[:states.index(field)] if not s.signed]
    if before:
        first = before[0]
        raise NamndtoolError(f"Det är inte {name}s tur att skriva under än: först ska {first.roll.lower()} "
                             f"{first.namn} skriva under (ordningen är sekreterare, ordförande, justerare).")
    return field


def same_name(name: str) -> str:
    """A name as it is compared with a certificate's: Unicode NFC, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _record(store: Store, meeting_id: int, was: str, signed: bytes, done: Signing, branding,
            today: dt.date | None) -> Signing:
    """The last signature: the signed PDF recorded as the justerat protokoll, dated the day of the last signature,
    with the akt copies, in one transaction (operations.protokoll.justera's flow)."""
    from nämndtool.archive import file_akt_copies
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import justera as record

    branding = branding or load_branding()
    datum = max(s.signed_at for s in done.states if s.signed_at).astimezone().date()
    written: list[str] = []
    try:
        with store.write():
            store.add_signing_version(meeting_id, was, _keep(store, signed))
            written.append(record(store, meeting_id, datum, branding, today, signed=signed))
            file_akt_copies(store, meeting_id, branding, written)
    except BaseException:
        store.forget_unregistered_files(written)
        raise
    return Signing(done.states, datum)


def _keep(store: Store, pdf: bytes) -> str:
    """Store and register a version's bytes; its SHA-256."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "protokoll.pdf"
        path.write_bytes(pdf)
        stored = store.store_file_bytes(path)
    store.register_file(stored)
    return stored.sha256


def _roots(trust_roots):
    from nämndtool.signing import load_trust_roots

    return load_trust_roots() if trust_roots is None else list(trust_roots)
