"""Background jobs of the public application: thin, they take ids and call one service."""

from __future__ import annotations

from django_tasks import task


# Ahead of re-assessments and priority refreshes: the sealed PIN should not wait for them.
@task(priority=10)
def harden_application_pin(application_id: str) -> None:
    """Replace a submitted application's sealed PIN by its slow hash."""
    from safepassage.intake.services import application_pin_harden

    application_pin_harden(application_id=application_id)
