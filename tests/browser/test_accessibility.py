"""Accessibility (WCAG 2.2 AA, as axe-core checks it) of every step of the public application
and of the staff's case pages, in English, Dari and Pashto, in a real browser.

axe-core is vendored in tests/browser/vendor/axe-core/ (see its README): tests never download.
Serious and critical violations fail; the message lists each one with the page, the rule and
the elements.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from tests.browser.test_caseworker_journey import sign_in
from tests.conftest import sample_jpeg

from safepassage.cases import services
from safepassage.cases.models import Case
from safepassage.engine.dates import Calendar, PartialDate
from safepassage.protection import keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
LANGUAGES = ["en", "fa", "ps"]

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    const violations = results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({
            target: n.target.join(" "),
            html: n.html.slice(0, 200),
            summary: (n.failureSummary || "").slice(0, 300),
        })),
        count: v.nodes.length,
    }));
    return {violations: violations, passed: results.passes.length};
}"""


class Axe:
    """Runs axe on page after page and keeps the serious and critical violations, so that one
    run reports every page instead of stopping at the first."""

    def __init__(self) -> None:
        self.found: list[dict[str, Any]] = []
        self.pages: list[str] = []

    def check(self, page: Any, name: str) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=AXE_SOURCE)
        self.pages.append(name)
        results = page.evaluate(RUN_AXE, WCAG_TAGS)
        assert results["passed"] > 0, f"axe checked nothing on {name}"
        for violation in results["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                self.found.append({"page": name, "url": page.url, **violation})

    def assert_clean(self) -> None:
        assert self.pages, "no page was checked"
        report = json.dumps(self.found, ensure_ascii=False, indent=2)
        assert not self.found, f"{len(self.found)} serious/critical violations:\n{report}"


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A page whose Content-Security-Policy is not enforced. The app's policy allows no inline
    scripts (only its own files and per-response nonces), and axe has to be injected as an
    inline script; bypassing the policy is for this accessibility run only: every other
    browser test runs under the real policy."""
    contexts = []

    def open_page(width: int = 390, height: int = 844) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def receiving_org(org: Any, settings: Any) -> Iterator[Any]:
    settings.INTAKE_ORGANIZATION_SLUG = org.slug
    cache.clear()  # rate-limit counters
    keys.reset()
    yield org
    cache.clear()


def next_step(page: Any, url_part: str) -> None:
    page.click("form#step button.primary")
    page.wait_for_url(f"**{url_part}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_step_of_the_application_meets_wcag_22_aa(
    live_server: Any, receiving_org: Any, axe_page: Any, tmp_path: Path, language: str
) -> None:
    base = live_server.url
    page = axe_page(390, 844)
    axe = Axe()
    photo = tmp_path / "tazkira.jpg"
    photo.write_bytes(sample_jpeg())

    page.goto(f"{base}/apply/")
    axe.check(page, "language")
    page.click(f"button[value={language}]")
    page.wait_for_url("**/apply/start/")
    axe.check(page, "start")

    page.goto(f"{base}/apply/step/about/")
    axe.check(page, "about")
    page.fill("#id_given_name", "ذبیح الله")
    page.fill("#id_father_name", "عبدالغفور")
    page.check("input[name=sex][value=male]")
    page.fill("#id_birth_date_0", "2999")  # in the future: an error to show
    page.click("form#step button.primary")
    page.wait_for_selector("span.code")
    axe.check(page, "resume code")
    page.click("a.primary")
    page.wait_for_url("**/apply/step/about/")
    axe.check(page, "about, with an error")
    page.fill("#id_birth_date_0", "۱۳۶۵-۰۷-۱۵")
    page.select_option("#id_birth_date_1", "solar_hijri")
    page.check("input[name=tazkira_kind][value=electronic]")
    page.fill("#id_tazkira_number", "۱۴۰۰-۰۱۰۱-۱۲۳۴۵")
    next_step(page, "/apply/step/family/")

    axe.check(page, "family, empty")
    page.click("form#step button[value=add]")
    page.wait_for_selector("#id_m-0-given_name")
    page.select_option("#id_m-0-relationship", "spouse")
    page.fill("#id_m-0-given_name", "فرشته")
    page.select_option("#id_m-0-sex", "female")
    page.fill("#id_m-0-birth_date_0", "۱۳۷۰")
    axe.check(page, "family, one person")
    next_step(page, "/apply/step/employment/")

    axe.check(page, "employment")
    page.fill("#id_e-0-employer_name", "US Army")
    page.select_option("#id_e-0-employer_kind", "us_military")
    page.fill("#id_e-0-role", "Interpreter")
    page.check("#id_e-0-interpreter")
    page.fill("#id_e-0-start_date_0", "۱۳۸۹-۰۱")
    next_step(page, "/apply/step/threat/")

    axe.check(page, "threat")
    page.check("input[name=categories][value=threat_letter]")
    page.fill("#id_description", "A night letter at our door.")
    next_step(page, "/apply/step/location/")

    axe.check(page, "location")
    page.check("input[name=where][value=afghanistan]")
    page.select_option("#id_province", "AF-KAB")
    page.click("form#step button[value=refresh]")
    page.wait_for_selector("#id_district option:nth-child(3)", state="attached")
    page.select_option("#id_district", index=1)
    axe.check(page, "location, districts")
    next_step(page, "/apply/step/documents/")

    axe.check(page, "documents")
    page.select_option("#id_kind", "tazkira")
    page.set_input_files("#id_files", str(photo))
    page.click("form#step button[value=upload]")
    page.wait_for_selector("ul.files li")
    axe.check(page, "documents, one file")
    next_step(page, "/apply/step/contact/")

    axe.check(page, "contact")
    page.fill("#id_phone", "۰۷۰۱۲۳۴۵۶۷")
    page.check("input[name=leave_messages][value=no]")
    next_step(page, "/apply/step/review/")

    axe.check(page, "review")
    page.click("form#step button.primary")  # without agreeing: an error to show
    page.wait_for_selector(".has-error, .error-box, [aria-invalid=true]")
    axe.check(page, "review, without agreement")
    page.check("#id_consent")
    next_step(page, "/apply/receipt/")
    axe.check(page, "receipt")
    reference = page.inner_text("#reference").strip()
    pin = page.inner_text("#pin").strip()

    page.goto(f"{base}/apply/status/")
    axe.check(page, "status sign-in")
    page.fill("#id_reference", reference)
    page.fill("#id_pin", pin)
    page.click("form button.primary")
    page.wait_for_url("**/apply/status/")
    page.wait_for_selector("#reference, h1")
    axe.check(page, "status")
    page.goto(f"{base}/apply/resume/")
    axe.check(page, "resume")

    assert Case.objects.filter(reference=reference).exists()
    axe.assert_clean()


def household_case(org: Any, actor: Any) -> Case:
    """A case with what a caseworker's page shows: family, employment, a photo, a note, a
    task and a stage change (built with the real services)."""
    case = services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        program="siv",
        principal={
            "given_name_latin": "Zabiullah",
            "given_name_arabic": "ذبیح الله",
            "father_name_latin": "Abdul Ghafoor",
            "sex": "male",
            "birth_date": PartialDate(1365, 7, 15, Calendar.SOLAR_HIJRI),
            "phone": "+93701234567",
        },
    )
    principal = case.people.get(relationship="principal")
    services.person_add(
        actor=actor,
        case=case,
        data={"relationship": "spouse", "given_name_latin": "Freshta", "sex": "female"},
    )
    services.employment_add(
        actor=actor,
        case=case,
        person=principal,
        data={
            "employer_name": "US Army",
            "employer_kind": "us_military",
            "role": "Interpreter",
            "interpreter": True,
            "start_date": PartialDate(2010, 3, calendar=Calendar.GREGORIAN),
        },
    )
    services.document_attach(
        actor=actor,
        case=case,
        kind="tazkira",
        content=sample_jpeg(),
        original_name="tazkira.jpg",
        person=principal,
    )
    services.note_add(actor=actor, case=case, text="Called; the family is in Kabul.")
    services.task_add(actor=actor, case=case, title="Ask for the HR letter")
    services.case_change_stage(
        actor=actor, case=case, to_stage="com_preparation", reason="HR letter received"
    )
    return case


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_pages_meet_wcag_22_aa(
    live_server: Any, org: Any, caseworker: Any, axe_page: Any, language: str
) -> None:
    base = live_server.url
    case = household_case(org, caseworker)
    page = axe_page(1280, 900)
    axe = Axe()

    page.goto(f"{base}/accounts/login/")
    if language != "en":
        page.click(f"form.languages button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    axe.check(page, "sign-in")
    sign_in(page, base, "caseworker", language)

    reference = case.reference
    pages = [
        ("case list", "/cases/"),
        ("case detail", f"/cases/{reference}/"),
        ("new case", "/cases/new/"),
        ("add a person", f"/cases/{reference}/people/new/"),
        ("add employment", f"/cases/{reference}/employment/new/"),
        ("add a document", f"/cases/{reference}/documents/new/"),
        ("find a person", "/cases/find/"),
    ]
    for name, path in pages:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, (name, path)
        assert page.get_attribute("html", "lang") == language
        axe.check(page, name)

    page.goto(f"{base}/cases/new/")
    page.click("form.form button.primary")  # nothing filled in: errors beside the fields
    page.wait_for_selector(".has-error")
    axe.check(page, "new case, with errors")
    axe.assert_clean()
