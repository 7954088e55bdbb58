"""District risk as stored: computes ``engine.threat.risk_by_district`` from the stored events
and control changes, keeps one snapshot per district per day, and raises an alert for each
organisation with households in a district whose risk level rose.

Only the districts a change can affect are recomputed (``engine.threat.affected_districts``);
``district_risk_refresh(district_codes=None, ...)`` recomputes every district (the daily run,
so that old events decay in the picture too).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Max

from safepassage.engine.places import districts
from safepassage.engine.threat import (
    DEFAULT_RISK,
    ControlChange,
    ControlState,
    DistrictRisk,
    Event,
    EventKind,
    RiskSettings,
    affected_districts,
    risk_by_district,
)
from safepassage.protection.audit import audit_record
from safepassage.threat.models import (
    RISK_ORDER,
    ConflictEvent,
    DistrictControlChange,
    DistrictRiskSnapshot,
    RiskAlert,
    RiskLevelChoice,
)

logger = logging.getLogger(__name__)


def district_provinces() -> dict[str, str]:
    """Every gazetteer district code -> its province code."""
    return {code: district.province_code for code, district in districts().items()}


def affected_district_codes(events: Iterable[Event]) -> set[str]:
    return affected_districts(list(events), district_provinces())


def organizations_with_households(district_code: str) -> dict[int, int]:
    """Organisation id -> how many of its households are in the district now.

    The seam to the priority part of this app (``threat.priority``), which knows where
    households are (sealed on the case, found by blind-index token)."""
    from safepassage.threat import priority

    return priority.organizations_with_households(district_code)


def configured_risk() -> RiskSettings:
    """The risk model as this installation configures it: the half-life of an event's weight
    and how far back events count (``SAFEPASSAGE_RISK_HALF_LIFE_DAYS``,
    ``SAFEPASSAGE_RISK_HORIZON_DAYS``); the other weights are the engine's documented ones."""
    from django.conf import settings as django_settings

    return replace(
        DEFAULT_RISK,
        half_life_days=float(django_settings.THREAT_RISK_HALF_LIFE_DAYS),
        horizon_days=django_settings.THREAT_RISK_HORIZON_DAYS,
    )


def stored_events(
    *, provinces: Iterable[str], day: dt.date, settings: RiskSettings | None = None
) -> list[Event]:
    """The stored events of ``provinces`` that can count on ``day`` (within the horizon)."""
    settings = settings or configured_risk()
    start = day - dt.timedelta(days=settings.horizon_days)
    rows = ConflictEvent.objects.filter(
        province__in=list(provinces), day__gte=start, day__lte=day
    ).values_list(
        "id",
        "day",
        "district",
        "province",
        "kind",
        "fatalities",
        "targets_affiliates",
        "confidence",
    )
    return [
        Event(
            id=str(pk),
            day=event_day,
            district=district or None,
            province=province,
            kind=EventKind(kind),
            fatalities=fatalities,
            targets_affiliates=targets,
            confidence=confidence,
        )
        for pk, event_day, district, province, kind, fatalities, targets, confidence in rows
    ]


def stored_control(*, district_codes: Iterable[str], day: dt.date) -> list[ControlChange]:
    rows = DistrictControlChange.objects.filter(
        district__in=list(district_codes), day__lte=day
    ).values_list("district", "day", "state")
    return [
        ControlChange(district=district, day=change_day, state=ControlState(state))
        for district, change_day, state in rows
    ]


def _previous_levels(codes: list[str], day: dt.date) -> dict[str, str]:
    """Each district's level in its latest snapshot on or before ``day``."""
    latest = dict(
        DistrictRiskSnapshot.objects.filter(district__in=codes, day__lte=day)
        .values("district")
        .annotate(last=Max("day"))
        .values_list("district", "last")
    )
    if not latest:
        return {}
    rows = DistrictRiskSnapshot.objects.filter(
        district__in=list(latest), day__in=set(latest.values())
    ).values_list("district", "day", "level")
    return {district: level for district, when, level in rows if latest[district] == when}


@dataclass(frozen=True)
class RiskRefresh:
    day: dt.date
    risks: dict[str, DistrictRisk]
    alerts: tuple[RiskAlert, ...]


def _snapshot(risk: DistrictRisk, province: str) -> DistrictRiskSnapshot:
    return DistrictRiskSnapshot(
        district=risk.district,
        province=province,
        day=risk.day,
        score=risk.score,
        level=risk.level.value,
        control=risk.control.value if risk.control else "",
        control_points=risk.control_points,
        contributions=[
            {
                "event_id": c.event_id,
                "kind": c.kind.value,
                "day": c.day.isoformat(),
                "points": c.points,
                "spill": c.spill,
            }
            for c in risk.contributions
        ],
        event_count=risk.event_count,
    )


def district_risk_refresh(
    *,
    district_codes: Iterable[str] | None,
    day: dt.date,
    settings: RiskSettings | None = None,
) -> RiskRefresh:
    """Recompute and store the risk on ``day`` of ``district_codes`` (None: every district),
    and raise an alert for every organisation with households in a district whose level
    rose since its previous snapshot (a district never computed counts as "low"). Raising
    is idempotent: a recomputation at the same level raises nothing again.
    """
    settings = settings or configured_risk()
    all_districts = district_provinces()
    wanted = (
        dict(all_districts)
        if district_codes is None
        else {code: all_districts[code] for code in district_codes if code in all_districts}
    )
    if not wanted:
        return RiskRefresh(day=day, risks={}, alerts=())
    codes = sorted(wanted)
    events = stored_events(provinces=set(wanted.values()), day=day, settings=settings)
    control = stored_control(district_codes=codes, day=day)
    risks = risk_by_district(wanted, events, control, day, settings)
    alerts: list[RiskAlert] = []
    with transaction.atomic():
        before = _previous_levels(codes, day)
        DistrictRiskSnapshot.objects.bulk_create(
            [_snapshot(risks[code], wanted[code]) for code in codes],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["district", "day"],
            update_fields=[
                "province",
                "score",
                "level",
                "control",
                "control_points",
                "contributions",
                "event_count",
                "computed_at",
            ],
        )
        risen = [
            code
            for code in codes
            if RISK_ORDER[risks[code].level.value]
            > RISK_ORDER[before.get(code, RiskLevelChoice.LOW.value)]
        ]
        if risen:
            alerts = _alerts_raise(risks, wanted, before, risen, day)
    logger.info(
        "district risk refreshed for %s districts on %s; %s alerts", len(codes), day, len(alerts)
    )
    return RiskRefresh(day=day, risks=risks, alerts=tuple(alerts))


def _alerts_raise(
    risks: dict[str, DistrictRisk],
    provinces_of: dict[str, str],
    before: dict[str, str],
    risen: list[str],
    day: dt.date,
) -> list[RiskAlert]:
    raised: list[RiskAlert] = []
    for code in risen:
        risk = risks[code]
        for organization_id, count in sorted(organizations_with_households(code).items()):
            if count <= 0:
                continue
            alert, created = RiskAlert.objects.get_or_create(
                organization_id=organization_id,
                district=code,
                day=day,
                level_to=risk.level.value,
                defaults={
                    "province": provinces_of[code],
                    "level_from": before.get(code, RiskLevelChoice.LOW.value),
                    "score": risk.score,
                    "households": count,
                },
            )
            if not created:
                continue
            audit_record(
                actor=None,
                action="threat.risk_alert",
                target=alert,
                organization_id=organization_id,
                district=code,
                level_from=alert.level_from,
                level_to=alert.level_to,
                households=count,
            )
            raised.append(alert)
    return raised
