"""Invariants of the situation-report finder on arbitrary text."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.engine.sitrep import SituationReport, find_places, read_situation_report

WORDS = [
    "Kabul", "Lashkar Gah", "Helmand's", "Kabul-based", "Reg", "district", "province",
    "Taliban", "Washington", "Khan", "in", "on", "late", "Tuesday", "yesterday", "4 August",
    "2021", "clashes", "bomb", "interpreter", "درکابل", "په", "کې", "لښکرګاه", "ولسوالی",
    "موسی‌قلعه", "۱۲", "اسد", "۱۴۰۰", "سه‌شنبه", "شب", "دیروز", "نښتې", "انفجار", "\u200c",
    "ي", "ك", "\u064e", ".", ",", "؛", "\n", "\n\n", "-", "'", " ",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=40).map("".join),
)
days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


def written_spans(report: SituationReport) -> list[tuple[int, int, str]]:
    """(start, end, text) of every place, date, event and affiliate mention."""
    return (
        [(m.start, m.end, m.text) for m in report.places]
        + [(m.start, m.end, m.text) for m in report.dates]
        + [(m.start, m.end, m.text) for m in report.events]
        + [(m.start, m.end, m.text) for m in report.affiliates]
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=texts, published=days)
def test_the_finder_never_fails_and_every_span_points_at_its_text(
    text: str, published: dt.date
) -> None:
    report = read_situation_report(text, published)
    for start, end, written in written_spans(report):
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == written
    for proposal in report.proposals:
        assert 0 < proposal.confidence <= 1
        assert 0 <= proposal.evidence_start < proposal.evidence_end <= len(text)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_a_place_found_without_context_is_found_again_on_its_own(text: str) -> None:
    for mention in find_places(text):
        if mention.needed_context:
            continue
        again = find_places(mention.text)
        assert len(again) == 1
        codes = {(again[0].kind, again[0].code), *again[0].alternatives}
        assert (mention.kind, mention.code) in codes


@settings(max_examples=100, deadline=None)
@given(prefix=st.text(max_size=40), suffix=st.text(max_size=40))
def test_places_are_found_whatever_surrounds_them_after_a_space(prefix: str, suffix: str) -> None:
    text = f"{prefix} Lashkar Gah. {suffix}"
    names = [p for p in find_places(text) if p.text == "Lashkar Gah"]
    assert names and names[-1].name_en == "Lashkar Gah"
