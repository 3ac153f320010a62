"""PDFium (pypdfium2) may be used by one thread at a time: the pack, the secrecy gate and the bilaga cleaning all
run on worker threads in the app, so every use of it holds this lock."""

import threading

LOCK = threading.RLock()
