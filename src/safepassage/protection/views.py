"""Pages for data protection officers and administrators: audit log and security alerts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safepassage.core.models import AUDIT_ROLES, Membership
from safepassage.protection.access import lift_read_pause
from safepassage.protection.alerts import alerts_for
from safepassage.protection.audit import audit_record
from safepassage.protection.selectors import audit_log_for


def _require_audit_role(request: HttpRequest) -> None:
    user = request.user
    if (
        not user.is_authenticated
        or not Membership.objects.filter(user_id=int(user.pk), role__in=list(AUDIT_ROLES)).exists()
    ):
        raise Http404


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_audit_role(request)
    events = audit_log_for(user=request.user)
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "protection/audit_log.html", {"page": page, "action": action})


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    _require_audit_role(request)
    found = alerts_for(user=request.user)  # type: ignore[arg-type]
    return render(request, "protection/alerts.html", {"alerts": found[:200]})


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    _require_audit_role(request)
    found = alerts_for(user=request.user)  # type: ignore[arg-type]
    alert = found.filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    alert.acknowledged_by = request.user  # type: ignore[assignment]
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    if alert.kind == "read_rate" and alert.subject_user_id and request.POST.get("lift"):
        lift_read_pause(user_id=alert.subject_user_id)
        audit_record(
            actor=request.user,
            action="security.read_rate.lift",
            target=alert,
            organization_id=alert.organization_id,
            subject_user=alert.subject_user_id,
        )
    return redirect("protection:alerts")
