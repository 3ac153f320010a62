"""Writing a document the app has rendered: the file and, for a public version, the record of where it went
(``operations.documents.save_document``) on the runner, so the store is written off the UI thread."""

from pathlib import Path
from typing import Callable

from nämndtool.documents.model import Document
from nämndtool.operations import documents
from nämndtool.ui.common import tasks


def save_rendered(parent, store, document: Document, data: bytes, path: Path,
                  failed: Callable[[BaseException], None]) -> bool:
    """Write ``data`` (``render_bytes`` of ``document``) to ``path`` on the runner and wait for it with the event
    loop running; True when it is written (and recorded), else ``failed(error)`` has been called."""
    task = tasks.run(parent, store, documents.save_document, documents.publication_of(document, data), data,
                     Path(path), failed=failed)
    return tasks.wait_for(task)
