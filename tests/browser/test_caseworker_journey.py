"""A caseworker works a case in Dari, in a real browser, at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import PASSWORD

from safepassage.cases.models import Case, Employment, Person
from safepassage.engine.dates import Calendar, PartialDate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, username: str, language: str) -> None:
    # Second step: the code of the user's authenticator app (see safepassage.accounts.testing).
    from django.contrib.auth import get_user_model

    from safepassage.accounts.testing import totp_code, totp_device_for

    device = totp_device_for(get_user_model().objects.get(username=username))
    page.goto(f"{base}/accounts/login/")
    if language != "en":
        page.click(f"form.languages button[value={language}]")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button.primary")
    page.wait_for_url(f"{base}/accounts/two-factor/?**")
    page.fill("#id_code", totp_code(device))
    page.click("form button.primary")
    page.wait_for_url(f"{base}/cases/")


def test_caseworker_opens_a_household_in_dari_and_moves_it_to_the_next_stage(
    live_server: Any, caseworker: Any, page_at: Any, screenshot: Any
) -> None:
    base = live_server.url
    page = page_at(390, 844)
    sign_in(page, base, "caseworker", "fa")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "fa"

    page.click("a[href='/cases/new/']")
    page.wait_for_url("**/cases/new/")
    page.select_option("#id_program", "siv")
    page.select_option("#id_sex", "male")
    page.fill("#id_given_name_latin", "Zabiullah")
    page.fill("#id_given_name_arabic", "ذبیح الله")
    page.fill("#id_father_name_latin", "Abdul Ghafoor")
    page.fill("#id_birth_date_0", "۱۳۶۵-۰۷-۱۵")  # Eastern Arabic digits
    page.select_option("#id_birth_date_1", "solar_hijri")
    page.fill("#id_phone", "۰۷۰۱۲۳۴۵۶۷")
    screenshot(page, "case-open-fa-390")
    page.click("form.form button.primary")
    page.wait_for_selector("#household")

    page.click("#household a.button")
    page.wait_for_url("**/people/new/")
    page.select_option("#id_relationship", "spouse")
    page.select_option("#id_sex", "female")
    page.fill("#id_given_name_latin", "Freshta")
    page.fill("#id_birth_date_0", "1370")
    page.click("form.form button.primary")
    page.wait_for_selector("#household")
    assert page.locator("#household li.person").count() == 2

    page.click("#employment a.button")
    page.wait_for_url("**/employment/new/")
    page.fill("#id_employer_name", "US Army")
    page.select_option("#id_employer_kind", "us_military")
    page.fill("#id_role", "Interpreter")
    page.check("#id_interpreter")
    page.fill("#id_start_date_0", "۱۳۸۹-۰۱")
    page.select_option("#id_start_date_1", "solar_hijri")
    page.fill("#id_end_date_0", "2014-06")
    page.select_option("#id_end_date_1", "gregorian")
    page.click("form.form button.primary")
    page.wait_for_selector("#employment .employment")

    page.select_option("#id_to_stage", "com_preparation")
    page.fill("#id_reason", "نامه منابع بشری رسید")
    page.click("#stage button.primary")
    page.wait_for_selector("#current-stage.stage-com_preparation")
    history = page.locator("#stage-history li")
    assert history.count() == 2
    assert "نامه منابع بشری رسید" in history.nth(1).inner_text()
    screenshot(page, "case-detail-fa-390")

    case = Case.objects.get()
    assert case.stage == "com_preparation" and case.channel == "staff"
    principal = Person.objects.get(case=case, relationship="principal")
    assert principal.birth_date == PartialDate(1365, 7, 15, Calendar.SOLAR_HIJRI)
    assert principal.phone == "+93701234567"
    job = Employment.objects.get(case=case)
    assert job.start_date == PartialDate(1389, 1, calendar=Calendar.SOLAR_HIJRI)
    assert job.interpreter is True


def test_a_wrong_input_shows_a_message_beside_the_field_and_keeps_what_was_typed(
    live_server: Any, caseworker: Any, page_at: Any, screenshot: Any
) -> None:
    base = live_server.url
    page = page_at(1440, 900)
    sign_in(page, base, "caseworker", "ps")
    page.goto(f"{base}/cases/new/")
    page.fill("#id_given_name_latin", "Mohammad Zaman")
    page.fill("#id_birth_date_0", "2999")
    page.select_option("#id_birth_date_1", "gregorian")
    page.fill("#id_phone", "12")
    page.click("form.form button.primary")
    page.wait_for_selector(".has-error")
    assert page.input_value("#id_given_name_latin") == "Mohammad Zaman"
    assert page.locator(".field.has-error").count() >= 2
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "case-open-errors-ps-1440")
    assert Case.objects.count() == 0
