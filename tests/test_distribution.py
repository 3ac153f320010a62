"""Sending out the kallelse: who gets it, the list file, and e-mail drafts that carry only the public pack."""

import csv
import email
import io
from email import policy

import pytest

from docs_helpers import flat, pdf_pages
from nämndtool.demo import create_demo
from nämndtool.distribution import (
    NO_EMAIL, distribution_list, item_ranges, left_out_text, prepare_distribution, safe_filename,
    write_distribution, write_eml_drafts,
)
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.errors import NamndtoolError
from nämndtool.secrecy import gate
from nämndtool.secrecy.facts import facts_for_meeting

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def demo(store):
    """The demo store with e-mail for some of the utskott's members; yields (store, utskott meeting id)."""
    create_demo(store)
    utskott = next(m for m in store.meetings() if "utskott" in m["organ"])
    for person in store.roster(utskott["organ_id"], utskott["datum"]):
        address = None if person["namn"] == "Johanna Karlsson" else person["namn"].split()[0].lower() + "@example.se"
        store.update_person(person["id"], {"epost": address})
    return store, utskott["id"]


def secret_titles(store, meeting_id) -> list[str]:
    titles = []
    for item in store.agenda(meeting_id):
        if item["sekretess"]:
            titles += [item["rubrik"], item["diarienummer"]]
    return titles


def test_distribution_list_is_the_roster_on_the_meeting_date(demo):
    store, meeting_id = demo
    people = distribution_list(store, meeting_id)
    assert [(p.namn, p.uppdrag, p.parti) for p in people] == [
        ("Martin Edgélius", "Ordförande", "M"),
        ("Anders Gölevik", "Ledamot", "C"),
        ("Johanna Karlsson", "Ledamot", "S"),
        ("Eva Lindqvist", "Ersättare", "S"),
    ]
    johanna = next(p for p in people if p.namn == "Johanna Karlsson")
    assert johanna.epost is None and johanna.note == NO_EMAIL and not johanna.gets_draft


def test_drafts_carry_only_the_public_pack(demo, tmp_path):
    store, meeting_id = demo
    written = write_eml_drafts(store, meeting_id, tmp_path)
    assert len(written.drafts) == 3   # Johanna Karlsson has no e-mail
    secrets = secret_titles(store, meeting_id)
    assert len(secrets) == 6
    for path in written.drafts:
        assert path.suffix == ".eml" and path.parent == written.folder
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["X-Unsent"] == "1"
        assert message["From"].addresses[0].addr_spec == "madelene.sonnerfors@katrineholm.se"
        assert message["Subject"].startswith("Kallelse till Socialnämndens individutskott ")
        attachments = list(message.iter_attachments())
        assert len(attachments) == 1
        attachment = attachments[0]
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename().endswith("(offentlig).pdf")
        pdf = attachment.get_content()
        text = flat(" ".join(pdf_pages(pdf)))
        assert "Sekretessärenden" in text   # the secret items are there only as a number range
        body = message.get_body(("plain",)).get_content()
        assert "Tid:" in body and "Plats: Rosen" in body and "Förhinder anmäls till Madelene Sönnerfors" in body
        assert "3 sekretessärenden (punkt 4–6)" in body
        for secret in secrets:
            assert secret not in text, f"{secret} finns i bilagan"
            assert secret.encode() not in pdf
            assert secret not in body
            assert secret not in path.name


def test_the_list_names_everyone_and_says_who_has_no_email(demo, tmp_path):
    store, meeting_id = demo
    written = write_eml_drafts(store, meeting_id, tmp_path)
    rows = list(csv.reader(io.StringIO(written.list_file.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Namn", "Uppdrag", "Parti", "E-post", "Anmärkning"]
    assert [r[0] for r in rows[1:]] == ["Martin Edgélius", "Anders Gölevik", "Johanna Karlsson", "Eva Lindqvist"]
    johanna = next(r for r in rows if r[0] == "Johanna Karlsson")
    assert johanna[3] == "" and johanna[4] == NO_EMAIL
    assert not any("Johanna" in p.name for p in written.drafts)


def test_an_internal_pack_is_refused_by_the_gate(demo):
    store, meeting_id = demo
    internal = build_pack(store, meeting_id, False, load_branding())
    with pytest.raises(gate.GateError, match="rubriken på sekretessärendet") as refused:
        gate.check(internal.pdf, "pdf", "handlingarna", facts_for_meeting(store, meeting_id, osl_lists=True))
    assert "märkningen för en intern version" in str(refused.value)
    for item in store.agenda(meeting_id):
        if item["sekretess"]:
            assert item["rubrik"] not in str(refused.value)   # the message never repeats the secret


def test_a_tampered_distribution_writes_nothing(demo, tmp_path):
    """Even a Distribution whose pack was swapped for the internal one is caught before any draft is written."""
    store, meeting_id = demo
    distribution = prepare_distribution(store, meeting_id)
    distribution.pack = build_pack(store, meeting_id, False, load_branding())
    out = tmp_path / "ut"
    out.mkdir()
    with pytest.raises(NamndtoolError, match="e-postutkastet till .* skapades inte"):
        write_distribution(store, distribution, out / "lista.csv")
    assert not list(out.iterdir())


def test_a_personnummer_in_the_attachment_writes_nothing(demo, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    store, meeting_id = demo
    distribution = prepare_distribution(store, meeting_id)
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 700, "Barnet 121212\u20111212 bor hos sin moster.")
    canvas.save()
    distribution.pack.pdf = buffer.getvalue()
    out = tmp_path / "ut"
    out.mkdir()
    with pytest.raises(gate.GateError, match="personnummer") as refused:
        write_distribution(store, distribution, out / "lista.csv")
    assert "121212-1212" not in str(refused.value) and "1212\u20111212" not in str(refused.value)
    assert not list(out.iterdir())


def test_same_names_get_their_own_drafts(demo, tmp_path):
    store, meeting_id = demo
    distribution = prepare_distribution(store, meeting_id)
    distribution.recipients.append(distribution.recipients[1])
    written = write_distribution(store, distribution, tmp_path / "lista.csv")
    assert len({p.name for p in written.drafts}) == len(written.drafts) == 4


@pytest.mark.parametrize("name, expected", [
    ("Kallelse till A/B: C?.eml", "Kallelse till A-B- C-.eml"),
    ('Handlingar "x" <y> | z*.pdf', "Handlingar -x- -y- - z-.pdf"),
    ("CON.txt", "_CON.txt"),
    ("Slutar med punkt. ", "Slutar med punkt"),
    ("rad\nbrytning.pdf", "rad brytning.pdf"),
])
def test_safe_filenames(name, expected):
    assert safe_filename(name) == expected


def test_long_names_keep_their_suffix():
    name = safe_filename("Tjänsteskrivelse " + "mycket lång rubrik " * 20 + ".pdf")
    assert len(name) <= 150 and name.endswith(".pdf")


def test_item_ranges_read_like_a_person_writes_them():
    assert item_ranges([4, 5, 6]) == "4–6"
    assert item_ranges([9, 4, 5, 6]) == "4–6 och 9"
    assert item_ranges([1, 3, 5, 6]) == "1, 3 och 5–6"
    assert left_out_text([4]) == "1 sekretessärende (punkt 4)"
    assert left_out_text([]) == "inga sekretessärenden"


def test_no_roster_means_an_empty_list(imported):
    store, meeting_id = imported
    assert distribution_list(store, meeting_id) == []
