"""Pages of case priority: the ranked queue, the weights page with its preview, and the
progress of a re-rank. Thin: they parse, call one selector or service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.cases.views import workspace_view
from safepassage.core.errors import InvalidInputError
from safepassage.core.models import SUPERVISING_ROLES
from safepassage.core.selectors import case_organization_ids_for
from safepassage.threat import priority, priority_selectors
from safepassage.threat.priority_forms import WeightsForm, initial_of


@workspace_view
def priority_queue(request: HttpRequest) -> HttpResponse:
    organization = priority_selectors.organization_for(
        user=request.user, slug=request.GET.get("org")
    )
    rows = priority_selectors.queue_for(user=request.user, organization=organization)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    start = (page.number - 1) * 50
    entries = [
        {
            "position": start + index,
            "row": row,
            "waiting_days": priority_selectors.waiting_days(row, today),
            "change": (
                round(row.score - row.previous_score, 1) if row.previous_score is not None else None
            ),
        }
        for index, row in enumerate(priority_selectors.keys_loaded(page.object_list), start=1)
    ]
    can_manage = organization.pk in case_organization_ids_for(
        user=request.user, roles=SUPERVISING_ROLES
    )
    return render(
        request,
        "threat/priority_queue.html",
        {
            "organization": organization,
            "organizations": priority_selectors.organizations_for_queue(user=request.user),
            "page": page,
            "entries": entries,
            "levels": priority_selectors.LEVEL_LABELS,
            "can_manage": can_manage,
        },
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def priority_weights(request: HttpRequest) -> HttpResponse:
    organization = priority_selectors.organization_for(
        user=request.user, slug=request.GET.get("org"), roles=SUPERVISING_ROLES
    )
    versions = priority_selectors.weights_versions_for(user=request.user, organization=organization)
    current = priority.weights_of(versions[0] if versions else None)
    preview = None
    if request.method == "POST":
        form = WeightsForm(request.POST)
        if form.is_valid():
            weights = form.cleaned_data["weights"]
            if request.POST.get("action") == "apply":
                try:
                    version = priority.priority_weights_set(
                        actor=request.user, organization=organization, weights=weights
                    )
                except InvalidInputError as exc:
                    form.add_error(None, str(exc.message))
                else:
                    messages.success(request, _("New weights saved. The queue is being re-ranked."))
                    return redirect(f"{_version_url(version.number)}?org={organization.slug}")
            else:
                preview = priority_selectors.weights_preview(
                    user=request.user, organization=organization, new=weights
                )
    else:
        form = WeightsForm(initial=initial_of(current))
    return render(
        request,
        "threat/priority_weights.html",
        {
            "organization": organization,
            "form": form,
            "versions": versions,
            "current": initial_of(current),
            "preview": preview,
        },
        status=422 if request.method == "POST" and not form.is_valid() else 200,
    )


def _version_url(number: int) -> str:
    from django.urls import reverse

    return reverse("threat:priority_weights_version", kwargs={"number": number})


@workspace_view
def priority_weights_version(request: HttpRequest, number: int) -> HttpResponse:
    organization = priority_selectors.organization_for(
        user=request.user, slug=request.GET.get("org"), roles=SUPERVISING_ROLES
    )
    version = priority_selectors.weights_version_get(
        user=request.user, organization=organization, number=number
    )
    running = version.rerank_finished_at is None
    response = render(
        request,
        "threat/priority_weights_version.html",
        {
            "organization": organization,
            "version": version,
            "weights": initial_of(priority.weights_of(version)),
            "running": running,
        },
    )
    if running:
        response["Refresh"] = "2"
    return response
