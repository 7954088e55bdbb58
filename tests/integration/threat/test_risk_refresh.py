"""District risk as stored: snapshots per district per day from stored events and control,
refreshed for the affected districts after each import, incident or change of control."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from threat_support import KABUL, LASHKAR_GAH, NAD_ALI, days_ago, killing, run_queued_tasks

from safepassage.engine.places import districts
from safepassage.threat import services
from safepassage.threat.models import DistrictRiskSnapshot
from safepassage.threat.risk import district_risk_refresh

DATA = Path(__file__).resolve().parents[2] / "data" / "conflict"


@pytest.mark.django_db
def test_a_snapshot_lists_the_events_behind_the_score(org: Any, caseworker: Any) -> None:
    event = killing(org, caseworker)

    district_risk_refresh(district_codes=[LASHKAR_GAH], day=timezone.localdate())

    snapshot = DistrictRiskSnapshot.objects.get(district=LASHKAR_GAH)
    assert snapshot.level == "high" and 60 < snapshot.score < 66
    assert snapshot.province == "AF-HEL" and snapshot.event_count == 1
    assert [c["event_id"] for c in snapshot.contributions] == [str(event.pk)]
    assert snapshot.contributions[0]["kind"] == "targeted_killing"


@pytest.mark.django_db
def test_refreshing_again_replaces_the_days_snapshot(org: Any, caseworker: Any) -> None:
    today = timezone.localdate()
    killing(org, caseworker)
    district_risk_refresh(district_codes=[LASHKAR_GAH], day=today)
    killing(org, caseworker, days=2)

    district_risk_refresh(district_codes=[LASHKAR_GAH], day=today)

    snapshot = DistrictRiskSnapshot.objects.get(district=LASHKAR_GAH, day=today)
    assert snapshot.level == "critical" and snapshot.event_count == 2


@pytest.mark.django_db
def test_events_elsewhere_in_the_province_spill_over_and_control_adds_points(
    org: Any, caseworker: Any
) -> None:
    killing(org, caseworker, LASHKAR_GAH)
    services.control_change_record(
        actor=caseworker,
        organization=org,
        district=NAD_ALI,
        day=days_ago(3),
        state="taliban",
        source="UN update",
    )

    district_risk_refresh(district_codes=[NAD_ALI, KABUL], day=timezone.localdate())

    nad_ali = DistrictRiskSnapshot.objects.get(district=NAD_ALI)
    assert nad_ali.control == "taliban" and nad_ali.control_points > 0
    assert [c["spill"] for c in nad_ali.contributions] == [True]
    assert DistrictRiskSnapshot.objects.get(district=KABUL).score == 0.0


@pytest.mark.django_db
def test_the_risk_of_a_past_day_counts_only_what_was_known_to_have_happened_by_then(
    org: Any, caseworker: Any
) -> None:
    services.conflict_file_import(
        actor=caseworker,
        organization=org,
        file_name="acled.csv",
        content=(DATA / "acled_afghanistan_2021.csv").read_bytes(),
    )

    before = district_risk_refresh(district_codes=[LASHKAR_GAH], day=dt.date(2021, 8, 1))
    after = district_risk_refresh(district_codes=[LASHKAR_GAH], day=dt.date(2021, 8, 6))

    assert before.risks[LASHKAR_GAH].score == 0.0
    assert after.risks[LASHKAR_GAH].score > 0.0
    assert DistrictRiskSnapshot.objects.filter(district=LASHKAR_GAH).count() == 2


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_an_import_refreshes_only_the_districts_it_can_change(
    org: Any, caseworker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        killing(org, caseworker, LASHKAR_GAH)

    run_queued_tasks()

    refreshed = set(DistrictRiskSnapshot.objects.values_list("district", flat=True))
    helmand = {code for code, d in districts().items() if d.province_code == "AF-HEL"}
    assert refreshed == helmand  # its district, and the rest of its province by spill-over
    assert DistrictRiskSnapshot.objects.get(district=LASHKAR_GAH).level == "high"


@pytest.mark.django_db
def test_the_daily_command_refreshes_every_district(org: Any, caseworker: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    killing(org, caseworker)
    out = StringIO()

    call_command("threat_risk_refresh", stdout=out)

    assert DistrictRiskSnapshot.objects.count() == len(districts())
    assert out.getvalue().startswith(f"{len(districts())} districts on ")


@pytest.mark.django_db
def test_the_risk_pages_list_districts_by_risk_with_their_contributing_events(
    org: Any, caseworker: Any, outsider: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    event = killing(org, caseworker)
    district_risk_refresh(district_codes=None, day=timezone.localdate())
    client = client_for(outsider)  # the picture is shared across organisations

    with django_assert_max_num_queries(12):  # constant: one query for all 398 districts
        listing = client.get("/threat/").content.decode()
    page = client.get(f"/threat/districts/{LASHKAR_GAH}/").content.decode()

    table = listing[listing.index('id="risk-table"') :]
    assert "Lashkar Gah" in table and "High" in table
    assert "Nad Ali" not in table  # spill-over alone keeps it low: counted, not listed
    assert "397 more districts at low risk." in listing
    contributions = page[page.index('id="contributions"') :]
    assert f'href="/threat/events/{event.pk}/"' in contributions
    assert "Targeted killing" in contributions and "targeted affiliates" in contributions


@pytest.mark.django_db
def test_the_half_life_and_horizon_are_configured_per_installation(
    org: Any, caseworker: Any, settings: Any
) -> None:
    killing(org, caseworker, days=28)  # two default half-lives ago

    def score() -> float:
        district_risk_refresh(district_codes=[LASHKAR_GAH], day=timezone.localdate())
        return DistrictRiskSnapshot.objects.get(district=LASHKAR_GAH).score

    default = score()
    settings.THREAT_RISK_HALF_LIFE_DAYS = 56  # the same event fades slower
    slower = score()
    settings.THREAT_RISK_HORIZON_DAYS = 21  # and beyond the horizon counts nothing
    assert default < slower and score() == 0
