"""Archive packages an e-archive accepts: E-ARK SIPs (FGS Paketstruktur 2.0) whose descriptive metadata is one
E-ARK CITS ERMS document (FGS Ärendehantering 2.0). See docs/arkiv.md for the layout and the mapping.

- ``layout``: the package's folders and names, the one source of truth for writer and checker;
- ``schemas``: the official schemas shipped in resources/schema/e-ark/, loaded offline, and the Schematron;
- ``erms``: the ERMS document of a delivery; ``mets``: its METS.xml; ``builder``: the element maker both use;
- ``formats``: which files are PDF/A, checked with page-validation, and the format report;
- ``package``: gathering a delivery from the store and writing it; ``verify``: checking a package on disk."""
