"""A rendered part is found again by what it is made from, without the renderer's workspace (issue 15): the
fonts and the logo the layout uses are still part of the key, so another font gives another part."""

import dataclasses

from nämndtool.documents.branding import load_branding
from nämndtool.documents.model import Document, Metadata, Paragraph, Span
from nämndtool.documents.part_cache import document_key


def _document(text: str) -> Document:
    return Document(Metadata("Prov"), (Paragraph((Span(text),)),))


def test_another_font_gives_another_part_and_the_same_font_the_same():
    branding = load_branding()
    fonts = branding.values["font"]
    other = dataclasses.replace(branding, values={**branding.values,
                                                  "font": {**fonts, "regular": fonts["bold"]}})
    assert document_key(_document("Nämnden beslutar"), other) != document_key(_document("Nämnden beslutar"), branding)
    assert document_key(_document("Nämnden beslutar"), load_branding()) == document_key(
        _document("Nämnden beslutar"), branding)

