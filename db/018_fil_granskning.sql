-- 018: what the secrecy gate reads from a stored file, kept by its SHA-256 (issue 15). Stored files never change,
-- so a PDF bilaga is examined once (when it is registered, or on first use for a file stored before this
-- version): made safe for publishing (secrecy/sanitize.py), and from the made-safe bytes the gate's pieces of text,
-- the page texts' sampled six-word windows and the image hashes (secrecy/examined.py). A public pack then only
-- matches these against the secret facts of the moment: a verdict is never kept, only what was read.
--   granskare        the examiner's version: a hash of the code and libraries that read the file; a row made by
--                    another version is examined again, never used
--   sidor            the file's page count
--   offentlig_sha256 SHA-256 of the made-safe bytes (NULL when the file could not be made safe)
--   hinder           why it could not be made safe (Swedish, shown in the pack's warning), else NULL
--   innehall         zlib-compressed JSON of what was read from the made-safe bytes
CREATE TABLE fil_granskning (
    sha256            TEXT PRIMARY KEY REFERENCES fil (sha256),
    granskare         TEXT NOT NULL,
    sidor             INTEGER NOT NULL CHECK (sidor >= 0),
    offentlig_sha256  TEXT,
    hinder            TEXT,
    innehall          BLOB,
    CHECK ((offentlig_sha256 IS NULL) = (hinder IS NOT NULL)),
    CHECK ((offentlig_sha256 IS NULL) = (innehall IS NULL))
) WITHOUT ROWID;
