"""Rendering an assessment as explanation lines in English, Dari or Pashto: the outcome of
each program, the rule version, each criterion (indented as in the tree), what is still
needed, and each family member.

Dates are written with the month names Afghans use for the Gregorian calendar (جنوری ...)
and numbers in Persian digits for Dari and Pashto (``safepassage.engine.dates``); the
templates live in ``messages_<language>.py`` with identical keys. The rule sources (statutes,
State Department pages) are cited in English on each line, as published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from safepassage.engine.dates import Calendar, month_name, to_local_digits
from safepassage.engine.eligibility import messages_en, messages_fa, messages_ps
from safepassage.engine.eligibility.results import (
    Assessment,
    CriterionResult,
    Detail,
    MissingItem,
    ProgramAssessment,
)

__all__ = ["LANGUAGES", "ExplanationLine", "explain", "normalise_language"]

LANGUAGES: Final = ("en", "fa", "ps")
RIGHT_TO_LEFT: Final = frozenset({"fa", "ps"})

Catalogue = tuple[Mapping[str, Mapping[str, str]], Mapping[str, str]]
CATALOGUES: Final[Mapping[str, Catalogue]] = {
    "en": (messages_en.CRITERIA, messages_en.WORDS),
    "fa": (messages_fa.CRITERIA, messages_fa.WORDS),
    "ps": (messages_ps.CRITERIA, messages_ps.WORDS),
}
_ALIASES: Final = {"prs": "fa", "pus": "ps", "pbt": "ps"}

LineKind = Literal["outcome", "criterion", "missing", "member", "flag"]


@dataclass(frozen=True, slots=True)
class ExplanationLine:
    """One line of an explanation. ``key`` is the criterion id, missing code, flag or
    outcome the line is about; ``state`` the criterion state or outcome; ``depth`` its
    indentation; ``source`` the citation behind it."""

    language: str
    program: str
    member: int | None
    kind: LineKind
    key: str
    state: str
    depth: int
    text: str
    source: str = ""

    @property
    def direction(self) -> Literal["rtl", "ltr"]:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"


def normalise_language(language: str) -> str:
    """ "en", "fa" (Dari; also "fa-AF", "prs") or "ps" (Pashto); ``ValueError`` otherwise."""
    primary = language.replace("_", "-").split("-", 1)[0].strip().casefold()
    primary = _ALIASES.get(primary, primary)
    if primary not in CATALOGUES:
        raise ValueError("unsupported_language")
    return primary


class _Renderer:
    def __init__(self, language: str) -> None:
        self.language = language
        self.criteria, self.words = CATALOGUES[language]

    def digits(self, text: str) -> str:
        return to_local_digits(text, self.language)

    def date(self, day: dt.date) -> str:
        if self.language == "en":
            return f"{day.day} {month_name(day.month, Calendar.GREGORIAN, 'en')} {day.year}"
        name = month_name(day.month, Calendar.GREGORIAN, self.language)
        return self.digits(f"{day.day} {name} {day.year}")

    def numbers(self, values: Iterable[int]) -> str:
        return self.digits(self.words["list_separator"].join(str(value) for value in values))

    def value(self, key: str, value: Detail) -> str:
        if isinstance(value, bool) or value is None:
            return ""
        if isinstance(value, int):
            return self.digits(str(value))
        if isinstance(value, dt.date):
            return self.date(value)
        if isinstance(value, tuple):
            return self.numbers(int(item) for item in value)
        if key in {"referrer", "relationship"}:
            return self.words[f"{key}.{value}"]
        return value

    def criterion(self, result: CriterionResult) -> str:
        templates = self.criteria.get(result.id)
        if templates is None:
            # A criterion added to a rule file before its translations: show the rule's own
            # words rather than fail (a test keeps the shipped files fully translated).
            return result.description
        key = f"{result.state.value}_{result.variant}" if result.variant else result.state.value
        template = templates.get(key, templates[result.state.value])
        values = {name: self.value(name, value) for name, value in result.details.items()}
        return template.format_map(values)

    def documents(self, code: str) -> str:
        names = (self.words[f"document.{kind}"] for kind in code.split("|"))
        return self.words["or"].join(names)

    def missing(self, item: MissingItem) -> str:
        if item.category == "document":
            key = "missing.document" + (".employment" if item.employment is not None else "")
        else:
            key = f"missing.{item.category}.{item.code}"
            if item.member is not None:
                key += ".member"
        values = {
            "document": self.documents(item.code) if item.category == "document" else "",
            "employment": self.digits(str((item.employment or 0) + 1)),
            "member": self.digits(str((item.member or 0) + 1)),
        }
        text = self.words[key].format_map(values)
        return self.words["label.missing"].format(item=text)

    def outcome(self, value: str) -> str:
        return self.words[f"outcome.{value}"]


def _criterion_lines(
    renderer: _Renderer,
    results: Iterable[CriterionResult],
    *,
    program: str,
    member: int | None,
    depth: int,
) -> list[ExplanationLine]:
    lines: list[ExplanationLine] = []
    for result in results:
        lines.append(
            ExplanationLine(
                language=renderer.language,
                program=program,
                member=member,
                kind="criterion",
                key=result.id,
                state=result.state.value,
                depth=depth,
                text=renderer.criterion(result),
                source=result.source,
            )
        )
        lines.extend(
            _criterion_lines(
                renderer, result.children, program=program, member=member, depth=depth + 1
            )
        )
    return lines


def _missing_lines(
    renderer: _Renderer,
    items: Iterable[MissingItem],
    *,
    program: str,
    member: int | None,
    depth: int,
) -> list[ExplanationLine]:
    return [
        ExplanationLine(
            language=renderer.language,
            program=program,
            member=member,
            kind="missing",
            key=item.code,
            state=item.category,
            depth=depth,
            text=renderer.missing(item),
        )
        for item in items
    ]


def _program_lines(renderer: _Renderer, assessment: ProgramAssessment) -> list[ExplanationLine]:
    words = renderer.words
    program = assessment.program
    name = words.get(f"program.{program}", program)
    lines = [
        ExplanationLine(
            language=renderer.language,
            program=program,
            member=None,
            kind="outcome",
            key=assessment.outcome.value,
            state=assessment.outcome.value,
            depth=0,
            text=words["label.program"].format(
                program=name, outcome=renderer.outcome(assessment.outcome.value)
            ),
            source=assessment.version_source,
        )
    ]
    lines += _criterion_lines(renderer, assessment.criteria, program=program, member=None, depth=1)
    lines += _missing_lines(renderer, assessment.missing, program=program, member=None, depth=1)
    for member in assessment.members:
        relationship = words[f"relationship.{member.relationship.value}"]
        lines.append(
            ExplanationLine(
                language=renderer.language,
                program=program,
                member=member.member,
                kind="member",
                key=member.relationship.value,
                state=member.outcome.value,
                depth=1,
                text=words["label.member"].format(
                    number=renderer.digits(str(member.member + 1)),
                    relationship=relationship,
                    outcome=renderer.outcome(member.outcome.value),
                ),
            )
        )
        lines += _criterion_lines(
            renderer, member.criteria, program=program, member=member.member, depth=2
        )
        lines += _missing_lines(
            renderer, member.missing, program=program, member=member.member, depth=2
        )
        lines += [
            ExplanationLine(
                language=renderer.language,
                program=program,
                member=member.member,
                kind="flag",
                key=flag,
                state="",
                depth=2,
                text=words["label.flag"].format(flag=words[f"flag.{flag}"]),
            )
            for flag in member.flags
        ]
    return lines


def explain(assessment: Assessment, language: str) -> list[ExplanationLine]:
    """The lines explaining ``assessment`` in ``language`` ("en", "fa" for Dari, "ps" for
    Pashto; regional forms such as "fa-AF" accepted), program by program.

    Raises ``ValueError("unsupported_language")`` for another language.
    """
    renderer = _Renderer(normalise_language(language))
    return [line for program in assessment.programs for line in _program_lines(renderer, program)]
