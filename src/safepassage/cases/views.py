"""Caseworker workspace pages: thin views over the cases services and selectors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.accounts.reauth import is_recently_authenticated
from safepassage.cases import selectors, services
from safepassage.cases.eligibility import case_assessment
from safepassage.cases.forms import (
    AssignForm,
    BreakGlassForm,
    CaseFilterForm,
    CaseOpenForm,
    DocumentForm,
    EmploymentForm,
    ErasureRequestForm,
    NoteForm,
    PersonFindForm,
    PersonForm,
    ProgramForm,
    TaskForm,
)
from safepassage.cases.household import case_household_set
from safepassage.cases.household_forms import HouseholdForm
from safepassage.cases.models import Channel
from safepassage.core.errors import DomainError, InvalidInputError, NotFoundError
from safepassage.core.selectors import case_organization_ids_for, memberships_for
from safepassage.protection.selectors import access_history_for
from safepassage.protection.services import break_glass_open, identity_reveal, revealed_people

View = Callable[..., HttpResponse]


def workspace_view(view: View) -> View:
    """Login required; out-of-scope records are 404 (existence must not leak)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper


def _work_case(request: HttpRequest, reference: str) -> Any:
    """The case, if the user works it (not a partner's or an emergency read-only view)."""
    case = selectors.case_get_for(user=request.user, reference=reference)
    if selectors.case_access_for(user=request.user, case=case) != "work":
        raise Http404
    return case


def _apply_errors(form: Any, error: InvalidInputError) -> None:
    if error.errors:
        for field, field_messages in error.errors.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    else:
        target = error.field if error.field in form.fields else None
        form.add_error(target, str(error.message))


def _workers_for_user(request: HttpRequest) -> Any:
    from django.contrib.auth import get_user_model

    org_ids = case_organization_ids_for(user=request.user)
    return (
        get_user_model()
        .objects.filter(memberships__organization_id__in=org_ids, is_active=True)
        .order_by("username")
        .distinct()
    )


@workspace_view
def case_list(request: HttpRequest) -> HttpResponse:
    workers = list(_workers_for_user(request))
    form = CaseFilterForm(request.GET or None, workers=workers)
    filters = selectors.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        assignee = data.get("assignee") or ""
        filters = selectors.CaseFilters(
            stage=data.get("stage") or "",
            program=data.get("program") or "",
            reference=data.get("reference") or "",
            unassigned=assignee == "none",
            assigned_to=(
                request.user.pk
                if assignee == "me"
                else int(assignee)
                if assignee.isdigit()
                else None
            ),
        )
    cases = selectors.case_list_for(user=request.user, filters=filters)
    if filters.reference:
        found = list(cases[:2])
        if len(found) == 1:
            return redirect("cases:detail", reference=found[0].reference)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    can_open = bool(case_organization_ids_for(user=request.user))
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "form": form, "can_open": can_open, "filters": filters},
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    memberships = [
        m
        for m in memberships_for(user=request.user)
        if m.organization_id in case_organization_ids_for(user=request.user)
    ]
    if not memberships:
        raise Http404
    organization = memberships[0].organization
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        program = data.pop("program")
        try:
            case = services.case_open(
                actor=request.user,
                organization=organization,
                channel=Channel.STAFF,
                program=program,
                principal=data,
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Case opened."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/case_open.html", {"form": form, "organization": organization})


def _detail_context(request: HttpRequest, reference: str, **forms: Any) -> dict[str, Any]:
    context = selectors.case_detail_for(user=request.user, reference=reference)
    case = context["case"]
    context["revealed"] = revealed_people(request.session)
    context["erasure_requests"] = list(case.erasure_requests.select_related("requested_by"))
    context["erasure_form"] = ErasureRequestForm()
    context["access_history"] = access_history_for(user=request.user, case=case)
    context["can_edit"] = context["access"] == "work"
    if context["access"] == "partner":
        # A referring partner follows the household and its stage, not the casework (nor
        # where the household is).
        for internal in ("employment", "documents", "notes", "tasks"):
            context[internal] = []
    else:
        from safepassage.eligibility.selectors import stored_assessment_for
        from safepassage.threat.priority_selectors import case_priority_for

        assessed = case_assessment(
            case=case,
            people=context["people"],
            employment=context["employment"],
            documents=context["documents"],
            stage_events=context["stage_events"],
            referrals=list(case.eligibility_referrals.all()),
        )
        context["eligibility"] = assessed[1] if assessed else []
        context["eligibility_stored"] = stored_assessment_for(case=case)
        context["household_form"] = forms.get("household_form") or HouseholdForm(case=case)
        context["case_priority"] = case_priority_for(case=case)
    workers = selectors.case_workers_for(case=case)
    from safepassage.pipeline.views import panel_context

    context.update(panel_context(request, case, can_edit=context["can_edit"], **forms))
    context.update(
        note_form=forms.get("note_form") or NoteForm(),
        task_form=forms.get("task_form") or TaskForm(workers=workers),
        assign_form=forms.get("assign_form")
        or AssignForm(workers=workers, initial={"assignee": case.assigned_to_id}),
        program_form=forms.get("program_form") or ProgramForm(initial={"program": case.program}),
    )
    return context


@workspace_view
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render(request, "cases/case_detail.html", _detail_context(request, reference))


@workspace_view
@require_POST
def erasure_action(request: HttpRequest, reference: str) -> HttpResponse:
    """Open, verify, approve or carry out an applicant's erasure or correction request."""
    from safepassage.cases import erasure
    from safepassage.cases.models import ErasureRequest

    case = _work_case(request, reference)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            form = ErasureRequestForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose the kind of request and describe it."))
                return redirect("cases:detail", reference=case.reference)
            erasure.erasure_request_open(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
            )
        else:
            item = ErasureRequest.objects.filter(
                case=case, pk=request.POST.get("request") or uuid.UUID(int=0)
            ).first()
            if item is None:
                raise Http404
            if action == "verify":
                erasure.erasure_request_verify(
                    actor=request.user,
                    request=item,
                    method=request.POST.get("method", "call_back")[:40],
                )
            elif action == "approve":
                erasure.erasure_request_approve(actor=request.user, request=item)
            elif action == "execute":
                if not is_recently_authenticated(request):
                    return redirect(f"{reverse('accounts:reauth')}?next={case_url(case)}")
                erasure.erasure_request_execute(actor=request.user, request=item)
                if item.kind == "erasure":
                    messages.success(request, _("The case was erased."))
                    return redirect("cases:list")
            else:
                raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Request updated."))
    return redirect("cases:detail", reference=case.reference)


def case_url(case: Any) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


@workspace_view
@require_POST
def person_reveal(request: HttpRequest, reference: str, person_id: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, reference=reference)
    if selectors.case_access_for(user=request.user, case=case) == "partner":
        raise Http404
    person = selectors.person_get_for(user=request.user, case=case, person_id=person_id)
    if not is_recently_authenticated(request):
        return redirect(f"{reverse('accounts:reauth')}?next={case_url(case)}")
    identity_reveal(actor=request.user, person=person, session=request.session)
    return redirect(f"{reverse('cases:detail', kwargs={'reference': case.reference})}#household")


@workspace_view
@require_http_methods(["GET", "POST"])
def person_find(request: HttpRequest) -> HttpResponse:
    """Find people by identity number, phone or name (POST: nothing typed reaches a URL)."""
    form = PersonFindForm(request.POST or None)
    results: list[Any] | None = None
    if request.method == "POST" and form.is_valid():
        query = selectors.PersonQuery(**{k: v or "" for k, v in form.cleaned_data.items()})
        results = selectors.people_find_for(user=request.user, query=query)
    return render(request, "cases/person_find.html", {"form": form, "results": results})


@workspace_view
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None, initial={"reference": request.GET.get("reference")})
    if request.method == "POST" and form.is_valid():
        try:
            case = break_glass_open(
                actor=request.user,
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        except NotFoundError:
            form.add_error("reference", _("No case has this reference."))
        else:
            messages.warning(
                request,
                _("Emergency access granted for one hour. The case's organisation has been told."),
            )
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/break_glass.html", {"form": form})


def _case_action(
    request: HttpRequest,
    reference: str,
    form_name: str,
    build: Callable[[Any], Any],
    act: Callable[[Any, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    case = _work_case(request, reference)
    form = build(case)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, success)
            return redirect("cases:detail", reference=case.reference)
    context = _detail_context(request, reference, **{form_name: form})
    return render(request, "cases/case_detail.html", context, status=422)


@workspace_view
@require_POST
def case_change_stage(request: HttpRequest, reference: str) -> HttpResponse:
    """The older address of the stage move: the pipeline's page does it."""
    from safepassage.pipeline.views import case_stage_move

    return case_stage_move(request, reference)


@workspace_view
@require_POST
def note_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "note_form",
        lambda case: NoteForm(request.POST),
        lambda case, data: services.note_add(actor=request.user, case=case, text=data["text"]),
        _("Note added."),
    )


@workspace_view
@require_POST
def task_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "task_form",
        lambda case: TaskForm(request.POST, workers=selectors.case_workers_for(case=case)),
        lambda case, data: services.task_add(
            actor=request.user,
            case=case,
            title=data["title"],
            assignee=data["assignee"],
            due_date=data["due_date"],
        ),
        _("Task added."),
    )


@workspace_view
@require_POST
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "assign_form",
        lambda case: AssignForm(request.POST, workers=selectors.case_workers_for(case=case)),
        lambda case, data: services.case_assign(
            actor=request.user, case=case, assignee=data["assignee"]
        ),
        _("Caseworker assigned."),
    )


@workspace_view
@require_POST
def household_edit(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "household_form",
        lambda case: HouseholdForm(request.POST, case=case),
        lambda case, data: case_household_set(actor=request.user, case=case, data=data),
        _("Where the household is and its needs were saved."),
    )


@workspace_view
@require_POST
def case_program(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        "program_form",
        lambda case: ProgramForm(request.POST),
        lambda case, data: services.case_update(
            actor=request.user, case=case, program=data["program"]
        ),
        _("Program changed."),
    )


@workspace_view
@require_POST
def task_toggle(request: HttpRequest, reference: str, task_id: str) -> HttpResponse:
    case = _work_case(request, reference)
    task = selectors.task_get_for(user=request.user, case=case, task_id=task_id)
    services.task_set_done(actor=request.user, task=task, done=not task.done)
    return redirect("cases:detail", reference=case.reference)


@workspace_view
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, reference: str, person_id: str | None = None) -> HttpResponse:
    case = _work_case(request, reference)
    person = (
        selectors.person_get_for(user=request.user, case=case, person_id=person_id)
        if person_id
        else None
    )
    principal = person is not None and person.relationship == "principal"
    form = PersonForm(request.POST or None, instance=person, principal=principal)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                services.person_add(actor=request.user, case=case, data=form.cleaned_data)
            else:
                services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Household member saved."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/person_form.html", {"case": case, "form": form, "person": person})


@workspace_view
@require_POST
def person_remove(request: HttpRequest, reference: str, person_id: str) -> HttpResponse:
    case = _work_case(request, reference)
    person = selectors.person_get_for(user=request.user, case=case, person_id=person_id)
    try:
        services.person_remove(actor=request.user, person=person)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Household member removed."))
    return redirect("cases:detail", reference=case.reference)


@workspace_view
@require_http_methods(["GET", "POST"])
def employment_edit(
    request: HttpRequest, reference: str, employment_id: str | None = None
) -> HttpResponse:
    case = _work_case(request, reference)
    employment = (
        selectors.employment_get_for(user=request.user, case=case, employment_id=employment_id)
        if employment_id
        else None
    )
    initial = {}
    if employment is None:
        principal = case.people.filter(relationship="principal").first()
        initial = {"person": principal.pk if principal else None}
    form = EmploymentForm(request.POST or None, instance=employment, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            if employment is None:
                services.employment_add(actor=request.user, case=case, person=person, data=data)
            else:
                services.employment_update(actor=request.user, employment=employment, data=data)
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Employment saved."))
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/employment_form.html",
        {"case": case, "form": form, "employment": employment},
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work_case(request, reference)
    form = DocumentForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_attach(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                person=form.cleaned_data["person"],
                content=upload.read(),
                original_name=upload.name or "",
            )
        except InvalidInputError as exc:
            form.add_error(
                "file", _("Send a PDF or a photo (JPEG, PNG, HEIC, WebP), at most 20 MB.")
            )
            del exc
        else:
            messages.success(request, _("Document added."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/document_form.html", {"case": case, "form": form})


@workspace_view
def document_download(request: HttpRequest, reference: str, document_id: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, reference=reference)
    document = selectors.document_get_for(user=request.user, case=case, document_id=document_id)
    content = services.document_read(actor=request.user, document=document)
    response = HttpResponse(content, content_type=document.content_type)
    extension = document.content_type.rsplit("/", 1)[-1]
    # The stored file name can hold a person's name: it stays out of headers.
    response["Content-Disposition"] = f'attachment; filename="{document.kind}.{extension}"'
    return response
