"""Vietnamese text: folded search keys and the order people and units are sorted in."""

import functools
import unicodedata

# Base letters in Vietnamese alphabetical order; tones sort after the letters.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONE_ORDER = {"": 0, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}
# Marks that make a new letter rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


@functools.lru_cache(maxsize=65536)  # imports fold the same values (places, names) often
def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, single spaces: 'Nguyễn Văn Ân' → 'nguyen van an'."""
    text = text.replace("Đ", "d").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


@functools.lru_cache(maxsize=4096)
def _letter_key(ch: str) -> tuple[str, int]:
    """(a code that sorts letters in Vietnamese order, tone rank) for one character."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    marks = decomposed[1:]
    letter_marks = "".join(m for m in marks if m in _LETTER_MARKS)
    tone = next((_TONE_ORDER[m] for m in marks if m in _TONE_ORDER), 0)
    letter = unicodedata.normalize("NFC", base + letter_marks)
    idx = _ALPHABET.find(letter)
    if idx >= 0:
        return chr(ord("A") + idx), tone
    if base.isdigit():
        return "0" + base, tone
    # Anything else (space, punctuation, foreign letters) after digits, before letters.
    return "/" if base.isspace() else "/" + base, tone


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """A plain-ASCII key whose byte order is Vietnamese alphabetical order.

    Letters first, tones as a tie-breaker, so 'an' < 'ăn' < 'ân' and 'a' < 'à' < 'á'.
    Works on SQLite and PostgreSQL alike when stored in a column with binary (C) collation.
    """
    letters: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFC", text.strip()):
        code, tone = _letter_key(ch)
        letters.append(code)
        tones.append(str(tone))
    return "".join(letters) + "!" + "".join(tones)


def person_sort_key(full_name: str) -> str:
    """Vietnamese people sort by given name (the last word), then the whole name."""
    words = full_name.split()
    if not words:
        return ""
    return sort_key(words[-1]) + "~" + sort_key(" ".join(words))
