"""Writes on cases: each service is atomic, validates, checks the actor's role and records
an audit event in the same transaction."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safepassage.cases.errors import (
    DocumentRejectedError,
    PrincipalRequiredError,
    StageChangeError,
)
from safepassage.cases.models import (
    EMPLOYMENT_FIELDS,
    PERSON_FIELDS,
    Case,
    Document,
    Employment,
    Note,
    Person,
    Relationship,
    StageEvent,
    Task,
)
from safepassage.cases.stages import Program, stages_for
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES, Membership, Organization
from safepassage.engine.reference import new_reference
from safepassage.protection import blind_index, crypto, files, keys
from safepassage.protection.audit import audit_record
from safepassage.protection.uploads import UploadRejectedError, clean_upload

Actor = AbstractBaseUser | AnonymousUser | None


def _user_of(actor: Actor) -> User | None:
    """The acting person as a stored user, or None for the system itself."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


# Sniffed from the first bytes, never trusted from the client's Content-Type.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


def _require_case_role(actor: Actor, organization_id: int) -> None:
    """Defence in depth: callers already reached the case through a scoped selector."""
    if actor is None:  # the system itself (imports, demo data, jobs)
        return
    if not actor.is_authenticated:
        raise NotFoundError()
    allowed = Membership.objects.filter(
        user_id=int(actor.pk), organization_id=organization_id, role__in=list(CASE_ROLES)
    ).exists()
    if not allowed:
        raise NotFoundError()


def _assign(instance: Any, fields: tuple[str, ...], data: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in fields:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        raise InvalidInputError(errors=errors) from exc


def _touch(case: Case) -> None:
    case.updated_at = timezone.now()
    Case.objects.filter(pk=case.pk).update(updated_at=case.updated_at)


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    organization: Organization,
    channel: str,
    principal: Mapping[str, Any],
    program: str = Program.UNDETERMINED,
    assigned_to: AbstractBaseUser | None = None,
) -> Case:
    """Open a case for a household with its principal applicant."""
    _require_case_role(actor, organization.pk)
    case = Case(
        id=keys.new_case_scope() if not crypto.benchmark_plaintext_active() else uuid.uuid4(),
        organization=organization,
        channel=channel,
        program=program,
        assigned_to=assigned_to,  # type: ignore[misc]
        created_by=_user_of(actor),
    )
    person = Person(case=case, relationship=Relationship.PRINCIPAL)
    _assign(person, PERSON_FIELDS, {**principal, "relationship": Relationship.PRINCIPAL})
    case.reference = new_reference()
    _full_clean(case)
    _full_clean(person, exclude=["case"])
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            break
        except IntegrityError:
            if Case.objects.filter(reference=case.reference).exists():
                case.reference = new_reference()
                continue
            raise
    else:  # pragma: no cover - 40 random bits do not collide five times
        raise IntegrityError("could not allocate a case reference")
    person.save(force_insert=True)
    blind_index.index_people([person], replace=False)
    StageEvent.objects.create(case=case, actor=case.created_by, to_stage=case.stage, reason="")
    audit_record(
        actor=actor,
        action="case.open",
        target=case,
        organization_id=organization.pk,
        channel=channel,
        program=program,
    )
    return case


@transaction.atomic
def case_update(*, actor: Actor, case: Case, program: str | None = None) -> Case:
    _require_case_role(actor, case.organization_id)
    if program is not None and program != case.program:
        if program not in Program.values:
            raise InvalidInputError(field="program")
        if case.stage not in stages_for(program):
            raise StageChangeError()
        case.program = program
        case.save(update_fields=["program", "updated_at"])
        audit_record(
            actor=actor,
            action="case.update",
            target=case,
            organization_id=case.organization_id,
            program=program,
        )
    return case


@transaction.atomic
def case_assign(*, actor: Actor, case: Case, assignee: AbstractBaseUser | None) -> Case:
    _require_case_role(actor, case.organization_id)
    if assignee is not None:
        is_member = Membership.objects.filter(
            user_id=assignee.pk, organization_id=case.organization_id, role__in=list(CASE_ROLES)
        ).exists()
        if not is_member:
            raise InvalidInputError(field="assigned_to")
    case.assigned_to = assignee  # type: ignore[assignment]
    case.save(update_fields=["assigned_to", "updated_at"])
    audit_record(
        actor=actor,
        action="case.assign",
        target=case,
        organization_id=case.organization_id,
        assignee=assignee.pk if assignee is not None else None,
    )
    return case


def case_change_stage(
    *, actor: Actor, case: Case, to_stage: str, reason: str, effective_on: Any = None
) -> StageEvent:
    """Move a case to another stage of its program. The one stage-change path is
    ``safepassage.pipeline.services.stage_move`` (roles, transitions, guards); this name is
    kept for the API and older callers."""
    from safepassage.pipeline.services import stage_move

    return stage_move(
        actor=actor, case=case, to_stage=to_stage, reason=reason, effective_on=effective_on
    )


@transaction.atomic
def person_add(*, actor: Actor, case: Case, data: Mapping[str, Any]) -> Person:
    _require_case_role(actor, case.organization_id)
    if data.get("relationship") == Relationship.PRINCIPAL:
        raise InvalidInputError(field="relationship")
    person = Person(case=case)
    _assign(person, PERSON_FIELDS, data)
    _full_clean(person)
    person.save(force_insert=True)
    blind_index.index_people([person], replace=False)
    _touch(case)
    audit_record(
        actor=actor,
        action="person.add",
        target=person,
        organization_id=case.organization_id,
        case=str(case.pk),
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, data: Mapping[str, Any]) -> Person:
    case = person.case
    _require_case_role(actor, case.organization_id)
    was_principal = person.relationship == Relationship.PRINCIPAL
    changed = _assign(person, PERSON_FIELDS, data)
    if was_principal != (person.relationship == Relationship.PRINCIPAL):
        raise InvalidInputError(field="relationship")
    _full_clean(person)
    person.save()
    blind_index.index_people([person])
    _touch(case)
    audit_record(
        actor=actor,
        action="person.update",
        target=person,
        organization_id=case.organization_id,
        fields=",".join(sorted(changed)),
    )
    return person


@transaction.atomic
def person_remove(*, actor: Actor, person: Person) -> None:
    case = person.case
    _require_case_role(actor, case.organization_id)
    if person.relationship == Relationship.PRINCIPAL:
        raise PrincipalRequiredError()
    audit_record(
        actor=actor,
        action="person.remove",
        target=person,
        organization_id=case.organization_id,
    )
    person.delete()
    _touch(case)


@transaction.atomic
def employment_add(
    *, actor: Actor, case: Case, person: Person, data: Mapping[str, Any]
) -> Employment:
    _require_case_role(actor, case.organization_id)
    if person.case_id != case.pk:
        raise NotFoundError()
    employment = Employment(case=case, person=person)
    _assign(employment, EMPLOYMENT_FIELDS, data)
    _full_clean(employment)
    employment.save(force_insert=True)
    _touch(case)
    audit_record(
        actor=actor,
        action="employment.add",
        target=employment,
        organization_id=case.organization_id,
    )
    return employment


@transaction.atomic
def employment_update(
    *, actor: Actor, employment: Employment, data: Mapping[str, Any]
) -> Employment:
    case = employment.case
    _require_case_role(actor, case.organization_id)
    changed = _assign(employment, EMPLOYMENT_FIELDS, data)
    _full_clean(employment)
    employment.save()
    _touch(case)
    audit_record(
        actor=actor,
        action="employment.update",
        target=employment,
        organization_id=case.organization_id,
        fields=",".join(sorted(changed)),
    )
    return employment


def _check_quota(actor: Actor, size: int) -> None:
    """Per-user daily upload quota: a stolen account cannot fill the storage."""
    import datetime as dt

    from django.conf import settings
    from django.db.models import Sum

    user = _user_of(actor)
    if user is None:
        return
    since = timezone.now() - dt.timedelta(days=1)
    used = (
        Document.objects.filter(uploaded_by=user, uploaded_at__gte=since).aggregate(
            total=Sum("size_bytes")
        )["total"]
        or 0
    )
    if used + size > settings.DOCUMENT_DAILY_QUOTA_BYTES:
        raise UploadRejectedError("quota_exceeded", field="file")


def document_attach(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    content: bytes,
    original_name: str,
    person: Person | None = None,
) -> Document:
    """Seal a file into storage and record it; the file is removed again if recording fails."""
    from django.conf import settings

    _require_case_role(actor, case.organization_id)
    if person is not None and person.case_id != case.pk:
        raise NotFoundError()
    _check_quota(actor, len(content))
    # Type by content, images re-encoded without metadata, active PDFs refused, scanned.
    clean = clean_upload(
        content=content, original_name=original_name, max_bytes=settings.DOCUMENT_MAX_BYTES
    )
    content = clean.content
    document = Document(
        case=case,
        person=person,
        kind=kind,
        original_name=clean.safe_name,
        size_bytes=len(content),
        content_type=clean.content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=_user_of(actor),
    )
    _full_clean(document, exclude=["storage_name", "uploaded_by"])
    document.storage_name = files.file_store(
        document_id=document.pk, content=content, scope=case.pk
    )
    try:
        with transaction.atomic():
            document.save(force_insert=True)
            _touch(case)
            audit_record(
                actor=actor,
                action="document.attach",
                target=document,
                organization_id=case.organization_id,
                kind=kind,
                size=len(content),
            )
    except BaseException:
        files.file_delete(storage_name=document.storage_name)
        raise
    return document


def document_read(*, actor: Actor, document: Document) -> bytes:
    """The decrypted file; every read is recorded."""
    _require_case_role(actor, document.case.organization_id)
    content = files.file_read(document_id=document.pk, storage_name=document.storage_name)
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise DocumentRejectedError()
    audit_record(
        actor=actor,
        action="document.read",
        target=document,
        organization_id=document.case.organization_id,
    )
    return content


@transaction.atomic
def note_add(*, actor: Actor, case: Case, text: str) -> Note:
    _require_case_role(actor, case.organization_id)
    note = Note(
        case=case,
        text=text.strip(),
        author=_user_of(actor),
    )
    _full_clean(note, exclude=["author"])
    note.save(force_insert=True)
    _touch(case)
    audit_record(actor=actor, action="note.add", target=note, organization_id=case.organization_id)
    return note


@transaction.atomic
def task_add(
    *,
    actor: Actor,
    case: Case,
    title: str,
    assignee: AbstractBaseUser | None = None,
    due_date: Any = None,
) -> Task:
    _require_case_role(actor, case.organization_id)
    if (
        assignee is not None
        and not Membership.objects.filter(
            user_id=assignee.pk, organization_id=case.organization_id
        ).exists()
    ):
        raise InvalidInputError(field="assignee")
    task = Task(
        case=case,
        title=title.strip(),
        assignee=assignee,
        due_date=due_date,  # type: ignore[misc]
        created_by=_user_of(actor),
    )
    _full_clean(task, exclude=["created_by", "assignee"])
    task.save(force_insert=True)
    _touch(case)
    audit_record(actor=actor, action="task.add", target=task, organization_id=case.organization_id)
    return task


@transaction.atomic
def task_set_done(*, actor: Actor, task: Task, done: bool = True) -> Task:
    _require_case_role(actor, task.case.organization_id)
    task.done = done
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_at"])
    audit_record(
        actor=actor,
        action="task.done" if done else "task.reopen",
        target=task,
        organization_id=task.case.organization_id,
    )
    return task
