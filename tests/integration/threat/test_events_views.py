"""Pages of events: upload a conflict file and read its per-row report, record an incident,
record a change of control; who reads what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from threat_support import LASHKAR_GAH, days_ago, killing

from safepassage.threat import services
from safepassage.threat.models import ConflictEvent, DistrictControlChange, ImportBatch

DATA = Path(__file__).resolve().parents[2] / "data" / "conflict"


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")


@pytest.mark.django_db
def test_a_caseworker_uploads_an_acled_file_and_sees_each_bad_row_by_line(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)

    response = client.post(
        "/threat/imports/", {"format": "", "file": _upload("acled_afghanistan_2021.csv")}
    )

    assert response.status_code == 302
    report = client.get(response["Location"]).content.decode()
    assert '<dd id="rows-added">6</dd>' in report
    assert '<dd id="rows-bad">6</dd>' in report
    for line, why in ((9, "no date"), (10, "the date cannot be read"), (13, "not in Afghanistan")):
        assert f"<td>{line}</td><td>{why}" in report
    assert "interpreter" not in report  # rows are reported by line, never by contents
    again = client.post(
        "/threat/imports/", {"format": "acled", "file": _upload("acled_afghanistan_2021.csv")}
    )
    assert '<dd id="rows-duplicate">6</dd>' in client.get(again["Location"]).content.decode()
    assert ConflictEvent.objects.count() == 6


@pytest.mark.django_db
def test_a_file_of_another_kind_is_refused_on_the_form(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    response = client_for(caseworker).post(
        "/threat/imports/",
        {"format": "acled", "file": _upload("ucdp_ged_afghanistan_2021.csv")},
    )

    assert response.status_code == 422
    assert "neither an ACLED CSV export nor a UCDP GED CSV" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_incident_is_recorded_on_the_page_and_its_notes_stay_with_its_organisation(
    org: Any, caseworker: Any, outsider: Any, client_for: Any
) -> None:
    response = client_for(caseworker).post(
        "/threat/events/new/",
        {
            "day": days_ago(2).isoformat(),
            "province": "AF-HEL",
            "district": LASHKAR_GAH,
            "kind": "house_search",
            "targets_affiliates": "on",
            "fatalities": "0",
            "confidence": "0.7",
            "source_detail": "brother-in-law by phone",
            "notes": "Fighters searched the house of Mr Example at night",
        },
    )

    assert response.status_code == 302
    event = ConflictEvent.objects.get()
    assert (event.kind, event.targets_affiliates, event.confidence) == ("house_search", True, 0.7)
    own = client_for(caseworker).get(f"/threat/events/{event.pk}/").content.decode()
    assert "Mr Example" in own and "brother-in-law" in own
    other = client_for(outsider).get(f"/threat/events/{event.pk}/")
    assert other.status_code == 200  # the threat picture is shared ...
    assert "House search" in other.content.decode()
    assert "Mr Example" not in other.content.decode()  # ... the notes are not
    assert "brother-in-law" not in other.content.decode()


@pytest.mark.django_db
def test_a_bad_incident_is_shown_again_with_the_error(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    response = client_for(caseworker).post(
        "/threat/events/new/",
        {
            "day": "2999-01-01",
            "province": "AF-KAB",
            "district": LASHKAR_GAH,
            "kind": "house_search",
            "fatalities": "0",
            "confidence": "1.0",
        },
    )

    assert response.status_code == 422
    assert not ConflictEvent.objects.exists()


@pytest.mark.django_db
def test_a_change_of_control_is_recorded_from_the_district_page(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    assert client.get(f"/threat/districts/{LASHKAR_GAH}/").status_code == 200

    response = client.post(
        "/threat/control/new/",
        {
            "district": LASHKAR_GAH,
            "day": days_ago(10).isoformat(),
            "state": "contested",
            "source": "UN update",
        },
    )
    client.post(
        "/threat/control/new/",
        {
            "district": LASHKAR_GAH,
            "day": days_ago(3).isoformat(),
            "state": "taliban",
            "source": "Pajhwok",
        },
    )

    assert response.status_code == 302
    page = client.get(f"/threat/districts/{LASHKAR_GAH}/").content.decode()
    history = page[page.index('id="control-history"') :]
    assert history.index("Taliban") < history.index("Contested")
    assert DistrictControlChange.objects.filter(district=LASHKAR_GAH).count() == 2


@pytest.mark.django_db
def test_the_events_list_is_shared_and_its_query_count_does_not_grow(
    org: Any,
    caseworker: Any,
    outsider: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    services.conflict_file_import(
        actor=caseworker,
        organization=org,
        file_name="acled.csv",
        content=(DATA / "acled_afghanistan_2021.csv").read_bytes(),
    )
    killing(org, caseworker)
    client = client_for(outsider)

    with django_assert_max_num_queries(10):
        response = client.get("/threat/events/")

    assert response.status_code == 200
    assert response.content.decode().count('<tr><td><a href="/threat/events/') == 7
    assert "Lashkar Gah" in response.content.decode()


@pytest.mark.django_db
def test_users_without_a_case_role_get_nothing(
    org: Any, caseworker: Any, logistics_officer: Any, client_for: Any, django_user_model: Any
) -> None:
    event = killing(org, caseworker)
    nobody = django_user_model.objects.create_user(username="nobody", password="x" * 20)
    urls = [
        "/threat/events/",
        f"/threat/events/{event.pk}/",
        "/threat/events/new/",
        "/threat/imports/",
        "/threat/control/new/",
        "/threat/reports/",
        "/threat/alerts/",
    ]
    for user in (logistics_officer, nobody):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post("/threat/events/new/", {}).status_code == 403
    anonymous = client_for(caseworker)
    anonymous.logout()
    assert anonymous.get("/threat/events/").status_code == 302  # to the sign-in page
