"""Writing a rendered document is an operation: the file written atomically and, for a public version, where it
went recorded — on any connection to the store, so the app can run it on its worker thread."""

import hashlib

from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.service import render_bytes
from nämndtool.operations import documents
from nämndtool.store import Store

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def test_a_public_document_is_written_and_recorded_through_another_connection(imported, tmp_path):
    store, meeting_id = imported
    document = kallelse_document(store, meeting_id, public=True)
    data = render_bytes(document, "pdf", load_branding())
    publication = documents.publication_of(document, data)
    with Store.open(store.location) as worker_store:     # as the runner's worker thread has its own
        written = documents.save_document(worker_store, publication, data, tmp_path / "kallelse.pdf")
    assert written.read_bytes() == data
    recorded = store.publications(meeting_id=meeting_id)
    assert [(r["mal"], r["sha256"]) for r in recorded] == [(str(written), hashlib.sha256(data).hexdigest())]


def test_an_internal_document_is_written_and_not_recorded(imported, tmp_path):
    store, meeting_id = imported
    document = kallelse_document(store, meeting_id, public=False)
    data = render_bytes(document, "pdf", load_branding())
    assert documents.publication_of(document, data) is None
    documents.save_document(store, None, data, tmp_path / "intern.pdf")
    assert (tmp_path / "intern.pdf").read_bytes() == data
    assert store.publications(meeting_id=meeting_id) == []
