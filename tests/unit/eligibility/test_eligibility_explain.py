"""Explanations in English, Dari and Pashto: every criterion has messages in all three
languages, every table case renders in each, digits are local and acronyms kept."""

from __future__ import annotations

import re

import pytest
from eligibility_builders import TODAY, case, job, member, referral
from test_eligibility_table import TABLE, Row

from safepassage.engine.eligibility import (
    LANGUAGES,
    build_rule_set,
    evaluate,
    explain,
    load_rules_text,
    load_shipped_rules,
    read_shipped_rule_file,
)
from safepassage.engine.eligibility.explain import CATALOGUES

DERIVED_CRITERIA = {
    "program_in_force",
    "principal_qualifies",
    "derivative_relationship",
    "derivative_unmarried",
    "derivative_age",
    "derivative_outside_afghanistan",
}
LATIN_DIGIT = re.compile("[0-9]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def shipped_criterion_ids() -> set[str]:
    return {
        criterion.id
        for program in load_shipped_rules().programs
        for version in program.versions
        for criterion in version.all_criteria()
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_criterion_has_messages_in_every_language(language: str) -> None:
    criteria, _ = CATALOGUES[language]

    for criterion_id in shipped_criterion_ids() | DERIVED_CRITERIA:
        messages = criteria[criterion_id]
        for key in ("title", "met", "not_met", "unknown"):
            assert messages[key].strip(), (language, criterion_id, key)


@pytest.mark.parametrize("language", ["fa", "ps"])
def test_dari_and_pashto_have_exactly_the_english_keys_and_placeholders(language: str) -> None:
    english_criteria, english_words = CATALOGUES["en"]
    criteria, words = CATALOGUES[language]

    assert criteria.keys() == english_criteria.keys()
    assert words.keys() == english_words.keys()
    for criterion_id, messages in english_criteria.items():
        assert messages.keys() == criteria[criterion_id].keys(), criterion_id
        for key, text in messages.items():
            expected = set(PLACEHOLDER.findall(text))
            assert set(PLACEHOLDER.findall(criteria[criterion_id][key])) == expected, key
    for key, text in english_words.items():
        assert set(PLACEHOLDER.findall(words[key])) == set(PLACEHOLDER.findall(text)), key


def test_the_catalogues_have_no_messages_for_criteria_that_do_not_exist() -> None:
    criteria, _ = CATALOGUES["en"]
    assert set(criteria) == shipped_criterion_ids() | DERIVED_CRITERIA


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("row", TABLE)
def test_every_table_case_explains_itself(row: Row, language: str) -> None:
    assessment = evaluate(row.facts, load_shipped_rules(), today=row.today)

    lines = explain(assessment, language)

    assert lines
    for line in lines:
        assert line.text.strip()
        assert "{" not in line.text
        if language != "en":
            assert line.direction == "rtl"
            # Latin digits only inside acronyms and rule version ids (P-2, fy2024).
            stripped = re.sub(r"[A-Za-z][A-Za-z0-9.-]*[0-9]+[A-Za-z0-9.-]*", "", line.text)
            assert not LATIN_DIGIT.search(stripped), line.text


def test_the_dari_explanation_uses_persian_digits_and_afghan_month_names() -> None:
    facts = case(jobs=[job("2020-01", "2020-12-31")], com="2021-09-01")

    lines = explain(evaluate(facts, load_shipped_rules(), today=TODAY), "fa")

    service = next(line for line in lines if line.key == "qualifying_service")
    assert "۳۳۶" in service.text and "۳۶۶" in service.text and "۳۶۵" in service.text
    in_force = next(line for line in lines if line.key == "program_in_force")
    assert "سپتمبر" in in_force.text  # Afghan spelling, not the Iranian سپتامبر
    assert any("تاریخ دقیق آغاز وظیفهٔ شمارهٔ ۱" in line.text for line in lines)


def test_the_pashto_explanation_keeps_the_acronyms() -> None:
    facts = case(jobs=[job(kind="us_funded_grantee")], referrals=[referral("p2", "self")])

    lines = explain(evaluate(facts, load_shipped_rules(), today=TODAY), "ps")

    header = next(line for line in lines if line.program == "p2" and line.kind == "outcome")
    assert header.text.startswith("P-2:")
    assert any("ځان معرفي" in line.text for line in lines if line.key == "referral")


def test_english_lines_carry_sources_and_structure() -> None:
    facts = case(jobs=[job()], com="2021-09-01", members=[member("child", "2003-05-01")])

    lines = explain(evaluate(facts, load_shipped_rules(), today=TODAY), "en-US")

    header = lines[0]
    assert (header.kind, header.program, header.depth) == ("outcome", "siv", 0)
    assert header.text == "SIV: Eligible"
    service = next(line for line in lines if line.key == "qualifying_service")
    assert service.depth == 1 and "P.L. 117-31" in service.source
    assert "at least 730 days; 365 required" in service.text
    child = [line for line in lines if line.program == "siv" and line.member == 0]
    assert child[0].kind == "member" and child[0].text.startswith("Family member 1 (child)")


def test_nested_criteria_are_indented_under_their_parent() -> None:
    facts = case(jobs=[job(kind="us_based_ngo")], referrals=[referral("p2", "us_military")])

    lines = [line for line in explain(evaluate(facts, load_shipped_rules(), today=TODAY), "en")]
    parent = next(line for line in lines if line.key == "p2_category")
    child = next(line for line in lines if line.key == "us_media_or_ngo")
    assert child.depth == parent.depth + 1


@pytest.mark.parametrize("language", ["fa-AF", "prs", "ps-AF", "EN"])
def test_regional_language_tags_are_accepted(language: str) -> None:
    assessment = evaluate(case(), load_shipped_rules(), today=TODAY)
    assert explain(assessment, language)


def test_other_languages_are_refused() -> None:
    assessment = evaluate(case(), load_shipped_rules(), today=TODAY)
    with pytest.raises(ValueError, match="unsupported_language"):
        explain(assessment, "de")


def test_a_criterion_added_before_its_translations_shows_its_description() -> None:
    text = read_shipped_rule_file("p1.toml").replace(
        '[[versions.criteria]]\nid = "outside_afghanistan"',
        '[[versions.criteria]]\nid = "nationality_recorded"\ncheck = "afghan_national"\n'
        'description = "Nationality recorded."\nsource = "Local policy"\n\n'
        '[[versions.criteria]]\nid = "outside_afghanistan"',
    )
    rules = build_rule_set([load_rules_text(text, name="p1.toml")])

    lines = explain(evaluate(case(), rules, today=TODAY), "ps")

    assert any(line.text == "Nationality recorded." for line in lines)
