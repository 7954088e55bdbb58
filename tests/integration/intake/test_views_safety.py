"""The applicant's safety and the form's defences: quick exit, resume codes, no personal data
in URLs or in the browser, light pages, honeypot, proof-of-work and rate limits."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from intake_support import ABOUT_FA, CONTACT, EMPLOYERS, FAMILY, THREAT, Applicant, formset
from tests.conftest import sample_jpeg

from safepassage.cases.models import Case
from safepassage.intake.models import ApplicationDraft
from safepassage.protection.models import DataKey

pytestmark = pytest.mark.django_db

STEPS = ["about", "family", "employment", "threat", "location", "documents", "contact", "review"]


def test_quick_exit_ends_the_session_and_lands_on_a_neutral_page(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("fa")
    applicant.step("about", ABOUT_FA)
    assert "ذبیح الله" in applicant.get("/apply/step/about/").content.decode()

    response = applicant.get("/apply/exit/")
    assert response.status_code == 302 and response["Location"] == "/apply/today/"
    assert "cookies" in response["Clear-Site-Data"]
    neutral = applicant.get("/apply/today/").content.decode()
    assert "<title>Weather</title>" in neutral
    assert "apply" not in neutral.replace("/apply/", "") and "form" not in neutral.lower()
    assert "SafePassage" not in neutral
    # Back in the form, nothing of what was typed is there any more.
    assert "ذبیح الله" not in applicant.get("/apply/step/about/").content.decode()
    assert ApplicationDraft.objects.count() == 1  # still resumable with its code


def test_a_resume_code_continues_the_draft_on_another_device(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("fa")
    applicant.step("about", ABOUT_FA)
    assert applicant.resume_code and re.fullmatch(
        r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", applicant.resume_code
    )
    draft = ApplicationDraft.objects.get()
    assert applicant.resume_code.replace("-", "") not in draft.resume_code_hash

    other = Applicant()
    other.choose("fa")
    typed = applicant.resume_code.lower().replace("-", " ")  # as someone might type it
    response = other.post("/apply/resume/", {"code": typed})
    assert response.status_code == 303 and response["Location"] == "/apply/step/family/"
    assert "ذبیح الله" in other.get("/apply/step/about/").content.decode()


def test_a_wrong_resume_code_opens_nothing_and_is_throttled(
    receiving_org: Any, settings: Any
) -> None:
    settings.INTAKE_RATE_LIMITS = {"resume_failures_per_address": 3}
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    stranger = Applicant()
    stranger.choose("en")
    for _ in range(3):
        response = stranger.post("/apply/resume/", {"code": "AAAA-BBBB-CCCC"})
        assert (
            response.status_code == 200 and "This code does not work" in response.content.decode()
        )
    assert stranger.post("/apply/resume/", {"code": applicant.resume_code}).status_code == 429
    assert "ذبیح الله" not in stranger.get("/apply/step/about/").content.decode()


def test_a_new_resume_code_replaces_the_old_one(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    old = applicant.resume_code
    page = applicant.step("family", formset("m", [], 30), action="code").content.decode()
    new = re.search(r'<span class="code"[^>]*>([0-9A-Z-]+)</span>', page)
    assert new and new.group(1) != old
    other = Applicant()
    other.choose("en")
    assert "This code does not work" in other.post("/apply/resume/", {"code": old}).content.decode()
    assert other.post("/apply/resume/", {"code": new.group(1)}).status_code == 303


def test_no_personal_data_ever_appears_in_a_url(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("fa")
    applicant.fill_all(photo=sample_jpeg())
    applicant.submit()
    pages = [applicant.get(f"/apply/step/{s}/").content.decode() for s in ("about",)]
    pages.append(applicant.get("/apply/receipt/").content.decode())
    for page in pages:
        applicant.urls.extend(re.findall(r'(?:href|action|src)="([^"]*)"', page))
    allowed = re.compile(
        r"^/(apply/(|start/|new/|step/[a-z]+/|resume/|submit/|receipt/|status/"
        r"(upload/|contact/|leave/)?|exit/|today/)|static/[\w/.-]+)(\?done=1)?$"
    )
    strangers = [url for url in applicant.urls if not allowed.match(url)]
    assert strangers == []


def test_sensitive_fields_are_not_remembered_by_the_browser(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    for step in ("about", "contact", "family", "employment"):
        page = applicant.get(f"/apply/step/{step}/").content.decode()
        assert '<form id="step" method="post"' in page and 'autocomplete="off"' in page
        for tag in re.findall(r"<input [^>]*>", page):
            if 'type="text"' in tag:
                assert 'autocomplete="off"' in tag, tag
        assert "localStorage" not in page and "sessionStorage" not in page


def test_every_step_is_light_and_loads_nothing_from_other_sites(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("ps")
    applicant.fill_all(photo=sample_jpeg())
    css_path = finders.find("safepassage/intake.css")
    assert css_path is not None
    with open(css_path, "rb") as handle:
        css = len(handle.read())
    for step in STEPS:
        response = applicant.get(f"/apply/step/{step}/")
        page = response.content
        assert response.status_code == 200
        assert len(page) + css < 60 * 1024, (step, len(page))
        text = page.decode()
        assert not re.search(r'(?:src|href)="(?:https?:)?//', text), step
        assert "<img" not in text
        assert len(re.findall(r'<link rel="stylesheet"', text)) == 1


def test_a_filled_in_hidden_field_means_a_robot_and_nothing_is_saved(receiving_org: Any) -> None:
    robot = Applicant()
    robot.choose("en")
    response = robot.step("about", {**ABOUT_FA, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert ApplicationDraft.objects.count() == 0


def test_too_many_new_drafts_from_one_address_are_refused_kindly(
    receiving_org: Any, settings: Any
) -> None:
    settings.INTAKE_RATE_LIMITS = {"drafts_per_address": 2}
    for _ in range(2):
        applicant = Applicant(REMOTE_ADDR="203.0.113.9")
        applicant.choose("en")
        assert applicant.step("about", ABOUT_FA).status_code == 200
    blocked = Applicant(REMOTE_ADDR="203.0.113.9")
    blocked.choose("en")
    response = blocked.step("about", ABOUT_FA)
    assert response.status_code == 429 and response["Retry-After"]
    assert "Please wait" in response.content.decode()
    other_address = Applicant(REMOTE_ADDR="198.51.100.7")
    other_address.choose("en")
    assert other_address.step("about", ABOUT_FA).status_code == 200
    assert ApplicationDraft.objects.count() == 3


def test_too_many_posts_from_one_address_are_refused(receiving_org: Any, settings: Any) -> None:
    settings.INTAKE_RATE_LIMITS = {"posts_per_address": 5}
    applicant = Applicant(REMOTE_ADDR="203.0.113.10")
    statuses = [applicant.choose("en").status_code for _ in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429


def test_too_many_saves_of_one_draft_are_refused(receiving_org: Any, settings: Any) -> None:
    settings.INTAKE_RATE_LIMITS = {"saves_per_draft": 3}
    applicant = Applicant()
    applicant.choose("en")
    statuses = [applicant.step("about", ABOUT_FA).status_code for _ in range(4)]
    assert statuses[-1] == 429


def test_proof_of_work_is_required_when_switched_on(receiving_org: Any, settings: Any) -> None:
    settings.INTAKE_PROOF_OF_WORK_BITS = 8
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    review = applicant.get("/apply/step/review/").content.decode()
    challenge = re.search(r'data-pow-challenge="([0-9a-f]+)"', review)
    assert challenge and "intake-pow.js" in review
    assert applicant.submit().status_code == 400
    assert Case.objects.count() == 0
    nonce = next(
        n
        for n in range(100_000)
        if hashlib.sha256(f"{challenge.group(1)}:{n}".encode()).digest()[0] == 0
    )
    assert applicant.submit(pow_nonce=str(nonce)).status_code == 303
    assert Case.objects.count() == 1


def test_an_expired_draft_is_erased_with_its_key_and_files(
    receiving_org: Any, settings: Any
) -> None:
    import datetime as dt
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import timezone

    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("id.jpg", sample_jpeg(), content_type="image/jpeg")
    applicant.step("documents", {"kind": "tazkira", "files": [upload]}, action="upload")
    draft = ApplicationDraft.objects.get()
    documents_dir = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert list(documents_dir.rglob("*.bin"))

    call_command("intake", "expire")
    assert ApplicationDraft.objects.count() == 1  # not yet expired

    ApplicationDraft.objects.filter(pk=draft.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    call_command("intake", "expire")
    assert ApplicationDraft.objects.count() == 0
    assert not list(documents_dir.rglob("*.bin"))
    assert DataKey.objects.get(scope=draft.pk).wrapped_key is None
    # The session still points at it: the applicant gets a fresh start, not an error.
    assert applicant.get("/apply/step/about/").status_code == 200


def test_answers_are_kept_encrypted_in_the_database(receiving_org: Any) -> None:
    from django.db import connection

    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    applicant.step("threat", THREAT)
    applicant.step("contact", CONTACT)
    applicant.step("family", formset("m", FAMILY, 30))
    applicant.step("employment", formset("e", EMPLOYERS, 15))
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM intake_applicationdraft")
        (blob,) = cursor.fetchone()
    raw = bytes(blob)
    for secret in ("ذبیح".encode(), b"night letter", b"Miller", b"1234567"):
        assert secret not in raw
