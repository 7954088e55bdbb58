"""Pipeline pages: the stage move and written explanations from the case page, and the
supervisors' overdue queue, bulk actions and service levels. Thin: services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.cases.models import Case
from safepassage.cases.views import _apply_errors, _detail_context, _work_case, workspace_view
from safepassage.core.errors import DomainError, InvalidInputError, PermissionDeniedError
from safepassage.core.models import Organization
from safepassage.pipeline import selectors, services
from safepassage.pipeline.errors import StageMoveRefusedError
from safepassage.pipeline.forms import (
    BulkAssignForm,
    BulkMoveForm,
    ExplanationForm,
    StageMoveForm,
    StageSLAForm,
)
from safepassage.pipeline.messages import (
    FIELD_OF_CODE,
    check_text,
    failure_texts,
    move_lines,
    owner_shares,
)


def panel_context(
    request: HttpRequest, case: Case, *, can_edit: bool, **forms: Any
) -> dict[str, Any]:
    """What ``pipeline/_panel.html`` needs; ``cases.views._detail_context`` merges it in."""
    panel = selectors.case_pipeline_panel(user=request.user, case=case)
    return {
        "pipeline": panel,
        "pipeline_moves": move_lines(panel.moves) if can_edit else [],
        "pipeline_move_form": forms.get("pipeline_move_form")
        or StageMoveForm(moves=panel.moves, may_override=panel.may_override),
        "pipeline_explanation_form": forms.get("pipeline_explanation_form") or ExplanationForm(),
    }


def _case_page(request: HttpRequest, reference: str, **forms: Any) -> HttpResponse:
    context = _detail_context(request, reference, **forms)
    return render(request, "cases/case_detail.html", context, status=422)


@workspace_view
@require_POST
def case_stage_move(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work_case(request, reference)
    panel = selectors.case_pipeline_panel(user=request.user, case=case)
    form = StageMoveForm(request.POST, moves=panel.moves, may_override=panel.may_override)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.stage_move(
                actor=request.user,
                case=case,
                to_stage=data["to_stage"],
                reason=data["reason"],
                effective_on=data["effective_on"],
                override=bool(data.get("override")),
            )
        except StageMoveRefusedError as exc:
            for failure in exc.failures:
                field = FIELD_OF_CODE.get(failure.code, "to_stage")
                form.add_error(field if field in form.fields else None, check_text(failure))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Stage changed."))
            return redirect("cases:detail", reference=case.reference)
    return _case_page(request, reference, pipeline_move_form=form)


@workspace_view
@require_POST
def explanation_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work_case(request, reference)
    form = ExplanationForm(request.POST)
    if form.is_valid():
        try:
            services.explanation_record(
                actor=request.user,
                case=case,
                document=form.cleaned_data["document"],
                text=form.cleaned_data["text"],
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Explanation recorded."))
            return redirect(f"{reverse('cases:detail', args=[case.reference])}#stage")
    return _case_page(request, reference, pipeline_explanation_form=form)


# --- supervisors ----------------------------------------------------------------------------


def _supervised_organization(request: HttpRequest) -> Organization:
    """The organisation a supervisor works on (``org`` chooses among several)."""
    ids = selectors.supervised_organization_ids(user=request.user)
    if not ids:
        raise PermissionDenied
    wanted = request.POST.get("org") or request.GET.get("org") or ""
    if wanted:
        if not wanted.isdigit() or int(wanted) not in ids:
            raise Http404
        return Organization.objects.get(pk=int(wanted))
    return Organization.objects.filter(pk__in=ids).order_by("name").first()  # type: ignore[return-value]


def _organizations(request: HttpRequest) -> list[Organization]:
    ids = selectors.supervised_organization_ids(user=request.user)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


@workspace_view
def queue(request: HttpRequest) -> HttpResponse:
    """The overdue queue, and the selection for bulk actions."""
    from safepassage.cases.stages import Program, Stage

    organization = _supervised_organization(request)
    show_all = request.GET.get("show") == "open"
    stage = request.GET.get("stage", "")
    if stage and stage not in Stage.values:
        stage = ""
    rows, total = selectors.overdue_cases_for(
        user=request.user,
        organization_id=organization.pk,
        overdue_only=not show_all,
        stage=stage,
    )
    workers = selectors.case_workers_of(organization_id=organization.pk)
    summary = selectors.time_summary_for(user=request.user, organization_id=organization.pk)
    return render(
        request,
        "pipeline/queue.html",
        {
            "summary": summary,
            "summary_owners": owner_shares(summary),
            "summary_stages": [
                (load, Program(load.program).label, Stage(load.stage).label)
                for load in summary.stages[:12]
            ],
            "organization": organization,
            "organizations": _organizations(request),
            "rows": rows,
            "total": total,
            "show_all": show_all,
            "stage": stage,
            "stages": Stage.choices,
            "assign_form": BulkAssignForm(workers=workers),
            "move_form": BulkMoveForm(),
        },
    )


@workspace_view
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Bulk assign, or bulk move: first a preview of what the pipeline would refuse, then
    the confirmation moves the cases that pass."""
    organization = _supervised_organization(request)
    references = request.POST.getlist("cases")
    back = f"{reverse('pipeline:queue')}?org={organization.pk}"
    if not references:
        messages.error(request, _("Select at least one case."))
        return redirect(back)
    action = request.POST.get("action")
    try:
        if action == "assign":
            workers = selectors.case_workers_of(organization_id=organization.pk)
            assign_form = BulkAssignForm(request.POST, workers=workers)
            if not assign_form.is_valid():
                messages.error(request, _("Choose a caseworker of this organisation."))
                return redirect(back)
            assigned = services.cases_bulk_assign(
                actor=request.user,
                organization=organization,
                references=references,
                assignee=assign_form.cleaned_data["assignee"],
            )
            messages.success(request, _("%(count)s cases assigned.") % {"count": len(assigned)})
            return redirect(back)
        if action != "move":
            raise Http404
        move_form = BulkMoveForm(request.POST)
        if not move_form.is_valid():
            messages.error(request, _("Choose a stage and a valid date."))
            return redirect(back)
        data = move_form.cleaned_data
        if request.POST.get("step") == "confirm":
            result = services.cases_bulk_move(
                actor=request.user,
                organization=organization,
                references=references,
                to_stage=data["to_stage"],
                reason=data["reason"],
                effective_on=data["effective_on"],
            )
            messages.success(
                request,
                _("%(moved)s cases moved; %(refused)s refused and left where they were.")
                % {"moved": len(result.done), "refused": len(result.refused)},
            )
            return redirect(back)
        preview = selectors.bulk_move_preview(
            user=request.user,
            organization_id=organization.pk,
            references=references,
            to_stage=data["to_stage"],
            reason=data["reason"],
            effective_on=data["effective_on"],
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    rows = [
        {"case": row.case, "allowed": row.check.allowed, "why": failure_texts(row.check.failures)}
        for row in preview
    ]
    effective_on: dt.date | None = data["effective_on"]
    return render(
        request,
        "pipeline/bulk_preview.html",
        {
            "organization": organization,
            "rows": rows,
            "form": move_form,
            "to_stage": data["to_stage"],
            "effective_on": effective_on.isoformat() if effective_on else "",
            "reason": data["reason"],
            "passing": sum(1 for row in rows if row["allowed"]),
        },
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def sla(request: HttpRequest) -> HttpResponse:
    """Service levels per program and stage for one organisation."""
    organization = _supervised_organization(request)
    lines = selectors.sla_lines_for(user=request.user, organization_id=organization.pk)
    form = StageSLAForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.stage_slas_set(
                actor=request.user, organization=organization, days=form.values()
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(count)s service levels changed.") % {"count": changed})
            return redirect(f"{reverse('pipeline:sla')}?org={organization.pk}")
    programs: dict[str, list[Any]] = {}
    for line in lines:
        programs.setdefault(line.program, []).append(form[StageSLAForm.name_of(line)])
    from safepassage.cases.stages import Program

    return render(
        request,
        "pipeline/sla.html",
        {
            "organization": organization,
            "organizations": _organizations(request),
            "form": form,
            "programs": [(Program(p).label, fields) for p, fields in programs.items()],
        },
        status=422 if form.errors else 200,
    )
