"""The one rule for user text on its way into a document, used by the templates and by both renderers, so a PDF
and a Word file of the same document show the same characters:

- every line break (CR LF, CR, vertical tab, form feed, NEL, U+2028, U+2029) becomes "\\n" (Word writes a manual
  line break as a vertical tab, so text pasted from Word keeps its lines);
- a tab becomes one space (a template collapses white space anyway, a PDF paragraph has no tab stops, and Word
  would jump to its next tab stop);
- every other control character (C0 with NUL, DEL, C1) is dropped, and so are lone surrogates and the
  non-characters U+FFFE and U+FFFF: neither XML 1.0 nor a PDF text string can hold them.

Everything else stays: letters of every script, emoji, and format characters such as soft hyphens and bidi marks.
"""

import re

_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` by the rule above: line breaks as "\\n", a tab as a space, what no document can hold dropped."""
    return _DROPPED.sub("", _LINE_BREAK.sub("\n", text).replace("\t", " "))
