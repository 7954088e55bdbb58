"""The intake services on their own: codes, the one-time PIN, and concurrent submissions."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import connection, connections
from intake_support import ABOUT_FA, Applicant
from tests.conftest import sample_jpeg

from safepassage.cases.models import Case
from safepassage.intake import codes, selectors, services
from safepassage.intake.models import Application, ApplicationDraft, DraftDocument
from safepassage.protection import keys
from safepassage.protection.audit import audit_verify
from safepassage.protection.models import AuditEvent


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


def _run_jobs() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _sealed_pin_in_database(application: Application) -> bytes | None:
    """The stored column as it is, not opened."""
    sealed = Application.objects.values_list("pin_sealed", flat=True).get(pk=application.pk)
    return None if sealed is None else bytes(sealed)


@pytest.mark.django_db(transaction=True)  # the job is queued on commit; the worker closes
def test_the_pin_is_hashed_by_a_job_after_the_submission_and_its_sealed_copy_forgotten(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    applicant.submit()
    pin = services.receipt_take_pin(draft=ApplicationDraft.objects.get())
    assert pin is not None
    application = Application.objects.get()
    # Until the job runs the PIN is sealed (never in clear), and there is no hash yet.
    sealed = _sealed_pin_in_database(application)
    assert application.pin_hash == "" and sealed is not None
    assert codes.normalize_code(pin).encode() not in sealed and pin.encode() not in sealed

    _run_jobs()

    application.refresh_from_db()
    assert application.pin_hash.startswith("argon2$")
    assert check_password(codes.normalize_code(pin), application.pin_hash)
    assert _sealed_pin_in_database(application) is None
    assert services.application_pin_harden(application_id=application.pk) == (
        application.pin_hash
    )  # a second run changes nothing


def _applied_without_jobs(given_name: str) -> tuple[Case, str]:
    """An application sent where no on-commit job runs: its PIN stays sealed."""
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    applicant.step("about", {**ABOUT_FA, "given_name": given_name})
    applicant.submit()
    draft = ApplicationDraft.objects.exclude(case=None).get(receipt_viewed_at=None)
    pin = services.receipt_take_pin(draft=draft)
    assert pin is not None and draft.case is not None
    assert Application.objects.get(case=draft.case).pin_hash == ""
    return draft.case, pin


@pytest.mark.django_db
def test_signing_in_before_the_job_ran_hashes_the_pin_first(receiving_org: Any) -> None:
    case, pin = _applied_without_jobs("Zabiullah")
    signed_in = services.status_sign_in(reference=case.reference, pin=pin.lower(), address="a")
    assert signed_in.pk == case.pk
    application = Application.objects.get(case=case)
    assert check_password(codes.normalize_code(pin), application.pin_hash)
    assert _sealed_pin_in_database(application) is None
    with pytest.raises(services.StatusSignInError):
        services.status_sign_in(reference=case.reference, pin="AAAA-AAAA", address="a")

    other, other_pin = _applied_without_jobs("Farid")
    with pytest.raises(services.StatusSignInError):  # wrong while still sealed
        services.status_sign_in(reference=other.reference, pin="AAAA-AAAA", address="a")
    assert Application.objects.get(case=other).pin_hash.startswith("argon2$")
    assert services.status_sign_in(reference=other.reference, pin=other_pin, address="a")


@pytest.mark.django_db
def test_housekeeping_hashes_a_pin_whose_job_was_lost(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    applicant.submit()
    assert Application.objects.get().pin_hash == ""
    out = io.StringIO()
    call_command("intake", "expire", stdout=out)
    assert "hashed 1 PINs left sealed" in out.getvalue()
    assert Application.objects.get().pin_hash.startswith("argon2$")


@pytest.mark.django_db
def test_a_step_saved_from_an_outdated_copy_of_the_draft_keeps_the_other_steps(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    first = ApplicationDraft.objects.get()
    second = ApplicationDraft.objects.get()  # a second tab read the draft at the same time
    services.draft_save_step(
        draft=first, step="threat", data={"description": ["x"]}, complete=False
    )
    services.draft_save_step(
        draft=second, step="contact", data={"phone": ["0701234567"]}, complete=False
    )
    saved = selectors.draft_answers(ApplicationDraft.objects.get())["steps"]
    assert set(saved) == {"about", "threat", "contact"}
    assert saved["threat"]["data"] == {"description": ["x"]}


@pytest.mark.django_db
def test_a_submitted_draft_takes_no_more_answers(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    stale = ApplicationDraft.objects.get()
    applicant.submit()
    services.draft_save_step(
        draft=stale, step="threat", data={"description": ["x"]}, complete=False
    )
    assert ApplicationDraft.objects.get().answers is None


@pytest.mark.django_db
def test_a_submission_writes_its_audit_entries_into_an_unbroken_chain(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.fill_all()
    applicant.submit()
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions.count("intake.submit") == 1 and actions.count("case.open") == 1
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert audit_verify() == []


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


@pytest.mark.django_db
def test_a_shredded_draft_cannot_be_read_even_where_its_key_was_just_used(
    receiving_org: Any,
) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    draft = ApplicationDraft.objects.get()
    assert "about" in selectors.draft_answers(draft)["steps"]  # the key is cached now
    other = Applicant()
    other.choose("en")
    other.step("about", ABOUT_FA)
    other_draft = ApplicationDraft.objects.exclude(pk=draft.pk).get()

    keys.destroy_scope(draft.pk)

    with pytest.raises(keys.KeyUnavailableError):
        selectors.draft_answers(ApplicationDraft.objects.get(pk=draft.pk))
    assert "about" in selectors.draft_answers(other_draft)["steps"]  # others are unharmed


@pytest.mark.django_db
def test_a_file_sent_again_after_a_lost_answer_is_kept_once(receiving_org: Any) -> None:
    applicant = Applicant()
    applicant.choose("en")
    applicant.step("about", ABOUT_FA)
    draft = ApplicationDraft.objects.get()
    photo = sample_jpeg()

    first = services.draft_document_add(
        draft=draft, kind="tazkira", content=photo, original_name="id.jpg"
    )
    again = services.draft_document_add(
        draft=draft, kind="tazkira", content=photo, original_name="id.jpg"
    )
    as_passport = services.draft_document_add(
        draft=draft, kind="passport", content=photo, original_name="id.jpg"
    )

    assert again.pk == first.pk and as_passport.pk != first.pk
    assert DraftDocument.objects.filter(draft=draft).count() == 2


@pytest.mark.django_db
def test_a_case_erased_before_its_pin_was_hashed_opens_to_no_pin(receiving_org: Any) -> None:
    from safepassage.cases.erasure import case_erase

    case, pin = _applied_without_jobs("Zabiullah")
    application = Application.objects.get(case=case)
    case_erase(actor=None, case=case, reason="the applicant asked")

    assert services.application_pin_harden(application_id=application.pk) == ""
    assert _sealed_pin_in_database(application) is None
    assert services.application_pins_harden() == 0  # nothing left to try again
    with pytest.raises(services.StatusSignInError):
        services.status_sign_in(reference=case.reference, pin=pin, address="a")
