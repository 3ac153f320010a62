"""Issue 13: a protokollsutdrag is a true copy of its §: the yrkanden, the propositionsordning, the omröstning
(proposition, counts, roll call) and the reservationer are printed as the protokoll prints them, in PDF and Word,
from one shared block (resources/templates/paragraf_overlaggning.xml)."""

import datetime as dt
import re

import pytest

from docs_helpers import docx_text, flat, pdf_text
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import protokoll_document, utdrag_document
from nämndtool.documents.service import render_bytes
from nämndtool.errors import NamndtoolError
from nämndtool.operations import protokoll

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

BRANDING = load_branding()
EXPECTED = [
    "Yrkanden", "Martin Edgélius (M) yrkar bifall till förvaltningens förslag.",
    "Anna Ek (S) yrkar avslag.",
    "Propositionsordning", "Ordföranden ställer proposition på yrkandena och finner bifall till sitt eget.",
    "Omröstning", "Omröstning begärs och verkställs.",
    "Voteringsproposition: ja-röst för bifall, nej-röst för avslag.",
    "Omröstningen utfaller med 1 ja-röster mot 1 nej-röster; 1 avstår.",
    "Ordförandens utslagsröst avgör för bifall.",
    "Reservationer", "Anna Ek (S) reserverar sig mot beslutet: Förslaget borde avslås.",
]
"""The § as the protokoll prints it, in this order (Word: the roll call table's text comes after the body)."""
ROLL_CALL = ["Ledamot Röst", "Martin Edgélius (M) Ja", "Anna Ek (S) Nej", "Olle Berg (V) Avstår"]


@pytest.fixture
def debated(imported):
    """§ 5 of the sample meeting with two yrkanden, a propositionsordning, a vote with a roll call and a
    reservation, recorded through the operations."""
    store, meeting_id = imported
    protokoll.create_paragraphs(store, meeting_id)
    p = store.paragraf_by_number(meeting_id, 5)
    assert not p["sekretess"]
    protokoll.add_yrkande(store, p["id"], "Martin Edgélius (M)", "bifall till förvaltningens förslag.")
    protokoll.add_yrkande(store, p["id"], "Anna Ek (S)", "avslag.", propositionsordning=(
        "Ordföranden ställer proposition på yrkandena och finner bifall till sitt eget."))
    protokoll.record_vote(store, p["id"], {"proposition_ja": "bifall", "proposition_nej": "avslag",
                                           "votering_resultat": "Ordförandens utslagsröst avgör för bifall."},
                          [{"namn": "Martin Edgélius (M)", "rost": "ja"}, {"namn": "Anna Ek (S)", "rost": "nej"},
                           {"namn": "Olle Berg (V)", "rost": "avstar"}])
    protokoll.add_reservation(store, p["id"], ["Anna Ek (S)"], "Förslaget borde avslås.")
    return store, meeting_id, p


FURNITURE = re.compile(r" ?\d+ \(\d+\)(?: Utkast – ej justerat · INTERN VERSION[^·]*?publiceras)*"
                       r"(?: Utkast – ej justerat · INTERN VERSION[^·]*?publiceras)*(?: Socialnämnden)+"
                       r" Sammanträdesdatum \d{4}-\d{2}-\d{2} PROTOKOLL(?:SUTDRAG)?")
"""A page's footer and the next page's running header, which a page break puts into the extracted text."""


def _body(text: str) -> str:
    return FURNITURE.sub("", flat(text))


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} saknas efter {text[max(0, at - 40):at]!r}"
        at = found + len(part)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_utdrag_prints_yrkanden_vote_and_reservationer_as_the_protokoll_does(debated, kind):
    store, meeting_id, p = debated
    read = {"pdf": pdf_text, "docx": docx_text}[kind]
    utdrag = _body(read(render_bytes(utdrag_document(store, meeting_id, 5, "Kommunstyrelsen",
                                                    today=dt.date(2023, 3, 2)), kind, BRANDING)))
    _in_order(utdrag, [f"§ {p['nr']}", "beslut", *EXPECTED, "Beslutet skickas till", "Utdragsbestyrkande"])
    whole = _body(read(render_bytes(protokoll_document(store, meeting_id, public=False), kind, BRANDING)))
    section = whole[whole.index(f"§ {p['nr']} {p['rubrik']}"):]
    _in_order(section, [*EXPECTED, "Beslutet skickas till"])
    for text in (utdrag, whole):
        assert all(row in text for row in ROLL_CALL), ROLL_CALL


def test_a_secret_paragraph_still_needs_a_confirmed_address_for_its_utdrag(imported):
    store, meeting_id = imported
    protokoll.create_paragraphs(store, meeting_id)
    secret = store.paragraf_by_number(meeting_id, 4)
    assert secret["sekretess"]
    protokoll.add_yrkande(store, secret["id"], "Anna Ek (S)", "avslag.")
    with pytest.raises(NamndtoolError, match="§ 4"):
        utdrag_document(store, meeting_id, 4, None)   # no recipient with a confirmed address: refused as before
