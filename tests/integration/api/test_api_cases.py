from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.conftest import sample_png

from safepassage.api.services import api_token_issue
from safepassage.cases.models import Case, Person

PNG = sample_png()
PRINCIPAL = {
    "sex": "male",
    "given_name_latin": "Mohammad Zaman",
    "father_name_latin": "Ghulam Hazrat",
    "given_name_arabic": "محمد زمان",
    "birth_date": {"year": 1362, "calendar": "solar_hijri", "approximate": True},
    "phone": "+93 70 123 4567",
    "tazkira_kind": "paper",
    "tazkira_volume": "۱۲",
    "tazkira_page": "34",
    "tazkira_registration": "5678",
}


class Api:
    def __init__(self, token: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", **kw)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(f"/api/v1{path}", data, content_type="application/json")

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", data, content_type="application/json")

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}")


@pytest.fixture
def api(org: Any, caseworker: Any) -> Api:
    _record, token = api_token_issue(actor=None, user=caseworker, organization=org, name="t")
    return Api(token)


@pytest.fixture
def outsider_api(other_org: Any, outsider: Any) -> Api:
    _record, token = api_token_issue(actor=None, user=outsider, organization=other_org, name="t")
    return Api(token)


@pytest.fixture
def case_ref(api: Api) -> str:
    response = api.post("/cases", {"program": "siv", "principal": PRINCIPAL})
    assert response.status_code == 201, response.content
    return str(response.json()["reference"])


@pytest.mark.django_db
def test_a_case_opened_through_the_api_comes_back_with_its_principal(
    api: Api, case_ref: str
) -> None:
    detail = api.get(f"/cases/{case_ref}").json()
    assert detail["channel"] == "api"
    (principal,) = detail["people"]
    assert principal["phone"] == "+93701234567"
    assert principal["tazkira_volume"] == "12"
    assert principal["tazkira_registration"].endswith("5678")
    assert principal["birth_date"] == {
        "year": 1362,
        "month": None,
        "day": None,
        "calendar": "solar_hijri",
        "approximate": True,
    }


@pytest.mark.django_db
def test_the_case_list_is_paginated_and_scoped(api: Api, outsider_api: Api, case_ref: str) -> None:
    page = api.get("/cases?limit=1").json()
    assert page["count"] == 1 and page["items"][0]["reference"] == case_ref
    assert outsider_api.get("/cases").json()["count"] == 0


@pytest.mark.django_db
def test_invalid_input_is_a_problem_document_that_does_not_echo_the_value(api: Api) -> None:
    response = api.post(
        "/cases", {"program": "siv", "principal": {**PRINCIPAL, "phone": "not-a-phone-555"}}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_input" and "phone" in body["errors"]
    assert b"not-a-phone-555" not in response.content
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_or_wrong_token_is_401_problem(db: None) -> None:
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Api("sp_wrong").get("/cases").status_code == 401


@pytest.mark.django_db
def test_people_employment_stage_and_notes_round_trip(api: Api, case_ref: str) -> None:
    child = api.post(
        f"/cases/{case_ref}/persons",
        {
            "relationship": "child",
            "sex": "female",
            "given_name_latin": "Maryam",
            "birth_date": {"year": 2015, "month": 3, "day": 2, "calendar": "gregorian"},
        },
    )
    assert child.status_code == 201
    principal_id = Person.objects.get(relationship="principal").pk
    job = api.post(
        f"/cases/{case_ref}/employment",
        {
            "person": str(principal_id),
            "employer_name": "US Army",
            "employer_kind": "us_military",
            "role": "Interpreter",
            "interpreter": True,
            "start_date": {"year": 2010, "month": 4},
            "end_date": {"year": 2013},
        },
    )
    assert job.status_code == 201, job.content
    patched = api.patch(
        f"/cases/{case_ref}/employment/{job.json()['id']}", {"role": "Senior interpreter"}
    )
    assert patched.json()["role"] == "Senior interpreter"
    assert patched.json()["employer_name"] == "US Army"
    stage = api.post(
        f"/cases/{case_ref}/stage", {"to_stage": "com_preparation", "reason": "letters requested"}
    )
    assert stage.status_code == 201
    note = api.post(f"/cases/{case_ref}/notes", {"text": "Called; family safe for now."})
    assert note.status_code == 201
    detail = api.get(f"/cases/{case_ref}").json()
    assert detail["stage"] == "com_preparation"
    assert len(detail["people"]) == 2 and len(detail["employment"]) == 1
    assert [e["to_stage"] for e in detail["stage_events"]] == ["intake", "com_preparation"]
    removed = api.delete(f"/cases/{case_ref}/persons/{child.json()['id']}")
    assert removed.status_code == 204


@pytest.mark.django_db
def test_documents_upload_and_download(api: Api, case_ref: str) -> None:
    upload = api.client.post(
        f"/api/v1/cases/{case_ref}/documents",
        {"kind": "passport", "file": io.BytesIO(PNG)},
    )
    assert upload.status_code == 201, upload.content
    doc_id = upload.json()["id"]
    download = api.get(f"/cases/{case_ref}/documents/{doc_id}/content")
    assert download.status_code == 200
    assert download.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_an_invalid_stage_change_is_a_409_problem(api: Api, case_ref: str) -> None:
    response = api.post(f"/cases/{case_ref}/stage", {"to_stage": "arrived_nowhere", "reason": "x"})
    assert response.status_code == 409
    assert response.json()["code"] == "stage_change_invalid"


@pytest.mark.django_db
def test_a_stage_move_the_pipeline_refuses_names_the_failed_checks(api: Api, case_ref: str) -> None:
    today = timezone.localdate().isoformat()
    moved = api.post(
        f"/cases/{case_ref}/stage", {"to_stage": "com_preparation", "effective_on": today}
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["effective_on"] == today and moved.json()["backward"] is False
    early = api.post(
        f"/cases/{case_ref}/stage", {"to_stage": "com_submitted", "effective_on": "2021-08-01"}
    )
    assert "effective_date_before_current_stage" in {c["code"] for c in early.json()["checks"]}
    refused = api.post(f"/cases/{case_ref}/stage", {"to_stage": "com_submitted"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "stage_change_invalid"
    assert {check["code"] for check in body["checks"]} == {"com_document_missing"}
    assert len(body["checks"]) == 4  # HR letter, recommendation, DS-157, identity document
    back = api.post(f"/cases/{case_ref}/stage", {"to_stage": "intake"})
    assert back.status_code == 409
    assert [check["code"] for check in back.json()["checks"]] == ["reason_required"]


@pytest.mark.django_db
def test_the_openapi_document_lists_the_endpoints_for_signed_in_staff(
    caseworker: Any, client_for: Any
) -> None:
    assert Client().get("/api/v1/openapi.json").status_code == 302
    schema = client_for(caseworker).get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{reference}/documents" in schema["paths"]


@pytest.mark.django_db
def test_identity_numbers_are_masked_unless_revealed_and_revealing_is_recorded(
    api: Api,
) -> None:
    from safepassage.protection.models import AuditEvent

    principal = {
        **PRINCIPAL,
        "tazkira_kind": "electronic",
        "tazkira_number": "1399-0101-12345",
        "passport_number": "P01234567",
    }
    ref = api.post("/cases", {"program": "siv", "principal": principal}).json()["reference"]
    masked = api.get(f"/cases/{ref}").json()["people"][0]
    assert masked["tazkira_number"].endswith("2345") and "13990" not in masked["tazkira_number"]
    assert masked["passport_number"].endswith("4567") and "P0" not in masked["passport_number"]
    assert not AuditEvent.objects.filter(action="person.reveal").exists()
    revealed = api.get(f"/cases/{ref}?reveal=true").json()["people"][0]
    assert revealed["tazkira_number"] == "1399010112345"
    assert AuditEvent.objects.filter(action="person.reveal").count() == 1
