"""What changed: one case across new facts, and many cases across a rule change (the program
officer's preview)."""

from __future__ import annotations

from eligibility_builders import TODAY, case, job, member

from safepassage.engine.eligibility import (
    CriterionState,
    Outcome,
    build_rule_set,
    compare,
    evaluate,
    load_rules_text,
    load_shipped_rules,
    read_shipped_rule_file,
    summarise,
)

ONE_YEAR_AND_A_HALF = job("2013-01-01", "2014-06-30")


def test_the_same_assessment_twice_has_no_change() -> None:
    assessment = evaluate(case(jobs=[job()], com="2021-09-01"), load_shipped_rules(), today=TODAY)

    change = compare(assessment, assessment)

    assert not change.changed
    assert not any(program.became_eligible for program in change.programs)


def test_a_new_document_moves_the_case_from_pending_to_eligible() -> None:
    rules = load_shipped_rules()
    before = evaluate(case(jobs=[job(documents=[])], com="2021-09-01"), rules, today=TODAY)
    after = evaluate(case(jobs=[job()], com="2021-09-01"), rules, today=TODAY)

    siv = compare(before, after).program("siv")

    assert (siv.old_outcome, siv.new_outcome) == (
        Outcome.ELIGIBLE_PENDING_DOCUMENTS,
        Outcome.ELIGIBLE,
    )
    assert not siv.became_eligible  # it already was, pending a document
    assert [c.criterion for c in siv.criteria] == ["hr_letter"]
    assert siv.criteria[0].new is CriterionState.MET
    assert [item.as_tuple() for item in siv.missing_resolved] == [("document", "hr_letter", 0)]


def test_a_threat_answer_makes_the_case_eligible_with_its_family() -> None:
    rules = load_shipped_rules()
    family = [member("spouse")]
    before = evaluate(
        case(jobs=[job()], com="2021-09-01", threat=None, members=family), rules, today=TODAY
    )
    after = evaluate(case(jobs=[job()], com="2021-09-01", members=family), rules, today=TODAY)

    siv = compare(before, after).program("siv")

    assert siv.became_eligible
    assert [(m.member, m.old, m.new) for m in siv.members] == [
        (0, Outcome.UNDETERMINED, Outcome.ELIGIBLE)
    ]


def one_year_rule_everywhere() -> str:
    """The SIV file as a program officer might edit it to preview a one-year rule."""
    text = read_shipped_rule_file("siv_602b.toml")
    assert text.count("minimum_service_days = 730") == 1
    return text.replace("minimum_service_days = 730", "minimum_service_days = 365")


def test_previewing_the_one_year_rule_counts_the_cases_that_become_eligible() -> None:
    current = load_shipped_rules()
    edited = build_rule_set(
        [
            load_rules_text(one_year_rule_everywhere(), name="siv_602b.toml"),
            *(current.program(name) for name in ("p2", "p1")),
        ]
    )
    cases = [
        case(jobs=[ONE_YEAR_AND_A_HALF], com="2018-05-01", members=[member("spouse")]),
        case(jobs=[ONE_YEAR_AND_A_HALF], com="2019-05-01"),
        case(jobs=[job("2013-01-01", "2013-06-30")], com="2019-05-01"),  # short either way
        case(jobs=[job("2012-01-01", "2016-12-31")], com="2019-05-01"),  # eligible either way
    ]

    changes = [
        compare(evaluate(facts, current, today=TODAY), evaluate(facts, edited, today=TODAY))
        for facts in cases
    ]
    summary = summarise(changes)

    assert summary.cases == 4
    assert summary.became_eligible == {"siv": 2}
    assert summary.members_became_eligible == {"siv": 1}
    assert summary.lost_eligibility == {"p2": 2}  # category 1 gives way to the SIV
    assert summary.transitions[("siv", Outcome.NOT_ELIGIBLE, Outcome.ELIGIBLE)] == 2
    assert "2 cases become eligible for siv (1 family members with them)." in summary.lines()


def test_a_program_only_in_one_assessment_is_reported() -> None:
    rules = load_shipped_rules()
    facts = case(jobs=[job()], com="2021-09-01")
    only_siv = build_rule_set([rules.program("siv")])

    change = compare(evaluate(facts, only_siv, today=TODAY), evaluate(facts, rules, today=TODAY))

    p1 = change.program("p1")
    assert p1.old_outcome is None and p1.new_outcome is Outcome.NOT_ELIGIBLE
    assert change.changed
