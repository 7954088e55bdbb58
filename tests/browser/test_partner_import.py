"""A caseworker working in Dari imports a partner spreadsheet in a real browser: upload,
preview of every row's class, confirmation; the known man is linked, not created again."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.test_caseworker_journey import sign_in
from tests.integration.linkage.import_support import ROW_OF, known_people, partner_xlsx

from safepassage.cases.models import Person
from safepassage.linkage.import_models import ImportBatch, RowClass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_imports_a_partner_spreadsheet_in_dari(
    live_server: Any, org: Any, caseworker: Any, page_at: Any, screenshot: Any, tmp_path: Any
) -> None:
    stored_case, _nasrin = known_people(org, caseworker)
    upload = tmp_path / "partner.xlsx"
    upload.write_bytes(partner_xlsx())
    people = Person.objects.count()

    base = live_server.url
    page = page_at(1280, 900)
    sign_in(page, base, "caseworker", "fa")
    page.goto(f"{base}/duplicates/")
    page.click("#import-link")
    page.wait_for_url(f"{base}/duplicates/import/?org=krn")
    assert page.get_attribute("html", "dir") == "rtl"
    page.set_input_files("input[type=file][name=file]", str(upload))
    page.click("#import-check")
    page.wait_for_selector("#import-confirm-button")

    batch = ImportBatch.objects.get()
    assert page.url == f"{base}/duplicates/import/{batch.pk}/"
    rows = page.locator("#import-rows tbody tr.import-row")
    assert rows.count() == 7
    known_row = page.locator(f"#import-rows tbody tr.import-{RowClass.MATCH}")
    assert stored_case.reference in known_row.inner_text()
    assert Person.objects.count() == people
    screenshot(page, "partner-import-preview-fa-1280")

    page.click("#import-confirm-button")
    page.wait_for_selector("#import-confirm-button", state="detached")
    assert Person.objects.count() == people + 4
    son = batch.rows.get(number=ROW_OF["son"])
    assert son.case_id == stored_case.pk
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "partner-import-done-fa-1280")
