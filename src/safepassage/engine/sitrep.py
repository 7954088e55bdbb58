"""Situation reports: the places, dates and kinds of events a report or news article names,
and the incidents they suggest, for a person to confirm.

Hand-written, on purpose. The libraries that find places in text (spaCy/Stanza NER,
mordecai, geotext, flashtext) need English models downloaded at run time or match bare
strings: none knows Dari and Pashto spelling (Arabic/Persian yeh and kaf, ZWNJ, Pashto
letters typed on a Dari keyboard, «در»/«په» glued to the name) or that a district called
"Reg" or «جرم» ("crime") is not a place without a cue. ``dateparser`` reads a date string
once it has been found, but its Persian support is Iran's (Farvardin..., not the Afghan
Hamal.../Wray... months) and its in-text search is English-centred. So: a name index built
once from the shipped gazetteer, a longest-match scan over tokens, small per-language cue
lists, and regular expressions for dates and event words.

Everything here is pure and deterministic; nothing leaves the process. Text preparation
(normalisation with a map back to the original, tokens, sentences) is in ``sitrep_text``,
dates in ``sitrep_dates``, the word lists in ``sitrep_words``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from safepassage.engine import sitrep_words as words
from safepassage.engine.places import (
    PlaceKind,
    PlaceName,
    cities,
    districts,
    place_names,
    provinces,
)
from safepassage.engine.sitrep_dates import DateMention, find_dates, find_dates_in
from safepassage.engine.sitrep_text import (
    JOINABLE_GAP,
    MAX_NAME_TOKENS,
    NOT_ARABIC_BEFORE,
    PreparedText,
    Token,
    name_key,
    plain_text,
    prepare,
    sentences_of,
    tokens_of,
)
from safepassage.engine.threat import EventKind

__all__ = [
    "AffiliateMention",
    "DateMention",
    "EventMention",
    "PlaceMention",
    "ProposedIncident",
    "SituationReport",
    "find_affiliates",
    "find_dates",
    "find_events",
    "find_places",
    "read_situation_report",
]


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the text: ``text[start:end]`` is the name as written.

    ``kind``/``code`` is the reading chosen (a provincial capital before its province, a
    province before a town or district of the same name; "X district" picks the
    district); ``alternatives`` are the other places the same words can name.
    """

    start: int
    end: int
    text: str
    kind: PlaceKind
    code: str
    province_code: str
    district_code: str | None
    name_en: str
    alternatives: tuple[tuple[PlaceKind, str], ...] = ()
    needed_context: bool = False  # a name that is also a common word or a person's name


@dataclass(frozen=True, slots=True)
class EventMention:
    start: int
    end: int
    text: str
    kind: EventKind


@dataclass(frozen=True, slots=True)
class AffiliateMention:
    """Words saying the people concerned worked with foreign forces (interpreters...)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ProposedIncident:
    """An incident the report seems to describe, for a person to confirm or discard.

    ``evidence_start``/``evidence_end`` span the sentence with the event words;
    ``confidence`` (0..1) is lower when the place or date came from a neighbouring
    sentence, when no date was found (``day`` is then the publication date) or when the
    event words are vague.
    """

    kind: EventKind
    day: dt.date
    province_code: str
    district_code: str | None
    place: PlaceMention
    date: DateMention | None
    event: EventMention
    targets_affiliates: bool
    confidence: float
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True, slots=True)
class SituationReport:
    places: tuple[PlaceMention, ...]
    dates: tuple[DateMention, ...]
    events: tuple[EventMention, ...]
    affiliates: tuple[AffiliateMention, ...]
    proposals: tuple[ProposedIncident, ...]


# --- the name index ------------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(t.key for t in tokens_of(prepare(text).folded))


@dataclass(frozen=True, slots=True)
class _Entry:
    name: PlaceName
    needs_province: bool
    needs_locative: bool


@dataclass(frozen=True, slots=True)
class _Index:
    latin: Mapping[str, tuple[_Entry, ...]]
    arabic: Mapping[str, tuple[_Entry, ...]]
    arabic_kind_words: Mapping[str, PlaceKind | None]
    arabic_locatives: frozenset[str]
    arabic_prefixes: tuple[str, ...]
    arabic_suffixes: tuple[str, ...]
    arabic_postpositions: frozenset[str]
    # every beginning of every key: a token that is none of these starts no name
    beginnings: frozenset[str]


@functools.cache
def _index() -> _Index:
    """The name index: built once per process from the shipped gazetteer."""
    arabic_common = {_fold(w) for w in words.ARABIC_COMMON_WORDS}
    arabic_people = {_fold(w) for w in words.ARABIC_PERSON_NAMES}
    latin: dict[str, list[_Entry]] = {}
    arabic: dict[str, list[_Entry]] = {}
    for name in place_names():
        key, is_arabic, _count = name_key(name.text)
        if is_arabic:
            if len(key) < 2:
                continue
            entry = _Entry(name, key in arabic_common, key in arabic_people)
            target = arabic
        else:
            if len(key) < 3:
                continue
            common = key in words.LATIN_COMMON_WORDS or len(key) <= 3
            entry = _Entry(name, common, key in words.LATIN_PERSON_NAMES)
            target = latin
        bucket = target.setdefault(key, [])
        if all((e.name.kind, e.name.code) != (name.kind, name.code) for e in bucket):
            bucket.append(entry)
    return _Index(
        latin={k: tuple(v) for k, v in latin.items()},
        arabic={k: tuple(v) for k, v in arabic.items()},
        arabic_kind_words={_fold(k): v for k, v in words.ARABIC_KIND_WORDS.items()},
        arabic_locatives=frozenset(_fold(w) for w in words.ARABIC_LOCATIVES),
        arabic_prefixes=tuple(_fold(w) for w in words.ARABIC_PREFIXES),
        arabic_suffixes=tuple(_fold(w) for w in words.ARABIC_SUFFIXES),
        arabic_postpositions=frozenset(_fold(w) for w in words.ARABIC_POSTPOSITIONS),
        beginnings=frozenset(
            key[:length] for key in (*latin, *arabic) for length in range(1, len(key) + 1)
        ),
    )


# --- places ---------------------------------------------------------------------------------

_KIND_ORDER: Final = {"capital": 0, PlaceKind.PROVINCE: 1, "town": 2, PlaceKind.DISTRICT: 3}


def _rank(name: PlaceName) -> int:
    if name.kind is PlaceKind.CITY:
        town = cities()[name.code]
        return _KIND_ORDER["capital" if town.kind == "provincial_capital" else "town"]
    return _KIND_ORDER[name.kind]


def _name_en(name: PlaceName) -> str:
    if name.kind is PlaceKind.PROVINCE:
        return provinces()[name.code].name_en
    if name.kind is PlaceKind.DISTRICT:
        return districts()[name.code].name_en
    return cities()[name.code].name_en


@dataclass(frozen=True, slots=True)
class _Match:
    first: int  # token indexes, inclusive
    last: int
    start: int  # normalised text span of the name itself (prefixes/suffixes excluded)
    end: int
    entries: tuple[_Entry, ...]
    attached_locative: bool


def _joinable(text: str, left: Token, right: Token) -> bool:
    return (
        left.arabic == right.arabic
        and JOINABLE_GAP.fullmatch(text, left.end, right.start) is not None
    )


def _may_begin_a_name(key: str, arabic: bool, index: _Index) -> bool:
    if key in index.beginnings:
        return True
    if not arabic:
        return False
    return any(
        key.startswith(prefix) and key[len(prefix) :] in index.beginnings
        for prefix in index.arabic_prefixes
    ) or any(
        key.endswith(suffix) and key[: -len(suffix)] in index.beginnings
        for suffix in index.arabic_suffixes
    )


def _match_at(
    tokens: Sequence[Token], i: int, joins: Sequence[bool], index: _Index
) -> _Match | None:
    first = tokens[i]
    if not _may_begin_a_name(first.key, first.arabic, index):
        return None
    table = index.arabic if first.arabic else index.latin
    last_joinable = i
    while last_joinable - i + 1 < MAX_NAME_TOKENS and joins[last_joinable]:
        last_joinable += 1
    for last in range(last_joinable, i - 1, -1):
        keys = [t.key for t in tokens[i : last + 1]]
        key = "".join(keys)
        if key in table:
            return _Match(i, last, first.start, tokens[last].end, table[key], False)
        if not first.arabic:
            continue
        for prefix in index.arabic_prefixes:
            rest = keys[0][len(prefix) :]
            if keys[0].startswith(prefix) and len(rest) >= 3:
                joined = rest + "".join(keys[1:])
                if joined in table:
                    return _Match(
                        i, last, first.start + len(prefix), tokens[last].end, table[joined], True
                    )
        for suffix in index.arabic_suffixes:
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                stem = key[: -len(suffix)]
                if stem in table:
                    end = tokens[last].end - len(suffix)
                    if end <= tokens[last].start:  # the postposition is a word of its own
                        end = tokens[last - 1].end
                    return _Match(i, last, first.start, end, table[stem], True)
    return None


def _neighbour(tokens: Sequence[Token], position: int, text: str, step: int) -> int | None:
    """The index of the token next to ``tokens[position]`` in direction ``step`` if only
    spaces (and "the") separate them."""
    other = position + step
    while 0 <= other < len(tokens):
        near, far = tokens[other - step], tokens[other]
        gap = text[near.end : far.start] if step > 0 else text[far.end : near.start]
        if gap.strip(" \t-") or "\n" in gap:
            return None
        if far.key == "the":
            other += step
            continue
        return other
    return None


def _neighbour_token(tokens: Sequence[Token], position: int, text: str, step: int) -> Token | None:
    other = _neighbour(tokens, position, text, step)
    return None if other is None else tokens[other]


def _kind_cue(
    tokens: Sequence[Token], match: _Match, text: str, index: _Index
) -> tuple[bool, PlaceKind | None]:
    """Whether a word next to the name says it is a place, and of which kind."""
    before_position = _neighbour(tokens, match.first, text, -1)
    before = None if before_position is None else tokens[before_position]
    for token in (_neighbour_token(tokens, match.last, text, 1), before):
        if token is None:
            continue
        kinds: Mapping[str, PlaceKind | None] = (
            index.arabic_kind_words if token.arabic else words.LATIN_KIND_WORDS
        )
        if token.key in kinds:
            return True, kinds[token.key]
    if before is not None and before_position is not None and before.key == "of":
        previous = _neighbour_token(tokens, before_position, text, -1)
        if previous is not None and previous.key in words.LATIN_KIND_WORDS:
            return True, words.LATIN_KIND_WORDS[previous.key]
    return False, None


def _locative(tokens: Sequence[Token], match: _Match, text: str, index: _Index) -> bool:
    if match.attached_locative:
        return True
    before = _neighbour_token(tokens, match.first, text, -1)
    after = _neighbour_token(tokens, match.last, text, 1)
    if before is not None:
        if before.arabic and before.key in index.arabic_locatives:
            return True
        if not before.arabic and before.key in words.LATIN_LOCATIVES:
            return True
    return after is not None and after.arabic and after.key in index.arabic_postpositions


def _capitalised(original: str, start: int) -> bool:
    return start < len(original) and original[start].isupper()


def find_places(text: str) -> tuple[PlaceMention, ...]:
    """The provinces, districts, cities and towns of Afghanistan that ``text`` names, in
    the order they appear (English, Dari or Pashto; spelling variants, possessives and
    glued prepositions included)."""
    return _find_places(prepare(text))


def _find_places(prepared: PreparedText) -> tuple[PlaceMention, ...]:
    index = _index()
    folded = prepared.folded
    tokens = tokens_of(folded)
    # whether each token may be read together with the next one as one name
    joins = [_joinable(folded, left, right) for left, right in itertools.pairwise(tokens)]
    joins.append(False)
    raw: list[tuple[_Match, bool, PlaceKind | None, bool]] = []
    i = 0
    while i < len(tokens):
        match = _match_at(tokens, i, joins, index)
        if match is None:
            i += 1
            continue
        cue, cue_kind = _kind_cue(tokens, match, folded, index)
        locative = _locative(tokens, match, folded, index)
        raw.append((match, cue, cue_kind, locative))
        i = match.last + 1

    sentences = sentences_of(prepared.original)
    paragraph_of = _paragraph_lookup(sentences)
    # provinces named unambiguously, per paragraph: the context that lets a name that is
    # also a common word count as a place
    sure_provinces: dict[int, set[str]] = {}
    for match, _cue, _kind, _loc in raw:
        if any(e.needs_province or e.needs_locative for e in match.entries):
            continue
        start, _end = prepared.span(match.start, match.end)
        sure_provinces.setdefault(paragraph_of(start), set()).update(
            e.name.province_code for e in match.entries
        )

    mentions: list[PlaceMention] = []
    for match, cue, cue_kind, locative in raw:
        start, end = prepared.span(match.start, match.end)
        entries = list(match.entries)
        latin = not tokens[match.first].arabic
        ambiguous = any(e.needs_province or e.needs_locative for e in entries)
        if ambiguous:
            if latin and not _capitalised(prepared.original, start):
                continue
            common = any(e.needs_province for e in entries)
            nearby = sure_provinces.get(paragraph_of(start), set())
            in_context = any(e.name.province_code in nearby for e in entries)
            if not cue and not (locative and (in_context or not common)):
                continue
            if not cue and common:
                entries = [e for e in entries if e.name.province_code in nearby]
        if not entries:
            continue
        entries.sort(key=lambda e: _rank(e.name))
        chosen = entries[0]
        if cue_kind is not None:
            chosen = next((e for e in entries if e.name.kind is cue_kind), chosen)
        name = chosen.name
        mentions.append(
            PlaceMention(
                start=start,
                end=end,
                text=prepared.original[start:end],
                kind=name.kind,
                code=name.code,
                province_code=name.province_code,
                district_code=name.district_code,
                name_en=_name_en(name),
                alternatives=tuple((e.name.kind, e.name.code) for e in entries if e is not chosen),
                needed_context=ambiguous,
            )
        )
    return tuple(mentions)


def _paragraph_lookup(sentences: Sequence[tuple[int, int, int]]) -> Callable[[int], int]:
    starts = [s for s, _e, _p in sentences]

    def paragraph_of(position: int) -> int:
        low, high = 0, len(starts)
        while low < high:
            middle = (low + high) // 2
            if starts[middle] <= position:
                low = middle + 1
            else:
                high = middle
        return sentences[low - 1][2] if low else 0

    return paragraph_of


# --- events ---------------------------------------------------------------------------------


def _english_pattern(parts: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def _arabic_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    normalised = sorted({plain_text(w) for w in words if w}, key=len, reverse=True)
    if not normalised:
        return None
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s?") for w in normalised)
    return re.compile(f"{NOT_ARABIC_BEFORE}(?:{alternation})")


@functools.cache
def _event_patterns() -> tuple[tuple[EventKind, re.Pattern[str], re.Pattern[str] | None], ...]:
    return tuple(
        (kind, _english_pattern(english), _arabic_pattern(arabic))
        for kind, (english, arabic) in words.EVENT_WORDS.items()
    )


@functools.cache
def _affiliate_patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    english, arabic = words.AFFILIATE_WORDS
    return _english_pattern(english), _arabic_pattern(arabic)


def _spans(prepared: PreparedText, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [
        prepared.span(m.start(), m.end())
        for m in pattern.finditer(prepared.plain)
        if m.end() > m.start()
    ]


def find_events(text: str) -> tuple[EventMention, ...]:
    """Words naming kinds of events (targeted killing, abduction, threat letter, house
    search, checkpoint arrest, armed clash, explosion, change of control; arrests,
    disappearances and torture as "other") in English, Dari or Pashto."""
    return _find_events(prepare(text))


def _find_events(prepared: PreparedText) -> tuple[EventMention, ...]:
    found: list[tuple[int, int, EventKind]] = []
    for kind, english, arabic in _event_patterns():
        for start, end in (*_spans(prepared, english), *_spans(prepared, arabic)):
            found.append((start, end, kind))
    # a longer, more specific phrase wins over a word inside it ("suicide bombing" over
    # "bombing", "arrested at a checkpoint" over "arrested")
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, EventKind]] = []
    for start, end, kind in found:
        if any(s <= start and end <= e for s, e, _k in kept):
            continue
        kept.append((start, end, kind))
    return tuple(
        EventMention(start, end, prepared.original[start:end], kind)
        for start, end, kind in sorted(kept, key=lambda f: f[0])
    )


def find_affiliates(text: str) -> tuple[AffiliateMention, ...]:
    """Words saying the people concerned worked with foreign forces: interpreters,
    translators, "worked with the Americans", «ترجمان», «ژباړن»..."""
    return _find_affiliates(prepare(text))


def _find_affiliates(prepared: PreparedText) -> tuple[AffiliateMention, ...]:
    english, arabic = _affiliate_patterns()
    spans = sorted({*_spans(prepared, english), *_spans(prepared, arabic)})
    return tuple(AffiliateMention(s, e, prepared.original[s:e]) for s, e in spans)


# --- proposals ------------------------------------------------------------------------------

_MINIMUM_CONFIDENCE: Final = 0.3
_SPECIFICITY: Final = {PlaceKind.CITY: 0, PlaceKind.DISTRICT: 1, PlaceKind.PROVINCE: 2}


def _within(start: int, end: int, items: Sequence[_S]) -> list[_S]:
    """The items (in text order) inside [start, end)."""
    first = bisect.bisect_left(items, start, key=lambda item: item.start)
    result: list[_S] = []
    for item in items[first:]:
        if item.start >= end:
            break
        if item.end <= end:
            result.append(item)
    return result


_S = TypeVar("_S", PlaceMention, DateMention, EventMention, AffiliateMention)


def _most_specific(places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The places to propose: drop a province (or district) when a place inside it is
    named too, and repeats of the same place."""
    chosen: dict[tuple[PlaceKind, str], PlaceMention] = {}
    for place in sorted(places, key=lambda p: _SPECIFICITY[p.kind]):
        if (place.kind, place.code) in chosen:
            continue
        covered = any(
            (place.kind is PlaceKind.PROVINCE and other.province_code == place.province_code)
            or (
                place.kind is PlaceKind.DISTRICT
                and other.kind is PlaceKind.CITY
                and other.district_code == place.code
            )
            for other in chosen.values()
        )
        if not covered:
            chosen[(place.kind, place.code)] = place
    return list(chosen.values())


_Item = TypeVar("_Item", PlaceMention, DateMention)
_CLAUSE_BREAK: Final = re.compile(r"[;؛:]|\s[—–]\s")


def _same_clause(
    text: str, start: int, end: int, event: EventMention, places: Sequence[_Item]
) -> Sequence[_Item]:
    """Of several places (or dates) in a sentence, those in the clause of the event words
    ("clashes in Kunduz; Dara fell" pairs the clashes with Kunduz), or all when none is."""
    if len(places) < 2:
        return places
    clause_start, clause_end = start, end
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.end() <= event.start:
            clause_start = match.end()
        elif match.start() >= event.end:
            clause_end = match.start()
            break
    in_clause = [p for p in places if clause_start <= p.start and p.end <= clause_end]
    return in_clause or places


def _nearest(
    items: Sequence[_S],
    sentence: tuple[int, int],
    paragraph: tuple[int, int],
    neighbours: Sequence[tuple[int, int, int]],
) -> tuple[list[_S], float]:
    """The items in the sentence, else in its paragraph, else in the sentences before and
    after it; with the confidence that costs."""
    in_sentence = _within(*sentence, items)
    if in_sentence:
        return in_sentence, 0.0
    in_paragraph = _within(*paragraph, items)
    if in_paragraph:
        return in_paragraph, 0.1
    return [i for start, end, _p in neighbours for i in _within(start, end, items)], 0.2


def _closest(dates: Sequence[DateMention], event: EventMention) -> DateMention | None:
    return min(dates, key=lambda d: abs(d.start - event.start), default=None)


def read_situation_report(text: str, published: dt.date) -> SituationReport:
    """Read a report or news article published on ``published``: the places, dates,
    event words and affiliate words it contains, and the incidents it seems to describe.

    An incident is proposed for each sentence with event words, with a place from the
    same sentence (or else from its paragraph, or else from the sentence before or after)
    and a date found the same way (or else the publication date, with less confidence).
    Proposals are suggestions for a person to confirm; nothing is recorded here.
    """
    prepared = prepare(text)
    places = _find_places(prepared)
    dates = find_dates_in(prepared, published)
    events = _find_events(prepared)
    affiliates = _find_affiliates(prepared)
    sentences = sentences_of(text)

    candidates: list[ProposedIncident] = []
    paragraph_bounds: dict[int, tuple[int, int]] = {}
    for start, end, paragraph in sentences:
        first_start, _last_end = paragraph_bounds.get(paragraph, (start, end))
        paragraph_bounds[paragraph] = (first_start, end)
    for number, (s_start, s_end, paragraph) in enumerate(sentences):
        sentence_events = [e for e in _within(s_start, len(text), events) if e.start < s_end]
        if not sentence_events:
            continue
        p_start, p_end = paragraph_bounds[paragraph]
        neighbours = [sentences[k] for k in (number - 1, number + 1) if 0 <= k < len(sentences)]

        spans = ((s_start, s_end), (p_start, p_end), neighbours)
        found_places, place_penalty = _nearest(places, *spans)
        if not found_places:
            continue
        dates_found, date_penalty = _nearest(dates, *spans)
        affiliate = bool(_within(p_start, p_end, affiliates))
        headline = (
            number == 0 and paragraph == 0 and not re.search(r"[.!?؟۔]\W*$", text[s_start:s_end])
        )
        kinds = {e.kind for e in sentence_events}
        specific = _most_specific(found_places)
        for event in sentence_events:
            if event.kind is EventKind.OTHER and len(kinds) > 1:
                continue
            date = _closest(_same_clause(text, s_start, s_end, event, dates_found), event)
            for place in _same_clause(text, s_start, s_end, event, specific):
                confidence = 0.9 - place_penalty - (date_penalty if date is not None else 0.3)
                confidence -= 0.2 if event.kind is EventKind.OTHER else 0.0
                confidence -= 0.1 if place.needed_context else 0.0
                confidence -= 0.1 if len(specific) > 1 else 0.0
                confidence -= 0.1 if headline else 0.0
                if confidence < _MINIMUM_CONFIDENCE:
                    continue
                candidates.append(
                    ProposedIncident(
                        kind=event.kind,
                        day=date.day if date is not None else published,
                        province_code=place.province_code,
                        district_code=place.district_code,
                        place=place,
                        date=date,
                        event=event,
                        targets_affiliates=affiliate,
                        confidence=round(min(0.95, confidence), 2),
                        evidence_start=s_start,
                        evidence_end=s_end,
                    )
                )
    # one proposal per kind and place within a day of each other: the most certain
    kept: list[ProposedIncident] = []
    for candidate in sorted(candidates, key=lambda c: (-c.confidence, c.evidence_start)):
        if not any(
            k.kind is candidate.kind
            and k.place.code == candidate.place.code
            and abs((k.day - candidate.day).days) <= 1
            for k in kept
        ):
            kept.append(candidate)
    return SituationReport(
        places=places,
        dates=dates,
        events=events,
        affiliates=affiliates,
        proposals=tuple(sorted(kept, key=lambda p: (p.evidence_start, p.kind))),
    )
