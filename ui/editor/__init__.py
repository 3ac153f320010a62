"""The ärende editor: the ärende's fields, its tjänsteskrivelse, preview, handlingar and history."""
