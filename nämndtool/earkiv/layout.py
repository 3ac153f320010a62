"""The folders and names of a package (E-ARK CSIP/SIP as FGS Paketstruktur 2.0): one source of truth for the
writer (``package``, ``mets``) and the checker (``verify``)."""

METS = "METS.xml"
ERMS = "metadata/descriptive/ERMS.xml"
DATA = "representations/rep1/data"
DOCUMENTATION = "documentation"
FORMAT_REPORT = f"{DOCUMENTATION}/Formatkontroll.txt"
SCHEMAS = "schemas"

REPRESENTATION_USE = "Representations/rep1"
"""The METS fileGrp USE of the representation's files, and the LABEL of its structMap div."""

CSIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
"""mets/@PROFILE: the E-ARK SIP profile the package follows (FGS Paketstruktur 2.0 builds on it)."""

SCHEMA_FILES = ("mets.xsd", "xlink.xsd", "CSIPExtensionMETS.xsd", "ERMS_v3.xsd", "erms_v3.sch")
"""The schema files each package carries in schemas/, copied from resources/schema/e-ark/."""
