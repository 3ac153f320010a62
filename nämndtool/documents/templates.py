"""Rendering the Jinja2 templates in resources/templates/ into the document model.

Templates run in Jinja2's sandbox with autoescaping: user text is always text, never markup, so it cannot change
a template's structure. Every value is cleaned on the way out by the one rule for document text (``text.clean``).
"""

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from nämndtool.assets import resource
from nämndtool.documents.markdown import markdown_to_markup
from nämndtool.documents.markup import parse_document
from nämndtool.documents.model import Document
from nämndtool.documents.text import clean


class _ResourceLoader(BaseLoader):
    def get_source(self, environment, template):
        node = resource("templates", template)
        if not node.is_file():
            raise TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return clean(str(value))


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=_ResourceLoader(), autoescape=True, undefined=StrictUndefined, finalize=_finalize,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: markdown_to_markup(text or "")
    env.filters["attr"] = lambda text: Markup(escape(clean(str(text or ""))).replace("\n", "&#10;"))
    return env


_ENV = _environment()


def render_template(name: str, **context) -> Document:
    return parse_document(_ENV.get_template(name).render(**context))
