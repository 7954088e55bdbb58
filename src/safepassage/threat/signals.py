"""Keeping case priorities current: a change to what a priority is built from (the people
and their ages, employment and its visibility, documents of threat, the stored eligibility
assessment) queues the case's priority to be recomputed once the change commits; an erased
case loses its priority and its history.

The one place where the threat app listens to other apps. Bulk writes (loads, the batch
re-assessment after a rule change) send no signals: a full re-rank covers them
(``priority_recompute_all``, or applying the organisation's weights again)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save


def _case_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from safepassage.threat.priority import case_priority_refresh_enqueue

    if kwargs.get("raw"):  # fixtures being loaded
        return
    case_id = getattr(instance, "case_id", None)
    if case_id is not None:
        case_priority_refresh_enqueue(case_id=case_id)


def _case_erased(sender: Any, case: Any, **kwargs: Any) -> None:
    from safepassage.threat.models import CasePriority, CasePriorityHistory

    CasePriority.objects.filter(case=case).delete()
    CasePriorityHistory.objects.filter(case=case).delete()


def _reassessed(sender: Any, run: Any, **kwargs: Any) -> None:
    """Every case's readiness may have changed: recompute every priority in the background."""
    from django.db import transaction

    from safepassage.threat.priority_tasks import recompute_all_priorities

    transaction.on_commit(lambda: recompute_all_priorities.enqueue())


def connect() -> None:
    from safepassage.cases.erasure import case_erased
    from safepassage.cases.models import Document, Employment, Person
    from safepassage.eligibility.models import CaseAssessment
    from safepassage.eligibility.signals import reassessment_done

    for model in (Person, Employment, Document, CaseAssessment):
        uid = f"threat-priority-{model.__name__}"
        post_save.connect(_case_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_case_changed, sender=model, dispatch_uid=uid + "-delete")
    case_erased.connect(_case_erased, dispatch_uid="threat-priority-erased")
    reassessment_done.connect(_reassessed, dispatch_uid="threat-priority-reassessed")
