"""Pages of case priority: the ranked queue, "why this priority" and the household form on
the case page, the weights page with preview and apply; outsiders and weaker roles refused."""

from __future__ import annotations

from typing import Any

import pytest
from priority_support import KABUL, LASHKAR_GAH, NAHRI_SHAHI, household, incident, run_jobs

from safepassage.threat import priority
from safepassage.threat.models import CasePriority, PriorityWeightsVersion

WEIGHTS = {"threat": "0", "district": "100", "vulnerability": "0", "readiness": "0", "waiting": "0"}


@pytest.fixture
def ranked(org: Any, caseworker: Any) -> list[Any]:
    threatened = household(
        org, caseworker, district=NAHRI_SHAHI, categories=("detained", "family_attack"),
        interpreter=True, threat_documents=1,
    )  # fmt: skip
    exposed = household(org, caseworker, district=LASHKAR_GAH)
    quiet = household(org, caseworker, district=KABUL)
    for _ in range(4):
        incident(org, caseworker, LASHKAR_GAH)
    priority.cases_refresh([threatened.pk, exposed.pk, quiet.pk])
    return [threatened, exposed, quiet]


@pytest.mark.django_db
def test_the_queue_lists_households_highest_priority_first_with_district_level_and_waiting(
    ranked: list[Any], caseworker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(caseworker)
    # The district level is sealed in each row's detail: one query loads the page's keys
    # and one records the access (a constant, whatever the number of rows).
    with django_assert_max_num_queries(17):
        response = client.get("/threat/priority/")
    assert response.status_code == 200
    page = response.content.decode()
    scores = sorted(
        ((CasePriority.objects.get(case=c).score, c.reference) for c in ranked), reverse=True
    )
    positions = [page.index(reference) for _score, reference in scores]
    assert positions == sorted(positions)
    assert 'class="badge risk-' in page and "Waiting (days)" in page


@pytest.mark.django_db
def test_the_queue_is_refused_to_another_organisation_and_weaker_roles(
    ranked: list[Any], outsider: Any, logistics_officer: Any, client_for: Any
) -> None:
    assert client_for(outsider).get("/threat/priority/?org=krn").status_code == 404
    assert client_for(logistics_officer).get("/threat/priority/").status_code == 404
    page = client_for(outsider).get("/threat/priority/").content.decode()
    assert all(case.reference not in page for case in ranked)


@pytest.mark.django_db
def test_the_case_page_explains_the_priority_and_shows_its_history(
    ranked: list[Any], caseworker: Any, client_for: Any
) -> None:
    response = client_for(caseworker).get(f"/cases/{ranked[0].reference}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Why this priority" in page and 'id="priority-parts"' in page
    assert "Threat faced: Detained or beaten" in page
    assert "Individual threat" in page and "Time waiting" in page
    assert 'id="priority-history"' in page


@pytest.mark.django_db
def test_a_caseworker_sets_where_the_household_is_and_its_needs_on_the_case_page(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = household(org, caseworker)
    client = client_for(caseworker)
    response = client.post(
        f"/cases/{case.reference}/household/",
        {
            "current_province": "AF-HEL",
            "current_district": LASHKAR_GAH,
            "threat_categories": ["house_search"],
            "medical_needs": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.current_district, case.threat_categories, case.medical_needs) == (
        LASHKAR_GAH,
        "house_search",
        True,
    )
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Lashkar Gah" in page

    bad = client.post(
        f"/cases/{case.reference}/household/",
        {"current_province": "AF-KAB", "current_district": LASHKAR_GAH},
    )
    assert bad.status_code == 422


@pytest.mark.django_db
def test_another_organisation_cannot_change_where_a_household_is(
    org: Any, caseworker: Any, outsider: Any, client_for: Any
) -> None:
    case = household(org, caseworker)
    response = client_for(outsider).post(
        f"/cases/{case.reference}/household/", {"current_province": "AF-HEL"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert not case.current_province


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_manager_previews_new_weights_then_applies_them(
    ranked: list[Any],
    supervisor: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _threatened, exposed, _quiet = ranked
    client = client_for(supervisor)
    assert client.get("/threat/priority/weights/").status_code == 200

    preview = client.post("/threat/priority/weights/", {**WEIGHTS, "action": "preview"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="weights-preview-result"' in page and 'id="weights-apply"' in page
    assert not PriorityWeightsVersion.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post("/threat/priority/weights/", {**WEIGHTS, "action": "apply"})
    assert applied.status_code == 302
    version = PriorityWeightsVersion.objects.get()
    assert version.created_by == supervisor and version.district == 100
    run_jobs()
    progress = client.get(applied["Location"])
    assert progress.status_code == 200 and "Done: 3 cases re-ranked." in progress.content.decode()
    top = CasePriority.objects.order_by("-score").first()
    assert top is not None and top.case_id == exposed.pk


@pytest.mark.django_db
def test_weights_must_not_all_be_zero(ranked: list[Any], supervisor: Any, client_for: Any) -> None:
    zero = {code: "0" for code in WEIGHTS}
    response = client_for(supervisor).post("/threat/priority/weights/", {**zero, "action": "apply"})
    assert response.status_code == 422
    assert "At least one weight must be more than zero." in response.content.decode()
    assert not PriorityWeightsVersion.objects.exists()


@pytest.mark.django_db
def test_a_caseworker_and_another_organisation_cannot_open_or_change_the_weights(
    ranked: list[Any], caseworker: Any, outsider: Any, client_for: Any
) -> None:
    for user in (caseworker, outsider):
        client = client_for(user)
        assert client.get("/threat/priority/weights/?org=krn").status_code == 404
        response = client.post("/threat/priority/weights/?org=krn", {**WEIGHTS, "action": "apply"})
        assert response.status_code == 404
    assert not PriorityWeightsVersion.objects.exists()
