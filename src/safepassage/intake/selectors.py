"""Reads for the public application: drafts, their answers parsed by the step forms, and
what the status page may show of a submitted case.

Reading a draft is the applicant reading what they typed themselves (or the staff member who
types it for them), not a read of case data: it is kept out of the per-request access events
(see ``protection.access``), which account for reads of cases.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safepassage.cases.models import Case
from safepassage.intake import codes
from safepassage.intake.forms import (
    REQUIRED_STEPS,
    STEPS,
    STEPS_BY_NAME,
    as_data,
)
from safepassage.intake.models import Application, ApplicationDraft, DocumentRequest, DraftDocument
from safepassage.protection import access


@contextlib.contextmanager
def unaccounted_reads() -> Iterator[None]:
    """Decryptions of the applicant's own draft are not case reads (see the module doc)."""
    token = access.current_reads.set(None)
    try:
        yield
    finally:
        access.current_reads.reset(token)


def draft_get(*, draft_id: Any) -> ApplicationDraft | None:
    """The draft with this id, unless it has expired."""
    try:
        key = uuid.UUID(str(draft_id))
    except ValueError:
        return None
    return ApplicationDraft.objects.filter(pk=key, expires_at__gt=timezone.now()).first()


def draft_by_resume_code(*, code: str) -> ApplicationDraft | None:
    if len(codes.normalize_code(code)) != codes.RESUME_CODE_LENGTH:
        return None
    return ApplicationDraft.objects.filter(
        resume_code_hash=codes.resume_code_hash(code), expires_at__gt=timezone.now()
    ).first()


def draft_answers(draft: ApplicationDraft) -> dict[str, Any]:
    with unaccounted_reads():
        text = draft.answers
    if not text:
        return {"steps": {}}
    answers: dict[str, Any] = json.loads(text)
    answers.setdefault("steps", {})
    return answers


def step_raw(draft: ApplicationDraft | None, step: str) -> dict[str, list[str]] | None:
    if draft is None:
        return None
    saved = draft_answers(draft)["steps"].get(step)
    return saved["data"] if saved else None


def step_states(draft: ApplicationDraft | None) -> dict[str, str]:
    """For each step: "complete", "incomplete" (saved, needs attention) or "empty"."""
    saved = draft_answers(draft)["steps"] if draft is not None else {}
    states = {}
    for step in STEPS:
        if step.name not in saved:
            states[step.name] = "empty"
        else:
            states[step.name] = "complete" if saved[step.name].get("complete") else "incomplete"
    return states


def step_bound(draft: ApplicationDraft | None, step: str) -> Any:
    """The step's form (or formset), bound to what was typed, or blank."""
    spec = STEPS_BY_NAME[step]
    raw = step_raw(draft, step)
    if raw is None:
        if spec.prefix is not None:
            return spec.bind(None)
        return spec.bind(None)
    return spec.bind(as_data(raw))


def draft_documents(draft: ApplicationDraft | None) -> list[DraftDocument]:
    if draft is None:
        return []
    with unaccounted_reads():
        documents = list(draft.documents.all())
        for document in documents:
            _ = document.original_name  # decrypt while reads are not accounted
    return documents


@dataclass
class ParsedApplication:
    """A draft's answers, checked by the step forms, ready to become a case."""

    principal: dict[str, Any] = field(default_factory=dict)
    family: list[dict[str, Any]] = field(default_factory=list)
    employment: list[dict[str, Any]] = field(default_factory=list)
    threat: dict[str, Any] = field(default_factory=dict)
    location: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)
    sections: list[tuple[str, Any]] = field(default_factory=list)


def draft_parsed(draft: ApplicationDraft) -> ParsedApplication:
    """Every step's answers re-checked; ``incomplete`` names the steps that are not valid."""
    parsed = ParsedApplication()
    for step in STEPS:
        if step.name in ("documents", "review"):
            continue
        raw = step_raw(draft, step.name)
        if raw is None:
            if step.name in REQUIRED_STEPS and step.name != "family":
                parsed.incomplete.append(step.name)
            continue
        form = step.bind(as_data(raw))
        if not form.is_valid():
            parsed.incomplete.append(step.name)
            continue
        parsed.sections.append((step.name, form.summary()))
        if step.name == "about":
            parsed.principal = form.person_data()
        elif step.name == "family":
            parsed.family = [member.person_data() for member in form.filled_forms()]
        elif step.name == "employment":
            parsed.employment = [job.employment_data() for job in form.filled_forms()]
        elif step.name == "threat":
            parsed.threat = dict(form.cleaned_data)
        elif step.name == "location":
            parsed.location = dict(form.cleaned_data)
        elif step.name == "contact":
            parsed.contact = dict(form.cleaned_data)
    return parsed


# --- status page -----------------------------------------------------------------------------


def application_by_reference(*, reference: str) -> Application | None:
    return Application.objects.select_related("case").filter(case__reference=reference).first()


def case_for_status(*, case_id: Any) -> Case | None:
    return Case.objects.filter(pk=case_id).first()


def document_requests_open(*, case: Case) -> list[DocumentRequest]:
    return list(DocumentRequest.objects.filter(case=case, fulfilled_at__isnull=True))
