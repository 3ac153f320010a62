-- 006: the diary's own order (newest number first) read from an index instead of sorting 100,000 rows.
CREATE INDEX arende_diarieordning ON arende(ar, lopnr);
