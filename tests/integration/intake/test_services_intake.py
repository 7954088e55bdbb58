"""The intake services on their own: codes, the one-time PIN, and concurrent submissions."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from intake_support import Applicant

from safepassage.cases.models import Case
from safepassage.intake import codes, services
from safepassage.intake.models import Application, ApplicationDraft


def test_resume_codes_are_read_back_as_people_type_them() -> None:
    code = "7KQ2-M9XD-4HT0"
    assert codes.normalize_code("7kq2 m9xd 4ht0") == "7KQ2M9XD4HT0"
    assert codes.normalize_code("۷KQ۲-M۹XD-۴HTO") == "7KQ2M9XD4HT0"  # Eastern digits, O for 0
    assert codes.normalize_code("7KQ2-M9XD-4HT0!") == ""
    assert codes.resume_code_hash("7kq2m9xd4ht0") == codes.resume_code_hash(code)
    assert len(codes.normalize_code(codes.new_resume_code())) == codes.RESUME_CODE_LENGTH


@pytest.mark.django_db
def test_the_pin_is_given_out_once(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    applicant.submit()
    draft = ApplicationDraft.objects.get()
    pin = services.receipt_take_pin(draft=draft)
    assert pin is not None and len(codes.normalize_code(pin)) == codes.PIN_LENGTH
    assert services.receipt_take_pin(draft=draft) is None
    draft.refresh_from_db()
    assert draft.receipt_pin is None and draft.answers is None
    application = Application.objects.get()
    assert pin not in application.pin_hash


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL's concurrency"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_draft_open_one_case(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    draft = ApplicationDraft.objects.get()
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(services.application_submit(actor=None, draft=draft, language="en"))
        except Exception as error:  # reported by the assertion below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, Case) for r in results), results
    assert results[0].pk == results[1].pk
    assert Case.objects.count() == 1 and Application.objects.count() == 1
