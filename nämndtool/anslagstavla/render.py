"""The published files of the anslagstavla as bytes: a notice's page, the index of current notices, the JSON Feed.

The pages are plain HTML5 from the Jinja2 templates in ``resources/anslagstavla/`` (sandboxed, autoescaped, so no
value can become markup), with one inline style sheet and no script; they read in order without it. Colours are
:data:`COLOURS`, each text colour against its background at least 4.5:1 (WCAG 2.1 AA, tested).
"""

import datetime as dt
import json
from functools import cache
from urllib.parse import urljoin

from nämndtool.assets import template_loader
from nämndtool.dates import long_date

COLOURS = {
    "page": "#ffffff",
    "text": "#1b1b1b",
    "muted": "#4a4a4a",
    "link": "#0b4f8a",
    "focus": "#b35c00",
    "rule": "#8a8a8a",
    "box": "#eef3f8",
    "header": "#14365d",
    "header_text": "#ffffff",
    "footer": "#2b2b2b",
    "footer_text": "#ffffff",
}

FEED_VERSION = "https://jsonfeed.org/version/1.1"


@cache
def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup, escape

    env = SandboxedEnvironment(loader=template_loader("anslagstavla"), autoescape=True, undefined=StrictUndefined)
    env.filters["lang"] = long_date
    env.filters["tid"] = lambda value: Markup('<time datetime="{}">{}</time>').format(
        escape(dt.date.fromisoformat(value).isoformat()), long_date(value))
    return env


def _render(template: str, **context) -> bytes:
    text = _environment().get_template(template).render(c=COLOURS, **context)
    return (text.rstrip("\n") + "\n").encode("utf-8")


def genitive(name: str) -> str:
    """Socialnämnden → Socialnämndens; a name ending in s, x or z takes no s."""
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def notice_page(entry: dict, kommun: str, pdf_size: int) -> bytes:
    """The notice of one justerat protokoll."""
    a = dict(entry, organ_genitiv=genitive(entry["organ"]),
             pdf_text=f"Protokoll {entry['organ']} {long_date(entry['sammantradesdatum'])}",
             pdf_storlek=_size(pdf_size))
    return _render("anslag.html", a=a, kommun=kommun)


def index_page(entries: list[dict], kommun: str, today: dt.date) -> bytes:
    return _render("index.html", anslag=_newest_first(entries), kommun=kommun, uppdaterad=today.isoformat())


def feed(entries: list[dict], kommun: str, base_url: str | None = None) -> bytes:
    """The current notices as a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Links are full addresses
    when the folder's address on the web (``base_url``) is known, else relative to the feed, as the pages' are."""
    def url(name: str) -> str:
        return urljoin(base_url.rstrip("/") + "/", name) if base_url else name

    items = []
    for a in _newest_first(entries):
        items.append({
            "id": a["nyckel"],
            "url": url(a["sida"]),
            "title": a["rubrik"],
            "content_text": (f"Protokollet från {genitive(a['organ'])} sammanträde {a['sammantradesdatum']} "
                             f"justerades {a['justeringsdatum']}. Anslaget sitter uppe {a['anslag_upp']}–"
                             f"{a['anslag_ned']}; sista dag att överklaga genom laglighetsprövning är "
                             f"{a['overklagande_till']}. Protokollet förvaras hos {a['forvaringsplats']}."),
            "date_published": f"{a['anslag_upp']}T00:00:00+00:00",
            "language": "sv",
            "attachments": [{"url": url(a["pdf"]), "mime_type": "application/pdf",
                             "title": f"Protokoll {a['organ']} {a['sammantradesdatum']}"}],
            "_anslag": {key: a[key] for key in ("organ", "sammantradesdatum", "justeringsdatum", "anslag_upp",
                                                "anslag_ned", "overklagande_till", "forvaringsplats")},
        })
    data = {"version": FEED_VERSION, "title": f"Digital anslagstavla – {kommun}"}
    if base_url:
        data |= {"home_page_url": url("index.html"), "feed_url": url("anslag.json")}
    data |= {"language": "sv", "items": items}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _newest_first(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda a: (a["anslag_upp"], a["nyckel"]), reverse=True)


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
