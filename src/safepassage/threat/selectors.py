"""Reads of the threat picture, scoped to the user.

Who reads what:
- the threat picture (events, district control, district risk, the map, import reports) is
  shared: every member with a case role (caseworker, supervisor, administrator) of any
  organisation reads it, since a district's danger does not depend on whose case it is;
- the free text of an incident entered by staff or confirmed from a report (notes, source
  details) is read only by the organisation that recorded it: it may name a victim or an
  informant. The text of published files (ACLED, UCDP) is read by everyone who reads the
  picture;
- situation reports and their proposals belong to the organisation that pasted them;
- a risk alert is read only by the organisation it was raised for (it counts its households).
Anyone else (no organisation, or only logistics, placement or partner roles) gets nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from safepassage.core.errors import NotFoundError, PermissionDeniedError
from safepassage.core.models import Organization
from safepassage.core.selectors import case_organization_ids_for
from safepassage.engine.places import districts, provinces
from safepassage.threat.models import (
    IMPORTED_SOURCES,
    ConflictEvent,
    DistrictControlChange,
    DistrictRiskSnapshot,
    ImportBatch,
    ReportProposal,
    RiskAlert,
    SituationReport,
)

User = AbstractBaseUser | AnonymousUser

EVENT_PAGE = 100


def reader_organization_ids(*, user: User) -> set[int]:
    """The organisations through which ``user`` reads the threat picture; refuses a user with
    none (``PermissionDeniedError``)."""
    ids = case_organization_ids_for(user=user)
    if not ids:
        raise PermissionDeniedError()
    return ids


def recording_organizations(*, user: User) -> list[Organization]:
    """The organisations ``user`` may record for (case roles), by name."""
    return list(
        Organization.objects.filter(pk__in=reader_organization_ids(user=user)).order_by("name")
    )


def notes_readable(*, event: ConflictEvent, organization_ids: set[int]) -> bool:
    return event.source in IMPORTED_SOURCES or event.organization_id in organization_ids


def district_name(code: str, language: str = "en") -> str:
    place = districts().get(code)
    return place.name(language) if place else code


def province_name(code: str, language: str = "en") -> str:
    place = provinces().get(code)
    return place.name(language) if place else code


# --- events -------------------------------------------------------------------------------


def events_for(
    *,
    user: User,
    province: str = "",
    district: str = "",
    source: str = "",
    kind: str = "",
    limit: int = EVENT_PAGE,
) -> tuple[list[ConflictEvent], int]:
    """The newest events matching the filters (at most ``limit``) and how many match.
    Free text is deferred: a list shows no notes."""
    reader_organization_ids(user=user)
    rows = ConflictEvent.objects.defer("place_text", "notes", "source_detail")
    if province:
        rows = rows.filter(province=province)
    if district:
        rows = rows.filter(district=district)
    if source:
        rows = rows.filter(source=source)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("-day", "-created_at")[:limit]), rows.count()


def event_get_for(*, user: User, event_id: uuid.UUID) -> tuple[ConflictEvent, bool]:
    """The event and whether ``user`` may read its free text."""
    ids = reader_organization_ids(user=user)
    event = ConflictEvent.objects.select_related("batch", "report").filter(pk=event_id).first()
    if event is None:
        raise NotFoundError()
    return event, notes_readable(event=event, organization_ids=ids)


def batches_for(*, user: User, limit: int = 50) -> list[ImportBatch]:
    ids = reader_organization_ids(user=user)
    return list(
        ImportBatch.objects.filter(organization_id__in=ids)
        .select_related("organization")
        .order_by("-created_at")[:limit]
    )


def batch_get_for(*, user: User, batch_id: uuid.UUID) -> ImportBatch:
    ids = reader_organization_ids(user=user)
    batch = ImportBatch.objects.filter(pk=batch_id, organization_id__in=ids).first()
    if batch is None:
        raise NotFoundError()
    return batch


# --- district control and risk ------------------------------------------------------------


def control_history_for(*, user: User, district: str) -> list[DistrictControlChange]:
    reader_organization_ids(user=user)
    return list(DistrictControlChange.objects.filter(district=district).order_by("-day", "-pk"))


def latest_risk_day() -> dt.date | None:
    last = DistrictRiskSnapshot.objects.order_by("-day").values_list("day", flat=True).first()
    return last


@dataclass(frozen=True)
class RiskRow:
    snapshot: DistrictRiskSnapshot
    district_name: str
    province_name: str


def district_risks_for(*, user: User, day: dt.date | None, language: str = "en") -> list[RiskRow]:
    """Every district's stored risk on ``day`` (default: the latest day computed), highest
    first."""
    reader_organization_ids(user=user)
    day = day or latest_risk_day()
    if day is None:
        return []
    rows = DistrictRiskSnapshot.objects.filter(day=day).order_by("-score", "district")
    return [
        RiskRow(
            snapshot=row,
            district_name=district_name(row.district, language),
            province_name=province_name(row.province, language),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class DistrictPicture:
    code: str
    province: str
    snapshot: DistrictRiskSnapshot | None
    contributions: list[tuple[dict[str, Any], ConflictEvent | None]]
    control: list[DistrictControlChange]
    events: list[ConflictEvent]


def district_picture_for(*, user: User, district: str, day: dt.date | None) -> DistrictPicture:
    """A district's risk on ``day`` (default: latest computed) with the events that make it,
    its control history and its latest events."""
    reader_organization_ids(user=user)
    place = districts().get(district)
    if place is None:
        raise NotFoundError()
    snapshots = DistrictRiskSnapshot.objects.filter(district=district)
    snapshot = (snapshots.filter(day=day) if day else snapshots.order_by("-day")).first()
    contributions: list[tuple[dict[str, Any], ConflictEvent | None]] = []
    if snapshot is not None:
        ids = [c["event_id"] for c in snapshot.contributions]
        found = {
            str(e.pk): e
            for e in ConflictEvent.objects.filter(pk__in=ids).defer(
                "place_text", "notes", "source_detail"
            )
        }
        contributions = [(c, found.get(c["event_id"])) for c in snapshot.contributions]
    events = list(
        ConflictEvent.objects.filter(district=district)
        .defer("place_text", "notes", "source_detail")
        .order_by("-day")[:20]
    )
    return DistrictPicture(
        code=district,
        province=place.province_code,
        snapshot=snapshot,
        contributions=contributions,
        control=list(
            DistrictControlChange.objects.filter(district=district).order_by("-day", "-pk")
        ),
        events=events,
    )


# --- alerts -------------------------------------------------------------------------------


def alerts_for(*, user: User, open_only: bool = False) -> QuerySet[RiskAlert]:
    """The risk alerts of the user's organisations, newest first."""
    ids = reader_organization_ids(user=user)
    rows = RiskAlert.objects.filter(organization_id__in=ids).select_related("organization")
    if open_only:
        rows = rows.filter(acknowledged_at__isnull=True)
    return rows.order_by("-created_at")


def alert_get_for(*, user: User, alert_id: int) -> RiskAlert:
    alert = alerts_for(user=user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFoundError()
    return alert


# --- situation reports --------------------------------------------------------------------


def reports_for(*, user: User, limit: int = 50) -> list[SituationReport]:
    ids = reader_organization_ids(user=user)
    return list(
        SituationReport.objects.filter(organization_id__in=ids)
        .defer("text")
        .order_by("-created_at")[:limit]
    )


def report_get_for(*, user: User, report_id: uuid.UUID) -> SituationReport:
    ids = reader_organization_ids(user=user)
    report = SituationReport.objects.filter(pk=report_id, organization_id__in=ids).first()
    if report is None:
        raise NotFoundError()
    return report


def proposals_of(*, report: SituationReport) -> list[ReportProposal]:
    return list(report.proposals.order_by("position"))


def proposal_get_for(*, user: User, report_id: uuid.UUID, proposal_id: uuid.UUID) -> ReportProposal:
    report = report_get_for(user=user, report_id=report_id)
    proposal = ReportProposal.objects.filter(pk=proposal_id, report=report).first()
    if proposal is None:
        raise NotFoundError()
    return proposal


def alert_cases(*, alerts: list[RiskAlert], limit: int = 50) -> dict[int, list[tuple[str, Any]]]:
    """Alert id -> (case reference, priority score or None) of its organisation's
    households now in its district, highest priority first (one query for all alerts).
    Case references only: no personal data."""
    from django.db.models import F

    from safepassage.cases.household import district_token
    from safepassage.cases.models import Case
    from safepassage.threat.priority import DONE_STAGES

    if not alerts:
        return {}
    token_of = {alert.district: district_token(alert.district) for alert in alerts}
    rows = (
        Case.objects.filter(
            organization_id__in={alert.organization_id for alert in alerts},
            current_district_token__in=set(token_of.values()),
            erased_at__isnull=True,
        )
        .exclude(stage__in=DONE_STAGES)
        .order_by(F("priority__score").desc(nulls_last=True), "reference")
        .values_list("organization_id", "current_district_token", "reference", "priority__score")
    )
    grouped: dict[tuple[int, str], list[tuple[str, Any]]] = {}
    for organization_id, token, reference, score in rows:
        grouped.setdefault((organization_id, token), []).append((reference, score))
    return {
        alert.pk: grouped.get((alert.organization_id, token_of[alert.district]), [])[:limit]
        for alert in alerts
    }
