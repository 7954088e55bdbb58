"""Builders for the threat-picture tests, with the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from safepassage.cases import services as case_services
from safepassage.cases.household import case_household_set
from safepassage.cases.models import Case
from safepassage.engine.places import districts
from safepassage.threat import services


def district_code(name: str, province: str) -> str:
    return next(
        d.code for d in districts().values() if d.name_en == name and d.province_code == province
    )


LASHKAR_GAH = district_code("Lashkar Gah", "AF-HEL")
NAD_ALI = district_code("Nad Ali", "AF-HEL")
KABUL = district_code("Kabul", "AF-KAB")


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def household_in(org: Any, actor: Any, district: str) -> Case:
    case = case_services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        principal={"given_name_latin": "Ahmad", "sex": "male"},
    )
    return case_household_set(actor=actor, case=case, data={"current_district": district})


def killing(org: Any, actor: Any, district: str = LASHKAR_GAH, *, days: int = 1) -> Any:
    """A targeted killing of an affiliate: 20 raw points, about 63 of 100 (high) alone."""
    return services.incident_record(
        actor=actor,
        organization=org,
        day=days_ago(days),
        province=districts()[district].province_code,
        district=district,
        kind="targeted_killing",
        targets_affiliates=True,
        confidence=1.0,
        notes="A former interpreter was shot at his door",
    )


def run_queued_tasks() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
