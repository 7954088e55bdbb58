from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.conftest import sample_jpeg

from safepassage.cases import services
from safepassage.cases.loading import households_load
from safepassage.cases.models import Case, Document, Person, Task
from safepassage.synth import generate_households


def open_case(org: Any, actor: Any, name: str = "Ahmad Shah") -> Case:
    return services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        program="siv",
        principal={"given_name_latin": name, "sex": "male"},
    )


@pytest.mark.django_db
def test_the_case_list_needs_a_login(client: Any) -> None:
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_case_list_shows_own_cases_only(
    org: Any, other_org: Any, caseworker: Any, outsider: Any, client_for: Any
) -> None:
    mine = open_case(org, caseworker, "Rahmatullah")
    theirs = open_case(other_org, outsider, "Gulbuddin")
    page = client_for(caseworker).get("/cases/").content.decode()
    assert mine.reference in page and "Rahmatullah" in page
    assert theirs.reference not in page and "Gulbuddin" not in page


@pytest.mark.django_db
def test_the_case_list_filters_by_stage_program_and_assignee(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    moved = open_case(org, caseworker, "Moved")
    services.case_change_stage(
        actor=caseworker, case=moved, to_stage="eligibility_review", reason="checked"
    )
    stays = open_case(org, caseworker, "Stays")
    services.case_assign(actor=caseworker, case=stays, assignee=caseworker)
    client = client_for(caseworker)
    by_stage = client.get("/cases/", {"stage": "eligibility_review"}).content.decode()
    assert moved.reference in by_stage and stays.reference not in by_stage
    mine = client.get("/cases/", {"assignee": "me"}).content.decode()
    assert stays.reference in mine and moved.reference not in mine
    nobody = client.get("/cases/", {"assignee": "none"}).content.decode()
    assert moved.reference in nobody and stays.reference not in nobody
    p2 = client.get("/cases/", {"program": "p2"}).content.decode()
    assert moved.reference not in p2 and stays.reference not in p2


@pytest.mark.django_db
def test_lookup_by_reference_forgives_case_dashes_and_eastern_digits(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    typed = (
        case.reference.lower()
        .replace("-", " ")
        .translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    )
    response = client_for(caseworker).get("/cases/", {"reference": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"


@pytest.mark.django_db
def test_the_case_list_runs_a_fixed_number_of_queries(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    households_load(organization=org, households=generate_households(5, seed=1))
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    households_load(organization=org, households=generate_households(40, seed=2))
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_case_page_runs_a_fixed_number_of_queries(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    small = open_case(org, caseworker)
    households_load(organization=org, households=generate_households(1, seed=3))
    big = Case.objects.exclude(pk=small.pk).get()
    for _ in range(3):
        services.note_add(actor=caseworker, case=big, text="n")
        services.task_add(actor=caseworker, case=big, title="t")
    client.get(f"/cases/{small.reference}/")  # warm the per-process caches (rule revisions)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/cases/{small.reference}/")
    with CaptureQueriesContext(connection) as other:
        client.get(f"/cases/{big.reference}/")
    assert len(one) == len(other)


@pytest.mark.django_db
def test_opening_a_case_through_the_form_with_eastern_digits(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    response = client_for(caseworker).post(
        "/cases/new/",
        {
            "program": "siv",
            "sex": "male",
            "given_name_latin": "Abdul Wahid",
            "birth_date_0": "۱۳۶۰",
            "birth_date_1": "solar_hijri",
            "phone": "۰۷۹۹ ۱۲۳ ۴۵۶",
            "tazkira_kind": "paper",
            "tazkira_volume": "۱۲",
            "tazkira_page": "۳۴",
            "tazkira_registration": "۵۶۷",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.phone == "+93799123456"
    assert (person.tazkira_volume, person.tazkira_page, person.tazkira_registration) == (
        "12",
        "34",
        "567",
    )
    assert person.birth_date is not None and person.birth_date.year == 1360


@pytest.mark.django_db
def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong_in_dari(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    client.post("/i18n/setlang/", {"language": "fa", "next": "/cases/"})
    response = client.post(
        "/cases/new/",
        {
            "program": "siv",
            "sex": "male",
            "given_name_latin": "Najibullah",
            "birth_date_0": "2999",
            "birth_date_1": "gregorian",
            "phone": "12",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Najibullah"' in page
    assert 'dir="rtl"' in page
    assert page.count('class="error"') >= 2
    assert "The date of birth cannot be in the future." not in page  # translated
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_stage_change_notes_and_tasks_through_the_case_page(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    client = client_for(caseworker)
    url = f"/cases/{case.reference}"
    assert (
        client.post(f"{url}/stage/", {"to_stage": "com_preparation", "reason": "ok"}).status_code
        == 302
    )
    assert (
        client.post(f"{url}/stage/", {"to_stage": "com_preparation", "reason": ""}).status_code
        == 422
    )
    assert client.post(f"{url}/notes/", {"text": "Spoke with the family"}).status_code == 302
    assert (
        client.post(
            f"{url}/tasks/", {"title": "Ask for HR letter", "due_date": "۲۰۲۶-۱۲-۰۱"}
        ).status_code
        == 302
    )
    task = Task.objects.get()
    assert str(task.due_date) == "2026-12-01"
    client.post(f"{url}/tasks/{task.pk}/toggle/")
    task.refresh_from_db()
    assert task.done and task.done_at is not None
    page = client.get(f"{url}/").content.decode()
    assert "Spoke with the family" in page and "Ask for HR letter" in page
    case.refresh_from_db()
    assert case.stage == "com_preparation"


@pytest.mark.django_db
def test_documents_upload_and_download_through_the_case_page(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    client = client_for(caseworker)
    upload = io.BytesIO(sample_jpeg())
    upload.name = "Ahmad Shah tazkira.jpg"
    response = client.post(
        f"/cases/{case.reference}/documents/new/", {"kind": "tazkira", "file": upload}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    download = client.get(f"/cases/{case.reference}/documents/{document.pk}/")
    assert download.content.startswith(b"\xff\xd8\xff")
    assert "Ahmad" not in download["Content-Disposition"]
    bad = io.BytesIO(b"MZ\x90\x00 not a document")
    bad.name = "x.exe"
    refused = client.post(f"/cases/{case.reference}/documents/new/", {"kind": "other", "file": bad})
    assert refused.status_code == 200 and Document.objects.count() == 1


@pytest.mark.django_db
def test_pages_carry_security_headers_and_are_not_cached(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_case(org, caseworker)
    response = client_for(caseworker).get(f"/cases/{case.reference}/")
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_case_page_says_which_programs_the_case_qualifies_for_and_why(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    from safepassage.engine.dates import PartialDate

    case = open_case(org, caseworker)
    principal = case.people.get()
    services.employment_add(
        actor=caseworker,
        case=case,
        person=principal,
        data={
            "employer_name": "US Army",
            "employer_kind": "us_military",
            "interpreter": True,
            "start_date": PartialDate(2010, 4),
            "end_date": PartialDate(2013),
        },
    )
    page = client_for(caseworker).get(f"/cases/{case.reference}/").content.decode()
    assert 'id="eligibility"' in page
    assert "SIV" in page and "365 required" in page
    assert "letter of recommendation" in page.lower()
