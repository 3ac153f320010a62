"""Writing a finished document that leaves the program.

The app renders first (``render_bytes``: a public version passes the secrecy gate there, so a refusal comes before
any file dialog), asks where to save, then writes with ``write_rendered``, which records where a public version
went, as ``documents.service.write_document`` does: when an ärende is made secret later, the secretary is told
where to withdraw it.
"""

import hashlib
from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.documents.model import Document


def write_rendered(document: Document, data: bytes, path: Path) -> None:
    """Write ``data`` (``document`` as ``render_bytes`` made it) atomically; a public version is recorded."""
    write_atomic(path, data)
    scope = document.scope
    if document.public and scope is not None:
        scope.store.record_publication(document.metadata.title, str(path), sha256=hashlib.sha256(data).hexdigest(),
                                       meeting_id=scope.meeting_id, arende_id=scope.arende_id)
