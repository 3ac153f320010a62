"""What the Personer dialogs share: the seat roles as the user reads them, and date fields in ÅÅÅÅ-MM-DD."""

from PySide6.QtCore import QDate

from nämndtool.ui.common.form_fields import DateEdit

ROLES = {"ordforande": "Ordförande", "vice_ordforande": "Vice ordförande", "ledamot": "Ledamot",
         "ersattare": "Ersättare"}


def date_edit(iso: str | None = None) -> DateEdit:
    """A date field with a calendar, showing ``iso`` (today when None)."""
    edit = DateEdit()
    edit.setDate(QDate.fromString(iso, "yyyy-MM-dd") if iso else QDate.currentDate())
    return edit


def iso_of(edit: DateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")
