"""The meeting exchange format (namndtool.meeting/1): schema, import and export."""
