"""The allow-list of columns an export may contain, and how each is read from a person.

Only these columns can ever leave the system. Identity numbers are listed apart: a request
must choose them explicitly and confirm it (see ``services.export_request``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.utils.functional import Promise, lazy
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safepassage.engine.dates import Calendar, PartialDate
from safepassage.engine.places import provinces

if TYPE_CHECKING:
    from safepassage.cases.models import Person

Cell = str | int


@dataclass(frozen=True)
class PersonRow:
    """One person as an export sees them: the person and the size of their household."""

    person: Person
    household_size: int


@dataclass(frozen=True)
class Column:
    code: str
    label: str | Promise
    read: Callable[[PersonRow], Cell]
    identity_number: bool = False


def _text(value: object) -> str:
    return "" if value is None else str(value)


def birth_date_text(value: PartialDate | None) -> str:
    """A partial date as written in an export; Solar Hijri dates say so."""
    if value is None:
        return ""
    text = str(value)
    return f"{text} SH" if value.calendar == Calendar.SOLAR_HIJRI else text


def province_name(code: str) -> str:
    province = provinces().get(code)
    return province.name(get_language() or "en") if province else code


_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("case reference"), lambda r: r.person.case.reference),
    Column("stage", _("stage"), lambda r: _text(r.person.case.get_stage_display())),
    Column("program", _("program"), lambda r: _text(r.person.case.get_program_display())),
    Column(
        "relationship",
        _("relationship to the principal"),
        lambda r: _text(r.person.get_relationship_display()),
    ),
    Column("sex", _("sex"), lambda r: _text(r.person.get_sex_display())),
    Column(
        "given_name_latin",
        _("given name (Latin letters)"),
        lambda r: _text(r.person.given_name_latin),
    ),
    Column(
        "given_name_arabic",
        _("given name (Dari/Pashto script)"),
        lambda r: _text(r.person.given_name_arabic),
    ),
    Column(
        "father_name_latin",
        _("father's name (Latin letters)"),
        lambda r: _text(r.person.father_name_latin),
    ),
    Column(
        "father_name_arabic",
        _("father's name (Dari/Pashto script)"),
        lambda r: _text(r.person.father_name_arabic),
    ),
    Column("birth_date", _("date of birth"), lambda r: birth_date_text(r.person.birth_date)),
    Column(
        "birth_province", _("province of birth"), lambda r: province_name(r.person.birth_province)
    ),
    Column("phone", _("phone number"), lambda r: _text(r.person.phone)),
    Column("household_size", _("household size"), lambda r: r.household_size),
    Column(
        "tazkira_number",
        _("e-tazkira number"),
        lambda r: _text(r.person.tazkira_number),
        identity_number=True,
    ),
    Column(
        "passport_number",
        _("passport number"),
        lambda r: _text(r.person.passport_number),
        identity_number=True,
    ),
)

COLUMNS: Mapping[str, Column] = MappingProxyType({c.code: c for c in _COLUMNS})
COLUMN_CODES: tuple[str, ...] = tuple(c.code for c in _COLUMNS)
IDENTITY_NUMBER_CODES: frozenset[str] = frozenset(c.code for c in _COLUMNS if c.identity_number)
# What the request form suggests: enough to find a household, nothing more.
SUGGESTED_CODES: tuple[str, ...] = ("reference", "stage", "given_name_latin", "father_name_latin")


def _capfirst_now(label: str | Promise) -> str:
    return capfirst(str(label))


# A capital first letter, still translated in the language of the page that shows it.
_capfirst_lazy = lazy(_capfirst_now, str)


def ordered(codes: object) -> list[str]:
    """``codes`` in the allow-list's order, without unknown codes or repeats."""
    wanted = set(codes) if isinstance(codes, list | tuple | set | frozenset) else set()
    return [code for code in COLUMN_CODES if code in wanted]


def column_choices(*, identity_numbers: bool) -> list[tuple[str, str | Promise]]:
    return [
        (c.code, _capfirst_lazy(c.label)) for c in _COLUMNS if c.identity_number == identity_numbers
    ]
