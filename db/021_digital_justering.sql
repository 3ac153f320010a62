-- 021: digital justering (issue 17). The protokoll is signed with PAdES signatures, one person after another; each
-- signature is an incremental update of the PDF before it. Every version is a stored file, named here in order
-- (nr 1 is the PDF with its empty signature fields), so a file of the protokoll always belongs to its meeting and
-- is as secret as the protokoll is (db/postgresql/021: row-level security). The version with every signature
-- becomes the justerat protokoll (protokoll.justerad_pdf_sha256) when the justering is recorded. A digital
-- justering under way is the versions not cancelled (avbruten NULL) of a meeting not yet justerat; cancelling
-- keeps the rows and stamps them. The signatures themselves are read from the PDF, never copied into the register.
CREATE TABLE signering (
    id              INTEGER PRIMARY KEY,
    sammantrade_id  INTEGER NOT NULL REFERENCES sammantrade(id) ON DELETE CASCADE,
    nr              INTEGER NOT NULL CHECK (nr >= 1),
    sha256          TEXT NOT NULL REFERENCES fil(sha256),
    skapad          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    avbruten        TEXT,
    UNIQUE (sammantrade_id, nr)
);
CREATE INDEX signering_fil ON signering(sha256);

-- nämndtool: step andringslogg_triggrar signering
