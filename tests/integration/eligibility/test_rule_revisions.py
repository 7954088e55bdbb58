"""Rule files stored with history: seeding, drafts validated by the engine, previews in the
background with counts, publishing only after a preview, roles and audit."""

from __future__ import annotations

from typing import Any

import pytest
from eligibility_support import (
    member,
    run_queued_tasks,
    siv_case,
    siv_text_with_one_year_rule,
)

from safepassage.core.errors import InvalidInputError, PermissionDeniedError
from safepassage.core.models import Role
from safepassage.eligibility import services
from safepassage.eligibility.errors import RuleChangeError
from safepassage.eligibility.models import CaseAssessment, RuleChangeRun, RuleRevision
from safepassage.eligibility.rulebook import published_rules
from safepassage.engine.eligibility import read_shipped_rule_file
from safepassage.protection.models import AuditEvent


@pytest.fixture
def officer(org: Any) -> Any:
    return member(org, "officer", Role.PROGRAM_OFFICER)


def _draft(officer: Any, text: str | None = None) -> RuleRevision:
    return services.rule_draft_create(
        actor=officer,
        program="siv",
        text=text or siv_text_with_one_year_rule(),
        note="Test: one year of service for the two-year era.",
    )


@pytest.mark.django_db
def test_a_fresh_installation_has_the_shipped_rules_published_as_revision_1() -> None:
    revisions = list(RuleRevision.objects.order_by("program"))

    assert [(r.program, r.number, r.status) for r in revisions] == [
        ("p1", 1, "published"),
        ("p2", 1, "published"),
        ("siv", 1, "published"),
    ]
    siv = next(r for r in revisions if r.program == "siv")
    assert siv.text == read_shipped_rule_file("siv_602b.toml")
    assert published_rules().revisions == "siv:1 p2:1 p1:1"


@pytest.mark.django_db
def test_the_rule_set_is_rebuilt_only_when_a_published_revision_changes() -> None:
    first, again = published_rules(), published_rules()
    assert first is again


@pytest.mark.django_db
def test_a_draft_that_does_not_parse_is_refused_with_the_engines_message(officer: Any) -> None:
    with pytest.raises(InvalidInputError) as refused:
        _draft(officer, "schema = 1\nprogram = [")

    assert refused.value.field == "text"
    assert "siv_602b.toml" in refused.value.errors["text"][0]
    assert not RuleRevision.objects.filter(status="draft").exists()


@pytest.mark.django_db
def test_a_draft_with_an_unknown_key_names_the_key(officer: Any) -> None:
    text = siv_text_with_one_year_rule().replace(
        "minimum_service_days = 365\nwindow_end = 2020-12-31",
        "minimum_service_dayz = 365\nwindow_end = 2020-12-31",
    )
    with pytest.raises(InvalidInputError) as refused:
        _draft(officer, text)

    assert "minimum_service_dayz" in refused.value.errors["text"][0]


@pytest.mark.django_db
def test_a_draft_for_another_program_is_refused(officer: Any) -> None:
    with pytest.raises(InvalidInputError):
        _draft(officer, read_shipped_rule_file("p2.toml"))


@pytest.mark.django_db
def test_a_draft_needs_a_note_on_why_the_rules_change(officer: Any) -> None:
    with pytest.raises(InvalidInputError) as refused:
        services.rule_draft_create(
            actor=officer, program="siv", text=siv_text_with_one_year_rule(), note="  "
        )
    assert refused.value.field == "note"


@pytest.mark.django_db
def test_a_valid_draft_is_stored_as_the_next_revision_with_its_digest(officer: Any) -> None:
    draft = _draft(officer)

    assert (draft.number, draft.status, draft.author_id) == (2, "draft", officer.pk)
    assert len(draft.sha256) == 64
    assert draft.based_on is not None and draft.based_on.number == 1
    assert published_rules().revisions == "siv:1 p2:1 p1:1"  # a draft changes nothing
    assert AuditEvent.objects.filter(action="eligibility.rule_draft", object_id=str(draft.pk))


@pytest.mark.django_db
def test_a_caseworker_cannot_draft_preview_or_publish(officer: Any, caseworker: Any) -> None:
    draft = _draft(officer)
    with pytest.raises(PermissionDeniedError):
        _draft(caseworker)
    with pytest.raises(PermissionDeniedError):
        services.rule_preview_start(actor=caseworker, revision=draft)
    run = services.rule_preview_start(actor=officer, revision=draft)
    with pytest.raises(PermissionDeniedError):
        services.rule_publish(actor=caseworker, run=run)


@pytest.mark.django_db
def test_an_administrator_of_any_organisation_may_publish(other_org: Any) -> None:
    admin = member(other_org, "admin", Role.ADMIN)
    assert services.may_change_rules(admin)


@pytest.mark.django_db
def test_publishing_needs_a_finished_preview(officer: Any) -> None:
    draft = _draft(officer)
    run = services.rule_preview_start(actor=officer, revision=draft)

    with pytest.raises(RuleChangeError):
        services.rule_publish(actor=officer, run=run)  # still queued
    assert RuleRevision.objects.get(pk=draft.pk).status == "draft"


@pytest.fixture
def population(org: Any) -> dict[str, list[Any]]:
    """Three cases short of two years but over one, two over two years, two under one."""
    return {
        "short": [siv_case(org, service_days=400) for _ in range(3)],
        "long": [siv_case(org, service_days=800) for _ in range(2)],
        "too_short": [siv_case(org, service_days=200) for _ in range(2)],
    }


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_preview_counts_the_cases_that_become_eligible_under_the_one_year_rule(
    officer: Any, population: dict[str, list[Any]], django_capture_on_commit_callbacks: Any
) -> None:
    draft = _draft(officer)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rule_preview_start(actor=officer, revision=draft)
    assert (run.total, run.processed, run.status) == (7, 0, "queued")

    run_queued_tasks()

    run.refresh_from_db()
    assert (run.status, run.processed) == ("done", 7)
    assert run.summary["cases"] == 7
    assert run.summary["became_eligible"] == {"siv": 3}
    transitions = {(p, old, new): n for p, old, new, n in run.summary["transitions"]}
    assert transitions[("siv", "not_eligible", "eligible")] == 3
    # P-2 category 1 is for those who cannot use the SIV: they lose it.
    assert run.summary["lost_eligibility"] == {"p2": 3}
    changed = set(run.changes.filter(program="siv").values_list("case__reference", flat=True))
    assert changed == {case.reference for case in population["short"]}
    # Nothing is written by a preview.
    assert RuleRevision.objects.get(pk=draft.pk).status == "draft"
    short = [case.pk for case in population["short"]]
    assert not CaseAssessment.objects.filter(case_id__in=short, siv_outcome="eligible").exists()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_accepting_a_preview_publishes_and_reassesses_every_case(
    officer: Any, population: dict[str, list[Any]], django_capture_on_commit_callbacks: Any
) -> None:
    draft = _draft(officer)
    with django_capture_on_commit_callbacks(execute=True):
        preview = services.rule_preview_start(actor=officer, revision=draft)
    run_queued_tasks()
    preview.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        reassessment = services.rule_publish(actor=officer, run=preview)
    run_queued_tasks()

    reassessment.refresh_from_db()
    assert (reassessment.kind, reassessment.status) == ("reassess", "done")
    assert reassessment.processed == reassessment.total == 7
    assert RuleRevision.objects.get(pk=draft.pk).status == "published"
    assert RuleRevision.objects.get(program="siv", number=1).status == "retired"
    assert published_rules().revisions == "siv:2 p2:1 p1:1"
    outcomes = {
        a.case.reference: a.siv_outcome for a in CaseAssessment.objects.select_related("case")
    }
    assert {outcomes[c.reference] for c in population["short"]} == {"eligible"}
    assert {outcomes[c.reference] for c in population["long"]} == {"eligible"}
    assert {outcomes[c.reference] for c in population["too_short"]} == {"not_eligible"}
    assert set(CaseAssessment.objects.values_list("revisions", flat=True)) == {"siv:2 p2:1 p1:1"}
    assert RuleChangeRun.objects.get(pk=preview.pk).status == "accepted"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "eligibility.rule_draft",
        "eligibility.rule_preview",
        "eligibility.rule_publish",
        "eligibility.assess_batch",
        "eligibility.reassessment_done",
    } <= actions
    # Readiness is part of every case's priority: the threat app recomputes them all.
    from safepassage.threat.models import CasePriority

    run_queued_tasks()
    ranked = CasePriority.objects.filter(computed_at__gte=reassessment.finished_at)
    assert ranked.count() == 7


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_preview_is_stale_once_other_rules_were_published(
    officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = _draft(officer), _draft(officer)
    with django_capture_on_commit_callbacks(execute=True):
        run_first = services.rule_preview_start(actor=officer, revision=first)
        run_second = services.rule_preview_start(actor=officer, revision=second)
    run_queued_tasks()
    run_first.refresh_from_db()
    run_second.refresh_from_db()
    services.rule_publish(actor=officer, run=run_first)

    with pytest.raises(RuleChangeError):
        services.rule_publish(actor=officer, run=run_second)


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_discarded_preview_cannot_be_published_and_a_retired_draft_not_previewed(
    officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _draft(officer)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rule_preview_start(actor=officer, revision=draft)
    run_queued_tasks()
    run.refresh_from_db()
    services.rule_preview_discard(actor=officer, run=run)
    with pytest.raises(RuleChangeError):
        services.rule_publish(actor=officer, run=run)

    services.rule_retire(actor=officer, revision=draft)
    with pytest.raises(RuleChangeError):
        services.rule_preview_start(actor=officer, revision=draft)
    assert AuditEvent.objects.filter(action="eligibility.rule_retire").exists()
    assert AuditEvent.objects.filter(action="eligibility.rule_preview_discard").exists()


def _grantee_case(org: Any) -> Any:
    """A principal who worked on a US-funded program (P-2 category 2; no SIV employer)."""
    case = siv_case(org, service_days=800, com_submitted_on=None)
    job = case.employment.get()
    job.employer_kind = "us_funded_grantee"
    job.save(update_fields=["employer_kind"])
    return case


@pytest.mark.django_db
def test_an_siv_only_change_moves_p2_only_where_category_1_rests_on_the_siv(
    officer: Any, org: Any
) -> None:
    # Category 1 of P-2 is for those who cannot use the SIV: a later SIV deadline reopens
    # the SIV for a principal with the service but no COM application yet, so their P-2
    # waits on the SIV. A category 2 household does not depend on the SIV at all.
    soldier = siv_case(org, service_days=800, com_submitted_on=None)
    grantee = _grantee_case(org)
    text = read_shipped_rule_file("siv_602b.toml")
    assert text.count("deadline = 2025-12-31") == 1
    draft = _draft(officer, text.replace("deadline = 2025-12-31", "deadline = 2099-12-31"))
    run = services.rule_preview_start(actor=officer, revision=draft)

    services.rule_preview_execute(run_id=run.pk)

    changes = {(c.case_id, c.program): (c.old_outcome, c.new_outcome) for c in run.changes.all()}
    assert {case for case, program in changes if program == "p2"} == {soldier.pk}
    assert (soldier.pk, "siv") in changes  # P-2 moved because the SIV did
    assert changes[(soldier.pk, "siv")][0] == "not_eligible"
    assert not any(case == grantee.pk for case, _program in changes)
    run.refresh_from_db()
    assert run.summary["lost_eligibility"] == {"p2": 1}
