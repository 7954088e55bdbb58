"""Text preparation for the situation-report finder: Arabic script normalised with a map
back to the original characters, word tokens, sentences and paragraphs."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from safepassage.engine import sitrep_words as words
from safepassage.engine.names import normalize_arabic_script

__all__ = [
    "ARABIC_LETTER",
    "JOINABLE_GAP",
    "MAX_NAME_TOKENS",
    "NOT_ARABIC_AFTER",
    "NOT_ARABIC_BEFORE",
    "PreparedText",
    "Token",
    "latin_key",
    "name_key",
    "plain_text",
    "prepare",
    "sentences_of",
    "tokens_of",
]

# --- normalised text with a map back to the original --------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedText:
    original: str
    plain: str  # Arabic script normalised (one spelling per letter), digits 0-9
    folded: str  # the same with Pashto letters spelled as in Dari (for place names)
    origin: tuple[int, ...]  # index in ``original`` of each character of plain/folded

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span [start, end)."""
        if end <= start:
            position = self.origin[start] if start < len(self.origin) else len(self.original)
            return position, position
        return self.origin[start], self.origin[end - 1] + 1


@functools.lru_cache(maxsize=4096)
def _normalise_char(char: str) -> tuple[str, str]:
    if char.isspace():
        return " ", " "
    plain = normalize_arabic_script(char)
    folded = normalize_arabic_script(char, fold_pashto=True)
    if len(folded) != len(plain):  # never for the Pashto table; be safe all the same
        folded = plain
    return plain, folded


_ASCII_RUN: Final = re.compile(r"[\x00-\x7f]+")


def prepare(text: str) -> PreparedText:
    """``text`` normalised for matching, with each character's original position."""
    plain: list[str] = []
    folded: list[str] = []
    origin: list[int] = []
    position = 0
    while position < len(text):
        run = _ASCII_RUN.match(text, position)
        if run is not None:  # ASCII needs no normalisation: copy the run whole
            plain.append(run.group())
            folded.append(run.group())
            origin.extend(range(run.start(), run.end()))
            position = run.end()
            continue
        char_plain, char_folded = _normalise_char(text[position])
        plain.append(char_plain)
        folded.append(char_folded)
        origin.extend([position] * len(char_plain))
        position += 1
    return PreparedText(text, "".join(plain), "".join(folded), tuple(origin))


# --- tokens -------------------------------------------------------------------------------

_TOKEN: Final = re.compile(r"[^\W\d_]+")
JOINABLE_GAP: Final = re.compile(r"[ \-'’ʼ‘]{1,3}")
ARABIC_LETTER: Final = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
MAX_NAME_TOKENS: Final = 5


@dataclass(frozen=True, slots=True)
class Token:
    start: int  # in the normalised text
    end: int
    text: str  # folded text as written
    key: str  # lowercase a-z for Latin, the folded letters for Arabic script
    arabic: bool


def latin_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if "a" <= c <= "z")


def tokens_of(folded: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(folded):
        word = match.group()
        arabic = ARABIC_LETTER.match(word) is not None
        key = word if arabic else latin_key(word)
        if key:
            tokens.append(Token(match.start(), match.end(), word, key, arabic))
    return tokens


def name_key(name: str) -> tuple[str, bool, int]:
    """Index key of a place name (its tokens joined), whether it is Arabic script, and
    how many tokens it has."""
    tokens = tokens_of(prepare(name).folded)
    arabic = bool(tokens) and tokens[0].arabic
    return "".join(t.key for t in tokens if t.arabic == arabic), arabic, len(tokens)


_AR: Final = "[\u0600-\u06ff]"
NOT_ARABIC_BEFORE: Final = f"(?<!{_AR})"
NOT_ARABIC_AFTER: Final = f"(?!{_AR})"


def plain_text(text: str) -> str:
    return " ".join(prepare(text).plain.split())


# --- sentences and paragraphs -------------------------------------------------------------

_SENTENCE_END: Final = re.compile(r"[.!?؟۔]+[\"'”’»)]*(?=\s)|\n")
_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t\r]*\n")


def sentences_of(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each sentence of ``text``."""
    paragraphs: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        paragraphs.append((position, match.start()))
        position = match.end()
    paragraphs.append((position, len(text)))
    result: list[tuple[int, int, int]] = []
    for number, (p_start, p_end) in enumerate(paragraphs):
        start = p_start
        for match in _SENTENCE_END.finditer(text, p_start, p_end):
            if match.group() != "\n":
                before = re.search(r"([^\W\d_]+)\.?$", text[start : match.start()])
                if match.group().startswith(".") and before:
                    word = before.group(1).casefold()
                    if word in words.SENTENCE_ABBREVIATIONS or len(word) == 1:
                        continue
            else:
                following = text[match.end() : match.end() + 2].lstrip()
                if following[:1].islower():
                    continue
            end = match.end()
            if text[start:end].strip():
                result.append((start, end, number))
            start = end
        if text[start:p_end].strip():
            result.append((start, p_end, number))
    return result
