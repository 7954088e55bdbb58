"""A household's threats, health needs and the priority derived from them are not in clear
in the database: the case's columns and the stored priority and its history are read with
raw SQL, bypassing the ORM, and only ciphertext is found; the application still reads them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from priority_support import LASHKAR_GAH, household, incident

from safepassage.cases.household import case_household_set
from safepassage.cases.models import Case
from safepassage.threat import priority
from safepassage.threat.models import CasePriority, CasePriorityHistory

# Words that would tell what a household faces or needs if they were readable.
TELLING = (
    "detained",
    "family_attack",
    "threat_letter",
    "medical",
    "disability",
    "category:",
    "young_children",
    "woman_headed",
    "role_visibility",
    "high",
    "critical",
)


def _raw_rows(table: str, key: str, value: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {connection.ops.quote_name(table)} "  # noqa: S608
            f"WHERE {connection.ops.quote_name(key)} = %s",
            [value.hex if connection.vendor == "sqlite" else value],
        )
        return cursor.fetchall()


def _as_text(rows: list[tuple[Any, ...]]) -> str:
    chunks = []
    for row in rows:
        for value in row:
            if isinstance(value, bytes | memoryview):
                chunks.append(bytes(value).decode("utf-8", errors="ignore"))
            elif value is not None:
                chunks.append(str(value))
    return "\n".join(chunks)


@pytest.mark.django_db
def test_threats_needs_and_priority_detail_are_sealed_at_rest(org: Any, caseworker: Any) -> None:
    exposed = household(
        org, caseworker, district=LASHKAR_GAH, categories=("detained", "family_attack"),
        interpreter=True, medical_needs=True, children_born=(2024,),
    )  # fmt: skip
    case_household_set(actor=caseworker, case=exposed, data={"disability": True})
    for _ in range(6):
        incident(org, caseworker, LASHKAR_GAH)
    priority.cases_refresh([exposed.pk])

    # The application reads them back.
    case = Case.objects.get(pk=exposed.pk)
    assert case.threat_categories == "family_attack,detained"
    assert case.medical_needs is True and case.disability is True
    stored = CasePriority.objects.get(case=exposed)
    assert stored.facts["medical_needs"] is True
    assert stored.district_level in {"high", "critical"}
    assert any(code.startswith("category:") for p in stored.parts for code, _ in p["factors"])

    # The database holds ciphertext only.
    case_rows = _raw_rows(Case._meta.db_table, "id", exposed.pk)
    columns = [c.name for c in connection.introspection.get_table_description(
        connection.cursor(), Case._meta.db_table)]  # fmt: skip
    row = dict(zip(columns, case_rows[0], strict=True))
    for name in ("threat_categories", "medical_needs", "disability"):
        assert isinstance(row[name], bytes | memoryview), name
        assert b"detained" not in bytes(row[name])
    priority_text = _as_text(_raw_rows(CasePriority._meta.db_table, "case_id", exposed.pk))
    history_text = _as_text(_raw_rows(CasePriorityHistory._meta.db_table, "case_id", exposed.pk))
    for text in (priority_text, history_text):
        assert text  # the rows are there
        assert [word for word in TELLING if word in text] == []
    # Nor can the district be found by matching the risk score it used against the day's
    # district snapshots (which are in clear).
    assert stored.district_score is not None
    assert str(stored.district_score) not in priority_text
    assert LASHKAR_GAH not in priority_text


@pytest.mark.django_db
def test_a_yes_and_a_no_look_alike_at_rest(org: Any, caseworker: Any) -> None:
    needs = household(org, caseworker, medical_needs=True)
    none = household(org, caseworker, medical_needs=False)
    sealed = dict(
        Case.objects.filter(pk__in=[needs.pk, none.pk]).values_list("pk", "medical_needs")
    )
    assert all(isinstance(v, bytes) for v in sealed.values())
    assert len(sealed[needs.pk]) == len(sealed[none.pk])
    assert Case.objects.get(pk=needs.pk).medical_needs is True
    assert Case.objects.get(pk=none.pk).medical_needs is False
