"""The rule pages (program officer), the run progress page and the case page's eligibility:
personas are the officer, a caseworker (weaker role) and another organisation's officer."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from eligibility_support import member, run_queued_tasks, siv_case, siv_text_with_one_year_rule

from safepassage.core.models import Role
from safepassage.eligibility import services
from safepassage.eligibility.models import RuleChangeRun, RuleRevision


@pytest.fixture
def officer(org: Any) -> Any:
    return member(org, "officer", Role.PROGRAM_OFFICER)


@pytest.mark.django_db
def test_the_officer_sees_programs_and_a_caseworker_is_refused(
    officer: Any, caseworker: Any, client_for: Any
) -> None:
    page = client_for(officer).get("/eligibility/rules/")
    assert page.status_code == 200
    assert "Revision 1" in page.content.decode()

    assert client_for(caseworker).get("/eligibility/rules/").status_code == 403
    assert client_for(caseworker).get("/eligibility/rules/siv/1/").status_code == 403


@pytest.mark.django_db
def test_the_program_list_takes_a_fixed_number_of_queries(officer: Any, client_for: Any) -> None:
    client = client_for(officer)
    client.get("/eligibility/rules/")
    with CaptureQueriesContext(connection) as first:
        client.get("/eligibility/rules/")
    services.rule_draft_create(
        actor=officer, program="siv", text=siv_text_with_one_year_rule(), note="more rows"
    )
    with CaptureQueriesContext(connection) as second:
        client.get("/eligibility/rules/")
    assert len(second) == len(first)


@pytest.mark.django_db
def test_a_revision_shows_its_versions_with_sources_and_a_diff(
    officer: Any, client_for: Any
) -> None:
    draft = services.rule_draft_create(
        actor=officer, program="siv", text=siv_text_with_one_year_rule(), note="one year"
    )
    page = client_for(officer).get(f"/eligibility/rules/siv/{draft.number}/")
    body = page.content.decode()

    assert page.status_code == 200
    assert "ndaa-two-year" in body and "P.L. 114-92" in body  # a version and its citation
    assert "-minimum_service_days = 730" in body and "+minimum_service_days = 365" in body


@pytest.mark.django_db
def test_a_draft_with_an_error_is_shown_again_with_the_message_beside_the_text(
    officer: Any, client_for: Any
) -> None:
    response = client_for(officer).post(
        "/eligibility/rules/siv/new/",
        {"text": "schema = 1\nprogram = [", "note": "broken"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error"' in body and "siv_602b.toml" in body
    assert not RuleRevision.objects.filter(status="draft").exists()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_the_run_page_refreshes_while_running_then_shows_the_counts(
    officer: Any, other_org: Any, client_for: Any, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    short = siv_case(org, service_days=400)
    elsewhere = siv_case(other_org, service_days=400)
    client = client_for(officer)
    draft_page = client.post(
        "/eligibility/rules/siv/new/", {"text": siv_text_with_one_year_rule(), "note": "one year"}
    )
    assert draft_page.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/eligibility/rules/siv/2/preview/")
    run = RuleChangeRun.objects.get()
    assert started.url == f"/eligibility/runs/{run.pk}/"

    waiting = client.get(started.url)
    assert waiting["Refresh"] == "2"
    assert "0 of 2 cases" in waiting.content.decode()

    run_queued_tasks()
    done = client.get(started.url)
    body = done.content.decode()
    assert "Refresh" not in done
    assert "2 cases become eligible for siv under revision 2." in body
    assert short.reference in body  # the officer's own organisation
    assert elsewhere.reference not in body  # counted, but not named

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"/eligibility/runs/{run.pk}/accept/")
    reassessment = RuleChangeRun.objects.get(kind="reassess")
    assert accepted.url == f"/eligibility/runs/{reassessment.pk}/"
    run_queued_tasks()
    assert "2 of 2 cases" in client.get(accepted.url).content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_a_caseworker_cannot_accept_a_preview(
    officer: Any, caseworker: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = services.rule_draft_create(
        actor=officer, program="siv", text=siv_text_with_one_year_rule(), note="one year"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rule_preview_start(actor=officer, revision=draft)
    run_queued_tasks()

    response = client_for(caseworker).post(f"/eligibility/runs/{run.pk}/accept/")

    assert response.status_code == 403
    assert RuleRevision.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.django_db
def test_the_case_page_shows_the_stored_revision_and_the_referral_link(
    org: Any, caseworker: Any, outsider: Any, client_for: Any
) -> None:
    case = siv_case(org, service_days=400)
    services.case_assess(case_id=case.pk)

    page = client_for(caseworker).get(f"/cases/{case.reference}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "rule revisions siv:1 p2:1 p1:1" in body
    assert f"/eligibility/cases/{case.reference}/referrals/" in body

    referrals = client_for(caseworker).post(
        f"/eligibility/cases/{case.reference}/referrals/",
        {"program": "p2", "referrer_kind": "us_military", "referred_on": "2022-03-01"},
    )
    assert referrals.status_code == 302
    assert (
        client_for(outsider).get(f"/eligibility/cases/{case.reference}/referrals/").status_code
        == 404
    )
