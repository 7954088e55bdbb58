"""The export pages: request, approve or reject, download once with a one-time password; and
every export route refuses strangers like a missing record."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from exports_support import RECIPIENT, open_xlsx, reauthenticate

from safepassage.accounts.testing import client_make_stale
from safepassage.core.models import Role
from safepassage.core.services import membership_grant, user_create
from safepassage.exports import services
from safepassage.exports.models import ExportRequest, ExportStatus

EXPORT_ROUTES = ("detail", "approve", "reject", "cancel", "prepare", "file")


def _url(name: str, export: Any) -> str:
    return reverse(f"exports:{name}", kwargs={"export_id": export.pk})


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "agreement": "",
        "recipient_name": RECIPIENT,
        "purpose": "Check the flight manifest",
        "legal_basis": "vital_interests",
        "stage": "",
        "program": "",
        "references": "",
        "people": "households",
        "columns": ["reference", "given_name_latin", "phone"],
        "file_format": "xlsx",
        **overrides,
    }


@pytest.mark.django_db
def test_the_request_page_sends_a_stale_session_to_reauthenticate_first(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    client_make_stale(client)

    response = client.get(reverse("exports:new"))

    assert response.status_code == 303
    assert response["Location"].startswith(reverse("accounts:reauth"))


@pytest.mark.django_db
def test_a_large_export_goes_from_request_to_approval_to_one_download(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, client_for: Any
) -> None:
    open_cases(caseworker, org, 26)
    requester = client_for(caseworker)
    approver = client_for(supervisor)

    response = requester.post(reverse("exports:new"), _form())
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.status == ExportStatus.PENDING and export.row_count == 26
    detail = requester.get(_url("detail", export)).content.decode()
    assert "Approve export" not in detail and "Prepare the download" not in detail
    assert requester.post(_url("prepare", export)).status_code == 302  # refused, back to detail

    pending = approver.get(reverse("exports:list")).content.decode()
    assert export.short_id in pending
    assert "Approve export" in approver.get(_url("detail", export)).content.decode()
    approver.post(_url("approve", export))
    export.refresh_from_db()
    assert export.status == ExportStatus.APPROVED and export.approved_by == supervisor

    prepared = requester.post(_url("prepare", export))
    assert prepared.status_code == 200
    password = prepared.context["password"]
    assert password in prepared.content.decode()
    export.refresh_from_db()
    assert password not in export.password_digest

    downloaded = requester.post(_url("file", export), {"password": password})
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert downloaded["Cache-Control"] == "no-store"
    workbook, _package = open_xlsx(downloaded.content, password)
    assert workbook.active["A1"].value.startswith(f"Prepared for {RECIPIENT}")

    again = requester.post(_url("prepare", export))
    assert again.status_code == 302
    second = requester.post(_url("file", export), {"password": password})
    assert second.status_code == 302
    export.refresh_from_db()
    assert export.download_count == 1 and export.status == ExportStatus.COMPLETED


@pytest.mark.django_db
def test_approval_needs_a_recent_reauthentication(
    org: Any,
    caseworker: Any,
    supervisor: Any,
    open_cases: Any,
    request_export: Any,
    client_for: Any,
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    approver = client_for(supervisor)
    client_make_stale(approver)

    refused = approver.post(_url("approve", export))

    assert refused.status_code == 303
    assert refused["Location"].startswith(reverse("accounts:reauth"))
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING

    reauthenticate(approver)
    approver.post(_url("approve", export))
    export.refresh_from_db()
    assert export.status == ExportStatus.APPROVED


@pytest.mark.django_db
def test_the_download_needs_a_recent_reauthentication(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any, client_for: Any
) -> None:
    open_cases(caseworker, org, 2)
    export = request_export(caseworker, org)
    client = client_for(caseworker)
    password = client.post(_url("prepare", export)).context["password"]
    client_make_stale(client)

    refused = client.post(_url("file", export), {"password": password})

    assert refused.status_code == 303
    export.refresh_from_db()
    assert export.download_count == 0


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_request_on_the_page(
    org: Any, supervisor: Any, open_cases: Any, request_export: Any, client_for: Any
) -> None:
    open_cases(supervisor, org, 26)
    export = request_export(supervisor, org)
    client = client_for(supervisor)

    assert "Approve export" not in client.get(_url("detail", export)).content.decode()
    assert export not in client.get(reverse("exports:list")).context["pending"]
    response = client.post(_url("approve", export), follow=True)

    assert "you requested it" in response.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING


@pytest.mark.django_db
def test_a_supervisor_rejects_with_a_reason_the_requester_reads(
    org: Any,
    caseworker: Any,
    supervisor: Any,
    open_cases: Any,
    request_export: Any,
    client_for: Any,
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)

    client_for(supervisor).post(_url("reject", export), {"reason": "Purpose too vague"})

    export.refresh_from_db()
    assert export.status == ExportStatus.REJECTED
    page = client_for(caseworker).get(_url("detail", export)).content.decode()
    assert "Purpose too vague" in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "logistics_officer", "second_caseworker"])
def test_every_export_route_refuses_strangers_like_a_missing_export(
    persona: str,
    request: pytest.FixtureRequest,
    org: Any,
    caseworker: Any,
    open_cases: Any,
    request_export: Any,
    client_for: Any,
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    client = client_for(request.getfixturevalue(persona))
    missing = type("Missing", (), {"pk": uuid.uuid4()})()

    for name in EXPORT_ROUTES:
        for method in ("get", "post"):
            real = getattr(client, method)(_url(name, export))
            absent = getattr(client, method)(_url(name, missing))
            assert real.status_code in (404, 405), (name, method, real.status_code)
            assert real.status_code == absent.status_code, (name, method)
    assert export.short_id not in client.get(reverse("exports:list")).content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING


@pytest.mark.django_db
def test_supervisors_see_pending_approvals_of_their_own_organisation_only(
    org: Any,
    other_org: Any,
    caseworker: Any,
    supervisor: Any,
    open_cases: Any,
    request_export: Any,
    client_for: Any,
) -> None:
    open_cases(caseworker, org, 26)
    export = request_export(caseworker, org)
    other_supervisor = user_create(username="othersup", password="correct horse battery staple")
    membership_grant(
        actor=None, organization=other_org, user=other_supervisor, role=Role.SUPERVISOR
    )

    assert export.short_id in client_for(supervisor).get(reverse("exports:list")).content.decode()
    stranger = client_for(other_supervisor)
    assert export.short_id not in stranger.get(reverse("exports:list")).content.decode()
    assert stranger.get(_url("detail", export)).status_code == 404
    assert stranger.post(_url("approve", export)).status_code == 404


@pytest.mark.django_db
def test_the_export_list_needs_a_login_and_few_queries(
    client: Any,
    org: Any,
    caseworker: Any,
    open_cases: Any,
    request_export: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    assert client.get(reverse("exports:list")).status_code == 302
    open_cases(caseworker, org, 3)
    for _number in range(5):
        request_export(caseworker, org)
    logged_in = client_for(caseworker)

    with django_assert_max_num_queries(12):
        response = logged_in.get(reverse("exports:list"))

    assert response.status_code == 200
    assert len(response.context["mine"]) == 5


@pytest.mark.django_db
def test_a_supervisor_records_an_agreement_and_a_caseworker_cannot(
    org: Any, other_org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    assert client_for(caseworker).get(reverse("exports:agreement_new")).status_code == 404
    client = client_for(supervisor)

    response = client.post(
        reverse("exports:agreement_new"),
        {
            "recipient_organization": other_org.pk,
            "purpose": "Resettlement placement",
            "legal_basis": "vital_interests",
            "allowed_fields": ["reference", "stage"],
            "expires_on": "2099-01-01",
        },
    )
    assert response.status_code == 200  # more than two years away: refused
    assert "two years" in response.content.decode()

    next_year = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    response = client.post(
        reverse("exports:agreement_new"),
        {
            "recipient_organization": other_org.pk,
            "purpose": "Resettlement placement",
            "legal_basis": "vital_interests",
            "allowed_fields": ["reference", "stage"],
            "expires_on": next_year,
        },
    )
    assert response.status_code == 302
    page = client_for(caseworker).get(reverse("exports:agreements")).content.decode()
    assert other_org.name in page


@pytest.mark.django_db
def test_the_request_form_offers_only_active_agreements_and_their_columns(
    org: Any,
    other_org: Any,
    caseworker: Any,
    supervisor: Any,
    open_cases: Any,
    client_for: Any,
) -> None:
    open_cases(caseworker, org, 2)
    agreement = services.agreement_record(
        actor=supervisor,
        organization=org,
        recipient_organization=other_org,
        purpose="Placement",
        legal_basis="vital_interests",
        allowed_fields=["reference", "stage"],
        expires_at=timezone.now() + dt.timedelta(days=30),
        recent_auth=True,
    )
    client = client_for(caseworker)
    assert other_org.name in client.get(reverse("exports:new")).content.decode()

    refused = client.post(
        reverse("exports:new"),
        _form(agreement=str(agreement.pk), legal_basis="", columns=["reference", "phone"]),
    )
    assert refused.status_code == 200
    assert "does not allow" in refused.content.decode()
    accepted = client.post(
        reverse("exports:new"),
        _form(agreement=str(agreement.pk), legal_basis="", columns=["reference", "stage"]),
    )
    assert accepted.status_code == 302
    assert ExportRequest.objects.get().recipient_organization == other_org
