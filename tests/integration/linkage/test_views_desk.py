"""Pages of the review desk: the queue in order, the side-by-side comparison with each
field's weight, deciding and undoing through the forms, runs with progress, thresholds with
errors beside the field; outsiders and weaker roles get "not found"."""

from __future__ import annotations

from typing import Any

import pytest
from linkage_support import AHMAD_SHAH, households, open_household, proposal_between, run_jobs

from safepassage.linkage import services
from safepassage.linkage.models import LinkageRun, MatchProposal, ProposalStatus

REVIEW_ONLY = {"auto_link_weight": 40.0, "review_weight": 0.0}


@pytest.fixture
def proposed(org: Any, caseworker: Any, supervisor: Any) -> Any:
    from linkage_support import search

    family = households(org, caseworker)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    search(org, supervisor)
    return family, proposal_between(family.person(family.first), family.person(family.again))


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_the_queue_lists_open_matches_by_case_reference_without_names(
    proposed: Any, caseworker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    family, proposal = proposed
    client = client_for(caseworker)
    with django_assert_max_num_queries(20):
        response = client.get("/duplicates/")
    page = response.content.decode()
    assert response.status_code == 200
    assert family.first.reference in page and family.again.reference in page
    assert f"/duplicates/matches/{proposal.pk}/" in page
    assert "Zabihullah" not in page  # the queue shows references, names only when compared


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_among_equally_uncertain_pairs_the_higher_case_priority_comes_first(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    from linkage_support import search

    from safepassage.cases.household import case_household_set
    from safepassage.linkage.selectors import queue_for
    from safepassage.threat import priority

    family = households(org, caseworker)
    twice = open_household(org, caseworker, AHMAD_SHAH)
    case_household_set(
        actor=caseworker,
        case=twice,
        data={"threat_categories": ["detained", "family_attack"], "medical_needs": True},
    )
    cases = [family.first.pk, family.again.pk, family.unrelated.pk, twice.pk]
    priority.cases_refresh(cases)
    services.linkage_thresholds_set(actor=supervisor, organization=org, **REVIEW_ONLY)
    search(org, supervisor)

    rows = list(queue_for(user=caseworker, organization=org))

    assert len(rows) == 2 and rows[0].band == rows[1].band  # type: ignore[attr-defined]
    assert rows[0].priority > rows[1].priority  # type: ignore[attr-defined]
    assert {rows[0].left_case_id, rows[0].right_case_id} == {family.unrelated.pk, twice.pk}


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_the_comparison_shows_both_records_and_each_fields_weight_in_dari(
    proposed: Any, caseworker: Any, client_for: Any
) -> None:
    _family, proposal = proposed
    client = client_for(caseworker)
    client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    response = client.get(f"/duplicates/matches/{proposal.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    assert "Zabihullah" in page and "Zabiullah" in page
    assert 'class="comparison-given_name agrees"' in page
    assert 'id="decision-save"' in page and "1234567" not in page  # phone masked but its end
    assert "4567" in page


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_reviewer_merges_then_undoes_through_the_forms(
    proposed: Any, caseworker: Any, client_for: Any
) -> None:
    family, proposal = proposed
    client = client_for(caseworker)
    url = f"/duplicates/matches/{proposal.pk}/"

    response = client.post(url, {"action": "same_person"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SAME_PERSON
    linked = client.get(f"/duplicates/cases/{family.first.reference}/").content.decode()
    assert family.again.reference in linked
    case_page = client.get(f"/cases/{family.first.reference}/").content.decode()
    assert f'href="/duplicates/cases/{family.first.reference}/"' in case_page
    assert 'id="decision-undo"' in client.get(url).content.decode()

    response = client.post(f"{url}undo/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    linked = client.get(f"/duplicates/cases/{family.first.reference}/").content.decode()
    assert family.again.reference not in linked


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_decision_without_a_choice_is_refused_beside_the_field(
    proposed: Any, caseworker: Any, client_for: Any
) -> None:
    _family, proposal = proposed
    response = client_for(caseworker).post(f"/duplicates/matches/{proposal.pk}/", {})
    assert response.status_code == 422
    assert "Choose one of the decisions." in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_desk_pages_are_not_found_for_another_organisation_and_weaker_roles(
    proposed: Any, outsider: Any, logistics_officer: Any, client_for: Any
) -> None:
    family, proposal = proposed
    for user in (outsider, logistics_officer):
        client = client_for(user)
        assert client.get(f"/duplicates/matches/{proposal.pk}/").status_code == 404
        assert (
            client.post(f"/duplicates/matches/{proposal.pk}/", {"action": "different"}).status_code
            == 404
        )
        assert client.post(f"/duplicates/matches/{proposal.pk}/undo/").status_code == 404
        assert client.get(f"/duplicates/cases/{family.first.reference}/").status_code == 404
        assert client.get("/duplicates/?org=krn").status_code == 404
        assert client.get("/duplicates/runs/?org=krn").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert client_for(logistics_officer).get("/duplicates/").status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_supervisor_starts_a_search_and_follows_its_progress(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    households(org, caseworker)
    client = client_for(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/duplicates/runs/", {"org": "krn"})
    run = LinkageRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/duplicates/runs/{run.pk}/"
    waiting = client.get(f"/duplicates/runs/{run.pk}/")
    assert waiting["Refresh"] == "2" and 'id="run-progress"' in waiting.content.decode()

    run_jobs()

    done = client.get(f"/duplicates/runs/{run.pk}/")
    assert "Refresh" not in done
    assert "Done: 4 people compared" in done.content.decode()
    assert MatchProposal.objects.exists()


@pytest.mark.django_db
def test_caseworkers_neither_start_searches_nor_set_thresholds(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    assert 'id="run-start-button"' not in client.get("/duplicates/runs/").content.decode()
    assert client.post("/duplicates/runs/", {"org": "krn"}).status_code == 404
    assert client.get("/duplicates/thresholds/").status_code == 404
    assert not LinkageRun.objects.exists()


@pytest.mark.django_db
def test_thresholds_are_set_by_a_supervisor_and_bad_values_are_refused_beside_the_field(
    org: Any, supervisor: Any, client_for: Any
) -> None:
    client = client_for(supervisor)
    refused = client.post(
        "/duplicates/thresholds/", {"auto_link_weight": "1", "review_weight": "5"}
    )
    assert refused.status_code == 422
    assert "must not be below the review threshold" in refused.content.decode()
    saved = client.post(
        "/duplicates/thresholds/", {"auto_link_weight": "12.5", "review_weight": "-2"}
    )
    assert saved.status_code == 302
    thresholds = services.thresholds_of(org)
    assert (thresholds.auto_link, thresholds.review) == (12.5, -2.0)


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_decided_matches_and_searches_are_listed_in_a_bounded_number_of_queries(
    proposed: Any, caseworker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    family, proposal = proposed
    services.proposal_decide(actor=caseworker, proposal=proposal, action="different")
    client = client_for(caseworker)
    with django_assert_max_num_queries(20):
        decided = client.get("/duplicates/decided/")
    with django_assert_max_num_queries(20):
        searches = client.get("/duplicates/runs/")
    assert decided.status_code == searches.status_code == 200
    assert family.first.reference in decided.content.decode()
    assert 'id="runs"' in searches.content.decode()
    assert "Zabihullah" not in decided.content.decode() + searches.content.decode()
