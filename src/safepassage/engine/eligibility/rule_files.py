"""Reading and validating rule files: TOML (stdlib ``tomllib``) into :mod:`.rules` objects.

A rule file holds one program and its versions. A version may ``extends`` an earlier one and
state only what changed, so a reviewer sees each amendment as a difference; a criterion
changed that way must restate its ``source``, so no changed value keeps an old citation.
Everything is checked: unknown keys, wrong types, unknown kinds, overlapping versions,
references to criteria or programs that do not exist. Errors are :class:`RuleFileError` with
a stable ``code`` and a message naming the file, version and key (rule files hold no personal
data, so the message may quote them).
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from safepassage.engine.eligibility.facts import DOCUMENT_KINDS, EmployerKind, ReferrerKind, Role
from safepassage.engine.eligibility.rule_values import (
    RuleFileError,
    fail,
    read_bool,
    read_date,
    read_date_field,
    read_enum_list,
    read_int,
    read_optional_str,
    read_str,
    read_str_list,
    read_table,
    read_tables,
    unknown_keys,
)
from safepassage.engine.eligibility.rules import (
    DEFAULT_KIND,
    Check,
    Criterion,
    CriterionKind,
    FamilyRule,
    ProgramRules,
    RuleSet,
    RuleVersion,
)

__all__ = [
    "SHIPPED_RULE_FILES",
    "RuleFileError",
    "build_rule_set",
    "load_rules_text",
    "load_shipped_rules",
    "read_shipped_rule_file",
]

SHIPPED_RULE_FILES: Final = ("siv_602b.toml", "p2.toml", "p1.toml")
SCHEMA_VERSION: Final = 1


_NAME: Final = re.compile(r"[a-z][a-z0-9_]*")
_VERSION_ID: Final = re.compile(r"[a-z0-9][a-z0-9_.-]*")

_FILE_KEYS: Final = frozenset({"schema", "program", "title", "source", "notes", "versions"})
_VERSION_KEYS: Final = frozenset(
    {
        "id", "title", "extends", "in_force_from", "in_force_until", "selecting_date", "source",
        "notes", "verify", "criteria", "remove_criteria", "family",
    }
)  # fmt: skip
_FAMILY_KEYS: Final = frozenset(
    {
        "spouse", "child_max_age", "children_must_be_unmarried", "child_age_fixed_at",
        "children_spouses_and_children", "members_outside_afghanistan", "source", "verify",
    }
)  # fmt: skip
_COMMON_CRITERION_KEYS: Final = frozenset(
    {"id", "check", "kind", "description", "source", "verify"}
)
_CHECK_KEYS: Final[Mapping[Check, frozenset[str]]] = MappingProxyType(
    {
        Check.AFGHAN_NATIONAL: frozenset(),
        Check.PRINCIPAL_ALIVE: frozenset({"surviving_family_may_continue"}),
        Check.QUALIFYING_SERVICE: frozenset(
            {
                "minimum_service_days",
                "minimum_service_months",
                "window_start",
                "window_end",
                "latest_start",
                "employer_kinds",
                "role_conditions",
            }
        ),
        Check.ONGOING_THREAT: frozenset(),
        Check.APPLICATION_DEADLINE: frozenset({"date_field", "deadline"}),
        Check.DOCUMENT: frozenset(
            {"documents", "per_employer", "written_explanation_accepted", "satisfied_by"}
        ),
        Check.EMPLOYMENT_OF_KIND: frozenset(
            {"employer_kinds", "role_conditions", "only_if_unavailable", "window_start"}
        ),
        Check.ANY_OF: frozenset({"any_of"}),
        Check.REFERRAL: frozenset({"referrer_kinds", "referrer_kinds_by_criterion"}),
        Check.OUTSIDE_AFGHANISTAN: frozenset(),
    }
)


# --- criteria -----------------------------------------------------------------------------


def _document_kinds(values: tuple[str, ...], where: str) -> tuple[str, ...]:
    for value in values:
        if value not in DOCUMENT_KINDS:
            known = ", ".join(sorted(DOCUMENT_KINDS))
            raise fail(where, f"unknown document kind {value!r}; known: {known}")
    return values


def _role_conditions(
    table: Mapping[str, Any], where: str, employers: frozenset[EmployerKind]
) -> Mapping[EmployerKind, frozenset[Role]]:
    raw = read_table(table.get("role_conditions", {}), f"{where}.role_conditions")
    conditions: dict[EmployerKind, frozenset[Role]] = {}
    for key in raw:
        place = f"{where}.role_conditions.{key}"
        (employer,) = read_enum_list([key], EmployerKind, place)
        if employer not in employers:
            raise fail(place, "a role condition for an employer kind the criterion does not allow")
        roles = read_enum_list(read_str_list(raw, key, f"{where}.role_conditions"), Role, place)
        if not roles:
            raise fail(place, "at least one role is required")
        conditions[employer] = roles
    return MappingProxyType(conditions)


def _minimum_days(table: Mapping[str, Any], where: str) -> int | None:
    days = read_int(table, "minimum_service_days", where)
    months = read_int(table, "minimum_service_months", where)
    if days is not None and months is not None:
        raise fail(where, "give minimum_service_days or minimum_service_months, not both")
    if months is not None:
        # Whole days, rounded up so that "12 months" is never less than a year.
        return -(-months * 365 // 12)
    return days


def _criterion(table: Mapping[str, Any], where: str) -> Criterion:
    identifier = read_str(table, "id", where)
    if not _NAME.fullmatch(identifier):
        raise fail(f"{where}.id", "lower-case letters, digits and _ only")
    where = f"{where} (criterion {identifier!r})"
    try:
        check = Check(table.get("check", identifier))
    except ValueError:
        known = ", ".join(check.value for check in Check)
        raise fail(where, f"unknown check; give check = one of: {known}", "unknown_check") from None
    unknown_keys(table, _COMMON_CRITERION_KEYS | _CHECK_KEYS[check], where)
    try:
        kind = CriterionKind(table.get("kind", DEFAULT_KIND.get(check, "eligibility")))
    except ValueError:
        raise fail(f"{where}.kind", "eligibility, document or condition") from None
    employers = read_enum_list(read_str_list(table, "employer_kinds", where), EmployerKind, where)
    nested = tuple(
        _criterion(inner, f"{where}.any_of[{index}]")
        for index, inner in enumerate(read_tables(table.get("any_of", []), f"{where}.any_of"))
    )
    by_place = f"{where}.referrer_kinds_by_criterion"
    by_table = read_table(table.get("referrer_kinds_by_criterion", {}), by_place)
    by_criterion = {
        key: read_enum_list(
            read_str_list(by_table, key, by_place), ReferrerKind, f"{by_place}.{key}"
        )
        for key in by_table
    }
    criterion = Criterion(
        id=identifier,
        check=check,
        kind=kind,
        description=read_str(table, "description", where),
        source=read_str(table, "source", where),
        verify=read_optional_str(table, "verify", where),
        minimum_service_days=_minimum_days(table, where),
        window_start=read_date(table, "window_start", where),
        window_end=read_date(table, "window_end", where),
        latest_start=read_date(table, "latest_start", where),
        employer_kinds=employers,
        role_conditions=_role_conditions(table, where, employers),
        only_if_unavailable=read_optional_str(table, "only_if_unavailable", where),
        date_field=read_date_field(
            read_optional_str(table, "date_field", where), f"{where}.date_field"
        ),
        deadline=read_date(table, "deadline", where),
        documents=_document_kinds(read_str_list(table, "documents", where), f"{where}.documents"),
        per_employer=read_bool(table, "per_employer", where, False),
        written_explanation_accepted=read_bool(table, "written_explanation_accepted", where, False),
        satisfied_by=_document_kinds(
            read_str_list(table, "satisfied_by", where), f"{where}.satisfied_by"
        ),
        surviving_family_may_continue=read_bool(
            table, "surviving_family_may_continue", where, False
        ),
        referrer_kinds=read_enum_list(
            read_str_list(table, "referrer_kinds", where), ReferrerKind, where
        ),
        referrer_kinds_by_criterion=MappingProxyType(by_criterion),
        any_of=nested,
    )
    _check_required(criterion, table, where)
    return criterion


def _check_required(criterion: Criterion, table: Mapping[str, Any], where: str) -> None:
    check = criterion.check
    missing: str | None = None
    if check is Check.QUALIFYING_SERVICE and criterion.minimum_service_days is None:
        missing = "minimum_service_days (or minimum_service_months)"
    elif check in {Check.QUALIFYING_SERVICE, Check.EMPLOYMENT_OF_KIND} and not (
        criterion.employer_kinds
    ):
        missing = "employer_kinds"
    elif check is Check.APPLICATION_DEADLINE and criterion.deadline is None:
        missing = "deadline"
    elif check is Check.DOCUMENT and not criterion.documents:
        missing = "documents"
    elif check is Check.ANY_OF and not criterion.any_of:
        missing = "any_of (at least one criterion)"
    elif check is Check.REFERRAL and not (
        criterion.referrer_kinds or "referrer_kinds_by_criterion" in table
    ):
        missing = "referrer_kinds or referrer_kinds_by_criterion"
    if missing is not None:
        raise fail(where, f"{missing} is required", "missing_key")
    if (
        check is Check.REFERRAL
        and criterion.referrer_kinds
        and "referrer_kinds_by_criterion" in (table)
    ):
        raise fail(where, "give referrer_kinds or referrer_kinds_by_criterion, not both")
    if (
        criterion.window_start is not None
        and criterion.window_end is not None
        and criterion.window_end < criterion.window_start
    ):
        raise fail(where, "window_end is before window_start")


# --- versions -----------------------------------------------------------------------------


def _merge_criteria(
    parent: list[Mapping[str, Any]], child: Mapping[str, Any], where: str
) -> list[Mapping[str, Any]]:
    merged = {str(table.get("id")): dict(table) for table in parent}
    for identifier in read_str_list(child, "remove_criteria", where):
        if merged.pop(identifier, None) is None:
            raise fail(f"{where}.remove_criteria", f"no inherited criterion {identifier!r}")
    for index, table in enumerate(read_tables(child.get("criteria", []), f"{where}.criteria")):
        identifier = read_str(table, "id", f"{where}.criteria[{index}]")
        if identifier in merged and "source" not in table:
            raise fail(
                f"{where}.criteria[{index}] (criterion {identifier!r})",
                "a changed criterion must restate its source",
                "missing_source",
            )
        if identifier in merged and "verify" not in table:
            # A caveat belongs to the text it was written for, not to the amendment.
            merged[identifier].pop("verify", None)
        merged[identifier] = {**merged.get(identifier, {}), **table}
    return list(merged.values())


def _resolve_versions(raw: list[Mapping[str, Any]], where: str) -> list[dict[str, Any]]:
    """Apply ``extends``: each version becomes complete, its criteria merged by id."""
    resolved: dict[str, dict[str, Any]] = {}
    for index, table in enumerate(raw):
        place = f"{where} versions[{index}]"
        unknown_keys(table, _VERSION_KEYS, place)
        identifier = read_str(table, "id", place)
        if not _VERSION_ID.fullmatch(identifier):
            raise fail(f"{place}.id", "lower-case letters, digits, '.', '-' and '_' only")
        if identifier in resolved:
            raise fail(place, f"version id {identifier!r} is used twice", "duplicate_version")
        place = f"{where} version {identifier!r}"
        complete = dict(table)
        parent_id = table.get("extends")
        if parent_id is not None:
            parent = resolved.get(str(parent_id))
            if parent is None:
                raise fail(place, f"extends {parent_id!r}, which is not an earlier version")
            complete["criteria"] = _merge_criteria(parent["criteria"], table, place)
            complete.setdefault("selecting_date", parent.get("selecting_date"))
            family = read_table(table.get("family", {}), f"{place}.family")
            if family and "source" not in family:
                raise fail(f"{place}.family", "a changed family rule must restate its source")
            inherited = dict(parent["family"])
            if family and "verify" not in family:
                inherited.pop("verify", None)  # the caveat was about the text now replaced
            complete["family"] = {**inherited, **family}
        else:
            if "remove_criteria" in table:
                raise fail(place, "remove_criteria needs extends")
            complete["criteria"] = read_tables(table.get("criteria", []), f"{place}.criteria")
            complete["family"] = dict(read_table(table.get("family", {}), f"{place}.family"))
        resolved[identifier] = complete
    return list(resolved.values())


def _family(table: Mapping[str, Any], where: str) -> FamilyRule:
    unknown_keys(table, _FAMILY_KEYS, where)
    return FamilyRule(
        source=read_str(table, "source", where),
        spouse=read_bool(table, "spouse", where, True),
        child_max_age=read_int(table, "child_max_age", where),
        children_must_be_unmarried=read_bool(table, "children_must_be_unmarried", where, True),
        child_age_fixed_at=read_date_field(
            read_optional_str(table, "child_age_fixed_at", where), f"{where}.child_age_fixed_at"
        ),
        children_spouses_and_children=read_bool(
            table, "children_spouses_and_children", where, False
        ),
        members_outside_afghanistan=read_bool(table, "members_outside_afghanistan", where, False),
        verify=read_optional_str(table, "verify", where),
    )


def _version(table: Mapping[str, Any], where: str) -> RuleVersion:
    where = f"{where} version {table['id']!r}"
    in_force_from = read_date(table, "in_force_from", where)
    if in_force_from is None:
        raise fail(f"{where}.in_force_from", "a date is required", "missing_key")
    in_force_until = read_date(table, "in_force_until", where)
    if in_force_until is not None and in_force_until < in_force_from:
        raise fail(where, "in_force_until is before in_force_from")
    selecting = read_date_field(read_str(table, "selecting_date", where), f"{where}.selecting_date")
    criteria = tuple(
        _criterion(criterion, f"{where} criteria[{index}]")
        for index, criterion in enumerate(table["criteria"])
    )
    version = RuleVersion(
        id=str(table["id"]),
        title=read_str(table, "title", where),
        in_force_from=in_force_from,
        in_force_until=in_force_until,
        selecting_date=selecting or "",
        source=read_str(table, "source", where),
        criteria=criteria,
        family=_family(table["family"], f"{where}.family"),
        notes=read_str(table, "notes", where, required=False),
        verify=read_optional_str(table, "verify", where),
    )
    _check_criterion_references(version, where)
    return version


def _check_criterion_references(version: RuleVersion, where: str) -> None:
    identifiers = [criterion.id for criterion in version.all_criteria()]
    duplicates = sorted({name for name in identifiers if identifiers.count(name) > 1})
    if duplicates:
        raise fail(where, f"criterion id(s) used twice: {', '.join(duplicates)}", "duplicate_id")
    for criterion in version.all_criteria():
        for target in criterion.referrer_kinds_by_criterion:
            if target not in identifiers:
                raise fail(
                    f"{where} criterion {criterion.id!r}",
                    f"referrer_kinds_by_criterion names {target!r}, "
                    "not a criterion of this version",
                    "unknown_reference",
                )


def _check_overlaps(versions: Iterable[RuleVersion], where: str) -> None:
    ordered = sorted(versions, key=lambda version: version.in_force_from)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.in_force_until is None or earlier.in_force_until >= later.in_force_from:
            until = earlier.in_force_until or "open end"
            raise fail(
                where,
                f"versions {earlier.id!r} ({earlier.in_force_from} to {until}) and "
                f"{later.id!r} (from {later.in_force_from}) overlap",
                "overlapping_versions",
            )


def load_rules_text(text: str, *, name: str) -> ProgramRules:
    """Read one rule file's ``text``; ``name`` (the file name) is used in error messages.

    Raises :class:`RuleFileError` for TOML that does not parse ("invalid_toml") and for any
    content the engine cannot use.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError("invalid_toml", name, str(error)) from None
    unknown_keys(data, _FILE_KEYS, name)
    if data.get("schema") != SCHEMA_VERSION:
        raise fail(f"{name}.schema", f"schema = {SCHEMA_VERSION} is required", "schema")
    program = read_str(data, "program", name)
    if not _NAME.fullmatch(program):
        raise fail(f"{name}.program", "lower-case letters, digits and _ only")
    raw_versions = read_tables(data.get("versions"), f"{name}.versions")
    if not raw_versions:
        raise fail(f"{name}.versions", "at least one version is required", "missing_key")
    versions = tuple(_version(table, name) for table in _resolve_versions(raw_versions, name))
    _check_overlaps(versions, name)
    return ProgramRules(
        program=program,
        title=read_str(data, "title", name),
        source=read_str(data, "source", name),
        versions=tuple(sorted(versions, key=lambda version: version.in_force_from)),
        file_name=name,
    )


def build_rule_set(programs: Iterable[ProgramRules]) -> RuleSet:
    """A rule set of ``programs``, ordered so that a program whose criteria depend on another
    program's outcome (``only_if_unavailable``) is evaluated after it.

    Raises :class:`RuleFileError` for a program given twice, a reference to a program not in
    the set, or programs that depend on each other.
    """
    by_name: dict[str, ProgramRules] = {}
    for program in programs:
        if program.program in by_name:
            raise fail(program.file_name, f"program {program.program!r} is given twice")
        by_name[program.program] = program
    needs: dict[str, set[str]] = {}
    for name, program in by_name.items():
        needs[name] = set()
        for version in program.versions:
            for criterion in version.all_criteria():
                target = criterion.only_if_unavailable
                if target is None:
                    continue
                if target not in by_name or target == name:
                    raise fail(
                        f"{program.file_name} version {version.id!r} criterion {criterion.id!r}",
                        f"only_if_unavailable names {target!r}, not another program of the set",
                        "unknown_reference",
                    )
                needs[name].add(target)
    ordered: list[ProgramRules] = []
    while needs:  # in the order given, each program after those it depends on
        placed = {program.program for program in ordered}
        ready = next((name for name, wanted in needs.items() if wanted <= placed), None)
        if ready is None:
            raise fail("rule set", f"programs depend on each other: {', '.join(sorted(needs))}")
        ordered.append(by_name[ready])
        del needs[ready]
    return RuleSet(tuple(ordered))


def read_shipped_rule_file(name: str) -> str:
    """The text of a rule file shipped in ``safepassage/data/rules``."""
    return resources.files("safepassage.data").joinpath("rules", name).read_text("utf-8")


@functools.cache
def load_shipped_rules() -> RuleSet:
    """The rule set shipped with SafePassage (SIV, P-2, P-1), read once per process."""
    return build_rule_set(
        load_rules_text(read_shipped_rule_file(name), name=name) for name in SHIPPED_RULE_FILES
    )
