"""The pipeline's moves, roles and guards, on plain facts."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from safepassage.engine.pipeline import (
    PIPELINES,
    CaseFacts,
    Code,
    ComItem,
    MoveKind,
    Owner,
    StageEntry,
    check_move,
    possible_moves,
)

DAY = dt.date(2024, 3, 1)
ON = DAY + dt.timedelta(days=10)  # the day a two-stage history entered its current stage
ALL_DOCUMENTS = frozenset({"hr_letter", "recommendation", "tazkira"})


def facts(*stages: str, program: str = "siv", start: dt.date = DAY, **kwargs: object) -> CaseFacts:
    history = tuple(StageEntry(s, start + dt.timedelta(days=10 * i)) for i, s in enumerate(stages))
    return CaseFacts(program=program, history=history, **kwargs)  # type: ignore[arg-type]


def moves_to(case: CaseFacts) -> dict[str, MoveKind]:
    return {m.to_stage: m.kind for m in possible_moves(case)}


def failing(case: CaseFacts, to_stage: str, **kwargs: object) -> set[str]:
    options: dict[str, object] = {
        "role": "caseworker",
        "effective_on": case.stage_entered_on,
        "today": case.stage_entered_on,
        **kwargs,
    }
    check = check_move(case, to_stage=to_stage, **options)  # type: ignore[arg-type]
    return {f.code.value for f in check.failures}


def test_every_stage_has_an_owner_and_only_terminal_stages_have_none() -> None:
    for pipeline in PIPELINES.values():
        for spec in pipeline.stages:
            terminal = spec.stage in {"arrived", "withdrawn", "closed"}
            assert (spec.owner is Owner.NONE) == terminal, (pipeline.program, spec.stage)
            assert (spec.sla_days is None) == terminal


def test_a_com_submission_is_approved_or_denied_by_a_recorded_outcome() -> None:
    case = facts("intake", "eligibility_review", "com_preparation", "com_submitted")
    moves = moves_to(case)
    assert moves["com_approved"] is MoveKind.OUTCOME and moves["com_denied"] is MoveKind.OUTCOME
    assert "visa_application" not in moves


def test_a_denial_leads_to_an_appeal_a_new_application_or_closure() -> None:
    moves = moves_to(facts("com_preparation", "com_submitted", "com_denied"))
    assert moves["appeal"] is MoveKind.FORWARD
    assert moves["com_preparation"] is MoveKind.FORWARD  # a new application, not a step back
    assert moves["closed"] is MoveKind.CLOSE


def test_an_appeal_ends_in_approval_or_denial() -> None:
    moves = moves_to(facts("com_submitted", "com_denied", "appeal"))
    assert moves["com_approved"] is MoveKind.OUTCOME and moves["com_denied"] is MoveKind.OUTCOME


def test_the_petition_step_exists_only_for_com_applications_before_20_july_2022() -> None:
    old = facts("com_preparation", "com_submitted", "com_approved", start=dt.date(2022, 7, 1))
    assert "petition" in moves_to(old) and "visa_application" not in moves_to(old)
    new = facts("com_preparation", "com_submitted", "com_approved", start=dt.date(2022, 7, 20))
    assert "petition" not in moves_to(new) and "visa_application" in moves_to(new)
    unknown = facts("com_approved")  # imported at this stage: both ways stay open
    assert {"petition", "visa_application"} <= set(moves_to(unknown))


def test_the_refugee_programs_follow_referral_to_arrival() -> None:
    for program in ("p2", "p1"):
        path = [
            "intake",
            "eligibility_review",
            "referral",
            "prescreening",
            "interview",
            "security",
            "medical",
            "cultural_orientation",
            "sponsorship",
            "ready_to_travel",
            "travelled",
            "arrived",
        ]
        for here, there in itertools.pairwise(path):
            kind = moves_to(facts(here, program=program))[there]
            assert kind in (MoveKind.FORWARD, MoveKind.OUTCOME), (program, here)
        assert "com_submitted" not in moves_to(facts("eligibility_review", program=program))


def test_any_open_stage_can_be_withdrawn_or_closed_and_a_closed_case_reopens_where_it_was() -> None:
    for stage in PIPELINES["siv"].stage_names:
        if stage in {"withdrawn", "closed", "arrived"}:
            continue
        moves = moves_to(facts(stage))
        assert moves["withdrawn"] is MoveKind.WITHDRAW and moves["closed"] is MoveKind.CLOSE
    closed = facts("intake", "com_preparation", "closed")
    assert moves_to(closed) == {"com_preparation": MoveKind.REOPEN}


def test_moving_to_an_earlier_stage_is_backward_and_needs_a_reason() -> None:
    case = facts("com_preparation", "com_submitted", "com_approved", "visa_application")
    assert moves_to(case)["com_submitted"] is MoveKind.BACKWARD
    assert failing(case, "com_submitted") == {"reason_required"}
    assert failing(case, "com_submitted", reason="Wrong case updated") == set()
    assert check_move(
        case,
        to_stage="com_submitted",
        role="caseworker",
        effective_on=case.stage_entered_on,
        today=case.stage_entered_on,
        reason="x",
    ).backward


def test_a_caseworker_may_not_withdraw_close_or_reopen_but_a_supervisor_may() -> None:
    case = facts("intake", "eligibility_review")
    assert failing(case, "closed", reason="Family reached Canada") == {"role_not_allowed"}
    assert failing(case, "withdrawn", reason="Asked to stop") == {"role_not_allowed"}
    assert failing(case, "closed", role="supervisor", reason="Family reached Canada") == set()
    assert failing(case, "closed", role="supervisor") == {"reason_required"}
    reopened = facts("intake", "closed")
    assert failing(reopened, "intake", reason="Back in touch") == {"role_not_allowed"}
    assert failing(reopened, "intake", role="admin", reason="Back in touch") == set()
    assert failing(case, "com_preparation", role="logistics") == {"role_not_allowed"}
    assert failing(case, "com_preparation", role=None) == {"role_not_allowed"}


def test_a_stage_outside_the_pipeline_is_refused_with_the_stages_named() -> None:
    case = facts("intake")
    check = check_move(
        case, to_stage="visa_issued", role="admin", effective_on=DAY, today=DAY, reason="x"
    )
    assert [f.code for f in check.failures] == [Code.TRANSITION_NOT_ALLOWED]
    assert check.failures[0].params == {"from_stage": "intake", "to_stage": "visa_issued"}
    assert failing(case, "referral") == {"transition_not_allowed"}  # a P-2 stage
    assert failing(case, "intake") == {"transition_not_allowed"}  # where it already is


def test_the_date_it_happened_is_neither_in_the_future_nor_before_the_current_stage() -> None:
    case = facts("intake", "eligibility_review")
    entered = case.stage_entered_on
    later = entered + dt.timedelta(days=1)
    assert failing(case, "com_preparation", effective_on=later, today=entered) == {
        "effective_date_in_future"
    }
    earlier = entered - dt.timedelta(days=1)
    assert failing(case, "com_preparation", effective_on=earlier) == {
        "effective_date_before_current_stage"
    }


def test_com_submission_needs_each_document_or_a_written_explanation() -> None:
    stages = ("eligibility_review", "com_preparation")
    bare = facts(*stages)
    check = check_move(bare, to_stage="com_submitted", role="caseworker", effective_on=ON, today=ON)
    missing = {f.params["document"] for f in check.failures}
    assert missing == {"hr_letter", "recommendation", "ds157", "identity"}
    complete = facts(*stages, documents=ALL_DOCUMENTS, ds157_complete=True)
    assert failing(complete, "com_submitted") == set()
    for document in ("hr_letter", "recommendation", "tazkira"):
        without = facts(*stages, documents=ALL_DOCUMENTS - {document}, ds157_complete=True)
        assert failing(without, "com_submitted") == {"com_document_missing"}
    by_passport = facts(
        *stages,
        documents=frozenset({"hr_letter", "recommendation", "passport"}),
        ds157_complete=True,
    )
    assert failing(by_passport, "com_submitted") == set()
    explained = facts(*stages, explained=frozenset(ComItem))
    check = check_move(
        explained, to_stage="com_submitted", role="caseworker", effective_on=ON, today=ON
    )
    assert check.allowed
    covered = {c.params["document"]: c.params["covered_by"] for c in check.checks[3:]}
    assert set(covered.values()) == {"explanation"}


def test_an_appeal_is_allowed_120_days_after_the_denial_letter_but_not_121() -> None:
    denied = facts("com_submitted", "com_denied")
    denied_on = denied.stage_entered_on
    on_time = denied_on + dt.timedelta(days=120)
    assert failing(denied, "appeal", effective_on=on_time, today=on_time) == set()
    late = denied_on + dt.timedelta(days=121)
    assert failing(denied, "appeal", effective_on=late, today=late) == {"appeal_late"}
    check = check_move(denied, to_stage="appeal", role="caseworker", effective_on=late, today=late)
    assert check.failures[0].params == {"days_since_denial": 121, "limit_days": 120}
    assert check.failures[0].overridable


def test_only_a_supervisor_with_a_reason_overrides_a_late_appeal() -> None:
    denied = facts("com_submitted", "com_denied")
    late = denied.stage_entered_on + dt.timedelta(days=200)
    same = {"effective_on": late, "today": late, "override": True}
    assert failing(denied, "appeal", reason="NVC accepted it", **same) == {
        "override_not_allowed",
        "appeal_late",
    }
    assert failing(denied, "appeal", role="supervisor", **same) == {
        "reason_required",
        "appeal_late",
    }
    assert failing(denied, "appeal", role="supervisor", reason="NVC accepted it", **same) == set()
    # The way on without an override: a new COM application.
    assert failing(denied, "com_preparation", effective_on=late, today=late) == set()


stage_names = st.sampled_from(PIPELINES["siv"].stage_names)
document_sets = st.frozensets(
    st.sampled_from(["hr_letter", "recommendation", "tazkira", "passport"])
)
explanations = st.frozensets(st.sampled_from(list(ComItem)))


@given(
    documents=document_sets,
    explained=explanations,
    ds157=st.booleans(),
    extra_document=st.sampled_from(["hr_letter", "recommendation", "tazkira", "passport"]),
    extra_explanation=st.sampled_from(list(ComItem)),
    role=st.sampled_from(["caseworker", "supervisor", "admin", "logistics"]),
)
def test_adding_a_document_or_an_explanation_never_adds_a_failure(
    documents: frozenset[str],
    explained: frozenset[ComItem],
    ds157: bool,
    extra_document: str,
    extra_explanation: ComItem,
    role: str,
) -> None:
    stages = ("eligibility_review", "com_preparation")
    before = facts(*stages, documents=documents, explained=explained, ds157_complete=ds157)
    fuller = (
        facts(
            *stages,
            documents=documents | {extra_document},
            explained=explained,
            ds157_complete=ds157,
        ),
        facts(
            *stages,
            documents=documents,
            explained=explained | {extra_explanation},
            ds157_complete=ds157,
        ),
        facts(*stages, documents=documents, explained=explained, ds157_complete=True),
    )
    for after in fuller:
        old = check_move(before, to_stage="com_submitted", role=role, effective_on=ON, today=ON)
        new = check_move(after, to_stage="com_submitted", role=role, effective_on=ON, today=ON)
        old_failures = {(f.code, tuple(sorted(f.params.items()))) for f in old.failures}
        new_failures = {(f.code, tuple(sorted(f.params.items()))) for f in new.failures}
        assert new_failures <= old_failures


@given(stages=st.lists(stage_names, min_size=1, max_size=6))
def test_every_offered_move_leads_to_a_stage_of_the_program_other_than_the_current(
    stages: list[str],
) -> None:
    case = facts(*stages)
    for move in possible_moves(case):
        assert move.to_stage in PIPELINES["siv"].stage_names
        assert move.to_stage != case.stage
