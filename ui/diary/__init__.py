"""Diarium: the lazy diary table, search, and registering ärenden and handlingar."""
