"""The REST API under /api/v1/: token-authenticated, organisation-scoped, errors as RFC 9457
problem details. Routers are thin: they call the cases services and selectors."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Router, UploadedFile
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from ninja.security import HttpBearer

from safepassage.api import schemas
from safepassage.api.models import ApiToken
from safepassage.api.services import api_token_check
from safepassage.cases import selectors, services
from safepassage.cases.models import Channel, Document, Employment, Note, Person, StageEvent
from safepassage.core.errors import DomainError, InvalidInputError
from safepassage.core.models import Organization
from safepassage.pipeline.errors import StageMoveRefusedError
from safepassage.protection.access import is_throttled
from safepassage.protection.audit import audit_record
from safepassage.protection.services import mask_identity

logger = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        record = api_token_check(token)
        if record is not None:
            request.user = record.user
            if is_throttled(request):
                raise HttpError(429, "read rate exceeded")
        return record


api = NinjaAPI(
    title="SafePassage API",
    version="1",
    description="Cases, people, employment, documents, stages and notes of your organisation.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=login_required,
)


def problem(
    request: HttpRequest,
    status: int,
    code: str,
    title: str,
    detail: str = "",
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://safepassage.invalid/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInputError) and exc.errors:
        extra["errors"] = exc.errors
    if exc.field:
        extra["field"] = exc.field
    if isinstance(exc, StageMoveRefusedError):
        # Which pipeline checks failed (codes and parameters: no personal data).
        extra["checks"] = [
            {"code": failure.code.value, "params": dict(failure.params)} for failure in exc.failures
        ]
    return problem(request, exc.status, exc.code, str(exc.message), **extra)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # Pydantic's messages can echo the input; keep only locations and error types.
    errors = [
        {"loc": [str(p) for p in error.get("loc", [])], "type": error.get("type", "invalid")}
        for error in exc.errors
    ]
    return problem(
        request, 422, "invalid_input", _("Some of the information is not valid."), errors=errors
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(request, 401, "unauthenticated", _("A valid API token is required."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, "permission_denied", _("You do not have permission to do this."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Exception text can carry personal data: log the type only.
    logger.error(
        "api error %s on %s",
        type(exc).__name__,
        request.resolver_match.route if request.resolver_match else "?",
    )
    return problem(request, 500, "server_error", _("Something went wrong on our side."))


def _token(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise AuthenticationError()
    return token


class _WithoutReason:
    def __init__(self, event: Any) -> None:
        self._event = event

    def __getattr__(self, name: str) -> Any:
        return None if name == "reason" else getattr(self._event, name)


def _casework(request: HttpRequest, reference: str) -> Any:
    """The case, for those who work it or hold emergency access — not a referring partner."""
    case = _case(request, reference)
    if selectors.case_access_for(user=request.user, case=case) == "partner":
        raise Http404
    return case


def _case(request: HttpRequest, reference: str) -> Any:
    return selectors.case_get_for(
        user=request.user, reference=reference, organization_id=_token(request).organization_id
    )


MASKED_FIELDS = ("tazkira_number", "tazkira_registration", "passport_number")


class _MaskedPerson:
    """A person whose identity numbers show only their last four characters."""

    def __init__(self, person: Person) -> None:
        self._person = person

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._person, name)
        return mask_identity(value) if name in MASKED_FIELDS else value


def _masked(request: HttpRequest, people: list[Person], reveal: bool) -> list[Any]:
    if not reveal:
        return [_MaskedPerson(person) for person in people]
    case = people[0].case if people else None
    if case is not None and selectors.case_access_for(user=request.user, case=case) == "partner":
        raise HttpError(403, "partners cannot reveal identity numbers")
    for person in people:
        audit_record(
            actor=request.user,
            action="person.reveal",
            target=person,
            organization_id=person.case.organization_id,
            fields=",".join(MASKED_FIELDS),
        )
    return list(people)


class _CaseDetail:
    """A case with its already-loaded parts, so the response adds no queries."""

    def __init__(self, case: Any, parts: dict[str, Any]) -> None:
        self._case = case
        self._parts = parts

    def __getattr__(self, name: str) -> Any:
        if name in self._parts:
            return self._parts[name]
        return getattr(self._case, name)


cases = Router(tags=["cases"])


@cases.get("/cases", response=list[schemas.CaseOut])
@paginate(LimitOffsetPagination)
def list_cases(
    request: HttpRequest, stage: str = "", program: str = "", assigned_to: int | None = None
) -> Any:
    filters = selectors.CaseFilters(stage=stage, program=program, assigned_to=assigned_to)
    return selectors.case_list_for(
        user=request.user, filters=filters, organization_id=_token(request).organization_id
    )


@cases.post("/cases", response={201: schemas.CaseOut})
def open_case(request: HttpRequest, payload: schemas.CaseIn) -> Any:
    organization = Organization.objects.get(pk=_token(request).organization_id)
    try:
        principal = payload.principal.to_data(partial=False)
    except ValueError as exc:
        raise InvalidInputError(field="birth_date") from exc
    case = services.case_open(
        actor=request.user,
        organization=organization,
        channel=Channel.API,
        program=payload.program,
        principal=principal,
    )
    return Status(201, case)


@cases.get("/cases/{reference}", response=schemas.CaseDetailOut)
def get_case(request: HttpRequest, reference: str, reveal: bool = False) -> Any:
    """The case with its household; identity numbers show their last four characters unless
    ``reveal=true`` (which is recorded)."""
    detail = selectors.case_detail_for(
        user=request.user, reference=reference, organization_id=_token(request).organization_id
    )
    detail["people"] = _masked(request, detail["people"], reveal)
    if detail.get("access") == "partner":
        for internal in ("employment", "documents", "notes"):
            detail[internal] = []
        detail["stage_events"] = [_WithoutReason(e) for e in detail["stage_events"]]
    return _CaseDetail(detail.pop("case"), detail)


@cases.patch("/cases/{reference}", response=schemas.CaseOut)
def update_case(request: HttpRequest, reference: str, payload: schemas.CasePatch) -> Any:
    case = _case(request, reference)
    if payload.program is not None:
        services.case_update(actor=request.user, case=case, program=payload.program)
    if "assigned_to" in payload.model_fields_set:
        assignee = None
        if payload.assigned_to is not None:
            workers = selectors.case_workers_for(case=case)
            assignee = workers.filter(pk=payload.assigned_to).first()
            if assignee is None:
                raise InvalidInputError(field="assigned_to")
        services.case_assign(actor=request.user, case=case, assignee=assignee)
    return case


@cases.post("/cases/{reference}/stage", response={201: schemas.StageEventOut})
def change_stage(request: HttpRequest, reference: str, payload: schemas.StageChangeIn) -> Any:
    case = _case(request, reference)
    event = services.case_change_stage(
        actor=request.user,
        case=case,
        to_stage=payload.to_stage,
        reason=payload.reason,
        effective_on=payload.effective_on,
    )
    return Status(201, event)


@cases.get("/cases/{reference}/stage-events", response=list[schemas.StageEventOut])
def list_stage_events(request: HttpRequest, reference: str) -> Any:
    case = _case(request, reference)
    events = list(StageEvent.objects.filter(case=case))
    if selectors.case_access_for(user=request.user, case=case) == "partner":
        # A referring partner follows the stages, not the casework's reasons.
        return [_WithoutReason(event) for event in events]
    return events


@cases.get("/cases/{reference}/persons", response=list[schemas.PersonOut])
def list_persons(request: HttpRequest, reference: str, reveal: bool = False) -> Any:
    return _masked(request, list(Person.objects.filter(case=_case(request, reference))), reveal)


@cases.post("/cases/{reference}/persons", response={201: schemas.PersonOut})
def add_person(request: HttpRequest, reference: str, payload: schemas.PersonIn) -> Any:
    case = _case(request, reference)
    try:
        data = {**payload.to_data(partial=False), "relationship": payload.relationship}
    except ValueError as exc:
        raise InvalidInputError(field="birth_date") from exc
    return Status(201, services.person_add(actor=request.user, case=case, data=data))


@cases.get("/cases/{reference}/persons/{person_id}", response=schemas.PersonOut)
def get_person(
    request: HttpRequest, reference: str, person_id: uuid.UUID, reveal: bool = False
) -> Any:
    case = _case(request, reference)
    person = selectors.person_get_for(user=request.user, case=case, person_id=person_id)
    return _masked(request, [person], reveal)[0]


@cases.patch("/cases/{reference}/persons/{person_id}", response=schemas.PersonOut)
def update_person(
    request: HttpRequest, reference: str, person_id: uuid.UUID, payload: schemas.PersonPatch
) -> Any:
    case = _case(request, reference)
    person = selectors.person_get_for(user=request.user, case=case, person_id=person_id)
    try:
        data = payload.to_data(partial=True)
    except ValueError as exc:
        raise InvalidInputError(field="birth_date") from exc
    if payload.relationship is None:
        data.pop("relationship", None)
    return services.person_update(actor=request.user, person=person, data=data)


@cases.delete("/cases/{reference}/persons/{person_id}", response={204: None})
def remove_person(request: HttpRequest, reference: str, person_id: uuid.UUID) -> Any:
    case = _case(request, reference)
    person = selectors.person_get_for(user=request.user, case=case, person_id=person_id)
    services.person_remove(actor=request.user, person=person)
    return Status(204, None)


@cases.get("/cases/{reference}/employment", response=list[schemas.EmploymentOut])
def list_employment(request: HttpRequest, reference: str) -> Any:
    return list(Employment.objects.filter(case=_casework(request, reference)))


@cases.post("/cases/{reference}/employment", response={201: schemas.EmploymentOut})
def add_employment(request: HttpRequest, reference: str, payload: schemas.EmploymentIn) -> Any:
    case = _case(request, reference)
    person = selectors.person_get_for(user=request.user, case=case, person_id=payload.person)
    try:
        data = payload.to_data(partial=False)
    except ValueError as exc:
        raise InvalidInputError(field="start_date") from exc
    data.pop("person", None)
    return Status(
        201, services.employment_add(actor=request.user, case=case, person=person, data=data)
    )


@cases.patch("/cases/{reference}/employment/{employment_id}", response=schemas.EmploymentOut)
def update_employment(
    request: HttpRequest,
    reference: str,
    employment_id: uuid.UUID,
    payload: schemas.EmploymentFields,
) -> Any:
    case = _case(request, reference)
    employment = selectors.employment_get_for(
        user=request.user, case=case, employment_id=employment_id
    )
    try:
        data = payload.to_data(partial=True)
    except ValueError as exc:
        raise InvalidInputError(field="start_date") from exc
    return services.employment_update(actor=request.user, employment=employment, data=data)


@cases.get("/cases/{reference}/documents", response=list[schemas.DocumentOut])
def list_documents(request: HttpRequest, reference: str) -> Any:
    return list(Document.objects.filter(case=_casework(request, reference)))


@cases.post("/cases/{reference}/documents", response={201: schemas.DocumentOut})
def upload_document(
    request: HttpRequest,
    reference: str,
    kind: Form[str],
    file: File[UploadedFile],
    person: Form[uuid.UUID | None] = None,
) -> Any:
    case = _case(request, reference)
    owner = (
        selectors.person_get_for(user=request.user, case=case, person_id=person) if person else None
    )
    document = services.document_attach(
        actor=request.user,
        case=case,
        kind=kind,
        person=owner,
        content=file.read(),
        original_name=file.name or "",
    )
    return Status(201, document)


@cases.get("/cases/{reference}/documents/{document_id}/content")
def download_document(request: HttpRequest, reference: str, document_id: uuid.UUID) -> Any:
    case = _case(request, reference)
    document = selectors.document_get_for(user=request.user, case=case, document_id=document_id)
    content = services.document_read(actor=request.user, document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.kind}"'
    return response


@cases.get("/cases/{reference}/notes", response=list[schemas.NoteOut])
def list_notes(request: HttpRequest, reference: str) -> Any:
    return list(Note.objects.filter(case=_casework(request, reference)))


@cases.post("/cases/{reference}/notes", response={201: schemas.NoteOut})
def add_note(request: HttpRequest, reference: str, payload: schemas.NoteIn) -> Any:
    case = _case(request, reference)
    return Status(201, services.note_add(actor=request.user, case=case, text=payload.text))


@cases.post("/people/search", response=list[schemas.PersonFoundOut])
def search_people(request: HttpRequest, payload: schemas.PersonSearchIn) -> Any:
    """Find people by identity number, phone or name; sent as a body, never in the URL."""
    query = selectors.PersonQuery(**payload.model_dump())
    people = selectors.people_find_for(user=request.user, query=query)
    token_org = _token(request).organization_id
    return [
        {"case": person.case.reference, "person": _MaskedPerson(person)}
        for person in people
        if person.case.organization_id == token_org
        or selectors.case_access_for(user=request.user, case=person.case) != "work"
    ]


api.add_router("/", cases)
