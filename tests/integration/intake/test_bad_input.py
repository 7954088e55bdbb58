"""Hostile and accidental input on the form: each gets a clear message beside its field or is
stored as inert text, and nothing typed or saved before is lost."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from intake_support import ABOUT_FA, THREAT, Applicant

from safepassage.cases.models import Case
from safepassage.intake.models import ApplicationDraft, DraftDocument
from safepassage.intake.selectors import draft_answers, step_raw

pytestmark = pytest.mark.django_db

NAME_RULE = "A name can have only letters, spaces, hyphens (-) and apostrophes (&#x27;)."
CORPUS = [
    ("overlong", {"given_name": "A" * 101}, "This is too long: write at most 100 characters."),
    ("nul byte", {"given_name": "Ahmad\x00Shah"}, "Remove the hidden control characters"),
    ("bell", {"father_name": "Gul\x07"}, "Remove the hidden control characters"),
    ("emoji", {"given_name": "Ahmad 😀"}, NAME_RULE),
    ("sql", {"family_name": "Robert'); DROP TABLE cases_case;--"}, NAME_RULE),
    ("html", {"given_name": "<script>alert(1)</script>"}, NAME_RULE),
    ("template", {"given_name": "{{ 7*7 }}"}, NAME_RULE),
    ("31 Hut", {"birth_date_0": "1365-12-31"}, "This day does not exist in that month."),
    ("month 13", {"birth_date_0": "1365-13-01"}, "The month must be between 1 and 12."),
    ("future", {"birth_date_0": "1450"}, "The date of birth cannot be in the future."),
    ("year typo", {"birth_date_0": "365"}, "Write the date as year, year-month or year-month-day"),
    ("month of the other calendar", {"birth_date_0": "15 March 1990"}, "other calendar"),
    ("paper tazkira parts", {"tazkira_page": ""}, "A paper tazkira needs its volume"),
    ("passport", {"passport_number": "12"}, "A passport number has 6 to 12 letters and digits."),
    ("no sex", {"sex": "robot"}, "Choose one of the options."),
]


@pytest.mark.parametrize(("case_name", "bad", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_input_on_the_about_step_gets_a_clear_message_and_nothing_is_lost(
    receiving_org: Any, case_name: str, bad: dict[str, str], message: str
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    applicant.step("threat", THREAT)

    response = applicant.step("about", {**ABOUT_FA, **bad})
    assert response.status_code == 303 and response["Location"] == "/apply/step/about/"
    page = applicant.get("/apply/step/about/").content.decode()
    assert message in page
    assert 'class="field has-error"' in page
    # What was typed is still there, the good and the bad.
    assert "عبدالغفور" in page or "father_name" in bad
    draft = ApplicationDraft.objects.get()
    raw = step_raw(draft, "about")
    assert raw is not None
    for key, value in bad.items():
        assert raw[key] == [value]
    # Other steps saved before are untouched.
    assert draft_answers(draft)["steps"]["threat"]["complete"] is True
    assert "<script>alert(1)</script>" not in page


def test_invisible_direction_overrides_are_dropped_from_names(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", {**ABOUT_FA, "given_name": "\u202eAhmad\u202c Shah\u200b"})
    review = applicant.get("/apply/step/review/").content.decode()
    assert "Ahmad Shah" in review and "\u202e" not in review


def test_the_zero_width_non_joiner_of_dari_spelling_is_kept(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("fa")
    applicant.step("about", {**ABOUT_FA, "family_name": "احمدزی‌ها"})
    review = applicant.get("/apply/step/review/").content.decode()
    assert "احمدزی\u200cها" in review


def test_markup_and_template_syntax_in_free_text_are_kept_as_plain_text(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% debug %} '; DROP TABLE cases_case;--"
    applicant.fill_all()
    applicant.step("threat", {**THREAT, "description": hostile})
    review = applicant.get("/apply/step/review/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% debug %}" in review
    assert "<script>alert" not in review
    applicant.submit()
    case = Case.objects.get()
    assert hostile in case.notes.get().text


def test_a_file_that_is_too_large_gets_a_clear_message(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    big = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff" + b"0" * (50 * 1024 * 1024))
    response = applicant.step("documents", {"kind": "passport", "files": [big]}, "upload")
    assert response.status_code == 422
    assert "This file is too large." in response.content.decode()
    assert DraftDocument.objects.count() == 0


def test_a_file_whose_name_lies_about_its_type_gets_a_clear_message(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    program = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 500)
    response = applicant.step("documents", {"kind": "photo", "files": [program]}, "upload")
    assert response.status_code == 422
    page = response.content.decode()
    assert "photo.jpg: This kind of file is not accepted." in page
    assert DraftDocument.objects.count() == 0


def test_a_good_file_and_a_bad_one_sent_together(receiving_org: Any) -> None:
    from tests.conftest import sample_pdf

    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    good = SimpleUploadedFile("letter.pdf", sample_pdf(), content_type="application/pdf")
    bad = SimpleUploadedFile("archive.pdf", b"PK\x03\x04" + b"\x00" * 100)
    response = applicant.step("documents", {"kind": "hr_letter", "files": [good, bad]}, "upload")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Archives such as ZIP files are not accepted" in page and "letter.pdf" in page
    assert DraftDocument.objects.count() == 1
