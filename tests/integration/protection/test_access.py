"""Reads are accounted for, identity numbers are masked, emergency access is loud, partners
see only what they referred, and a reader of too many cases is paused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from tests.conftest import PASSWORD

from safepassage.api.services import api_token_issue
from safepassage.cases import services
from safepassage.core.models import Role
from safepassage.core.services import membership_grant, organization_create, user_create
from safepassage.protection.models import AuditEvent, SecurityAlert

TAZKIRA = "1399-0101-12345"


def open_case(org: Any, actor: Any, name: str = "Ahmad", **extra: Any) -> Any:
    return services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        principal={
            "given_name_latin": name,
            "tazkira_kind": "electronic",
            "tazkira_number": TAZKIRA,
            "passport_number": "P01234567",
        },
        **extra,
    )


def reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="case.read").order_by("sequence"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.mark.django_db
def test_a_case_page_records_exactly_one_access_event_with_case_and_fields(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    before = len(reads())
    assert client_for(caseworker).get(f"/cases/{case.reference}/").status_code == 200
    events = reads()[before:]
    assert len(events) == 1
    (event,) = events
    assert event.actor_id == caseworker.pk and event.source == "web"
    assert event.details["cases"] == [str(case.pk)]
    assert "person.given_name_latin" in event.details["fields"]
    assert event.address_hash and "127.0.0.1" not in event.address_hash
    assert "Ahmad" not in str(event.details)


@pytest.mark.django_db
def test_a_list_page_and_an_api_call_each_record_one_event(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    cases = [open_case(org, caseworker, f"Name{i}") for i in range(3)]
    before = len(reads())
    client_for(caseworker).get("/cases/")
    _record, token = api_token_issue(actor=None, user=caseworker, organization=org, name="t")
    Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(f"/api/v1/cases/{cases[0].reference}")
    events = reads()[before:]
    assert len(events) == 2
    assert set(events[0].details["cases"]) == {str(c.pk) for c in cases}
    assert events[1].source == "api" and events[1].details["cases"] == [str(cases[0].pk)]


@pytest.mark.django_db
def test_a_page_without_personal_data_records_no_access(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    before = len(reads())
    client_for(caseworker).get("/cases/emergency/")
    assert len(reads()) == before


@pytest.mark.django_db
def test_identity_numbers_are_masked_until_revealed_and_revealing_is_logged(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    client = client_for(caseworker)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "1399010112345" not in page and "•2345" in page
    assert "P01234567" not in page and "4567" in page
    person = case.people.get()
    client.post(f"/cases/{case.reference}/people/{person.pk}/reveal/")
    assert AuditEvent.objects.filter(action="person.reveal", object_id=str(person.pk)).exists()
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "1399010112345" in page and "P01234567" in page


@pytest.mark.django_db
def test_break_glass_needs_a_reason_alerts_the_owner_and_gives_read_only_access(
    org: Any, caseworker: Any, outsider: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    client = client_for(outsider)
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    short = client.post("/cases/emergency/", {"reference": case.reference, "reason": "need"})
    assert short.status_code == 200 and not SecurityAlert.objects.exists()
    opened = client.post(
        "/cases/emergency/",
        {"reference": case.reference, "reason": "Family reports a raid tonight; must call now"},
    )
    assert opened.status_code == 302
    alert = SecurityAlert.objects.get(kind="break_glass")
    assert alert.organization_id == org.pk and alert.subject_user_id == outsider.pk
    page = client.get(f"/cases/{case.reference}/")
    assert page.status_code == 200 and b"Ahmad" in page.content
    assert b"Emergency access" in page.content
    refused = client.post(f"/cases/{case.reference}/notes/", {"text": "x"})
    assert refused.status_code == 404


@pytest.mark.django_db
def test_a_partner_sees_only_the_cases_it_referred_and_cannot_change_them(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    partner_org = organization_create(actor=None, name="Partner NGO", kind="partner")
    partner = user_create(username="partner", password=PASSWORD)
    membership_grant(actor=None, organization=partner_org, user=partner, role=Role.PARTNER)
    referred = open_case(
        org,
        caseworker,
        "Referred",
    )
    referred.referring_organization = partner_org
    referred.save(update_fields=["referring_organization"])
    services.note_add(actor=caseworker, case=referred, text="internal note")
    other = open_case(org, caseworker, "NotReferred")
    client = client_for(partner)
    listing = client.get("/cases/").content.decode()
    assert referred.reference in listing and other.reference not in listing
    page = client.get(f"/cases/{referred.reference}/").content.decode()
    assert "Referred" in page and "internal note" not in page
    assert client.get(f"/cases/{other.reference}/").status_code == 404
    stage = client.post(
        f"/cases/{referred.reference}/stage/", {"to_stage": "closed", "reason": "x"}
    )
    assert stage.status_code == 404


@pytest.mark.django_db
def test_reading_many_more_cases_than_usual_pauses_the_reader_and_alerts(
    org: Any, caseworker: Any, client_for: Any, settings: Any
) -> None:
    settings.READ_RATE_MAX_CASES = 3
    cases = [open_case(org, caseworker, f"N{i}") for i in range(5)]
    client = client_for(caseworker)
    for case in cases[:4]:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert SecurityAlert.objects.filter(kind="read_rate", subject_user=caseworker).count() == 1
    assert client.get(f"/cases/{cases[4].reference}/").status_code == 429
    _record, token = api_token_issue(actor=None, user=caseworker, organization=org, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/v1/cases/{cases[4].reference}").status_code == 429


@pytest.mark.django_db
def test_supervisors_see_who_opened_a_case_caseworkers_do_not(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    client_for(caseworker).get(f"/cases/{case.reference}/")
    supervisor_page = client_for(supervisor).get(f"/cases/{case.reference}/").content.decode()
    assert 'id="access-history"' in supervisor_page and "case.read" in supervisor_page
    caseworker_page = client_for(caseworker).get(f"/cases/{case.reference}/").content.decode()
    assert 'id="access-history"' not in caseworker_page


@pytest.mark.django_db
def test_the_data_protection_officer_sees_the_audit_log_but_no_case(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    dpo = user_create(username="dpo", password=PASSWORD)
    membership_grant(actor=None, organization=org, user=dpo, role=Role.DATA_PROTECTION_OFFICER)
    case = open_case(org, caseworker)
    client = client_for(dpo)
    log = client.get("/protection/audit/")
    assert log.status_code == 200 and b"case.open" in log.content and b"Ahmad" not in log.content
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    assert client_for(caseworker).get("/protection/audit/").status_code == 404


@pytest.mark.django_db
def test_a_partner_token_reads_no_casework_through_the_api(org: Any, caseworker: Any) -> None:
    partner_org = organization_create(actor=None, name="Partner API NGO", kind="partner")
    partner = user_create(username="partner-api", password=PASSWORD)
    membership_grant(actor=None, organization=partner_org, user=partner, role=Role.PARTNER)
    case = open_case(org, caseworker, "Referred")
    case.referring_organization = partner_org
    case.save(update_fields=["referring_organization"])
    services.note_add(actor=caseworker, case=case, text="internal note")
    services.case_change_stage(
        actor=caseworker, case=case, to_stage="eligibility_review", reason="internal reason"
    )
    _record, token = api_token_issue(actor=None, user=partner, organization=partner_org, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/v1/cases/{case.reference}").status_code == 200
    for part in ("employment", "notes", "documents"):
        assert api.get(f"/api/v1/cases/{case.reference}/{part}").status_code == 404, part
    events = api.get(f"/api/v1/cases/{case.reference}/stage-events").json()
    assert [e["to_stage"] for e in events] == ["intake", "eligibility_review"]
    assert all(e["reason"] is None for e in events)
    detail = api.get(f"/api/v1/cases/{case.reference}").content.decode()
    assert "internal note" not in detail and "internal reason" not in detail
    assert api.get(f"/api/v1/cases/{case.reference}?reveal=true").status_code == 403


@pytest.mark.django_db
def test_revealing_identity_numbers_needs_a_fresh_sign_in(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    from safepassage.accounts.testing import client_make_stale

    case = open_case(org, caseworker)
    client = client_for(caseworker)
    client_make_stale(client)
    person = case.people.get()
    response = client.post(f"/cases/{case.reference}/people/{person.pk}/reveal/")
    assert response.status_code == 302 and "/accounts/reauth/" in response["Location"]
    assert not AuditEvent.objects.filter(action="person.reveal").exists()
