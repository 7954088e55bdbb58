"""Writes of the public application: drafts and their files, the one-transaction submission
that turns a draft into a case, the receipt's one-time PIN, the applicant's status page
(sign-in with reference and PIN, requested documents, contact details) and draft expiry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from safepassage.cases import services as case_services
from safepassage.cases.household import case_household_set, household_from_application
from safepassage.cases.models import Case, Channel, Document, Person, Relationship
from safepassage.core.errors import DomainError, InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES, Membership, Organization
from safepassage.engine.places import districts, provinces
from safepassage.engine.reference import normalize_reference
from safepassage.intake import codes, limits, selectors
from safepassage.intake.errors import ApplicationIncompleteError, NoReceivingOrganizationError
from safepassage.intake.forms import THREAT_CATEGORIES
from safepassage.intake.models import Application, ApplicationDraft, DocumentRequest, DraftDocument
from safepassage.protection import files, keys
from safepassage.protection.audit import audit_batch, audit_record
from safepassage.protection.fields import EncryptedTextField
from safepassage.protection.uploads import clean_upload

logger = logging.getLogger(__name__)

Actor = Any  # a signed-in staff user, or None for the applicant (the system acts for them)


class _Subject:
    """An audit target that is not a row (a batch, an unknown reference)."""

    def __init__(self, key: str) -> None:
        self.pk = key


class TooManyDocumentsError(DomainError):
    code = "too_many_documents"
    status = 422
    default_message = _("You have sent as many files as this form can take.")


class StatusSignInError(DomainError):
    code = "status_sign_in"
    status = 403
    default_message = _(
        "The number or the PIN is not right. Check both and try again. After several wrong "
        "tries you will have to wait an hour."
    )


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INTAKE_DRAFT_DAYS)


def _encode(answers: Mapping[str, Any]) -> str:
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"), default=str)


# --- drafts ----------------------------------------------------------------------------------


def draft_start(
    *, language: str, assisted_by: Actor = None, organization: Organization | None = None
) -> tuple[ApplicationDraft, str]:
    """A new, empty draft and its resume code (shown to the applicant once, kept hashed)."""
    for _attempt in range(5):
        code = codes.new_resume_code()
        draft = ApplicationDraft(
            answers=_encode({"steps": {}}),
            resume_code_hash=codes.resume_code_hash(code),
            language=language,
            expires_at=_expiry(),
            assisted_by=assisted_by,
            organization=organization,
        )
        try:
            with transaction.atomic():
                draft.save(force_insert=True)
                audit_record(
                    actor=assisted_by,
                    action="intake.draft_start",
                    target=draft,
                    organization_id=organization.pk if organization else None,
                )
        except IntegrityError:  # pragma: no cover - 60 random bits do not collide
            continue
        return draft, code
    raise IntegrityError("could not allocate a resume code")  # pragma: no cover


def draft_save_step(
    *, draft: ApplicationDraft, step: str, data: Mapping[str, list[str]], complete: bool
) -> ApplicationDraft:
    """Keep what was typed on ``step`` (valid or not) and push the expiry back.

    Optimistic first: one UPDATE that applies only if the draft is still as ``draft`` was
    read (same ``updated_at``, not submitted). If another request changed it in between (a
    second tab), the draft is read again under a row lock and the step merged into that.
    """
    if draft.submitted_at is None and draft.updated_at is not None:
        answers = selectors.draft_answers(draft)
        answers["steps"][step] = {"data": dict(data), "complete": complete}
        text = _encode(answers)
        now = timezone.now()
        if now <= draft.updated_at:  # the condition below must see a change
            now = draft.updated_at + dt.timedelta(microseconds=1)
        field = ApplicationDraft._meta.get_field("answers")
        assert isinstance(field, EncryptedTextField)  # noqa: S101 - the model says so
        expires_at = _expiry()
        changed = ApplicationDraft.objects.filter(
            pk=draft.pk, updated_at=draft.updated_at, submitted_at__isnull=True
        ).update(answers=field.seal_for(text, draft), expires_at=expires_at, updated_at=now)
        if changed:
            draft.answers = text
            draft.expires_at, draft.updated_at = expires_at, now
            return draft
    return _draft_save_step_locked(draft=draft, step=step, data=data, complete=complete)


@transaction.atomic
def _draft_save_step_locked(
    *, draft: ApplicationDraft, step: str, data: Mapping[str, list[str]], complete: bool
) -> ApplicationDraft:
    locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.submitted_at is not None:
        return locked
    answers = selectors.draft_answers(locked)
    answers["steps"][step] = {"data": dict(data), "complete": complete}
    locked.answers = _encode(answers)
    locked.expires_at = _expiry()
    locked.save(update_fields=["answers", "expires_at", "updated_at"])
    return locked


def draft_set_language(*, draft: ApplicationDraft, language: str) -> None:
    ApplicationDraft.objects.filter(pk=draft.pk).update(language=language)


@transaction.atomic
def draft_new_resume_code(*, draft: ApplicationDraft) -> str:
    """Replace the resume code (the old one stops working)."""
    code = codes.new_resume_code()
    ApplicationDraft.objects.filter(pk=draft.pk).update(
        resume_code_hash=codes.resume_code_hash(code), expires_at=_expiry()
    )
    audit_record(actor=None, action="intake.resume_code_new", target=draft)
    return code


def draft_document_add(
    *, draft: ApplicationDraft, kind: str, content: bytes, original_name: str
) -> DraftDocument:
    """Check an uploaded file (type by content, images re-encoded, active PDFs refused) and
    keep it sealed with the draft's key.

    Idempotent: the same file sent again as the same kind of document (a retry after a lost
    response, a double tap) is the document already kept, not a second one.

    Raises ``UploadRejectedError`` or ``TooManyDocumentsError``.
    """
    clean = clean_upload(
        content=content, original_name=original_name, max_bytes=settings.DOCUMENT_MAX_BYTES
    )
    digest = hashlib.sha256(clean.content).hexdigest()
    stored = ""
    try:
        with transaction.atomic():
            # One upload of a draft at a time, so the check below sees every earlier one.
            list(ApplicationDraft.objects.select_for_update().filter(pk=draft.pk).values("pk"))
            kept = list(DraftDocument.objects.filter(draft=draft))
            for earlier in kept:
                if earlier.sha256 == digest and earlier.kind == kind:
                    return earlier
            if len(kept) >= limits.MAX_DRAFT_DOCUMENTS:
                raise TooManyDocumentsError()
            document = DraftDocument(
                draft=draft,
                kind=kind,
                original_name=clean.safe_name,
                size_bytes=len(clean.content),
                content_type=clean.content_type,
                sha256=digest,
            )
            document.storage_name = stored = files.file_store(
                document_id=document.pk, content=clean.content, scope=draft.pk
            )
            document.save(force_insert=True)
    except BaseException:
        if stored:
            files.file_delete(storage_name=stored)
        raise
    return document


def draft_document_remove(*, draft: ApplicationDraft, document_id: Any) -> None:
    try:
        key = uuid.UUID(str(document_id))
    except ValueError:
        return
    document = DraftDocument.objects.filter(draft=draft, pk=key).first()
    if document is None:
        return
    storage_name = document.storage_name
    document.delete()
    files.file_delete(storage_name=storage_name)


# --- submission ------------------------------------------------------------------------------


def receiving_organization(draft: ApplicationDraft) -> Organization:
    if draft.organization_id is not None:
        return Organization.objects.get(pk=draft.organization_id)
    organization = Organization.objects.filter(slug=settings.INTAKE_ORGANIZATION_SLUG).first()
    if organization is None:
        logger.error("no organisation receives web applications: check INTAKE_ORGANIZATION_SLUG")
        raise NoReceivingOrganizationError()
    return organization


def _principal_contact(contact: Mapping[str, Any]) -> dict[str, str]:
    phone = contact.get("phone") or contact.get("whatsapp") or contact.get("signal") or ""
    return {"phone": phone, "email": contact.get("email") or ""}


def _place(location: Mapping[str, Any]) -> str:
    if location.get("where") == "elsewhere":
        return f"outside Afghanistan: {location.get('country', '')}"
    province = provinces().get(location.get("province") or "")
    district = districts().get(location.get("district") or "")
    parts = [p.name_en for p in (district, province) if p is not None]
    return ", ".join(parts) or "Afghanistan"


def _note_text(parsed: selectors.ParsedApplication) -> str:
    """What the applicant told us that the case has no fields for yet, for caseworkers."""
    with translation.override("en"):
        labels = {key: str(label) for key, label in THREAT_CATEGORIES}
        threat = parsed.threat
        contact = parsed.contact
        lines = [
            "Answers from the application form.",
            "Threat: " + (", ".join(labels[c] for c in threat.get("categories") or []) or "-"),
        ]
        if threat.get("description"):
            lines.append("In the applicant's words: " + threat["description"])
        lines.append("Where the applicant is now: " + _place(parsed.location))
        for key, label in (
            ("phone", "Phone"),
            ("whatsapp", "WhatsApp"),
            ("signal", "Signal"),
            ("email", "Email"),
            ("safe_times", "Safe times to contact"),
        ):
            if contact.get(key):
                lines.append(f"{label}: {contact[key]}")
        may_leave = "yes" if contact.get("leave_messages") == "yes" else "NO"
        lines.append(f"May we leave messages: {may_leave}")
    return "\n".join(lines)


def _move_documents(
    *,
    actor: Actor,
    draft: ApplicationDraft,
    case: Case,
    principal: Person,
    moved: list[str],
    old: list[str],
) -> int:
    """Re-seal each draft file with the case's key; ``moved`` collects the new files so the
    caller can delete them if the transaction fails, ``old`` the draft's files to delete once
    it has committed."""
    uploader = actor if actor is not None and actor.is_authenticated else None
    count = 0
    for draft_document in selectors.draft_documents(draft):
        old.append(draft_document.storage_name)
        content = files.file_read(
            document_id=draft_document.pk, storage_name=draft_document.storage_name
        )
        if hashlib.sha256(content).hexdigest() != draft_document.sha256:
            raise DomainError()  # a changed file: refuse the whole submission
        document = Document(
            case=case,
            person=principal,
            kind=draft_document.kind,
            original_name=draft_document.original_name,
            size_bytes=len(content),
            content_type=draft_document.content_type,
            sha256=draft_document.sha256,
            uploaded_by=uploader,
        )
        document.storage_name = files.file_store(
            document_id=document.pk, content=content, scope=case.pk
        )
        moved.append(document.storage_name)
        document.save(force_insert=True)
        audit_record(
            actor=actor,
            action="document.attach",
            target=document,
            organization_id=case.organization_id,
            kind=document.kind,
            size=len(content),
        )
        count += 1
    return count


def application_submit(*, actor: Actor, draft: ApplicationDraft, language: str) -> Case:
    """Turn the draft into one case (principal, family, employment, documents, the other
    answers) in one transaction, or change nothing.

    Idempotent: the draft row is locked and remembers its case, and one application per draft
    is enforced by the database, so a double click, a retry after a lost response or a second
    device sending the same draft all get the same case.

    Raises ``ApplicationIncompleteError`` (with the steps to finish) or
    ``NoReceivingOrganizationError``.
    """
    moved: list[str] = []
    old_files: list[str] = []
    pin = codes.new_pin()
    try:
        # Audit entries are appended at the end of the transaction, so the audit chain's lock
        # is held for milliseconds, not for the whole submission.
        with transaction.atomic(), audit_batch():
            locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
            if locked.case_id is not None:
                return Case.objects.get(pk=locked.case_id)
            parsed = selectors.draft_parsed(locked)
            if parsed.incomplete:
                raise ApplicationIncompleteError(parsed.incomplete)
            organization = receiving_organization(locked)
            staff = locked.assisted_by_id is not None and actor is not None
            channel = Channel.STAFF if staff else Channel.WEB
            acting = actor if staff else None
            case = case_services.case_open(
                actor=acting,
                organization=organization,
                channel=channel,
                principal={**parsed.principal, **_principal_contact(parsed.contact)},
            )
            principal = Person.objects.get(case=case, relationship=Relationship.PRINCIPAL)
            for member in parsed.family:
                case_services.person_add(actor=acting, case=case, data=member)
            for job in parsed.employment:
                case_services.employment_add(actor=acting, case=case, person=principal, data=job)
            draft_files: list[str] = []
            documents = _move_documents(
                actor=acting,
                draft=locked,
                case=case,
                principal=principal,
                moved=moved,
                old=draft_files,
            )
            case_services.note_add(actor=acting, case=case, text=_note_text(parsed))
            case_household_set(
                actor=acting,
                case=case,
                data=household_from_application(threat=parsed.threat, location=parsed.location),
            )
            # The PIN's slow hash (Argon2, a CPU-heavy fraction of a second) is made by a job
            # once this commits; until then the PIN stays sealed with the case's key.
            application = Application.objects.create(
                case=case,
                draft_id=locked.pk,
                channel=channel,
                language=language,
                pin_sealed=pin,
                answers=_encode(
                    {
                        "threat": parsed.threat,
                        "location": parsed.location,
                        "contact": parsed.contact,
                    }
                ),
            )
            _check_duplicates(case)
            old_files = draft_files
            DraftDocument.objects.filter(draft_id=locked.pk, storage_name__in=draft_files).delete()
            locked.case = case
            locked.submitted_at = timezone.now()
            locked.receipt_pin = pin
            locked.answers = None  # the case holds the answers now
            locked.save()
            audit_record(
                actor=acting,
                action="intake.submit",
                target=case,
                organization_id=organization.pk,
                channel=channel,
                people=1 + len(parsed.family),
                employment=len(parsed.employment),
                documents=documents,
            )
            _harden_pin_later(application)
    except IntegrityError:
        for name in moved:
            files.file_delete(storage_name=name)
        # Another request sent this draft at the same moment and won: use its case.
        winner = ApplicationDraft.objects.filter(pk=draft.pk).values_list("case_id", flat=True)
        case_id = winner.first()
        if case_id is None:
            raise
        return Case.objects.get(pk=case_id)
    except BaseException:
        for name in moved:
            files.file_delete(storage_name=name)
        raise
    for name in old_files:
        files.file_delete(storage_name=name)
    return case


def _check_duplicates(case: Case) -> None:
    """Before the receipt: the case's people against everyone the organisation already holds
    (``linkage.intake_check``: likely duplicates go to the review desk). A failure of the
    check never loses the application: it is rolled back alone and the organisation's next
    duplicate search finds the pair."""
    from safepassage.linkage.intake_check import case_duplicates_check

    try:
        with transaction.atomic():
            case_duplicates_check(case=case)
    except Exception as error:  # logged without values; the application stands
        logger.warning(
            "intake duplicate check of case %s failed: %s", case.pk, type(error).__name__
        )


def _harden_pin_later(application: Application) -> None:
    from safepassage.intake.tasks import harden_application_pin

    application_id = str(application.pk)
    transaction.on_commit(lambda: harden_application_pin.enqueue(application_id))


def application_pin_harden(*, application_id: Any) -> str | None:
    """Hash the sealed PIN of an application (Argon2) and forget the sealed copy; returns the
    hash, "" when the PIN can no longer be read (the case was erased first), or None for an
    unknown application. Safe to run twice, or at the same time as a sign-in: the first hash
    stored stays (any of them verifies the same PIN)."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return None
    return _pin_harden(application)[0]


def _pin_harden(application: Application) -> tuple[str, str]:
    """(the PIN's hash, the PIN as typed symbols if it was sealed until now, else "")."""
    if application.pin_hash:
        return application.pin_hash, ""
    try:
        with selectors.unaccounted_reads():
            pin = codes.normalize_code(str(application.pin_sealed or ""))
    except keys.KeyUnavailableError:
        # The case was erased before its PIN was hashed: the PIN opens nothing any more.
        Application.objects.filter(pk=application.pk, pin_hash="").update(pin_sealed=None)
        return "", ""
    if not pin:  # erased as above, earlier
        return "", ""
    pin_hash = make_password(pin)  # slow on purpose; no row is locked while it runs
    Application.objects.filter(pk=application.pk, pin_hash="").update(
        pin_hash=pin_hash, pin_sealed=None
    )
    return pin_hash, pin


def application_pins_harden() -> int:
    """Hash every PIN still sealed (a job lost to a crash between commit and queue); returns
    how many were hashed."""
    pending = Application.objects.filter(pin_hash="", pin_sealed__isnull=False).values_list(
        "pk", flat=True
    )
    hardened = 0
    for application_id in list(pending):
        if application_pin_harden(application_id=application_id):
            hardened += 1
    return hardened


def receipt_take_pin(*, draft: ApplicationDraft) -> str | None:
    """The clear PIN, once: it is forgotten (and the draft's key destroyed) as it is read."""
    if draft.case_id is not None and draft.receipt_viewed_at is None:
        # Read after the submission, so it holds the sealed PIN: one conditional UPDATE
        # decides which request shows it (a second one, at the same moment, gets None).
        with selectors.unaccounted_reads():
            pin = str(draft.receipt_pin or "") or None
        now = timezone.now()
        taken = ApplicationDraft.objects.filter(
            pk=draft.pk, case__isnull=False, receipt_viewed_at__isnull=True
        ).update(receipt_pin=None, receipt_viewed_at=now, updated_at=now)
        if not taken:
            return None
        draft.receipt_pin, draft.receipt_viewed_at = None, now
        keys.destroy_scope(draft.pk)
        return pin
    with transaction.atomic():
        locked = ApplicationDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.receipt_viewed_at is not None or locked.case_id is None:
            return None
        with selectors.unaccounted_reads():
            pin = str(locked.receipt_pin or "") or None
        locked.receipt_pin = None
        locked.receipt_viewed_at = timezone.now()
        locked.save(update_fields=["receipt_pin", "receipt_viewed_at", "updated_at"])
    keys.destroy_scope(draft.pk)
    return pin


# --- status page -----------------------------------------------------------------------------

# Compared against when the reference is unknown, so both cases take as long.
_UNKNOWN_PIN_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _UNKNOWN_PIN_HASH:
        _UNKNOWN_PIN_HASH.append(make_password(codes.new_pin()))
    return _UNKNOWN_PIN_HASH[0]


def status_sign_in(*, reference: str, pin: str, address: str) -> Case:
    """The case an applicant may see with its reference and PIN.

    Wrong PINs are counted per reference and per address, and recorded in the audit log.
    Raises ``RateLimitedError`` once either count is at its limit (even for a right PIN), or
    ``StatusSignInError``.
    """
    canonical = normalize_reference(reference) or reference.strip().upper()[:30]
    reference_key = limits.subject_key(canonical)
    limits.check("pin_failures_per_address", address)
    limits.check("pin_failures_per_reference", reference_key)
    application = selectors.application_by_reference(reference=canonical)
    typed = codes.normalize_code(pin)
    if application is None:
        check_password(typed, _dummy_hash())
        ok = False
    elif application.pin_hash:
        ok = bool(typed) and check_password(typed, application.pin_hash)
    else:
        # Submitted moments ago and its job has not run yet: hash the PIN now (the one slow
        # step, as a check would be) and compare with the sealed copy in constant time.
        _pin_hash, sealed_pin = _pin_harden(application)
        ok = bool(typed) and bool(sealed_pin) and hmac.compare_digest(typed, sealed_pin)
    if not ok:
        limits.hit("pin_failures_per_address", address)
        limits.hit("pin_failures_per_reference", reference_key)
        if application is not None:
            audit_record(
                actor=None,
                action="intake.status_pin_wrong",
                target=application.case,
                organization_id=application.case.organization_id,
            )
        else:
            audit_record(
                actor=None,
                action="intake.status_reference_unknown",
                target=_Subject(reference_key),
            )
        raise StatusSignInError()
    assert application is not None  # noqa: S101 - ok implies it
    audit_record(
        actor=None,
        action="intake.status_sign_in",
        target=application.case,
        organization_id=application.case.organization_id,
    )
    return application.case


def document_request_add(*, actor: Actor, case: Case, kind: str) -> DocumentRequest:
    """Staff ask the applicant for a document; it shows on the applicant's status page."""
    if actor is not None and not (
        actor.is_authenticated
        and Membership.objects.filter(
            user_id=actor.pk, organization_id=case.organization_id, role__in=list(CASE_ROLES)
        ).exists()
    ):
        raise NotFoundError()
    request = DocumentRequest(
        case=case, kind=kind, requested_by=actor if actor is not None else None
    )
    try:
        request.full_clean(exclude=["requested_by", "document"])
    except Exception as exc:
        raise InvalidInputError(field="kind") from exc
    with transaction.atomic():
        request.save(force_insert=True)
        audit_record(
            actor=actor,
            action="intake.document_request",
            target=request,
            organization_id=case.organization_id,
            kind=kind,
        )
    return request


def status_document_upload(
    *, case: Case, kind: str, content: bytes, original_name: str
) -> Document:
    """The applicant sends a requested document: it is attached to the case (checked and
    sealed as every upload) and the open requests for that kind are fulfilled."""
    if not DocumentRequest.objects.filter(case=case, kind=kind, fulfilled_at__isnull=True).exists():
        raise InvalidInputError(field="kind")
    limits.hit("uploads_per_case", limits.subject_key(str(case.pk)))
    principal = Person.objects.filter(case=case, relationship=Relationship.PRINCIPAL).first()
    document = case_services.document_attach(
        actor=None,
        case=case,
        kind=kind,
        content=content,
        original_name=original_name,
        person=principal,
    )
    DocumentRequest.objects.filter(case=case, kind=kind, fulfilled_at__isnull=True).update(
        fulfilled_at=timezone.now(), document=document
    )
    return document


def status_contact_update(*, case: Case, phone: str, email: str) -> Person:
    """New phone number or email of the principal applicant, from the status page."""
    principal = Person.objects.get(case=case, relationship=Relationship.PRINCIPAL)
    data = {k: v for k, v in (("phone", phone), ("email", email)) if v}
    with selectors.unaccounted_reads():
        return case_services.person_update(actor=None, person=principal, data=data)


# --- expiry ----------------------------------------------------------------------------------


def drafts_expire(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Erase every expired draft: its key first (crypto-shredding), then its rows and files.
    Returns how many drafts were erased."""
    moment = now or timezone.now()
    erased = 0
    while True:
        ids = list(
            ApplicationDraft.objects.filter(expires_at__lte=moment).values_list("pk", flat=True)[
                :batch_size
            ]
        )
        if not ids:
            break
        for draft_id in ids:
            storage_names = list(
                DraftDocument.objects.filter(draft_id=draft_id).values_list(
                    "storage_name", flat=True
                )
            )
            keys.destroy_scope(draft_id)
            ApplicationDraft.objects.filter(pk=draft_id).delete()
            for name in storage_names:
                files.file_delete(storage_name=name)
            erased += 1
    if erased:
        audit_record(
            actor=None, action="intake.drafts_expired", target=_Subject("drafts"), count=erased
        )
    logger.info("expired drafts erased: %d", erased)
    return erased
