"""Applicants fill in the public form in a real browser at phone width: in Dari with
JavaScript, in Pashto without it; they continue on another device with their code and leave
with quick exit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from tests.conftest import sample_jpeg

from safepassage.cases.models import Case, Document, Employment, Person
from safepassage.protection import keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _receiving_org(org: Any, settings: Any) -> Iterator[None]:
    settings.INTAKE_ORGANIZATION_SLUG = org.slug
    cache.clear()
    keys.reset()
    yield
    cache.clear()


@pytest.fixture
def page_without_javascript(browser: Any) -> Iterator[Any]:
    """A phone-sized page in a browser context that runs no JavaScript at all."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "tazkira.jpg"
    path.write_bytes(sample_jpeg())
    return path


def next_step(page: Any, url_part: str) -> None:
    page.click("form#step button.primary")
    page.wait_for_url(f"**{url_part}")


def fill_application(
    page: Any, base: str, language: str, photo: Path, screenshot: Any, tag: str
) -> tuple[str, str]:
    """Every step as an applicant does it; returns the resume code and the case reference."""
    page.goto(f"{base}/apply/")
    page.click(f"button[value={language}]")
    page.wait_for_url("**/apply/start/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == language
    screenshot(page, f"intake-start-{tag}")
    page.click("a[href='/apply/step/about/']")
    page.wait_for_url("**/apply/step/about/")

    page.fill("#id_given_name", "ذبیح الله")
    page.fill("#id_father_name", "عبدالغفور")
    page.fill("#id_grandfather_name", "محمد نبی")
    page.fill("#id_family_name", "Ahmadzai")
    page.check("input[name=sex][value=male]")
    page.fill("#id_birth_date_0", "۱۵ حمل ۱۳۶۵")  # an Afghan month name, Eastern digits
    page.check("input[name=tazkira_kind][value=electronic]")
    page.fill("#id_tazkira_number", "۱۴۰۰-۰۱۰۱-۱۲۳۴۵")
    screenshot(page, f"intake-about-{tag}")
    page.click("form#step button.primary")
    page.wait_for_selector("span.code")
    code = page.inner_text("span.code").strip()
    screenshot(page, f"intake-code-{tag}")
    page.click("a.primary")
    page.wait_for_url("**/apply/step/family/")

    page.click("form#step button[value=add]")
    page.wait_for_selector("#id_m-0-given_name")
    page.select_option("#id_m-0-relationship", "spouse")
    page.fill("#id_m-0-given_name", "فرشته")
    page.select_option("#id_m-0-sex", "female")
    page.fill("#id_m-0-birth_date_0", "۱۳۷۰")
    page.click("form#step button[value=add]")
    page.wait_for_selector("#id_m-1-given_name")
    assert page.input_value("#id_m-0-given_name") == "فرشته"
    page.select_option("#id_m-1-relationship", "child")
    page.fill("#id_m-1-given_name", "Mohammad Zaman")
    page.fill("#id_m-1-birth_date_0", "2012-03-04")
    page.select_option("#id_m-1-birth_date_1", "gregorian")
    screenshot(page, f"intake-family-{tag}")
    next_step(page, "/apply/step/employment/")

    page.fill("#id_e-0-employer_name", "US Army")
    page.select_option("#id_e-0-employer_kind", "us_military")
    page.fill("#id_e-0-role", "ترجمان")
    page.check("#id_e-0-interpreter")
    page.fill("#id_e-0-start_date_0", "۱۳۸۹-۰۱")
    page.fill("#id_e-0-end_date_0", "2014-06")
    page.select_option("#id_e-0-end_date_1", "gregorian")
    page.click("form#step button[value=add]")
    page.wait_for_selector("#id_e-1-employer_name")
    page.fill("#id_e-1-employer_name", "Mission Essential")
    page.select_option("#id_e-1-employer_kind", "us_government_contractor")
    page.fill("#id_e-1-role", "Linguist")
    page.fill("#id_e-1-start_date_0", "۱۳۹۴")
    screenshot(page, f"intake-employment-{tag}")
    next_step(page, "/apply/step/threat/")

    page.check("input[name=categories][value=threat_letter]")
    page.check("input[name=categories][value=family_attack]")
    page.fill("#id_description", "شبنامه به دروازه خانه ما گذاشته شد.")
    next_step(page, "/apply/step/location/")

    page.check("input[name=where][value=afghanistan]")
    page.select_option("#id_province", "AF-KAB")
    page.click("form#step button[value=refresh]")
    page.wait_for_selector("#id_district option:nth-child(3)", state="attached")
    page.select_option("#id_district", index=1)
    screenshot(page, f"intake-location-{tag}")
    next_step(page, "/apply/step/documents/")

    page.select_option("#id_kind", "tazkira")
    page.set_input_files("#id_files", str(photo))
    page.click("form#step button[value=upload]")
    page.wait_for_selector("ul.files li")
    screenshot(page, f"intake-documents-{tag}")
    next_step(page, "/apply/step/contact/")

    page.fill("#id_phone", "۰۷۰۱۲۳۴۵۶۷")
    page.fill("#id_whatsapp", "+92 300 1234567")
    page.fill("#id_safe_times", "بعد از ساعت ۸ شب")
    page.check("input[name=leave_messages][value=no]")
    screenshot(page, f"intake-contact-{tag}")
    next_step(page, "/apply/step/review/")

    assert page.locator(".error-box").count() == 0
    assert "ذبیح الله" in page.inner_text("main")
    screenshot(page, f"intake-review-{tag}")
    page.check("#id_consent")
    next_step(page, "/apply/receipt/")
    reference = page.inner_text("#reference").strip()
    assert len(page.inner_text("#pin").strip()) == 9
    screenshot(page, f"intake-receipt-{tag}")
    return code, reference


def assert_one_household(reference: str) -> None:
    case = Case.objects.get()
    assert case.reference == reference and case.channel == "web"
    assert Person.objects.filter(case=case).count() == 3
    assert Employment.objects.filter(case=case).count() == 2
    assert Document.objects.filter(case=case).count() == 1


def test_an_applicant_applies_in_dari_on_a_phone(
    live_server: Any, page_at: Any, screenshot: Any, photo: Path
) -> None:
    page = page_at(390, 844)
    _code, reference = fill_application(page, live_server.url, "fa", photo, screenshot, "fa-390")
    assert_one_household(reference)
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_applicant_applies_in_pashto_without_javascript(
    live_server: Any, page_without_javascript: Any, screenshot: Any, photo: Path
) -> None:
    page = page_without_javascript
    _code, reference = fill_application(
        page, live_server.url, "ps", photo, screenshot, "ps-390-nojs"
    )
    assert_one_household(reference)


def test_a_draft_continues_in_another_browser_and_quick_exit_leaves_no_trace(
    live_server: Any, page_at: Any, screenshot: Any
) -> None:
    base = live_server.url
    first = page_at(390, 844)
    first.goto(f"{base}/apply/")
    first.click("button[value=fa]")
    first.goto(f"{base}/apply/step/about/")
    first.fill("#id_given_name", "ذبیح الله")
    first.fill("#id_father_name", "عبدالغفور")
    first.click("form#step button.primary")
    first.wait_for_selector("span.code")
    code = first.inner_text("span.code").strip()

    second = page_at(390, 844)  # a new browser context: another phone
    second.goto(f"{base}/apply/")
    second.click("button[value=fa]")
    second.wait_for_url("**/apply/start/")
    second.click("a[href='/apply/resume/']")
    second.fill("#id_code", code.lower())
    screenshot(second, "intake-resume-fa-390")
    second.click("form button.primary")
    second.wait_for_url("**/apply/step/about/")
    assert second.input_value("#id_given_name") == "ذبیح الله"
    assert second.locator(".field.has-error").count() >= 1  # sex and birth date still missing
    screenshot(second, "intake-about-errors-fa-390")

    second.click("a.exit")
    second.wait_for_url("**/apply/today/")
    assert second.title() == "Weather"
    assert "SafePassage" not in second.content()
    screenshot(second, "intake-quick-exit-390")
    second.goto(f"{base}/apply/step/about/")
    assert second.input_value("#id_given_name") == ""
    assert second.evaluate("window.localStorage.length + window.sessionStorage.length") == 0


def test_the_proof_of_work_is_solved_by_the_browser_when_switched_on(
    live_server: Any, page_at: Any, settings: Any
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "intake"))
    from intake_support import Applicant

    settings.INTAKE_PROOF_OF_WORK_BITS = 12
    applicant = Applicant()  # fills every step through the test client
    applicant.choose("fa")
    applicant.fill_all()
    assert applicant.resume_code

    page = page_at(390, 844)
    page.goto(f"{live_server.url}/apply/resume/")
    page.fill("#id_code", applicant.resume_code)
    page.click("form button.primary")
    page.wait_for_url("**/apply/step/review/")
    assert page.locator("form[data-pow-challenge]").count() == 1
    page.check("#id_consent")
    page.click("form#step button.primary")
    page.wait_for_url("**/apply/receipt/")
    assert Case.objects.count() == 1


def test_the_form_pages_have_no_serious_accessibility_problems(
    live_server: Any, browser: Any, photo: Path
) -> None:
    """axe-core on every kind of page, in Dari at phone width (skipped when the optional
    ``axe-playwright-python`` package, which bundles axe-core, is not installed)."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "intake"))
    from intake_support import ABOUT_FA, Applicant

    applicant = Applicant()
    applicant.choose("fa")
    applicant.step("about", {**ABOUT_FA, "birth_date_0": "1365-12-31"})  # one error shown
    # axe is injected as a script: this context alone ignores the content security policy.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    axe = axe_module.Axe()
    base = live_server.url
    page.goto(f"{base}/apply/")
    page.click("button[value=fa]")
    page.goto(f"{base}/apply/resume/")
    page.fill("#id_code", applicant.resume_code or "")
    page.click("form button.primary")
    page.wait_for_url("**/apply/step/**")
    problems = []
    for url in [
        "/apply/",
        "/apply/start/",
        *(f"/apply/step/{s}/" for s in ("about", "family", "employment", "threat")),
        *(f"/apply/step/{s}/" for s in ("location", "documents", "contact", "review")),
        "/apply/resume/",
        "/apply/status/",
    ]:
        page.goto(f"{base}{url}")
        results = axe.run(page).response
        assert results["passes"], url  # axe did run
        violations = results["violations"]
        problems += [
            (url, v["id"], len(v["nodes"]))
            for v in violations
            if v["impact"] in ("critical", "serious", "moderate")
        ]
    context.close()
    assert problems == []
