"""Choosing names from the name tables and writing them on a form: which Latin spelling a
household uses for each name, in which scripts, and how its Arabic script was typed."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Container
from dataclasses import dataclass, field

from safepassage.synth import spelling
from safepassage.synth.names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, Name

__all__ = [
    "ARABIC_ONLY",
    "BOTH_SCRIPTS",
    "FAMILY",
    "FEMALE",
    "LATIN_ONLY",
    "MALE",
    "FormWriter",
    "NameRef",
    "name_entry",
    "pick_name",
]

MALE = 0
FEMALE = 1
FAMILY = 2

NameRef = tuple[int, int]
"""(table, index): a name independent of how it is spelled."""

BOTH_SCRIPTS = "both"
LATIN_ONLY = "latin"
ARABIC_ONLY = "arabic"

_TABLES: tuple[tuple[Name, ...], ...] = (MALE_GIVEN_NAMES, FEMALE_GIVEN_NAMES, FAMILY_NAMES)
_CUMULATIVE_WEIGHTS: tuple[tuple[float, ...], ...] = tuple(
    tuple(itertools.accumulate(name.weight for name in table)) for table in _TABLES
)


def name_entry(ref: NameRef) -> Name:
    """The table entry a reference points to."""
    return _TABLES[ref[0]][ref[1]]


def pick_name(rng: random.Random, table: int, avoid: Container[NameRef] = ()) -> NameRef:
    """A name from ``table`` (MALE, FEMALE or FAMILY), by popularity, not in ``avoid``."""
    cumulative = _CUMULATIVE_WEIGHTS[table]
    total = cumulative[-1]
    last = len(cumulative) - 1
    while True:
        ref = (table, min(bisect.bisect(cumulative, rng.random() * total), last))
        if ref not in avoid:
            return ref


def _noise(rng: random.Random) -> Callable[[str], str]:
    """One random slip of Arabic-script typing."""
    kind = rng.randrange(6)
    if kind == 0:
        return lambda text: spelling.with_diacritic(text, rng)
    if kind == 1:
        return lambda text: spelling.with_tatweel(text, rng)
    if kind == 2:
        return lambda text: spelling.with_zwnj(text, rng)
    if kind == 3:
        return spelling.with_teh_marbuta
    if kind == 4:
        return spelling.without_hamza
    return spelling.with_alef_maksura


@dataclass(slots=True)
class FormWriter:
    """Writes names the way one form-filler would: each name gets one Latin spelling for the
    whole household (``spelling`` maps a name to the index of its spelling), Arabic script is
    typed on a Persian or an Arabic keyboard, and ``arabic_slip_rate`` of the Arabic names
    carry a slip (diacritic, tatweel, ZWNJ, teh marbuta, hamza, alef maksura)."""

    rng: random.Random
    script: str = BOTH_SCRIPTS
    arabic_keyboard: bool = False
    arabic_slip_rate: float = 0.0
    canonical_share: float = 0.5
    spelling: dict[NameRef, int] = field(default_factory=dict)

    def respelled(
        self, rng: random.Random, previous: dict[NameRef, int], respell_rate: float
    ) -> None:
        """Take over ``previous`` spellings, changing each with probability ``respell_rate``
        to another spelling of the same name."""
        for ref, index in previous.items():
            count = len(name_entry(ref).latin)
            if count > 1 and rng.random() < respell_rate:
                index = (index + rng.randrange(1, count)) % count
            self.spelling[ref] = index

    def latin(self, ref: NameRef) -> str:
        """The Latin spelling this form uses for ``ref``."""
        latin = name_entry(ref).latin
        index = self.spelling.get(ref)
        if index is None:
            rng = self.rng
            index = 0 if rng.random() < self.canonical_share else rng.randrange(len(latin))
            self.spelling[ref] = index
        return latin[index]

    def arabic(self, ref: NameRef) -> str:
        """The name in Arabic script as typed on this form."""
        text = name_entry(ref).arabic
        if self.arabic_keyboard:
            text = spelling.arabic_keyboard(text)
        if self.arabic_slip_rate and self.rng.random() < self.arabic_slip_rate:
            text = _noise(self.rng)(text)
        return text

    def write(self, ref: NameRef | None) -> tuple[str, str]:
        """(Latin, Arabic) as written on the form; "" for a missing name or script."""
        if ref is None:
            return "", ""
        latin = "" if self.script == ARABIC_ONLY else self.latin(ref)
        arabic = "" if self.script == LATIN_ONLY else self.arabic(ref)
        return latin, arabic
