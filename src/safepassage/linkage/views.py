"""Pages of the review desk: the queue, one proposed match side by side with its decision
and undo, the records linked to a case's people, batch runs with their progress, and the
thresholds. Thin: they parse, call one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.cases.views import workspace_view
from safepassage.core.errors import DomainError, InvalidInputError
from safepassage.core.models import SUPERVISING_ROLES
from safepassage.core.selectors import case_organization_ids_for
from safepassage.linkage import selectors, services
from safepassage.linkage.forms import DecisionForm, ThresholdsForm
from safepassage.linkage.models import ProposalStatus

PAGE_SIZE = 50

COMPARISON_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "father_name": gettext_lazy("Father's name"),
    "grandfather_name": gettext_lazy("Grandfather's name"),
    "family_name": gettext_lazy("Family or tribal name"),
    "birth_date": gettext_lazy("Date of birth"),
    "tazkira": gettext_lazy("Tazkira"),
    "passport": gettext_lazy("Passport number"),
    "phone": gettext_lazy("Phone number"),
    "sex": gettext_lazy("Sex"),
    "birth_province": gettext_lazy("Province of birth"),
}
LEVEL_LABELS = {
    "exact": gettext_lazy("agree"),
    "variant": gettext_lazy("spelling variant"),
    "similar": gettext_lazy("similar"),
    "different": gettext_lazy("disagree"),
    "overlap": gettext_lazy("overlap (one is only a year)"),
    "within_tolerance": gettext_lazy("within a year"),
    "close": gettext_lazy("one character apart"),
    "missing": gettext_lazy("missing on one side"),
}
NOTE_LABELS = {
    "father_in_family_slot": gettext_lazy("The father's name was found in the family-name slot."),
    "first_of_year": gettext_lazy("A 1 January or 1 Hamal date counts as its year only."),
    "shared_phone": gettext_lazy("Other people share this number: it counts for less."),
    "other": "",
}


def _organization(request: HttpRequest, roles: Any = None) -> Any:
    slug = request.GET.get("org") or request.POST.get("org")
    if roles is None:
        return selectors.organization_for(user=request.user, slug=slug)
    return selectors.organization_for(user=request.user, slug=slug, roles=roles)


def _supervises(request: HttpRequest, organization: Any) -> bool:
    return organization.pk in case_organization_ids_for(user=request.user, roles=SUPERVISING_ROLES)


@workspace_view
def queue(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    rows = selectors.queue_for(user=request.user, organization=organization)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/queue.html",
        {
            "organization": organization,
            "organizations": selectors.organizations_for_desk(user=request.user),
            "page": page,
            "hints": list(selectors.hints_for(user=request.user, organization=organization)),
            "latest_run": selectors.runs_for(user=request.user, organization=organization).first(),
            "can_manage": _supervises(request, organization),
        },
    )


@workspace_view
def decided(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    rows = selectors.decided_for(user=request.user, organization=organization)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/decided.html",
        {"organization": organization, "page": page},
    )


def _shown(kind: str, values: tuple[Any, ...]) -> list[str]:
    """One record's values of a comparison as the reader sees them: names in both scripts,
    dates in the reader's calendar words, identity numbers masked but for their end."""
    from safepassage.cases.models import Sex
    from safepassage.core.templatetags.safepassage import partial_date, province_name
    from safepassage.protection.services import mask_identity

    present = [value for value in values if value]
    if kind == "date":
        return [partial_date(present[0])] if present else []
    if kind == "identity":
        return [" / ".join(mask_identity(str(value)) for value in present)] if present else []
    if kind == "sex":
        return [str(Sex(present[0]).label)] if present and present[0] != Sex.UNKNOWN else []
    if kind == "province":
        return [province_name(str(present[0]))] if present else []
    return [str(value) for value in present]


def _rows(proposal: Any) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "left": _shown(row.kind, row.left),
            "right": _shown(row.kind, row.right),
            "label": COMPARISON_LABELS.get(row.comparison, row.comparison),
            "level_label": LEVEL_LABELS.get(row.level, row.level),
            "note": NOTE_LABELS.get(row.note, ""),
            "agrees": row.weight > 0,
        }
        for row in selectors.comparison_rows(proposal)
    ]


@workspace_view
@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, proposal_id=proposal_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.proposal_decide(
                    actor=request.user, proposal=proposal, action=form.cleaned_data["action"]
                )
            except InvalidInputError as error:
                form.add_error("action", str(error.message))
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Decision saved. You can undo it on this page."))
                return redirect("linkage:proposal", proposal_id=proposal.pk)
        status = 422
    return render(
        request,
        "linkage/proposal.html",
        {
            "proposal": proposal,
            "organization": proposal.organization,
            "rows": _rows(proposal),
            "form": form,
            "decidable": proposal.status
            in (ProposalStatus.OPEN, ProposalStatus.AUTO_LINKED, ProposalStatus.STALE),
            "can_undo": selectors.can_undo(proposal),
            "decisions": selectors.decisions_of(proposal),
        },
        status=status,
    )


@workspace_view
@require_POST
def proposal_undo(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = selectors.proposal_get_for(user=request.user, proposal_id=proposal_id)
    try:
        services.proposal_undo(actor=request.user, proposal=proposal)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The decision was undone."))
    return redirect("linkage:proposal", proposal_id=proposal.pk)


@workspace_view
def case_links(request: HttpRequest, reference: str) -> HttpResponse:
    case, records = selectors.case_links_for(user=request.user, reference=reference)
    return render(request, "linkage/case_links.html", {"case": case, "records": records})


@workspace_view
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    can_manage = _supervises(request, organization)
    if request.method == "POST":
        organization = _organization(request, SUPERVISING_ROLES)
        try:
            run = services.linkage_run_start(actor=request.user, organization=organization)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            return redirect("linkage:run", run_id=run.pk)
    history = selectors.runs_for(user=request.user, organization=organization)
    return render(
        request,
        "linkage/runs.html",
        {
            "organization": organization,
            "runs": list(history[:20]),
            "can_manage": can_manage,
            "thresholds": services.thresholds_of(organization),
        },
    )


@workspace_view
def run_detail(request: HttpRequest, run_id: str) -> HttpResponse:
    run = selectors.run_get_for(user=request.user, run_id=run_id)
    running = run.status in ("queued", "running")
    response = render(
        request,
        "linkage/run.html",
        {"run": run, "organization": run.organization, "running": running},
    )
    if running:
        response["Refresh"] = "2"
    return response


@workspace_view
@require_http_methods(["GET", "POST"])
def thresholds(request: HttpRequest) -> HttpResponse:
    organization = _organization(request, SUPERVISING_ROLES)
    current = services.thresholds_of(organization)
    form = ThresholdsForm(
        request.POST if request.method == "POST" else None,
        initial={"auto_link_weight": current.auto_link, "review_weight": current.review},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.linkage_thresholds_set(
                actor=request.user,
                organization=organization,
                auto_link_weight=form.cleaned_data["auto_link_weight"],
                review_weight=form.cleaned_data["review_weight"],
            )
        except InvalidInputError as error:
            form.add_error(error.field or None, str(error.message))
        else:
            messages.success(request, _("Thresholds saved. They apply from the next search."))
            return redirect(f"{reverse('linkage:thresholds')}?org={organization.slug}")
    return render(
        request,
        "linkage/thresholds.html",
        {"organization": organization, "form": form},
        status=422 if request.method == "POST" else 200,
    )
