"""An applicant fills in the whole form through the test client, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from intake_support import ABOUT_FA, Applicant
from tests.conftest import sample_jpeg

from safepassage.cases.models import Case, Document, Employment, Note, Person
from safepassage.intake.models import Application, ApplicationDraft, DraftDocument

pytestmark = pytest.mark.django_db


def test_a_household_applies_in_dari_with_two_family_members_two_employers_and_a_photo(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("fa")
    start = applicant.get("/apply/start/")
    assert start.status_code == 200
    assert 'dir="rtl"' in start.content.decode() and 'lang="fa"' in start.content.decode()

    applicant.fill_all(photo=sample_jpeg())
    review = applicant.get("/apply/step/review/").content.decode()
    assert "ذبیح الله" in review and "Mohammad Zaman" in review and "US Army" in review
    assert "۱۳۶۵" in review  # digits shown the way Dari readers write them

    response = applicant.submit()
    assert response.status_code == 303 and response["Location"] == "/apply/receipt/"

    case = Case.objects.get()
    assert case.organization == receiving_org and case.channel == "web"
    people = list(Person.objects.filter(case=case))
    assert len(people) == 3
    principal = next(p for p in people if p.relationship == "principal")
    assert principal.given_name_arabic == "ذبیح الله"
    assert principal.father_name_arabic == "عبدالغفور"
    assert principal.name_on_passport == "Zabiullah Ahmadzai"
    assert principal.tazkira_volume == "123"  # Eastern Arabic digits stored as Latin
    assert principal.phone == "+93701234567"
    assert str(principal.birth_date) == "1365-07-15"
    assert {p.relationship for p in people} == {"principal", "spouse", "child"}
    assert Employment.objects.filter(case=case).count() == 2
    document = Document.objects.get(case=case)
    assert document.kind == "tazkira" and document.content_type == "image/jpeg"
    assert Note.objects.filter(case=case).count() == 1
    assert Application.objects.get(case=case).language == "fa"

    receipt = applicant.get("/apply/receipt/").content.decode()
    assert case.reference in receipt and 'id="pin"' in receipt
    again = applicant.get("/apply/receipt/").content.decode()
    assert case.reference in again and 'id="pin"' not in again  # the PIN is shown once
    draft = ApplicationDraft.objects.get()
    assert draft.receipt_viewed_at is not None and DraftDocument.objects.count() == 0


def test_every_page_says_only_form_in_its_title_and_offers_quick_exit(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("ps")
    with translation.override("ps"):
        title = translation.pgettext("neutral page title", "Form")
    assert title in ("فورمه", "فورم")  # the translators' word for "form", nothing more
    for url in ("/apply/start/", "/apply/step/about/", "/apply/resume/", "/apply/status/"):
        page = applicant.get(url).content.decode()
        assert f"<title>{title}</title>" in page
        assert 'href="/apply/exit/"' in page
        assert "SafePassage" not in page


def test_the_about_step_keeps_what_was_typed_even_when_it_is_not_valid(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", {**ABOUT_FA, "birth_date_0": "1365-12-31"})  # 31 Hut: no such day
    page = applicant.get("/apply/step/about/").content.decode()
    assert "This day does not exist in that month." in page
    assert "ذبیح الله" in page and "1365-12-31" in page


def test_sending_the_same_draft_twice_opens_one_case(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("fa")
    applicant.fill_all()
    first = applicant.submit()
    second = applicant.submit()  # a double click, or a retry after a lost response
    assert first.status_code == second.status_code == 303
    assert Case.objects.count() == 1 and Application.objects.count() == 1
    # The response was lost before the receipt was seen: the retry still shows the PIN once.
    assert 'id="pin"' in applicant.get("/apply/receipt/").content.decode()


def test_a_draft_sent_again_from_another_device_with_its_code_opens_no_second_case(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    applicant.submit()
    other = Applicant()
    other.choose("en")
    other.post("/apply/resume/", {"code": applicant.resume_code})
    assert other.submit()["Location"] == "/apply/receipt/"
    assert Case.objects.count() == 1


def test_a_failure_while_sending_saves_nothing_and_keeps_the_draft(
    receiving_org: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from pathlib import Path

    from safepassage.cases import services as case_services

    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all(photo=sample_jpeg())
    documents_dir = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    files_before = sorted(p.name for p in documents_dir.rglob("*.bin"))

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(case_services, "note_add", broken)
    with pytest.raises(RuntimeError):
        applicant.submit()
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    assert Document.objects.count() == 0 and Employment.objects.count() == 0
    assert sorted(p.name for p in documents_dir.rglob("*.bin")) == files_before
    draft = ApplicationDraft.objects.get()
    assert draft.case_id is None and DraftDocument.objects.filter(draft=draft).count() == 1

    monkeypatch.undo()
    assert applicant.submit()["Location"] == "/apply/receipt/"
    assert Case.objects.count() == 1 and Document.objects.count() == 1


def test_an_unfinished_application_cannot_be_sent(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    response = applicant.submit()
    assert response.status_code == 422
    page = response.content.decode()
    assert "still need your attention" in page and "/apply/step/employment/" in page
    assert Case.objects.count() == 0


def test_the_application_is_not_sent_without_consent(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    response = applicant.post("/apply/submit/", {})
    assert response.status_code == 422
    assert "Tick this box to agree" in response.content.decode()
    assert Case.objects.count() == 0


def test_family_members_are_added_and_removed_without_javascript(receiving_org: Any) -> None:
    from intake_support import FAMILY, formset

    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    applicant.step("family", formset("m", FAMILY, 30), action="add")
    page = applicant.get("/apply/step/family/").content.decode()
    assert page.count("<legend>Family member") == 3  # two filled in, one blank
    removed = formset("m", FAMILY, 30)
    removed["m-0-DELETE"] = "on"
    assert applicant.step("family", removed).status_code == 303
    page = applicant.get("/apply/step/family/").content.decode()
    assert page.count("<legend>Family member") == 1 and "Mohammad Zaman" in page
    assert "فرشته" not in page


def test_staff_fill_the_form_for_someone_on_the_phone(
    org: Any, caseworker: Any, client_for: Any, settings: Any
) -> None:
    settings.INTAKE_ORGANIZATION_SLUG = "nobody"  # staff cases go to the staff's organisation
    applicant = Applicant(client_for(caseworker))
    applicant.choose("en")
    assert "for someone else" in applicant.get("/apply/start/").content.decode()
    applicant.fill_all()
    applicant.submit()
    case = Case.objects.get()
    assert case.channel == "staff" and case.organization == org
    assert case.created_by == caseworker
    receipt = applicant.get("/apply/receipt/").content.decode()
    assert f"/cases/{case.reference}/" in receipt


def test_a_user_without_a_case_role_applies_like_anyone_else(
    receiving_org: Any, logistics_officer: Any, client_for: Any
) -> None:
    applicant = Applicant(client_for(logistics_officer))
    applicant.choose("en")
    assert "for someone else" not in applicant.get("/apply/start/").content.decode()
    applicant.fill_all()
    applicant.submit()
    case = Case.objects.get()
    assert case.channel == "web" and case.created_by is None


def test_without_a_receiving_organisation_the_draft_is_kept(settings: Any, db: None) -> None:
    settings.INTAKE_ORGANIZATION_SLUG = "missing"
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    assert applicant.submit().status_code == 503
    assert Case.objects.count() == 0 and ApplicationDraft.objects.get().case_id is None
