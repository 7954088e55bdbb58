"""Background jobs of case priority: thin, they take ids or district codes and call one
service."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_case_priority(case_id: str) -> None:
    """Recompute one case's priority after its facts changed."""
    from safepassage.threat.priority import case_priority_refresh

    case_priority_refresh(case_id=case_id)


@task()
def apply_priority_weights(version_id: str) -> None:
    """Re-rank an organisation's cases under its weights version ``version_id``."""
    from safepassage.threat.priority import organization_rerank

    organization_rerank(version_id=version_id)


@task()
def rerank_districts_later(district_codes: list[str]) -> None:
    """Re-rank the cases in ``district_codes`` (gazetteer codes, not personal data)."""
    from safepassage.threat.priority import rerank_districts

    rerank_districts(district_codes)


@task()
def recompute_all_priorities() -> None:
    """Every district's risk and every case's priority from scratch (after a rule change
    re-assessed every case)."""
    from safepassage.threat.priority import priority_recompute_all

    priority_recompute_all()
