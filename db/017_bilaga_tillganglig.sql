-- 017: whether a stored PDF is accessible (issue 14). Checked once, when the file is registered (a bilaga or any
-- handling with a file, by import, the app or the command line), with the PDF/UA-1 profile of page-validation:
-- 1 = passes, 0 = fails or cannot be read as a PDF, NULL = not checked (not a PDF, or stored before this
-- version). The agenda's readiness shows "bilaga ej tillgänglighetsanpassad" for an ärende with a bilaga at 0, so
-- the handläggare can ask for an accessible version before the handlingar are published.

ALTER TABLE fil ADD COLUMN tillganglig INTEGER CHECK (tillganglig IS NULL OR tillganglig IN (0, 1));
