"""Risk alerts: raised once when a district's level rises, for each organisation with
households there, and seen by that organisation only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from threat_support import KABUL, LASHKAR_GAH, household_in, killing

from safepassage.protection.models import AuditEvent
from safepassage.threat.models import RiskAlert
from safepassage.threat.risk import district_risk_refresh


@pytest.mark.django_db
def test_an_alert_is_raised_once_when_the_level_jumps_for_the_org_with_households_there(
    org: Any, caseworker: Any, other_org: Any, outsider: Any, client_for: Any
) -> None:
    today = timezone.localdate()
    household_in(org, caseworker, LASHKAR_GAH)
    household_in(org, caseworker, LASHKAR_GAH)
    household_in(other_org, outsider, KABUL)  # the other org has no one in Lashkar Gah
    killing(org, caseworker)
    first = district_risk_refresh(district_codes=[LASHKAR_GAH], day=today)
    killing(org, caseworker, days=2)

    jump = district_risk_refresh(district_codes=[LASHKAR_GAH], day=today)
    again = district_risk_refresh(district_codes=[LASHKAR_GAH], day=today)

    assert [(a.level_from, a.level_to) for a in first.alerts] == [("low", "high")]
    assert [(a.level_from, a.level_to, a.households) for a in jump.alerts] == [
        ("high", "critical", 2)
    ]
    assert again.alerts == ()
    assert set(RiskAlert.objects.values_list("organization_id", flat=True)) == {org.pk}
    assert AuditEvent.objects.filter(action="threat.risk_alert").count() == 2

    page = client_for(caseworker).get("/threat/alerts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 households in Lashkar Gah: risk rose from High to Critical" in text
    cases = [c.reference for c in org.cases.all()]
    assert all(reference in text for reference in cases)

    other = client_for(outsider).get("/threat/alerts/").content.decode()
    assert "Lashkar Gah" not in other and "risk rose" not in other
    alert = RiskAlert.objects.get(level_to="critical")
    refused = client_for(outsider).post(f"/threat/alerts/{alert.pk}/acknowledge/")
    assert refused.status_code == 404
    assert RiskAlert.objects.get(pk=alert.pk).acknowledged_at is None


@pytest.mark.django_db
def test_a_fall_in_risk_raises_nothing(org: Any, caseworker: Any) -> None:
    household_in(org, caseworker, LASHKAR_GAH)
    killing(org, caseworker, days=1)
    killing(org, caseworker, days=1)
    today = timezone.localdate()
    district_risk_refresh(district_codes=[LASHKAR_GAH], day=today)

    later = district_risk_refresh(district_codes=[LASHKAR_GAH], day=today + dt.timedelta(days=120))

    assert later.risks[LASHKAR_GAH].level.value == "low"
    assert later.alerts == ()


@pytest.mark.django_db
def test_a_member_acknowledges_an_alert(org: Any, caseworker: Any, client_for: Any) -> None:
    household_in(org, caseworker, LASHKAR_GAH)
    killing(org, caseworker)
    district_risk_refresh(district_codes=[LASHKAR_GAH], day=timezone.localdate())
    alert = RiskAlert.objects.get()

    response = client_for(caseworker).post(f"/threat/alerts/{alert.pk}/acknowledge/")

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by_id == caseworker.pk
