"""Rule files: every shipped file loads, the SIV history is as DOMAIN.md tells it, and broken
files are refused with clear errors."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from safepassage.engine.eligibility import (
    SHIPPED_RULE_FILES,
    Check,
    EmployerKind,
    Role,
    RuleFileError,
    build_rule_set,
    load_rules_text,
    load_shipped_rules,
    read_shipped_rule_file,
)

PACKAGE = Path(__file__).parents[3] / "src" / "safepassage" / "engine" / "eligibility"

MINIMAL = """
schema = 1
program = "demo"
title = "Demo"
source = "Demo Act"

[[versions]]
id = "v1"
title = "First"
in_force_from = 2020-01-01
in_force_until = 2020-12-31
selecting_date = "com_application_date"
source = "Demo Act s. 1"

[[versions.criteria]]
id = "qualifying_service"
description = "A year of service."
minimum_service_days = 365
employer_kinds = ["us_military"]
source = "Demo Act s. 2"

[versions.family]
child_max_age = 21
source = "Demo Act s. 3"
"""


def load(text: str) -> None:
    load_rules_text(text, name="demo.toml")


def refused(text: str) -> RuleFileError:
    with pytest.raises(RuleFileError) as caught:
        load(text)
    return caught.value


# --- shipped files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED_RULE_FILES)
def test_every_shipped_rule_file_loads(name: str) -> None:
    program = load_rules_text(read_shipped_rule_file(name), name=name)

    assert program.versions
    for version in program.versions:
        assert version.source
        for criterion in version.all_criteria():
            assert criterion.description and criterion.source


def test_the_shipped_rule_set_evaluates_the_siv_before_p2() -> None:
    assert load_shipped_rules().program_names == ("siv", "p2", "p1")


def test_the_rules_folder_holds_only_the_files_the_engine_loads() -> None:
    folder = PACKAGE.parents[1] / "data" / "rules"
    assert sorted(path.name for path in folder.glob("*.toml")) == sorted(SHIPPED_RULE_FILES)


def test_siv_versions_follow_the_history_of_the_law() -> None:
    siv = load_shipped_rules().program("siv")

    starts = [(version.id, version.in_force_from) for version in siv.versions]
    assert starts == [
        ("aapa-2009", dt.date(2009, 3, 11)),
        ("ndaa-fy2015", dt.date(2014, 12, 19)),
        ("ndaa-two-year", dt.date(2015, 10, 1)),
        ("essaa-2021", dt.date(2021, 7, 30)),
        ("com-petition-2022", dt.date(2022, 7, 20)),
        ("fy2023", dt.date(2022, 12, 29)),
        ("fy2024", dt.date(2024, 3, 23)),
    ]
    minimum = {
        version.id: next(
            c.minimum_service_days for c in version.criteria if c.check is Check.QUALIFYING_SERVICE
        )
        for version in siv.versions
    }
    assert minimum["ndaa-two-year"] == 730
    assert minimum["essaa-2021"] == minimum["aapa-2009"] == 365
    assert siv.version("essaa-2021").family.child_age_fixed_at == "petition_filing_date"
    assert siv.version("com-petition-2022").family.child_age_fixed_at == "com_application_date"


def test_isaf_counts_only_as_interpreter_or_sensitive_and_trusted() -> None:
    siv = load_shipped_rules().program("siv")

    for version in siv.versions[1:]:
        service = next(c for c in version.criteria if c.check is Check.QUALIFYING_SERVICE)
        assert service.role_conditions[EmployerKind.ISAF_MEMBER_FORCE] == {
            Role.INTERPRETER,
            Role.SENSITIVE_AND_TRUSTED,
        }
    first = next(c for c in siv.versions[0].criteria if c.check is Check.QUALIFYING_SERVICE)
    assert EmployerKind.ISAF_MEMBER_FORCE not in first.employer_kinds


def test_the_two_year_cut_over_is_marked_for_verification() -> None:
    unverified = load_shipped_rules().unverified()

    cut_over = [
        item for item in unverified if item.version == "ndaa-two-year" and not item.criterion
    ]
    assert cut_over and "CUT-OVER" in cut_over[0].note
    assert any(item.program == "p2" and item.criterion == "family" for item in unverified)


def test_a_changed_criterion_drops_the_parent_s_caveat() -> None:
    siv = load_shipped_rules().program("siv")
    essaa = {c.id: c for c in siv.version("essaa-2021").criteria}
    assert essaa["principal_alive"].verify is None
    assert essaa["qualifying_service"].verify is not None


def test_the_minimal_file_loads() -> None:
    program = load_rules_text(MINIMAL, name="demo.toml")
    assert program.version_on(dt.date(2020, 6, 1)) is not None
    assert program.version_on(dt.date(2021, 1, 1)) is None


def test_minimum_service_in_months_is_whole_years_of_days() -> None:
    program = load_rules_text(
        MINIMAL.replace("minimum_service_days = 365", "minimum_service_months = 24"),
        name="demo.toml",
    )
    assert program.versions[0].criteria[0].minimum_service_days == 730


def test_parameters_are_shown_as_plain_values() -> None:
    siv = load_shipped_rules().program("siv")
    service = next(c for c in siv.version("fy2024").criteria if c.id == "qualifying_service")

    parameters = service.parameters()
    assert parameters["latest_start"] == dt.date(2024, 12, 31)
    assert "isaf_member_force" in parameters["employer_kinds"]  # type: ignore[operator]


# --- refused files ------------------------------------------------------------------------


def test_an_unknown_key_is_refused_with_its_place() -> None:
    error = refused(MINIMAL.replace("minimum_service_days = 365", "minimum_service_dayz = 365"))
    assert error.code == "unknown_key"
    assert "minimum_service_dayz" in str(error) and "qualifying_service" in str(error)


def test_an_unknown_top_level_key_is_refused() -> None:
    assert refused(MINIMAL.replace('title = "Demo"', 'title = "Demo"\nowner = "x"')).code == (
        "unknown_key"
    )


def test_overlapping_versions_are_refused() -> None:
    second = """
[[versions]]
id = "v2"
extends = "v1"
title = "Second"
in_force_from = 2020-12-01
source = "Demo Act s. 9"
"""
    error = refused(MINIMAL + second)
    assert error.code == "overlapping_versions"
    assert "'v1'" in str(error) and "'v2'" in str(error)


def test_a_version_after_one_with_an_open_end_overlaps() -> None:
    text = MINIMAL.replace("in_force_until = 2020-12-31\n", "")
    second = """
[[versions]]
id = "v2"
extends = "v1"
title = "Second"
in_force_from = 2022-01-01
source = "Demo Act s. 9"
"""
    assert refused(text + second).code == "overlapping_versions"


def test_a_changed_criterion_must_restate_its_source() -> None:
    second = """
[[versions]]
id = "v2"
extends = "v1"
title = "Second"
in_force_from = 2021-01-01
source = "Demo Act s. 9"

[[versions.criteria]]
id = "qualifying_service"
minimum_service_days = 730
"""
    assert refused(MINIMAL + second).code == "missing_source"


def test_extending_a_later_or_unknown_version_is_refused() -> None:
    second = """
[[versions]]
id = "v2"
extends = "v9"
title = "Second"
in_force_from = 2021-01-01
source = "Demo Act s. 9"
"""
    assert "not an earlier version" in str(refused(MINIMAL + second))


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("schema = 1", "schema = 2", "schema"),
        ("in_force_from = 2020-01-01", 'in_force_from = "2020-01-01"', "invalid_value"),
        ("in_force_from = 2020-01-01", "in_force_from = 2020-01-01T10:00:00", "invalid_value"),
        ("in_force_until = 2020-12-31", "in_force_until = 2019-12-31", "invalid_value"),
        ('selecting_date = "com_application_date"', 'selecting_date = "birthday"', "invalid_value"),
        ('id = "qualifying_service"', 'id = "magic"', "unknown_check"),
        ('employer_kinds = ["us_military"]', 'employer_kinds = ["us_navy"]', "invalid_value"),
        ("minimum_service_days = 365", "minimum_service_days = -1", "invalid_value"),
        ("minimum_service_days = 365", "", "missing_key"),
        ('source = "Demo Act s. 2"', "", "missing_key"),
        ('description = "A year of service."', 'description = ""', "invalid_value"),
        ('id = "v1"', 'id = "V 1"', "invalid_value"),
        ("[versions.family]", "[versions.family]\nnieces = true", "unknown_key"),
        ('program = "demo"', 'program = "Demo!"', "invalid_value"),
        ("schema = 1", "schema = 1\nschema = 1", "invalid_toml"),
    ],
)
def test_broken_files_are_refused(old: str, new: str, code: str) -> None:
    assert old in MINIMAL
    assert refused(MINIMAL.replace(old, new, 1)).code == code


def test_a_document_criterion_names_known_documents() -> None:
    extra = """
[[versions.criteria]]
id = "letter"
check = "document"
description = "A letter."
documents = ["love_letter"]
source = "Demo Act s. 4"
"""
    text = MINIMAL.replace("[versions.family]", extra + "\n[versions.family]")
    assert "love_letter" in str(refused(text))


def test_a_referral_by_criterion_must_name_a_criterion_of_the_version() -> None:
    extra = """
[[versions.criteria]]
id = "referral"
description = "Referred."
referrer_kinds_by_criterion = { nowhere = ["unhcr"] }
source = "Demo Act s. 5"
"""
    text = MINIMAL.replace("[versions.family]", extra + "\n[versions.family]")
    assert refused(text).code == "unknown_reference"


def test_duplicate_criterion_ids_are_refused() -> None:
    block = MINIMAL[MINIMAL.index("[[versions.criteria]]") : MINIMAL.index("[versions.family]")]
    text = MINIMAL.replace("[versions.family]", block + "[versions.family]")
    assert refused(text).code == "duplicate_id"


def test_a_rule_set_refuses_an_unknown_program_reference_and_duplicates() -> None:
    p2 = load_rules_text(read_shipped_rule_file("p2.toml"), name="p2.toml")
    with pytest.raises(RuleFileError) as caught:
        build_rule_set([p2])
    assert caught.value.code == "unknown_reference"
    with pytest.raises(RuleFileError):
        build_rule_set([p2, p2])


# --- architecture -------------------------------------------------------------------------


def test_the_engine_imports_neither_django_nor_the_apps() -> None:
    allowed = ("safepassage.engine",)
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("django", "ninja")), path.name
                if name.startswith("safepassage"):
                    assert name.startswith(allowed), (path.name, name)
