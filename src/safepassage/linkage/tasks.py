"""Background jobs of duplicate review: thin, they take ids and call one service."""

from __future__ import annotations

from django_tasks import task


@task()
def run_linkage(run_id: str) -> None:
    """Deduplicate an organisation's people (the run ``run_id`` says which)."""
    from safepassage.linkage.services import linkage_run_execute

    linkage_run_execute(run_id=run_id)
