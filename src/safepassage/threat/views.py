"""Pages of the threat picture: district risk (list, map, one district), events and staff
incidents, conflict file imports, district control, situation reports and risk alerts.
Thin: selectors read (and scope), services write. See ``threat.selectors`` for who reads
what; recording needs a case role in the organisation recorded for."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.cases.views import _apply_errors, workspace_view
from safepassage.core.errors import DomainError, InvalidInputError, PermissionDeniedError
from safepassage.engine.conflict_files import RowProblem
from safepassage.threat import district_map, selectors, services
from safepassage.threat.forms import (
    ConflictFileForm,
    ControlChangeForm,
    IncidentForm,
    ProposalConfirmForm,
    SituationReportForm,
)
from safepassage.threat.models import (
    EventKindChoice,
    EventSource,
    ReportProposal,
    RiskAlert,
)

ROW_PROBLEM_LABELS = {
    RowProblem.MISSING_ID.value: gettext_lazy("no event id"),
    RowProblem.DUPLICATE_ID.value: gettext_lazy("the same event id appears earlier in the file"),
    RowProblem.MISSING_DATE.value: gettext_lazy("no date"),
    RowProblem.BAD_DATE.value: gettext_lazy("the date cannot be read"),
    RowProblem.NOT_AFGHANISTAN.value: gettext_lazy("not in Afghanistan (left out)"),
    RowProblem.UNKNOWN_PROVINCE.value: gettext_lazy(
        "the province is not known and there are no coordinates"
    ),
    RowProblem.BAD_FATALITIES.value: gettext_lazy("fatalities is not a number"),
    RowProblem.BAD_ROW.value: gettext_lazy("wrong number of fields"),
}


def threat_view(view: Any) -> Any:
    """A workspace page (sign-in, out-of-scope records are 404) that refuses users who read
    no threat picture (no case role in any organisation) with 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        return response

    return workspace_view(wrapper)


def _language() -> str:
    return get_language() or "en"


def _reader(request: HttpRequest) -> set[int]:
    try:
        return selectors.reader_organization_ids(user=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc


def _day_param(request: HttpRequest) -> dt.date | None:
    value = request.GET.get("day", "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404 from exc


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc


def _place_names(province: str, district: str) -> dict[str, str]:
    language = _language()
    return {
        "province_name": selectors.province_name(province, language),
        "district_name": selectors.district_name(district, language) if district else "",
    }


# --- district risk --------------------------------------------------------------------------


@threat_view
def risk(request: HttpRequest) -> HttpResponse:
    """Districts by risk on a day (default: the latest computed), with a link to each."""
    _reader(request)
    day = _day_param(request) or selectors.latest_risk_day()
    rows = selectors.district_risks_for(user=request.user, day=day, language=_language())
    shown = [row for row in rows if row.snapshot.level != "low"] if rows else []
    alerts = list(selectors.alerts_for(user=request.user, open_only=True)[:10])
    return render(
        request,
        "threat/risk.html",
        {
            "day": day,
            "rows": shown,
            "low_count": len(rows) - len(shown),
            "alerts": [_alert_line(alert) for alert in alerts],
        },
    )


@threat_view
def risk_map(request: HttpRequest) -> HttpResponse:
    _reader(request)
    day = _day_param(request) or selectors.latest_risk_day()
    rows = selectors.district_risks_for(user=request.user, day=day, language=_language())
    risks = {
        row.snapshot.district: district_map.MapDistrict(
            code=row.snapshot.district, level=row.snapshot.level, score=row.snapshot.score
        )
        for row in rows
    }
    title = (
        _("District risk on %(day)s") % {"day": day.isoformat()}
        if day
        else _("District risk: not computed yet")
    )
    return render(
        request,
        "threat/map.html",
        {
            "day": day,
            "svg": district_map.risk_map_svg(risks, language=_language(), title=title),
            "legend": district_map.legend(),
            "rows": [row for row in rows if row.snapshot.level != "low"],
            "title": title,
        },
    )


@threat_view
def district(request: HttpRequest, code: str) -> HttpResponse:
    organization_ids = _reader(request)
    picture = selectors.district_picture_for(
        user=request.user, district=code, day=_day_param(request)
    )
    organizations = selectors.recording_organizations(user=request.user)
    form = ControlChangeForm(organizations=organizations, initial={"district": code})
    return render(
        request,
        "threat/district.html",
        {
            "picture": picture,
            **_place_names(picture.province, picture.code),
            "contributions": [
                (c, event, EventKindChoice(c["kind"]).label) for c, event in picture.contributions
            ],
            "control_form": form,
            "organization_ids": organization_ids,
        },
    )


# --- events -------------------------------------------------------------------------------


@threat_view
def events(request: HttpRequest) -> HttpResponse:
    _reader(request)
    filters = {
        "province": request.GET.get("province", ""),
        "district": request.GET.get("district", ""),
        "source": request.GET.get("source", "")
        if request.GET.get("source", "") in EventSource.values
        else "",
        "kind": request.GET.get("kind", "")
        if request.GET.get("kind", "") in EventKindChoice.values
        else "",
    }
    rows, total = selectors.events_for(
        user=request.user,
        province=filters["province"],
        district=filters["district"],
        source=filters["source"],
        kind=filters["kind"],
    )
    language = _language()
    return render(
        request,
        "threat/events.html",
        {
            "rows": [
                (
                    event,
                    selectors.province_name(event.province, language),
                    selectors.district_name(event.district, language) if event.district else "",
                )
                for event in rows
            ],
            "total": total,
            "filters": filters,
            "sources": EventSource.choices,
            "kinds": EventKindChoice.choices,
        },
    )


@threat_view
def event_detail(request: HttpRequest, event_id: str) -> HttpResponse:
    event, readable = selectors.event_get_for(user=request.user, event_id=_uuid(event_id))
    return render(
        request,
        "threat/event_detail.html",
        {"event": event, "readable": readable, **_place_names(event.province, event.district)},
    )


@threat_view
def incident_new(request: HttpRequest) -> HttpResponse:
    _reader(request)
    organizations = selectors.recording_organizations(user=request.user)
    form = IncidentForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.incident_record(
                actor=request.user,
                organization=form.organization(data),
                day=data["day"],
                province=data["province"],
                district=data["district"],
                kind=data["kind"],
                targets_affiliates=data["targets_affiliates"],
                fatalities=data["fatalities"],
                confidence=data["confidence"],
                source_detail=data["source_detail"],
                notes=data["notes"],
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Incident recorded. District risk will be updated."))
            return redirect("threat:event", event_id=event.pk)
    return render(request, "threat/incident_form.html", {"form": form}, status=_status(form))


def _status(form: Any) -> int:
    return 422 if form.is_bound and form.errors else 200


# --- conflict files -----------------------------------------------------------------------


@threat_view
def imports(request: HttpRequest) -> HttpResponse:
    _reader(request)
    organizations = selectors.recording_organizations(user=request.user)
    form = ConflictFileForm(
        request.POST or None, request.FILES or None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            result = services.conflict_file_import(
                actor=request.user,
                organization=form.organization(data),
                file_name=upload.name or "",
                content=upload.read(),
                expected_format=data["format"] or None,
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("threat:import", batch_id=result.batch.pk)
    return render(
        request,
        "threat/imports.html",
        {"form": form, "batches": selectors.batches_for(user=request.user)},
        status=_status(form),
    )


@threat_view
def import_detail(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = selectors.batch_get_for(user=request.user, batch_id=_uuid(batch_id))
    bad_rows = [
        (row["line"], ROW_PROBLEM_LABELS.get(row["code"], row["code"])) for row in batch.bad_rows
    ]
    return render(request, "threat/import_detail.html", {"batch": batch, "bad_rows": bad_rows})


# --- district control ---------------------------------------------------------------------


@threat_view
def control_new(request: HttpRequest) -> HttpResponse:
    _reader(request)
    organizations = selectors.recording_organizations(user=request.user)
    form = ControlChangeForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.control_change_record(
                actor=request.user,
                organization=form.organization(data),
                district=data["district"],
                day=data["day"],
                state=data["state"],
                source=data["source"],
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Change of control recorded."))
            return redirect("threat:district", code=change.district)
    return render(request, "threat/control_form.html", {"form": form}, status=_status(form))


# --- situation reports --------------------------------------------------------------------


@threat_view
def reports(request: HttpRequest) -> HttpResponse:
    _reader(request)
    organizations = selectors.recording_organizations(user=request.user)
    form = SituationReportForm(
        request.POST or None,
        organizations=organizations,
        initial={"published_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.situation_report_submit(
                actor=request.user,
                organization=form.organization(data),
                text=data["text"],
                published_on=data["published_on"],
                title=data["title"],
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("threat:report", report_id=report.pk)
    return render(
        request,
        "threat/reports.html",
        {"form": form, "reports": selectors.reports_for(user=request.user)},
        status=_status(form),
    )


def _proposal_form(proposal: ReportProposal, data: Any = None) -> ProposalConfirmForm:
    return ProposalConfirmForm(
        data,
        prefix=f"p{proposal.position}",
        initial={
            "day": proposal.day,
            "province": proposal.province,
            "district": proposal.district,
            "kind": proposal.kind,
            "targets_affiliates": proposal.targets_affiliates,
        },
    )


def _report_page(
    request: HttpRequest, report_id: str, forms: dict[str, ProposalConfirmForm] | None = None
) -> HttpResponse:
    report = selectors.report_get_for(user=request.user, report_id=_uuid(report_id))
    language = _language()
    lines = [
        {
            "proposal": proposal,
            "kind_label": EventKindChoice(proposal.kind).label,
            "province_name": selectors.province_name(proposal.province, language),
            "district_name": (
                selectors.district_name(proposal.district, language) if proposal.district else ""
            ),
            "form": (forms or {}).get(str(proposal.pk)) or _proposal_form(proposal),
        }
        for proposal in selectors.proposals_of(report=report)
    ]
    return render(
        request,
        "threat/report_detail.html",
        {"report": report, "lines": lines},
        status=422 if forms else 200,
    )


@threat_view
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    return _report_page(request, report_id)


@threat_view
@require_POST
def proposal_decide(request: HttpRequest, report_id: str, proposal_id: str) -> HttpResponse:
    proposal = selectors.proposal_get_for(
        user=request.user, report_id=_uuid(report_id), proposal_id=_uuid(proposal_id)
    )
    action = request.POST.get("action")
    try:
        if action == "discard":
            services.proposal_discard(actor=request.user, proposal=proposal)
            messages.success(request, _("Proposed incident discarded."))
        elif action == "confirm":
            form = _proposal_form(proposal, request.POST)
            if not form.is_valid():
                return _report_page(request, report_id, {str(proposal.pk): form})
            data = form.cleaned_data
            try:
                services.proposal_confirm(
                    actor=request.user,
                    proposal=proposal,
                    day=data["day"],
                    province=data["province"],
                    district=data["district"],
                    kind=data["kind"],
                    targets_affiliates=data["targets_affiliates"],
                )
            except InvalidInputError as exc:
                _apply_errors(form, exc)
                return _report_page(request, report_id, {str(proposal.pk): form})
            messages.success(request, _("Incident confirmed. District risk will be updated."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("threat:report", report_id=proposal.report_id)


@threat_view
@require_POST
def report_erase(request: HttpRequest, report_id: str) -> HttpResponse:
    report = selectors.report_get_for(user=request.user, report_id=_uuid(report_id))
    services.report_text_erase(actor=request.user, report=report)
    messages.success(request, _("The text of the report was erased."))
    return redirect("threat:report", report_id=report.pk)


# --- alerts -------------------------------------------------------------------------------


def _alert_line(alert: RiskAlert) -> dict[str, Any]:
    from safepassage.threat.models import RiskLevelChoice

    language = _language()
    return {
        "alert": alert,
        "district_name": selectors.district_name(alert.district, language),
        "province_name": selectors.province_name(alert.province, language),
        "from_label": RiskLevelChoice(alert.level_from).label,
        "to_label": RiskLevelChoice(alert.level_to).label,
    }


@threat_view
def alerts(request: HttpRequest) -> HttpResponse:
    _reader(request)
    rows = list(selectors.alerts_for(user=request.user)[:100])
    cases = selectors.alert_cases(alerts=rows)
    lines = [{**_alert_line(alert), "cases": cases.get(alert.pk, [])} for alert in rows]
    return render(request, "threat/alerts.html", {"alerts": lines})


@threat_view
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get_for(user=request.user, alert_id=alert_id)
    services.alert_acknowledge(actor=request.user, alert=alert)
    return redirect("threat:alerts")
