"""The applicant's status page: reference and PIN show the stage in plain words, let the
applicant send requested documents and new contact details, and reveal nothing else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from intake_support import Applicant
from tests.conftest import sample_pdf

from safepassage.cases import services as case_services
from safepassage.cases.models import Case, Document, Person
from safepassage.core.errors import NotFoundError
from safepassage.intake import services
from safepassage.intake.models import DocumentRequest
from safepassage.protection.models import AuditEvent

pytestmark = pytest.mark.django_db


def applied(language: str = "en", **client: Any) -> tuple[Case, str]:
    applicant = Applicant(**client)
    applicant.choose(language)
    applicant.fill_all()
    applicant.submit()
    receipt = applicant.get("/apply/receipt/").content.decode()
    pin = re.search(r'<span class="code" id="pin">([0-9A-Z-]+)</span>', receipt)
    assert pin is not None
    return Case.objects.get(), pin.group(1)


def signed_in(case: Case, pin: str, language: str = "en", **client: Any) -> Applicant:
    visitor = Applicant(**client)
    visitor.choose(language)
    response = visitor.post("/apply/status/", {"reference": case.reference, "pin": pin})
    assert response.status_code == 303, response.content.decode()[:500]
    return visitor


def test_the_right_pin_shows_the_stage_in_the_applicants_language(
    receiving_org: Any, caseworker: Any
) -> None:
    case, pin = applied("fa")
    visitor = Applicant()
    visitor.choose("en")
    typed = case.reference.lower().replace("-", "")  # as someone might type it
    response = visitor.post("/apply/status/", {"reference": typed, "pin": pin.lower()})
    assert response.status_code == 303 and response["Location"] == "/apply/status/"
    page = visitor.get("/apply/status/").content.decode()
    assert "We have received your application." in page
    # Nothing else of the case is shown: not the names, not the phone.
    for secret in ("ذبیح", "Zabiullah", "0701234567", "US Army", "Mohammad Zaman"):
        assert secret not in page

    case_services.case_change_stage(
        actor=caseworker, case=case, to_stage="eligibility_review", reason="checked"
    )
    page = visitor.get("/apply/status/").content.decode()
    assert "checking which program you may qualify for" in page
    assert AuditEvent.objects.filter(action="intake.status_sign_in").count() == 1


def test_wrong_pins_are_refused_recorded_and_throttled(receiving_org: Any, settings: Any) -> None:
    settings.INTAKE_RATE_LIMITS = {"pin_failures_per_reference": 3}
    case, pin = applied()
    visitor = Applicant()
    visitor.choose("en")
    for _ in range(3):
        response = visitor.post("/apply/status/", {"reference": case.reference, "pin": "AAAA-AAAA"})
        assert response.status_code == 403
        assert "The number or the PIN is not right." in response.content.decode()
    # Now even the right PIN waits, from any address.
    other = Applicant(REMOTE_ADDR="198.51.100.20")
    other.choose("en")
    response = other.post("/apply/status/", {"reference": case.reference, "pin": pin})
    assert response.status_code == 429
    assert (
        AuditEvent.objects.filter(action="intake.status_pin_wrong", object_id=str(case.pk)).count()
        == 3
    )
    assert "We have received" not in other.get("/apply/status/").content.decode()


def test_guessing_across_references_from_one_address_is_throttled(
    receiving_org: Any, settings: Any
) -> None:
    settings.INTAKE_RATE_LIMITS = {"pin_failures_per_address": 2}
    case, pin = applied()
    guesser = Applicant(REMOTE_ADDR="203.0.113.50")
    guesser.choose("en")
    for reference in ("AAAA-BBBB-C", "ZZZZ-YYYY-X"):
        assert (
            guesser.post("/apply/status/", {"reference": reference, "pin": "1234"}).status_code
            == 403
        )
    response = guesser.post("/apply/status/", {"reference": case.reference, "pin": pin})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="intake.status_reference_unknown").count() == 2


def test_the_applicant_sends_a_requested_document(receiving_org: Any, caseworker: Any) -> None:
    case, pin = applied()
    services.document_request_add(actor=caseworker, case=case, kind="hr_letter")
    visitor = signed_in(case, pin)
    page = visitor.get("/apply/status/").content.decode()
    assert "HR employment verification letter" in page and 'capture="environment"' in page
    upload = SimpleUploadedFile("letter.pdf", sample_pdf(), content_type="application/pdf")
    response = visitor.post("/apply/status/upload/", {"kind": "hr_letter", "file": upload})
    assert response.status_code == 303
    document = Document.objects.get(case=case, kind="hr_letter")
    request = DocumentRequest.objects.get(case=case)
    assert request.fulfilled_at is not None and request.document == document
    assert "Nothing at the moment" in visitor.get("/apply/status/").content.decode()


def test_only_requested_documents_can_be_sent(receiving_org: Any, caseworker: Any) -> None:
    case, pin = applied()
    services.document_request_add(actor=caseworker, case=case, kind="hr_letter")
    visitor = signed_in(case, pin)
    upload = SimpleUploadedFile("x.pdf", sample_pdf(), content_type="application/pdf")
    response = visitor.post("/apply/status/upload/", {"kind": "passport", "file": upload})
    assert response.status_code == 422
    assert Document.objects.filter(case=case, kind="passport").count() == 0


def test_the_applicant_updates_phone_and_email(receiving_org: Any) -> None:
    case, pin = applied()
    visitor = signed_in(case, pin)
    response = visitor.post(
        "/apply/status/contact/", {"phone": "+92 300 765 4321", "email": "new@example.org"}
    )
    assert response.status_code == 303
    principal = Person.objects.get(case=case, relationship="principal")
    assert principal.phone == "+923007654321" and principal.email == "new@example.org"
    wrong = visitor.post("/apply/status/contact/", {"phone": "12", "email": ""})
    assert wrong.status_code == 422
    assert "Enter a phone number with its country code" in wrong.content.decode()


def test_the_status_page_needs_a_sign_in(receiving_org: Any) -> None:
    case, _pin = applied()
    stranger = Applicant()
    stranger.choose("en")
    assert "Your PIN" in stranger.get("/apply/status/").content.decode()
    response = stranger.post("/apply/status/contact/", {"phone": "+93700000000"})
    assert response.status_code == 303 and response["Location"] == "/apply/status/"
    principal = Person.objects.get(case=case, relationship="principal")
    assert principal.phone == "+93701234567"


def test_only_staff_of_the_case_may_ask_for_documents(
    receiving_org: Any, outsider: Any, logistics_officer: Any
) -> None:
    case, _pin = applied()
    for person in (outsider, logistics_officer):
        with pytest.raises(NotFoundError):
            services.document_request_add(actor=person, case=case, kind="passport")
    assert DocumentRequest.objects.count() == 0
