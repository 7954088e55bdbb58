"""Background jobs of the eligibility app: thin, they take ids and call one service."""

from __future__ import annotations

from django_tasks import task


@task()
def reassess_case(case_id: str) -> None:
    """Re-assess one case after its facts changed."""
    from safepassage.eligibility.services import case_assess

    case_assess(case_id=case_id)


@task()
def run_rule_preview(run_id: str) -> None:
    """Compare every case under the published rules and a draft revision."""
    from safepassage.eligibility.services import rule_preview_execute

    rule_preview_execute(run_id=run_id)


@task()
def run_reassessment(run_id: str) -> None:
    """Re-assess every case under the rules just published."""
    from safepassage.eligibility.services import rule_reassessment_execute

    rule_reassessment_execute(run_id=run_id)
