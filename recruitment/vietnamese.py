"""Vietnamese text: folding for search and matching, and the order names are sorted in."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# C0 control characters but tab, line feed and carriage return, DEL, the noncharacters U+FFFE and
# U+FFFF and lone surrogates. XML, and so .xlsx and .docx, cannot hold them, and a person never types
# them: a vertical tab is what a Word line break becomes when pasted into an Excel cell, a bell comes
# with text copied out of old systems.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# Format characters that show nothing: zero-width spaces and joiners, the soft hyphen, direction marks
# and overrides, the word joiner, the byte-order mark. Pasted from the web or a PDF inside a name, they
# make two spellings of one person (HR's search no longer finds them) or a name that shows nothing
# at all; an override turns the letters after it around on the screen. Dropped, not made spaces.
_INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")

# Letters of the Vietnamese alphabet in dictionary order, each as base letter + modifier mark.
_ALPHABET = ["a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h", "i", "j",
             "k", "l", "m", "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s", "t", "u", "u\u031b",
             "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_spaces(text: str) -> str:
    # Every whitespace character but " " is unprintable: most cells of a big import skip the regex.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _SPACES.sub(" ", _CONTROLS.sub(" ", _INVISIBLE.sub("", text))).strip()


def has_letter(text: str) -> bool:
    """Whether the text holds a letter: a name of marks, digits or signs alone names nobody."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def without_controls(text: str) -> str:
    """The text with each control character (see _CONTROLS) a space: the words on either side stay apart."""
    return _CONTROLS.sub(" ", text)


def _fold_table() -> dict[int, str]:
    """Each precomposed Latin letter (Vietnamese ones included) to its base letters, as NFD and
    dropping the marks would give."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join(ch for ch in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(ch))
        if base.isascii() and base != chr(code):
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Hiến  pháp' and 'hien phap' fold alike."""
    quick = text.translate(_FOLD)
    if quick.isascii():  # the same result as the general way below, at a fraction of its cost
        return clean_spaces(quick).lower()
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Composed again: a Hangul syllable decomposes into two or three letters that are not marks, and a
    # name of 200 such syllables gave a key of 600 characters, longer than its column (a 500 on PostgreSQL).
    return clean_spaces(unicodedata.normalize("NFC", stripped)).lower()


@lru_cache(maxsize=65_536)  # a language has a few thousand syllables: a 100,000-name sort repeats them
def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    chars = unicodedata.normalize("NFD", word.lower())
    i = 0
    while i < len(chars):
        ch = chars[i]
        i += 1
        if unicodedata.combining(ch):
            continue
        mods = ""
        tone = 0
        while i < len(chars) and unicodedata.combining(chars[i]):
            mark = chars[i]
            if mark in _MODIFIERS:
                mods += mark
            elif mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            i += 1
        rank = _LETTER_RANK.get(ch + mods, _LETTER_RANK.get(ch))
        letters.append(rank if rank is not None else 100 + ord(ch))
        if tone:
            tones.append(tone)
    return tuple(letters), tuple(tones)


def text_sort_key(text: str) -> tuple:
    words = clean_spaces(nfc(text)).split(" ")
    keys = [_word_key(w) for w in words if w]
    # Letters decide first across all words; tones only break ties (as dictionaries do).
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def name_sort_key(full_name: str) -> tuple:
    """Vietnamese name order (A3): the given name (last word) first, then family and middle names."""
    words = clean_spaces(nfc(full_name)).split(" ")
    given, rest = words[-1], " ".join(words[:-1])
    return text_sort_key(given), text_sort_key(rest)
