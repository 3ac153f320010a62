"""Access to the files that travel with the installed package (resources/ and db/)."""

from importlib import resources
from importlib.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A file under resources/, e.g. ``resource("fonts", "DejaVuSans.ttf")``."""
    node = resources.files("nämndtool.resources")
    for part in parts:
        node = node / part
    return node


def migrations() -> list[tuple[int, str, str]]:
    """The numbered SQL migrations in db/, as (number, file name, SQL), in order."""
    found = []
    for entry in resources.files("nämndtool.db").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"Migrationerna i db/ är inte numrerade 001, 002, … utan luckor: {numbers}")
    return found


def template_loader(folder: str):
    """A jinja2 loader for the templates in resources/``folder``/ (jinja2 is imported only when templates are
    rendered)."""
    from jinja2 import BaseLoader, TemplateNotFound

    class ResourceLoader(BaseLoader):
        def get_source(self, environment, template):
            node = resource(folder, template)
            if not node.is_file():
                raise TemplateNotFound(template)
            return node.read_text(encoding="utf-8"), None, lambda: True

    return ResourceLoader()
