"""Finding people without clear-text search: blind indexes over identity numbers, phones
and name keys, confirmed after decryption, scoped to the user's organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from safepassage.api.services import api_token_issue
from safepassage.cases import selectors, services
from safepassage.cases.selectors import PersonQuery
from safepassage.protection.blind_index import blind_digest
from safepassage.protection.models import SearchToken


def open_case(org: Any, actor: Any, **principal: Any) -> Any:
    return services.case_open(actor=actor, organization=org, channel="staff", principal=principal)


@pytest.fixture
def zabih(org: Any, caseworker: Any) -> Any:
    return open_case(
        org,
        caseworker,
        given_name_latin="Zabihullah",
        given_name_arabic="ذبیح‌الله",
        father_name_latin="Mohammad Nabi",
        phone="0701234567",
        tazkira_kind="electronic",
        tazkira_number="1399-0101-12345",
        passport_number="p01234567",
    )


@pytest.mark.django_db
def test_identity_numbers_and_phones_are_found_however_they_are_typed(
    zabih: Any, caseworker: Any
) -> None:
    for query in (
        PersonQuery(phone="+93 70 123 4567"),
        PersonQuery(phone="۰۷۰۱۲۳۴۵۶۷"),
        PersonQuery(tazkira="1399 0101 12345"),
        PersonQuery(passport="P0123 4567"),
    ):
        found = selectors.people_find_for(user=caseworker, query=query)
        assert [p.case_id for p in found] == [zabih.pk], query


@pytest.mark.django_db
def test_names_are_found_across_spellings_and_scripts(zabih: Any, caseworker: Any) -> None:
    for name in ("Zabiullah", "zabihulla", "ذبیح الله"):
        found = selectors.people_find_for(user=caseworker, query=PersonQuery(name=name))
        assert [p.case_id for p in found] == [zabih.pk], name
    both = PersonQuery(name="Zabiullah", father_name="Muhammad Nabi")
    assert len(selectors.people_find_for(user=caseworker, query=both)) == 1
    wrong_father = PersonQuery(name="Zabiullah", father_name="Ghulam Hazrat")
    assert selectors.people_find_for(user=caseworker, query=wrong_father) == []


@pytest.mark.django_db
def test_other_values_and_other_organisations_are_not_found(
    zabih: Any, caseworker: Any, outsider: Any
) -> None:
    assert selectors.people_find_for(user=caseworker, query=PersonQuery(phone="0701234568")) == []
    assert selectors.people_find_for(user=outsider, query=PersonQuery(phone="0701234567")) == []


@pytest.mark.django_db
def test_the_database_holds_truncated_keyed_tokens_not_values(zabih: Any, settings: Any) -> None:
    tokens = list(SearchToken.objects.filter(case=zabih))
    kinds = {t.kind for t in tokens}
    assert {"phone", "tazkira", "passport", "given_name", "father_name"} <= kinds
    phone_token = next(t.digest for t in tokens if t.kind == "phone")
    assert len(phone_token) == settings.BLIND_INDEX_BITS["identity"] // 4
    assert phone_token == blind_digest("phone", "+93701234567")
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM protection_searchtoken")
        raw = " ".join(row[0] for row in cursor.fetchall())
    assert "701234567" not in raw and "zabih" not in raw.lower()


@pytest.mark.django_db
def test_a_correction_moves_the_person_to_the_new_tokens(zabih: Any, caseworker: Any) -> None:
    person = zabih.people.get()
    services.person_update(actor=caseworker, person=person, data={"phone": "0799999999"})
    assert selectors.people_find_for(user=caseworker, query=PersonQuery(phone="0701234567")) == []
    assert selectors.people_find_for(user=caseworker, query=PersonQuery(phone="0799999999"))


@pytest.mark.django_db
def test_the_find_page_and_the_api_search_by_post(
    zabih: Any, org: Any, caseworker: Any, client_for: Any
) -> None:
    from django.test import Client

    page = client_for(caseworker).post("/cases/find/", {"phone": "0701234567"})
    assert page.status_code == 200 and zabih.reference in page.content.decode()
    _record, token = api_token_issue(actor=None, user=caseworker, organization=org, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    found = api.post(
        "/api/v1/people/search", {"name": "ذبیح الله"}, content_type="application/json"
    ).json()
    assert [f["case"] for f in found] == [zabih.reference]
    assert found[0]["person"]["tazkira_number"].endswith("2345")
    assert not found[0]["person"]["tazkira_number"].startswith("1399")


@pytest.mark.django_db
def test_an_unreadable_number_on_the_find_page_says_so_beside_the_field(
    caseworker: Any, client_for: Any
) -> None:
    page = client_for(caseworker).post("/cases/find/", {"phone": "12"}).content.decode()
    assert "Enter a phone number with its country code" in page
    assert 'id="results"' not in page
