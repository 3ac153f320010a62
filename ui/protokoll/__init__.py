"""Protokoll: närvaro, paragrafer, justering and utskick of one meeting."""
