"""Document operations: writing a rendered document out of the program. Writing a public document is a change
to the store (where it went is recorded, nämndtool.store.sekretess ``offentliggorande``), so the app runs it on the
runner like any other change; rendering stays with the caller (a refusal comes before the file dialog)."""

from pathlib import Path

from nämndtool.documents.service import Publication, publication_of, save_rendered
from nämndtool.operations import meetings
from nämndtool.store import Store

__all__ = ["Publication", "publication_of", "save_document"]


def save_document(store: Store, publication: Publication | None, data: bytes, out: Path) -> Path:
    """Write the rendered ``data`` atomically to ``out``; a public document's :class:`Publication` (from
    :func:`publication_of`) is recorded in the same store. Returns the path written."""
    with store.write():
        meetings.kallelse_saved(store, publication)
        return save_rendered(store, publication, data, Path(out))
