"""Keeping stored assessments current: a change to the facts of a case (people, employment,
documents, stage history, referrals) queues its re-assessment once the change commits.

The one place where eligibility listens to the cases app; bulk loads (which send no
signals) are assessed by a full re-assessment run instead."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

# Sent with ``run=`` when a re-assessment of every case after a rule change has finished
# (its bulk writes send no per-row signals): apps that build on outcomes recompute.
reassessment_done = Signal()


def _case_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from safepassage.eligibility.services import case_reassessment_enqueue

    if kwargs.get("raw"):  # fixtures being loaded
        return
    case_id = getattr(instance, "case_id", None)
    if case_id is not None:
        case_reassessment_enqueue(case_id=case_id)


def connect() -> None:
    from safepassage.cases.models import Document, Employment, Person, StageEvent
    from safepassage.eligibility.models import Referral

    for model in (Person, Employment, Document, StageEvent, Referral):
        uid = f"eligibility-reassess-{model.__name__}"
        post_save.connect(_case_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_case_changed, sender=model, dispatch_uid=uid + "-delete")
