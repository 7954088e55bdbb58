"""Conflict files imported as a batch: good rows kept, bad rows reported by line and code,
re-imports add nothing, free text sealed at rest; staff incidents and district control."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.protection.models import AuditEvent
from safepassage.threat import services
from safepassage.threat.errors import ConflictFileRefusedError
from safepassage.threat.models import ConflictEvent, DistrictControlChange, ImportBatch

DATA = Path(__file__).resolve().parents[2] / "data" / "conflict"
ACLED = (DATA / "acled_afghanistan_2021.csv").read_bytes()
UCDP = (DATA / "ucdp_ged_afghanistan_2021.csv").read_bytes()
LASHKAR_GAH = "17698898B167183806480"


@pytest.mark.django_db
def test_an_acled_file_adds_its_good_rows_and_reports_the_bad_ones(
    org: Any, caseworker: Any
) -> None:
    result = services.conflict_file_import(
        actor=caseworker, organization=org, file_name="acled.csv", content=ACLED
    )

    batch = ImportBatch.objects.get()
    assert (batch.format, batch.rows_added, batch.rows_duplicate, batch.rows_bad) == (
        "acled",
        6,
        0,
        6,
    )
    assert batch.bad_rows[0] == {"line": 9, "code": "missing_date"}
    assert [bad["code"] for bad in batch.bad_rows][-1] == "duplicate_id"
    assert len(result.added) == 6
    clash = ConflictEvent.objects.get(source="acled", source_event_id="AFG60001")
    assert (clash.province, clash.district, clash.kind, clash.fatalities) == (
        "AF-HEL",
        LASHKAR_GAH,
        "armed_clash",
        12,
    )
    assert clash.batch_id == batch.pk and clash.recorded_by_id == caseworker.pk
    audit = AuditEvent.objects.get(action="threat.import")
    assert audit.details == {"format": "acled", "added": 6, "duplicates": 0, "bad": 6}


@pytest.mark.django_db
def test_importing_the_same_file_again_adds_nothing(org: Any, caseworker: Any) -> None:
    services.conflict_file_import(actor=caseworker, organization=org, file_name="a", content=UCDP)

    again = services.conflict_file_import(
        actor=caseworker, organization=org, file_name="a", content=UCDP
    )

    assert (again.batch.rows_added, again.batch.rows_duplicate, again.batch.rows_bad) == (0, 4, 6)
    assert ConflictEvent.objects.filter(source="ucdp").count() == 4
    # The same ids from the other publisher are other events.
    services.conflict_file_import(actor=caseworker, organization=org, file_name="b", content=ACLED)
    assert ConflictEvent.objects.count() == 10


@pytest.mark.django_db
def test_notes_and_places_are_sealed_at_rest(org: Any, caseworker: Any) -> None:
    services.conflict_file_import(actor=caseworker, organization=org, file_name="a", content=ACLED)

    table = ConflictEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT notes, place_text FROM {table}")  # noqa: S608 - our table name
        stored = b"".join(bytes(value) for row in cursor.fetchall() for value in row if value)
    assert b"interpreter" not in stored and b"Lashkar" not in stored
    event = ConflictEvent.objects.get(source_event_id="AFG60002")
    assert "interpreter" in event.notes


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_imports_nothing(org: Any, caseworker: Any) -> None:
    with pytest.raises(ConflictFileRefusedError) as refused:
        services.conflict_file_import(
            actor=caseworker, organization=org, file_name="x.csv", content=b"name,phone\na,b\n"
        )
    assert refused.value.problem == "unknown_format"
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_only_case_roles_of_the_organisation_may_import(
    org: Any, outsider: Any, logistics_officer: Any
) -> None:
    for actor in (outsider, logistics_officer, None):
        with pytest.raises(NotFoundError):
            services.conflict_file_import(
                actor=actor, organization=org, file_name="a", content=ACLED
            )
    assert not ConflictEvent.objects.exists()


@pytest.mark.django_db
def test_a_staff_incident_is_recorded_with_its_notes_sealed_under_its_own_key(
    org: Any, caseworker: Any
) -> None:
    event = services.incident_record(
        actor=caseworker,
        organization=org,
        day=dt.date(2021, 8, 5),
        province="AF-HEL",
        district=LASHKAR_GAH,
        kind="threat_letter",
        targets_affiliates=True,
        confidence=0.7,
        source_detail="a cousin by phone",
        notes="Night letter left at the door of a former interpreter",
    )

    stored = ConflictEvent.objects.get(pk=event.pk)
    assert (stored.source, stored.kind, stored.targets_affiliates, stored.confidence) == (
        "staff",
        "threat_letter",
        True,
        0.7,
    )
    assert stored.notes.startswith("Night letter") and stored.encryption_scope == stored.pk
    assert AuditEvent.objects.filter(action="threat.incident_record").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"province": "AF-XXX"}, "province"),
        ({"district": "17698898B53195345217503"}, "district"),  # Kabul's district, not Helmand's
        ({"kind": "rumour"}, "kind"),
        ({"confidence": 1.5}, "confidence"),
        ({"day": dt.date(2999, 1, 1)}, "day"),
    ],
)
def test_an_incident_with_bad_values_is_refused(
    org: Any, caseworker: Any, change: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "day": dt.date(2021, 8, 5),
        "province": "AF-HEL",
        "district": LASHKAR_GAH,
        "kind": "house_search",
        "confidence": 0.5,
    }
    with pytest.raises(InvalidInputError) as refused:
        services.incident_record(actor=caseworker, organization=org, **{**values, **change})
    assert refused.value.field == field
    assert not ConflictEvent.objects.exists()


@pytest.mark.django_db
def test_control_changes_keep_their_history(org: Any, caseworker: Any) -> None:
    for day, state in ((dt.date(2021, 7, 1), "contested"), (dt.date(2021, 8, 12), "taliban")):
        services.control_change_record(
            actor=caseworker,
            organization=org,
            district=LASHKAR_GAH,
            day=day,
            state=state,
            source="UNAMA update",
        )

    history = list(
        DistrictControlChange.objects.filter(district=LASHKAR_GAH).values_list("day", "state")
    )
    assert history == [(dt.date(2021, 8, 12), "taliban"), (dt.date(2021, 7, 1), "contested")]
    assert DistrictControlChange.objects.get(state="taliban").province == "AF-HEL"
    with pytest.raises(InvalidInputError):
        services.control_change_record(
            actor=caseworker,
            organization=org,
            district=LASHKAR_GAH,
            day=dt.date(2021, 8, 13),
            state="warlord",
            source="x",
        )
