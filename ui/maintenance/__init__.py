"""Maintenance and help in the app: restore from a backup, the handbook (F1), Kom igång on the first start, and
reopening the window on a store (``hooks.install`` and ``hooks.after_start`` are what the main window calls)."""
