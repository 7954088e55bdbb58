"""The pipeline's clocks: days per owner, the SIV nine-month target, time in stage and SLA."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.engine.pipeline import (
    NINE_MONTHS_DAYS,
    PIPELINES,
    Owner,
    StageEntry,
    compute_clocks,
)

START = dt.date(2023, 1, 1)


def history(*steps: tuple[str, int]) -> tuple[StageEntry, ...]:
    """(stage, days after START) pairs."""
    return tuple(StageEntry(stage, START + dt.timedelta(days=days)) for stage, days in steps)


def test_days_are_counted_per_owner_of_each_stage() -> None:
    clocks = compute_clocks(
        program="siv",
        history=history(("intake", 0), ("eligibility_review", 5), ("com_preparation", 20)),
        today=START + dt.timedelta(days=50),
    )
    assert clocks.days_by_owner[Owner.PROGRAM] == 20
    assert clocks.days_by_owner[Owner.APPLICANT] == 30
    assert clocks.days_by_owner[Owner.GOVERNMENT] == 0
    assert clocks.total_days == 50
    assert (clocks.stage, clocks.owner, clocks.days_in_stage) == (
        "com_preparation",
        Owner.APPLICANT,
        30,
    )


def test_the_nine_month_clock_counts_government_time_from_com_submission_to_the_visa() -> None:
    steps = history(
        ("com_preparation", 0),
        ("com_submitted", 100),  # government: 200 days
        ("com_approved", 300),  # applicant: 50 days, not counted
        ("visa_application", 350),  # applicant: 40 days, not counted
        ("interview", 390),  # government: 60 days
        ("medical", 450),  # applicant: 10 days
        ("administrative_processing", 460),  # government: 40 days
        ("visa_issued", 500),
        ("ready_to_travel", 520),
    )
    clocks = compute_clocks(program="siv", history=steps, today=START + dt.timedelta(days=600))
    statutory = clocks.statutory
    assert statutory is not None
    assert statutory.started_on == START + dt.timedelta(days=100)
    assert statutory.stopped_on == START + dt.timedelta(days=500)
    assert statutory.government_days == 300
    assert statutory.target_days == NINE_MONTHS_DAYS == 274
    assert statutory.over_target and statutory.remaining_days == -26


def test_the_nine_month_clock_runs_through_an_appeal_and_restarts_on_a_new_application() -> None:
    appeal = history(
        ("com_preparation", 0),
        ("com_submitted", 10),  # 30 government days
        ("com_denied", 40),  # 20 applicant days
        ("appeal", 60),  # 40 government days, still running
    )
    clocks = compute_clocks(program="siv", history=appeal, today=START + dt.timedelta(days=100))
    assert clocks.statutory is not None and clocks.statutory.government_days == 70
    assert clocks.statutory.stopped_on is None and not clocks.statutory.over_target
    anew = (*appeal[:3], *history(("com_preparation", 50), ("com_submitted", 70)))
    clocks = compute_clocks(program="siv", history=anew, today=START + dt.timedelta(days=100))
    assert clocks.statutory is not None and clocks.statutory.government_days == 30
    assert clocks.statutory.started_on == START + dt.timedelta(days=70)


def test_the_nine_month_clock_has_not_started_before_submission_and_is_siv_only() -> None:
    clocks = compute_clocks(program="siv", history=history(("intake", 0)), today=START)
    assert clocks.statutory is not None and clocks.statutory.started_on is None
    assert clocks.statutory.government_days == 0
    p2 = compute_clocks(program="p2", history=history(("referral", 0)), today=START)
    assert p2.statutory is None


def test_a_stage_is_overdue_after_its_sla_and_an_organisation_may_set_its_own() -> None:
    steps = history(("intake", 0), ("eligibility_review", 1))
    on_time = compute_clocks(program="siv", history=steps, today=START + dt.timedelta(days=15))
    assert on_time.sla_days == 14 and on_time.overdue_days == 0
    late = compute_clocks(program="siv", history=steps, today=START + dt.timedelta(days=20))
    assert late.overdue_days == 5
    strict = compute_clocks(
        program="siv",
        history=steps,
        today=START + dt.timedelta(days=20),
        sla_days={"eligibility_review": 3},
    )
    assert strict.sla_days == 3 and strict.overdue_days == 16
    closed = compute_clocks(
        program="siv", history=(*steps, *history(("closed", 2))), today=START + dt.timedelta(999)
    )
    assert closed.sla_days is None and closed.overdue_days == 0 and closed.owner is Owner.NONE


def test_a_move_dated_before_the_previous_one_counts_from_the_previous_day() -> None:
    steps = history(("intake", 10), ("eligibility_review", 5))
    clocks = compute_clocks(program="siv", history=steps, today=START + dt.timedelta(days=20))
    assert clocks.total_days == 10 and clocks.days_in_stage == 10


def test_an_empty_history_is_refused() -> None:
    with pytest.raises(ValueError, match="empty_history"):
        compute_clocks(program="siv", history=(), today=START)


histories = st.lists(
    st.tuples(st.sampled_from(PIPELINES["siv"].stage_names), st.integers(0, 2000)),
    min_size=1,
    max_size=12,
)


@given(steps=histories, today_offset=st.integers(-100, 3000))
def test_owner_days_add_up_to_the_elapsed_days(
    steps: list[tuple[str, int]], today_offset: int
) -> None:
    clocks = compute_clocks(
        program="siv", history=history(*steps), today=START + dt.timedelta(days=today_offset)
    )
    assert sum(clocks.days_by_owner.values()) == clocks.total_days
    assert 0 <= clocks.days_in_stage <= clocks.total_days
    assert clocks.statutory is not None
    assert 0 <= clocks.statutory.government_days <= clocks.days_by_owner[Owner.GOVERNMENT]


@given(steps=histories, today_offset=st.integers(0, 3000), later=st.integers(0, 500))
def test_time_moving_forward_never_lowers_any_clock(
    steps: list[tuple[str, int]], today_offset: int, later: int
) -> None:
    today = START + dt.timedelta(days=today_offset)
    before = compute_clocks(program="siv", history=history(*steps), today=today)
    after = compute_clocks(
        program="siv", history=history(*steps), today=today + dt.timedelta(days=later)
    )
    assert after.total_days >= before.total_days
    for owner in Owner:
        assert after.days_by_owner[owner] >= before.days_by_owner[owner]
    assert before.statutory is not None and after.statutory is not None
    assert after.statutory.government_days >= before.statutory.government_days


@given(
    steps=histories,
    next_stage=st.sampled_from(PIPELINES["siv"].stage_names),
    gap=st.integers(0, 300),
    after_move=st.integers(0, 300),
)
def test_moving_a_case_forward_never_lowers_its_elapsed_totals(
    steps: list[tuple[str, int]], next_stage: str, gap: int, after_move: int
) -> None:
    past = history(*steps)
    moved_on = max(entry.on for entry in past) + dt.timedelta(days=gap)
    today = moved_on + dt.timedelta(days=after_move)
    before = compute_clocks(program="siv", history=past, today=moved_on)
    after = compute_clocks(
        program="siv", history=(*past, StageEntry(next_stage, moved_on)), today=today
    )
    assert after.total_days >= before.total_days
    for owner in Owner:
        assert after.days_by_owner[owner] >= before.days_by_owner[owner]


def test_where_time_goes_adds_owner_days_and_ranks_the_stages_cases_wait_in() -> None:
    from safepassage.engine.pipeline import summarise_time

    today = START + dt.timedelta(days=400)
    waiting = [
        compute_clocks(
            program="siv",
            history=history(("intake", 0), ("com_preparation", 10), ("com_submitted", 40)),
            today=today,
        ),  # 360 government days: past nine months
        compute_clocks(
            program="siv",
            history=history(("intake", 0), ("com_preparation", 300)),
            today=today,
        ),
        compute_clocks(program="p2", history=history(("intake", 390)), today=today),
    ]
    summary = summarise_time([("siv", waiting[0]), ("siv", waiting[1]), ("p2", waiting[2])])
    assert summary.cases == 3
    assert summary.days_by_owner[Owner.GOVERNMENT] == 360
    assert summary.days_by_owner[Owner.APPLICANT] == 30 + 100
    assert summary.days_by_owner[Owner.PROGRAM] == 10 + 300 + 10
    assert sum(summary.share(owner) for owner in Owner) in (99, 100, 101)
    assert summary.statutory_cases == 1 and summary.over_target == 1
    assert summary.median_government_days == 360
    first = summary.stages[0]
    assert (first.program, first.stage, first.cases, first.overdue) == (
        "siv",
        "com_submitted",
        1,
        1,
    )
    assert {(load.program, load.stage) for load in summary.stages} == {
        ("siv", "com_submitted"),
        ("siv", "com_preparation"),
        ("p2", "intake"),
    }


@given(st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=12))
def test_where_time_goes_counts_every_day_of_every_case_once(ages: list[int]) -> None:
    from safepassage.engine.pipeline import summarise_time

    today = START + dt.timedelta(days=1000)
    clocks = [
        compute_clocks(
            program="siv",
            history=history(("intake", 1000 - age), ("com_preparation", 1000 - age // 2)),
            today=today,
        )
        for age in ages
    ]
    summary = summarise_time(("siv", clock) for clock in clocks)
    assert sum(summary.days_by_owner.values()) == sum(ages)
    assert sum(load.cases for load in summary.stages) == len(ages)
