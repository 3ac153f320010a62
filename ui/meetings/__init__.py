"""Sammanträden: the list of meetings, the agenda editor and its dialogs."""
