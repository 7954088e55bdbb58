"""A caseworker takes an SIV case from intake to "COM submitted" in Pashto, in a real browser
at phone width: the pipeline refuses the submission until the HR letter, the recommendation,
an identity document and the DS-157 data are on file, then accepts it and starts the
government's nine-month clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from tests.browser.test_caseworker_journey import sign_in
from tests.conftest import sample_jpeg, sample_pdf

from safepassage.cases import services as case_services
from safepassage.cases.models import Case, StageEvent
from safepassage.engine.dates import Calendar, PartialDate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def intake_case(org: Any, caseworker: Any) -> Case:
    case = case_services.case_open(
        actor=caseworker,
        organization=org,
        channel="staff",
        program="siv",
        principal={
            "given_name_latin": "Zabiullah",
            "given_name_arabic": "ذبیح الله",
            "father_name_latin": "Abdul Ghafoor",
            "sex": "male",
            "name_on_passport": "ZABIULLAH FNU",
            "birth_date": PartialDate(1986, 10, 7, Calendar.GREGORIAN),
            "birth_province": "AF-HEL",
            "passport_number": "P01234567",
        },
    )
    principal = case.people.get(relationship="principal")
    case_services.employment_add(
        actor=caseworker,
        case=case,
        person=principal,
        data={
            "employer_name": "US Army",
            "employer_kind": "us_military",
            "role": "Interpreter",
            "interpreter": True,
            "start_date": PartialDate(2010, 3, None, Calendar.GREGORIAN),
            "end_date": PartialDate(2014, 6, None, Calendar.GREGORIAN),
        },
    )
    return case


def _move(page: Any, to_stage: str) -> None:
    page.select_option("#pipeline #id_to_stage", to_stage)
    with page.expect_navigation():
        page.click("#pipeline form button.primary")


def _upload(page: Any, base: str, reference: str, kind: str, path: Path) -> None:
    page.goto(f"{base}/cases/{reference}/documents/new/")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("form.form button.primary")
    page.wait_for_selector("#pipeline")


def test_caseworker_takes_a_case_from_intake_to_com_submitted_in_pashto(
    live_server: Any,
    caseworker: Any,
    intake_case: Case,
    page_at: Any,
    screenshot: Any,
    tmp_path: Path,
) -> None:
    base, reference = live_server.url, intake_case.reference
    page = page_at(390, 844)
    sign_in(page, base, "caseworker", "ps")
    page.goto(f"{base}/cases/{reference}/")
    assert page.get_attribute("html", "lang") == "ps"
    assert page.get_attribute("html", "dir") == "rtl"

    _move(page, "eligibility_review")
    _move(page, "com_preparation")
    assert Case.objects.get(pk=intake_case.pk).stage == "com_preparation"

    # Nothing for the COM application is on file: the move is refused, beside the field,
    # with each missing item named, and the case stays where it was.
    submit = page.locator("#next-moves li[data-stage=com_submitted]")
    assert submit.locator(".guard.missing").count() == 4  # HR, recommendation, ID, DS-157
    _move(page, "com_submitted")
    refusal = page.locator("#pipeline .has-error").first.inner_text()
    assert "DS-157" in refusal and "نشته" in refusal  # "missing", in Pashto
    assert "missing" not in refusal
    assert Case.objects.get(pk=intake_case.pk).stage == "com_preparation"
    screenshot(page, "com-refused-ps-390")

    for kind, name, content in (
        ("hr_letter", "hr-letter.pdf", sample_pdf("HR letter")),
        ("recommendation", "recommendation.pdf", sample_pdf("Recommendation")),
        ("passport", "passport.jpg", sample_jpeg()),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        _upload(page, base, reference, kind, path)
    assert page.locator("#next-moves li[data-stage=com_submitted] .guard.missing").count() == 1

    # The DS-157 answers the case does not hold yet.
    page.click("#ds157 a.button")
    page.wait_for_url(f"**/cases/{reference}/ds157/")
    for answer in (
        "other_names_answer",
        "travel_answer",
        "organizations_answer",
        "skills_firearms",
        "skills_explosives",
        "skills_nbc",
        "military_answer",
        "clan_tribe_answer",
        "education_answer",
    ):
        page.check(f"#id_{answer}_1")  # No
    page.fill("#id_current_address", "House 12, Street 4, Lashkar Gah, Helmand")
    page.fill("#id_languages", "Pashto\nDari\nEnglish")
    screenshot(page, "ds157-ps-390")
    with page.expect_navigation():
        page.click("form.form button.primary")
    page.wait_for_selector("#pipeline")

    ready = page.locator("#next-moves li[data-stage=com_submitted]")
    assert ready.locator(".guard.missing").count() == 0
    assert ready.locator(".guard.met").count() == 4
    _move(page, "com_submitted")
    page.wait_for_selector("#whose-move.owner-government")
    screenshot(page, "com-submitted-ps-390")

    case = Case.objects.get(pk=intake_case.pk)
    assert case.stage == "com_submitted"
    last = StageEvent.objects.filter(case=case).order_by("-at").first()
    assert last is not None and last.to_stage == "com_submitted"
    assert last.effective_on == timezone.localdate()  # left empty: sent today
    # The government's nine-month clock runs from the submission.
    assert page.locator("#clock-government").inner_text().strip() != ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
