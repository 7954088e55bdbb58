"""DS-157 data: completeness, checks, encryption at rest, and the form page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from com_support import ADDRESS, CLAN, COMPLETE_ANSWERS, fill_ds157, open_siv_case
from django.urls import reverse

from safepassage.cases import services
from safepassage.cases.ds157 import (
    SECTIONS,
    ds157_clean,
    ds157_is_complete,
    ds157_missing,
    ds157_save,
)
from safepassage.cases.models import DS157_FIELDS, Ds157Data
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.protection.models import AuditEvent

DS157_ONLY = [
    "other_names",
    "address",
    "travel",
    "organizations",
    "skills",
    "military",
    "clan_tribe",
    "languages",
    "education",
]


@pytest.mark.django_db
def test_a_case_without_ds157_answers_lacks_every_ds157_section(org: Any, caseworker: Any) -> None:
    case = open_siv_case(org, caseworker)
    assert ds157_missing(case=case) == DS157_ONLY
    assert ds157_is_complete(case=case) is False


@pytest.mark.django_db
def test_a_bare_case_also_lacks_what_the_case_itself_must_hold(org: Any, caseworker: Any) -> None:
    case = services.case_open(
        actor=caseworker,
        organization=org,
        channel="staff",
        program="siv",
        principal={"given_name_arabic": "ذبیح الله"},
    )
    fill_ds157(case, caseworker)
    assert ds157_missing(case=case) == [
        "principal_name",
        "birth_date",
        "birth_place",
        "identity_document",
        "employment",
    ]


@pytest.mark.django_db
def test_a_filled_in_case_is_complete(org: Any, caseworker: Any) -> None:
    case = open_siv_case(org, caseworker)
    fill_ds157(case, caseworker)
    assert ds157_missing(case=case) == []
    assert ds157_is_complete(case=case) is True
    assert set(ds157_missing(case=case)) <= set(SECTIONS)


@pytest.mark.django_db
def test_a_yes_without_entries_leaves_the_section_missing(org: Any, caseworker: Any) -> None:
    case = open_siv_case(org, caseworker)
    ds157_save(
        actor=caseworker,
        case=case,
        data={**COMPLETE_ANSWERS, "military_service": [], "languages": []},
    )
    assert ds157_missing(case=case) == ["military", "languages"]


@pytest.mark.django_db
def test_a_skill_answered_yes_needs_an_explanation(org: Any, caseworker: Any) -> None:
    case = open_siv_case(org, caseworker)
    ds157_save(actor=caseworker, case=case, data={**COMPLETE_ANSWERS, "skills_explanation": ""})
    assert ds157_missing(case=case) == ["skills"]
    ds157_save(
        actor=caseworker,
        case=case,
        data={**COMPLETE_ANSWERS, "skills_firearms": "no", "skills_explanation": ""},
    )
    assert ds157_is_complete(case=case)


def test_inconsistent_or_unreadable_answers_are_refused_field_by_field() -> None:
    with pytest.raises(InvalidInputError) as refused:
        ds157_clean(
            {
                **COMPLETE_ANSWERS,
                "organizations_answer": "no",
                "organizations": ["Afghan Red Crescent"],
                "clan_tribe": "نورزی",
                "skills_nbc": "maybe",
                "military_service": [
                    {"country": "", "branch": "Army", "from_date": "2009", "to_date": "2006"}
                ],
                "countries_visited": [{"country": "Iran", "from_date": "last spring"}],
            }
        )
    errors = refused.value.errors
    assert set(errors) == {
        "organizations_answer",
        "clan_tribe",
        "skills_nbc",
        "military_service_1_country",
        "military_service_1_to_date",
        "countries_visited_1_from_date",
    }
    assert "Latin letters" in errors["clan_tribe"][0]
    assert "before the start" in errors["military_service_1_to_date"][0]


def test_dates_are_normalised_and_eastern_digits_accepted() -> None:
    clean = ds157_clean(
        {
            **COMPLETE_ANSWERS,
            "education": [{"institution": "Kabul University", "from_date": "۲۰۰۲/۳"}],
        }
    )
    assert clean["education"][0]["from_date"] == "2002-03"


@pytest.mark.django_db
def test_answers_are_encrypted_at_rest_and_the_audit_names_no_value(
    org: Any, caseworker: Any
) -> None:
    case = open_siv_case(org, caseworker)
    fill_ds157(case, caseworker)
    record = Ds157Data.objects.get(case=case)
    # values_list reads the columns as stored: ciphertexts, not opened.
    row = Ds157Data.objects.filter(pk=record.pk).values_list(*DS157_FIELDS).get()
    sealed = [bytes(value) for value in row if isinstance(value, bytes | memoryview)]
    # Every answer given, the yes/no ones too, is a ciphertext (no organisations were listed).
    assert len(sealed) == len(DS157_FIELDS) - 1
    assert not any(value in (b"yes", b"no") for value in sealed)
    raw = b"".join(sealed)
    for secret in (ADDRESS, CLAN, "Afghan National Army", "Kabul University", "Sergeant"):
        assert secret.encode() not in raw
    event = AuditEvent.objects.filter(action="ds157.save").get()
    details = json.dumps(event.details)
    assert event.details["complete"] is True
    for secret in (ADDRESS, CLAN, "Pashto", "Sergeant", "yes"):
        assert secret not in details


@pytest.mark.django_db
def test_another_organisation_or_a_weaker_role_cannot_save(
    org: Any, caseworker: Any, outsider: Any, logistics_officer: Any
) -> None:
    case = open_siv_case(org, caseworker)
    for actor in (outsider, logistics_officer):
        with pytest.raises(NotFoundError):
            ds157_save(actor=actor, case=case, data=COMPLETE_ANSWERS)
    assert not Ds157Data.objects.exists()


# -- the page ---------------------------------------------------------------------------------


def _form_data(answers: dict[str, Any]) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, entry in enumerate(value, start=1):
                for column, text in entry.items():
                    data[f"{name}_{index}_{column}"] = text
        elif isinstance(value, list):
            data[name] = "\n".join(value)
        else:
            data[name] = value
    return data


@pytest.mark.django_db
def test_the_form_saves_and_the_case_page_shows_the_data_complete(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    client = client_for(caseworker)
    url = reverse("cases:ds157", kwargs={"reference": case.reference})
    before = client.get(reverse("cases:detail", kwargs={"reference": case.reference}))
    assert (
        'id="ds157"' in before.content.decode() and "9 sections missing" in before.content.decode()
    )
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(COMPLETE_ANSWERS))
    assert response.status_code == 302
    assert ds157_missing(case=case) == []
    page = client.get(response["Location"]).content.decode()
    assert "Complete" in page and 'id="com-package"' in page
    again = client.get(url).content.decode()
    assert ADDRESS.replace(",", ",") in again and "Afghan National Army" in again


@pytest.mark.django_db
def test_the_form_shows_errors_beside_the_fields_and_keeps_what_was_typed(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    url = reverse("cases:ds157", kwargs={"reference": case.reference})
    data = _form_data(COMPLETE_ANSWERS)
    data["military_service_1_to_date"] = "2001"
    response = client_for(caseworker).post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    field = page.index('name="military_service_1_to_date"')
    assert page.index("The end is before the start.", field) - field < 400
    assert 'value="Afghan National Army"' in page
    assert not Ds157Data.objects.exists()


@pytest.mark.django_db
def test_the_form_is_not_found_for_another_organisation_or_a_weaker_role(
    org: Any, caseworker: Any, outsider: Any, logistics_officer: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    url = reverse("cases:ds157", kwargs={"reference": case.reference})
    for user in (outsider, logistics_officer):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, _form_data(COMPLETE_ANSWERS)).status_code == 404
    assert not Ds157Data.objects.exists()
