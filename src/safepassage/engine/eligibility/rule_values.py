"""Typed readers for rule files: each takes a value from a parsed TOML table, checks its
type and returns it, or raises :class:`RuleFileError` naming the place and what was
expected. Split from :mod:`.rule_files` to keep the reader of the rule structure short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from safepassage.engine.eligibility.facts import DATE_FIELDS, EmployerKind, ReferrerKind, Role

__all__ = [
    "RuleFileError",
    "fail",
    "read_bool",
    "read_date",
    "read_date_field",
    "read_enum_list",
    "read_int",
    "read_optional_str",
    "read_str",
    "read_str_list",
    "read_table",
    "read_tables",
    "unknown_keys",
]


class RuleFileError(ValueError):
    """A rule file that cannot be used. ``code`` is stable, ``where`` names the place."""

    def __init__(self, code: str, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.code = code
        self.where = where


def fail(where: str, detail: str, code: str = "invalid_value") -> RuleFileError:
    return RuleFileError(code, where, detail)


def unknown_keys(table: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise fail(
            where,
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
            "unknown_key",
        )


def read_str(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        code = "missing_key" if value is None else "invalid_value"
        raise fail(f"{where}.{key}", "a non-empty text is required", code)
    return value.strip()


def read_optional_str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    return read_str(table, key, where, required=False) or None


def read_date(table: Mapping[str, Any], key: str, where: str) -> dt.date | None:
    value: object = table.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise fail(f"{where}.{key}", "a date (YYYY-MM-DD, unquoted) is required")
    return value


def read_bool(table: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise fail(f"{where}.{key}", "true or false is required")
    return value


def read_int(table: Mapping[str, Any], key: str, where: str) -> int | None:
    value: object = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(f"{where}.{key}", "a whole number of zero or more is required")
    return value


def read_str_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(f"{where}.{key}", "a list of texts is required")
    if len(set(value)) != len(value):
        raise fail(f"{where}.{key}", "an entry is listed twice")
    return tuple(value)


_E = TypeVar("_E", EmployerKind, ReferrerKind, Role)


def read_enum_list(values: Iterable[str], kind: type[_E], where: str) -> frozenset[_E]:
    chosen: set[_E] = set()
    for value in values:
        try:
            chosen.add(kind(value))
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise fail(where, f"unknown value {value!r}; allowed: {allowed}") from None
    return frozenset(chosen)


def read_date_field(value: str | None, where: str) -> str | None:
    if value is not None and value not in DATE_FIELDS:
        raise fail(where, f"unknown case date {value!r}; known: {', '.join(sorted(DATE_FIELDS))}")
    return value


def read_table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise fail(where, "a table is required")
    return value


def read_tables(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise fail(where, "an array of tables is required")
    return list(value)
