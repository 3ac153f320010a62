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

_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xFFFE, 0x0002, 0x180E], None)
_HYPHEN_BREAK = re.compile(r"[-\u2010\u2011]\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
_WORD = re.compile(r"\w+")
_DIARY_NUMBER = re.compile(r"\b([A-ZÅÄÖ]{2,10})\s*/\s*(\d{4})\s*:\s*0*(\d{1,7})(?!\d)")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _HYPHEN_BREAK.sub("", text)


def words(text: str) -> list[str]:
    """The words of ``text`` as compared: normalised and case folded."""
    return _WORD.findall(normalise(text).casefold())


def diary_numbers(text: str) -> set[str]:
    """Every diary number written in ``text`` ("SOCN/2023:17", also "socn / 2023 : 017"), as KOD/ÅÅÅÅ:N."""
    upper = normalise(text).upper()
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
