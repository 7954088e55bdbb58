"""The Chief of Mission (COM) application package of a case, made on request as an encrypted
bundle the caseworker submits to the National Visa Center.

The bundle is a ZIP archive encrypted with AES-256 (pyzipper, WinZip AES; 7-Zip and the
archive tools of current systems open it) under a one-time password shown once to the
caseworker; when a recipient's age public key is given, the archive is also encrypted to that
key (pyrage). Inside, in this order: ``00-index.txt`` (every file with its size and SHA-256),
``01-cover-sheet.pdf`` (case reference, principal's name as on the passport, date, contents
and what is still missing), ``02-ds157.pdf`` (the DS-157 data in the form's order, see
``cases/ds157.py``) and ``03-documents/`` (the principal's and the household's shared
documents for the COM application, byte for byte as uploaded: HR letters, recommendation,
tazkira, passport, badge, contract, threat evidence, other documents; photos, COM decisions
and family members' own documents are left out).

The PDFs use the PDF core font Helvetica, which prints Latin-1 only: the DS-157 is filled in
Latin letters (its form refuses other text); any other character coming from elsewhere in the
case is printed without its accent or as "?" and the cover sheet says so. They are made in
English whatever the user's language, as the DS-157 is.

Nothing is written to disk: documents are decrypted into memory, the bundle is built in
memory and handed to the web layer. A ``ComPackage`` row records who made it, when, its
size, its SHA-256 and which documents went in; the audit log gets ids and counts only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pyzipper
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from safepassage.cases.ds157 import SECTIONS, Ds157Section, ds157_layout, ds157_missing
from safepassage.cases.models import Case, ComPackage, Document, DocumentKind, Person, Relationship
from safepassage.cases.services import document_read
from safepassage.core.errors import DomainError, InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES
from safepassage.core.selectors import role_in
from safepassage.protection.audit import audit_record
from safepassage.protection.filecrypt import age_encrypted, age_recipient_valid, new_file_password

Actor = AbstractBaseUser | AnonymousUser

# Documents that go into the package, in the order the NVC's checklist names them.
PACKAGE_DOCUMENT_KINDS = (
    DocumentKind.HR_LETTER,
    DocumentKind.RECOMMENDATION,
    DocumentKind.TAZKIRA,
    DocumentKind.PASSPORT,
    DocumentKind.BADGE,
    DocumentKind.CONTRACT,
    DocumentKind.THREAT_EVIDENCE,
    DocumentKind.OTHER,
)
# Required for a COM application (a missing one may be replaced by a written explanation).
REQUIRED_DOCUMENTS: tuple[tuple[tuple[str, ...], object], ...] = (
    ((DocumentKind.HR_LETTER,), gettext_lazy("HR employment verification letter")),
    ((DocumentKind.RECOMMENDATION,), gettext_lazy("Letter of recommendation")),
    ((DocumentKind.TAZKIRA, DocumentKind.PASSPORT), gettext_lazy("Copy of tazkira or passport")),
)
_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/zip": "zip",
}
# Lower-case letters and digits that read out over a phone without confusion: 30 groups
# of characters from 31 give about 148 bits.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the archive says nothing about when it was made


class ComReauthenticationRequiredError(DomainError):
    code = "reauthentication_required"
    status = 401
    default_message = gettext_lazy("Confirm your password and second factor again to do this.")


class ComPasswordError(DomainError):
    code = "com_package_password"
    status = 409
    default_message = gettext_lazy(
        "This password was not issued for this package, or was already used. Prepare the "
        "package again."
    )


@dataclass(frozen=True)
class ComBundle:
    """The encrypted bundle, held in memory only, and its record."""

    filename: str
    content: bytes
    record: ComPackage


@dataclass(frozen=True)
class _Member:
    name: str
    content: bytes
    description: str


# -- checks -----------------------------------------------------------------------------------


def _require_case_worker(actor: Actor, case: Case) -> User:
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise NotFoundError()
    if role_in(user=actor, organization_id=case.organization_id) not in CASE_ROLES:
        raise NotFoundError()
    return actor


def _password_digest(case: Case, password: str, recipient_age_key: str) -> str:
    return salted_hmac(
        "safepassage.cases.com-package-password",
        f"{case.pk}:{password}:{recipient_age_key}",
        algorithm="sha256",
    ).hexdigest()


def com_password_issue(
    *, actor: Actor, case: Case, recipient_age_key: str = "", recent_auth: bool
) -> tuple[str, str]:
    """A new one-time password for the next COM package of ``case``, and its keyed digest
    (bound to the case and to the age key) that the caller keeps to check it later. Only the
    digest may be kept; the password is shown once.

    Raises NotFoundError (the actor does not work cases of the case's organisation),
    ComReauthenticationRequiredError, InvalidInputError (``recipient_age_key``).
    """
    _require_case_worker(actor, case)
    if not recent_auth:
        raise ComReauthenticationRequiredError()
    recipient_age_key = recipient_age_key.strip()
    if recipient_age_key and not age_recipient_valid(recipient_age_key):
        raise InvalidInputError(
            _("This is not an age public key (it starts with age1)."), field="recipient_age_key"
        )
    password = new_file_password()
    audit_record(
        actor=actor,
        action="com_package.password_issue",
        target=case,
        organization_id=case.organization_id,
        age=bool(recipient_age_key),
    )
    return password, _password_digest(case, password, recipient_age_key)


# -- contents ---------------------------------------------------------------------------------


def com_package_documents(*, case: Case) -> list[Document]:
    """The case's documents that go into its COM package, in the package's order: those of
    the principal applicant and those not tied to a person, of the kinds the COM
    application uses (``PACKAGE_DOCUMENT_KINDS``), oldest first within a kind."""
    from django.db.models import Q

    documents = list(
        Document.objects.filter(case=case, kind__in=PACKAGE_DOCUMENT_KINDS)
        .filter(Q(person__isnull=True) | Q(person__relationship=Relationship.PRINCIPAL))
        .select_related("case")
        .order_by("uploaded_at")
    )
    rank = {kind: position for position, kind in enumerate(PACKAGE_DOCUMENT_KINDS)}
    documents.sort(key=lambda document: rank[DocumentKind(document.kind)])
    return documents


def _principal(case: Case) -> Person | None:
    return case.people.filter(relationship=Relationship.PRINCIPAL).first()


class _Printable:
    """Text made printable in a core PDF font (Latin-1), counting what had to change."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value: object) -> str:
        text = str(value)
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            pass
        else:
            return text
        out = []
        for character in text:
            if ord(character) < 256:
                out.append(character)
                continue
            self.replaced += 1
            base = "".join(
                c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)
            )
            out.append(base if base and all(ord(c) < 256 for c in base) else "?")
        return "".join(out)


def _new_pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # says nothing of when
    pdf.set_producer("SafePassage")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 14) -> None:
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def _rows(pdf: FPDF, rows: Sequence[tuple[str, str]], printable: _Printable) -> None:
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(
        col_widths=(62, 112), first_row_as_headings=False, text_align="LEFT", line_height=5.5
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(printable(label))
            row.cell(printable(value))


def _ds157_pdf(reference: str, sections: Sequence[Ds157Section], printable: _Printable) -> bytes:
    pdf = _new_pdf()
    _heading(pdf, "DS-157 - " + _("data of the principal applicant"))
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, printable(_("Case %(reference)s") % {"reference": reference}))
    pdf.ln(2)
    for number, section in enumerate(sections, start=1):
        _heading(pdf, f"{number}. {printable(section.title)}", size=12)
        if section.rows:
            _rows(pdf, section.rows, printable)
        else:
            pdf.multi_cell(0, 6, printable(_("(nothing recorded)")), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _cover_pdf(
    *,
    reference: str,
    package_id: str,
    principal_name: str,
    prepared_on: dt.date,
    contents: Sequence[tuple[str, str]],
    missing_sections: Sequence[str],
    missing_documents: Sequence[str],
    printable: _Printable,
    replaced_before: int,
) -> bytes:
    pdf = _new_pdf()
    _heading(pdf, _("Chief of Mission application - Afghan Special Immigrant Visa"), size=15)
    pdf.ln(2)
    _rows(
        pdf,
        [
            (_("Case reference"), reference),
            (_("Principal applicant (name as on the passport)"), principal_name),
            (_("Date prepared"), prepared_on.isoformat()),
            (_("Package"), package_id),
        ],
        printable,
    )
    pdf.ln(4)
    _heading(pdf, _("Contents"), size=12)
    _rows(pdf, contents, printable)
    pdf.ln(4)
    _heading(pdf, _("Before submitting"), size=12)
    notes: list[tuple[str, str]] = []
    if missing_sections:
        notes.append(
            (
                _("DS-157 data incomplete"),
                "; ".join(str(SECTIONS[code]) for code in missing_sections),
            )
        )
    else:
        notes.append((_("DS-157 data"), _("complete")))
    explain = _("%(document)s: attach it, or a written explanation why it cannot be had.")
    notes.extend(
        (_("Missing document"), explain % {"document": label}) for label in missing_documents
    )
    if replaced_before or printable.replaced:
        notes.append(
            (
                _("Characters"),
                _(
                    "Some values hold letters outside the Latin alphabet; they are printed "
                    "without accents or as '?'. Check them against the case."
                ),
            )
        )
    notes.append((_("Check"), _("Read every page against the original documents.")))
    _rows(pdf, notes, printable)
    return bytes(pdf.output())


def _index(reference: str, package_id: str, members: Sequence[_Member]) -> bytes:
    lines = [
        _("COM application package %(package)s for case %(reference)s")
        % {"package": package_id, "reference": reference},
        "",
        _("file | size in bytes | SHA-256 | content"),
    ]
    lines += [
        f"{member.name} | {len(member.content)} | "
        f"{hashlib.sha256(member.content).hexdigest()} | {member.description}"
        for member in members
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _zip_encrypted(folder: str, members: Sequence[_Member], password: str) -> bytes:
    out = io.BytesIO()
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for member in members:
            info = archive.zipinfo_cls(f"{folder}/{member.name}", _ZIP_TIME)
            info.compress_type = pyzipper.ZIP_DEFLATED
            archive.writestr(info, member.content)
    return out.getvalue()


# -- generation -------------------------------------------------------------------------------


@transaction.atomic
def com_package_generate(
    *,
    actor: Actor,
    case: Case,
    password: str,
    password_digest: str,
    recipient_age_key: str = "",
    recent_auth: bool,
) -> ComBundle:
    """Make ``case``'s COM application package, encrypted with ``password`` (which must be
    the one ``com_password_issue`` gave with ``password_digest``) and, if given, to
    ``recipient_age_key``; record it and audit it.

    The package is made even if the DS-157 data or documents are incomplete: the cover sheet
    lists what is missing, and the record keeps whether the DS-157 data was complete.

    Raises NotFoundError (the actor does not work cases of the case's organisation, or the
    case has no principal), ComReauthenticationRequiredError, ComPasswordError.
    """
    user = _require_case_worker(actor, case)
    if not recent_auth:
        raise ComReauthenticationRequiredError()
    recipient_age_key = recipient_age_key.strip()
    if not password or not constant_time_compare(
        password_digest, _password_digest(case, password, recipient_age_key)
    ):
        raise ComPasswordError()
    principal = _principal(case)
    if principal is None:
        raise NotFoundError()

    record = ComPackage(case=case, generated_by=user)
    package_id = record.short_id
    documents = com_package_documents(case=case)
    printable = _Printable()
    with translation.override("en"):
        missing_sections = ds157_missing(case=case)
        document_members = []
        for number, document in enumerate(documents, start=1):
            extension = _EXTENSIONS.get(document.content_type, "bin")
            document_members.append(
                _Member(
                    name=f"03-documents/{number:02d}-{document.kind}.{extension}",
                    content=document_read(actor=actor, document=document),
                    description=str(document.get_kind_display()),
                )
            )
        ds157_member = _Member(
            name="02-ds157.pdf",
            content=_ds157_pdf(case.reference, ds157_layout(case=case), printable),
            description=_("DS-157 data of the principal applicant"),
        )
        kinds = {document.kind for document in documents}
        missing_documents = [
            str(label)
            for needed, label in REQUIRED_DOCUMENTS
            if not any(kind in kinds for kind in needed)
        ]
        cover_contents = [
            ("00-index.txt", _("Index of the files with their SHA-256")),
            ("01-cover-sheet.pdf", _("This cover sheet")),
            (ds157_member.name, ds157_member.description),
            *((member.name, member.description) for member in document_members),
        ]
        replaced = printable.replaced
        cover_member = _Member(
            name="01-cover-sheet.pdf",
            content=_cover_pdf(
                reference=case.reference,
                package_id=package_id,
                principal_name=principal.name_on_passport
                or " ".join(
                    part
                    for part in (principal.given_name_latin, principal.family_name_latin)
                    if part
                ),
                prepared_on=timezone.localdate(),
                contents=cover_contents,
                missing_sections=missing_sections,
                missing_documents=missing_documents,
                printable=printable,
                replaced_before=replaced,
            ),
            description=_("Cover sheet"),
        )
        listed = [cover_member, ds157_member, *document_members]
        index_member = _Member(
            name="00-index.txt",
            content=_index(case.reference, package_id, listed),
            description=_("Index"),
        )
    folder = f"COM-{case.reference}-{package_id}"
    content = _zip_encrypted(folder, [index_member, *listed], password)
    filename = f"{folder}.zip"
    encryption = ComPackage.Encryption.ZIP
    if recipient_age_key:
        content = age_encrypted(content, recipient_age_key)
        filename += ".age"
        encryption = ComPackage.Encryption.ZIP_AGE

    record.size_bytes = len(content)
    record.sha256 = hashlib.sha256(content).hexdigest()
    record.encryption = encryption
    record.document_ids = [str(document.pk) for document in documents]
    record.document_count = len(documents)
    record.ds157_complete = not missing_sections
    record.full_clean()
    record.save(force_insert=True)
    audit_record(
        actor=actor,
        action="com_package.generate",
        target=record,
        organization_id=case.organization_id,
        case=str(case.pk),
        documents=len(documents),
        size=len(content),
        ds157_missing=len(missing_sections),
        documents_missing=len(missing_documents),
        age=bool(recipient_age_key),
    )
    return ComBundle(filename=filename, content=content, record=record)


def com_packages_for(*, case: Case) -> list[ComPackage]:
    """The packages made for ``case``, newest first (the caller reached it through a scoped
    selector)."""
    return list(ComPackage.objects.filter(case=case).select_related("generated_by"))
