"""Cases for the pipeline tests, built through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.conftest import sample_jpeg, sample_pdf

from safepassage.cases import services as case_services
from safepassage.cases.models import Case
from safepassage.pipeline import services

TODAY = timezone.localdate()
COM_DOCUMENTS = {"hr_letter": "HR letter", "recommendation": "Recommendation", "tazkira": ""}


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def open_siv_case(org: Any, actor: Any, name: str = "Zabihullah") -> Case:
    return case_services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        program="siv",
        principal={"given_name_latin": name, "sex": "male"},
    )


def attach(case: Case, actor: Any, kind: str) -> None:
    if kind in ("tazkira", "passport"):
        content, name = sample_jpeg(), f"{kind}.jpg"
    else:
        content, name = sample_pdf(COM_DOCUMENTS.get(kind, kind)), f"{kind}.pdf"
    case_services.document_attach(
        actor=actor, case=case, kind=kind, content=content, original_name=name
    )


def ready_for_com(case: Case, actor: Any, *, leave_out: str = "") -> None:
    """Every COM item on file or explained (DS-157 by an explanation), except ``leave_out``."""
    for kind in ("hr_letter", "recommendation", "tazkira"):
        if kind != leave_out:
            attach(case, actor, kind)
    if leave_out != "ds157":
        services.explanation_record(
            actor=actor, case=case, document="ds157", text="Form filled on paper at the office."
        )


def move(case: Case, actor: Any, to_stage: str, on: int = 0, **kwargs: Any) -> Any:
    """Move ``case`` on the day ``on`` days from today (the clock's today moves with it)."""
    kwargs.setdefault("reason", "")
    return services.stage_move(
        actor=actor, case=case, to_stage=to_stage, effective_on=days(on), today=days(on), **kwargs
    )


def submitted_case(org: Any, actor: Any, name: str = "Zabihullah", on: int = 0) -> Case:
    case = open_siv_case(org, actor, name)
    ready_for_com(case, actor)
    move(case, actor, "com_preparation", on)
    move(case, actor, "com_submitted", on)
    return case
