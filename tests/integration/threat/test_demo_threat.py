"""The demo's threat picture: households placed, events imported through the importer, risk
for every district and a priority for every case; the places stay encrypted."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from safepassage.cases.demo import DEMO_ORGANIZATION, demo_create
from safepassage.cases.models import Case
from safepassage.core.models import Organization
from safepassage.engine.places import districts
from safepassage.threat.demo import demo_threat
from safepassage.threat.models import CasePriority, ConflictEvent, DistrictRiskSnapshot


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_a_threat_picture_and_a_ranked_queue() -> None:
    demo_create(households=12, seed=5)
    organization = Organization.objects.get(name=DEMO_ORGANIZATION)
    demo_threat(
        organization=organization,
        actor=get_user_model().objects.get(username="caseworker"),
        seed=5,
    )
    cases = list(Case.objects.filter(organization=organization))
    assert cases and all(case.current_district for case in cases)
    assert ConflictEvent.objects.count() == 120
    assert DistrictRiskSnapshot.objects.values("district").distinct().count() == len(districts())
    assert DistrictRiskSnapshot.objects.exclude(level="low").exists()
    assert CasePriority.objects.filter(case__in=cases).count() == len(cases)
    # Where a household is now is never in clear in the case table.
    codes = {case.current_district for case in cases}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_case")
        raw = repr(cursor.fetchall())
    assert not [code for code in codes if code in raw]
