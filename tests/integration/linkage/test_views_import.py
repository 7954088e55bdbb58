"""Pages of the partner import: upload, preview with every row's class and the matched case,
confirmation; the template; the link from the queue. Outsiders and weaker roles get "not
found"; no personal data in URLs."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from import_support import ROW_OF, known_people, partner_csv, partner_xlsx

from safepassage.cases.models import Person
from safepassage.linkage.import_models import ImportBatch, RowClass


def _upload(client: Any, content: bytes, name: str = "partner.csv") -> Any:
    return client.post("/duplicates/import/?org=krn", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_the_queue_links_to_the_import_page(caseworker: Any, client_for: Any) -> None:
    page = client_for(caseworker).get("/duplicates/").content.decode()
    assert "/duplicates/import/?org=krn" in page


@pytest.mark.django_db
def test_the_template_has_the_layout_headers_only(caseworker: Any, client_for: Any) -> None:
    response = client_for(caseworker).get("/duplicates/import/template.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response.status_code == 200
    assert len(lines) == 1
    assert lines[0].startswith("household,relationship,given_name,")


@pytest.mark.django_db
def test_upload_preview_and_confirm_through_the_pages(
    org: Any, caseworker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    stored_case, _nasrin = known_people(org, caseworker)
    client = client_for(caseworker)
    people = Person.objects.count()

    response = _upload(client, partner_xlsx(), "partner.xlsx")

    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/duplicates/import/{batch.pk}/"
    with django_assert_max_num_queries(25):
        page = client.get(response["Location"]).content.decode()
    assert stored_case.reference in page  # the known row shows the case it matches
    assert page.count('class="import-row import-') == 7
    assert "Needs review" in page and "Has errors" in page
    assert "country code" in page  # the bad row's message beside its column
    assert Person.objects.count() == people  # nothing written yet

    confirmed = client.post(f"/duplicates/import/{batch.pk}/confirm/")

    assert confirmed.status_code == 302
    assert Person.objects.count() == people + 4
    page = client.get(f"/duplicates/import/{batch.pk}/").content.decode()
    assert "import-confirm-button" not in page
    new_case = batch.rows.get(number=ROW_OF["new"]).case
    assert new_case is not None and new_case.reference in page


@pytest.mark.django_db
def test_an_unreadable_file_gets_its_error_beside_the_field(
    caseworker: Any, client_for: Any
) -> None:
    response = _upload(client_for(caseworker), b"just,some\nwords,here\n")
    assert response.status_code == 422
    assert "household" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_upload_page_renders_right_to_left_in_dari(caseworker: Any, client_for: Any) -> None:
    from django.conf import settings

    client = client_for(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    response = client.get("/duplicates/import/?org=krn")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa" dir="rtl"' in page
    assert "<code>household</code>" in page  # headers stay English in every language


@pytest.mark.django_db
def test_outsiders_and_weaker_roles_get_not_found(
    org: Any,
    caseworker: Any,
    outsider: Any,
    logistics_officer: Any,
    client_for: Any,
) -> None:
    _upload(client_for(caseworker), partner_csv())
    batch = ImportBatch.objects.get()
    for user in (outsider, logistics_officer):
        client = client_for(user)
        assert client.get(f"/duplicates/import/{batch.pk}/").status_code == 404
        assert client.post(f"/duplicates/import/{batch.pk}/confirm/").status_code == 404
        assert client.get("/duplicates/import/?org=krn").status_code == 404
        assert _upload(client, partner_csv()).status_code == 404
    assert client_for(caseworker).get("/duplicates/import/not-an-id/").status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert ImportBatch.objects.count() == 1
    assert set(batch.rows.values_list("row_class", flat=True)) >= {RowClass.NEW}


@pytest.mark.django_db
def test_the_upload_keeps_its_csrf_check_while_reading_the_file_in_memory_only(
    caseworker: Any,
) -> None:
    import re

    from django.test import Client

    from safepassage.accounts.testing import client_verify

    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    client_verify(client, caseworker)
    refused = _upload(client, partner_csv())
    assert refused.status_code == 403
    assert not ImportBatch.objects.exists()

    form_page = client.get("/duplicates/import/?org=krn").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)
    assert token is not None
    accepted = client.post(
        "/duplicates/import/?org=krn",
        {
            "csrfmiddlewaretoken": token.group(1),
            "file": SimpleUploadedFile("partner.csv", partner_csv()),
        },
    )
    assert accepted.status_code == 302
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_before_it_is_read(
    caseworker: Any, client_for: Any
) -> None:
    from safepassage.linkage.import_layout import MAX_FILE_BYTES

    response = _upload(client_for(caseworker), b"x" * (MAX_FILE_BYTES + 200_000))
    assert response.status_code == 422
    assert "larger than 5 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()
