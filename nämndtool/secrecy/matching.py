"""Finding phrases (titles, names) and diary numbers in text as a reader sees it, whatever the layout did to it.

Text is compared as a sequence of words: Unicode NFKC, case folded, zero-width characters and soft hyphens
removed, words broken over a line with a hyphen joined again, and every run of spaces, line breaks and
punctuation between words ignored. A title split over two lines, set in another case or with a non-breaking space
is still the same title.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

# Format characters (Unicode category Cf: zero-width spaces and joiners, soft hyphen, direction marks, tags …),
# PDFium's marker for a hyphen at a line end, and the non-character U+FFFE: invisible, so never part of a word.
_INVISIBLE = re.compile(
    "[\u0002\uFFFE\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E"
    "\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F"
    "\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001\U000E0020-\U000E007F]")
_HYPHEN_BREAK = re.compile(r"[-\u2010\u2011]\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
_WORD = re.compile(r"\w+")
# KOD/ÅÅÅÅ:N as written, and as people also write it: "SOCN 2024:7", "SOCN2024:7", "SOCN/2024-7", "socn / 2024 : 07".
_DIARY_NUMBER = re.compile(r"\b([A-ZÅÄÖ]{2,10})\s*/?\s*(\d{4})\s*[:\-\u2010-\u2015\u2212.]?\s*0*(\d{1,7})(?!\d)")


def normalise(text: str) -> str:
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _HYPHEN_BREAK.sub("", text)


def words(text: str, *, normalised: bool = False) -> list[str]:
    """The words of ``text`` as compared: normalised and case folded."""
    return _WORD.findall((text if normalised else normalise(text)).casefold())


def title_key(title: str) -> str:
    """A title as compared: its words, case folded (punctuation, dashes, soft hyphens and spacing ignored)."""
    return " ".join(words(title))


def masks_nothing(public_title: str, title: str) -> bool:
    """True when ``public_title`` still holds ``title`` (its words, in order): it hides nothing."""
    return bool(words(title)) and bool(PhraseIndex([title]).find(words(public_title)))


def diary_numbers(text: str, *, normalised: bool = False) -> set[str]:
    """Every diary number written in ``text`` ("SOCN/2023:17", also "socn / 2023 : 017"), as KOD/ÅÅÅÅ:N."""
    upper = (text if normalised else normalise(text)).upper()
    return {f"{kod}/{ar}:{int(nr)}" for kod, ar, nr in _DIARY_NUMBER.findall(upper)}


@dataclass(frozen=True)
class Match:
    start: int      # word index in the searched text
    end: int
    key: int        # index of the phrase as given to PhraseIndex


class PhraseIndex:
    """Many phrases searched at once: phrases are filed under their first word, so a text of n words costs about
    n dictionary look-ups however many phrases there are."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases: list[tuple[str, ...]] = []
        self._by_first: dict[str, list[int]] = {}
        for phrase in phrases:
            tokens = tuple(words(phrase))
            self.phrases.append(tokens)
            if tokens:
                self._by_first.setdefault(tokens[0], []).append(len(self.phrases) - 1)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, tokens: list[str]) -> list[Match]:
        found = []
        by_first = self._by_first
        for i, token in enumerate(tokens):
            keys = by_first.get(token)
            if not keys:
                continue
            for key in keys:
                phrase = self.phrases[key]
                if tuple(tokens[i:i + len(phrase)]) == phrase:
                    found.append(Match(i, i + len(phrase), key))
        return found

    def contains_any(self, text: str) -> bool:
        return bool(self.find(words(text)))
