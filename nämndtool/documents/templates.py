"""Rendering the Jinja2 templates in resources/templates/ into the document model.

Templates run in Jinja2's sandbox with autoescaping: user text is always text, never markup, so it cannot change
a template's structure. Every value is cleaned on the way out by the one rule for document text (``text.clean``).

Jinja2 and the Markdown parser are imported when the first document is rendered, not when this module is
imported: the desktop app imports the document modules at start, and they cost about 70 ms there (issue 15).
"""

from functools import cache

from markupsafe import Markup, escape

from nämndtool.assets import template_loader
from nämndtool.documents.markup import parse_document
from nämndtool.documents.model import Document
from nämndtool.documents.text import clean


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return clean(str(value))


@cache
def _environment():
    """The one sandboxed environment (a jinja2 SandboxedEnvironment), made on first use."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from nämndtool.documents.markdown import markdown_to_markup

    env = SandboxedEnvironment(
        loader=template_loader("templates"), autoescape=True, undefined=StrictUndefined, finalize=_finalize,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: markdown_to_markup(text or "")
    env.filters["attr"] = lambda text: Markup(escape(clean(str(text or ""))).replace("\n", "&#10;"))
    return env


def render_template(name: str, **context) -> Document:
    return parse_document(_environment().get_template(name).render(**context))
