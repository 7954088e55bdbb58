"""Upgrading a database whose households' threats and needs were in clear columns (cases
0006): the migration seals each value with its case's key, and the application reads the
same values afterwards; nothing of them stays in clear."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safepassage.cases import services
from safepassage.cases.models import Case

BEFORE = [("cases", "0006_household_location_and_needs"), ("threat", "0003_proposal_confidence")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_threats_and_needs_are_sealed_by_the_upgrade(org: Any, caseworker: Any) -> None:
    opened = services.case_open(
        actor=caseworker,
        organization=org,
        channel="staff",
        program="siv",
        principal={"sex": "male", "given_name_latin": "Zabihullah"},
    )
    quiet = services.case_open(
        actor=caseworker,
        organization=org,
        channel="staff",
        program="siv",
        principal={"sex": "female", "given_name_latin": "Maryam"},
    )
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        OldCase = old_apps.get_model("cases", "Case")
        OldCase.objects.filter(pk=opened.pk).update(
            threat_categories="threat_letter,detained", medical_needs=True, disability=True
        )
        OldCase.objects.filter(pk=quiet.pk).update(
            threat_categories="", medical_needs=False, disability=False
        )
    finally:
        _migrate(latest)

    upgraded = Case.objects.get(pk=opened.pk)
    assert upgraded.threat_categories == "threat_letter,detained"
    assert upgraded.medical_needs is True and upgraded.disability is True
    untouched = Case.objects.get(pk=quiet.pk)
    assert not untouched.threat_categories
    assert untouched.medical_needs is False and untouched.disability is False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT threat_categories, medical_needs, disability FROM cases_case WHERE id = %s",
            [opened.pk.hex if connection.vendor == "sqlite" else opened.pk],
        )
        (row,) = cursor.fetchall()
    for value in row:
        assert isinstance(value, bytes | memoryview)
        assert b"detained" not in bytes(value)
