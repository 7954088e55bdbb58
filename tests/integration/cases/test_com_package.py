"""The COM application package: what it holds, how it is encrypted, who may make it, and
what is kept of it."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pyrage
import pytest
import pyzipper
from com_support import (
    ADDRESS,
    FATHER_NAME,
    GIVEN_NAME,
    PASSPORT_NAME,
    attach_documents,
    fill_ds157,
    open_siv_case,
)
from django.urls import reverse
from pypdf import PdfReader

from safepassage.accounts.testing import client_make_stale
from safepassage.cases.com_package import (
    ComPasswordError,
    ComReauthenticationRequiredError,
    com_package_generate,
    com_password_issue,
)
from safepassage.cases.models import ComPackage, Document
from safepassage.core.errors import NotFoundError
from safepassage.protection.models import AuditEvent


def generate(actor: Any, case: Any, age_key: str = "") -> tuple[Any, str]:
    password, digest = com_password_issue(
        actor=actor, case=case, recipient_age_key=age_key, recent_auth=True
    )
    bundle = com_package_generate(
        actor=actor,
        case=case,
        password=password,
        password_digest=digest,
        recipient_age_key=age_key,
        recent_auth=True,
    )
    return bundle, password


def open_zip(content: bytes, password: str) -> dict[str, bytes]:
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        archive.setpassword(password.encode())
        return {
            name.split("/", 1)[1]: archive.read(name)
            for name in archive.namelist()
            if not name.endswith("/")
        }


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def ready_case(org: Any, caseworker: Any) -> tuple[Any, list[Document]]:
    case = open_siv_case(org, caseworker)
    fill_ds157(case, caseworker)
    return case, attach_documents(case, caseworker)


@pytest.mark.django_db
def test_the_bundle_opens_with_its_password_and_holds_index_cover_ds157_and_the_documents(
    ready_case: Any, caseworker: Any
) -> None:
    case, documents = ready_case
    bundle, password = generate(caseworker, case)
    files = open_zip(bundle.content, password)
    hr, recommendation, passport, badge, _child_tazkira, _photo = documents
    assert list(files) == [
        "00-index.txt",
        "01-cover-sheet.pdf",
        "02-ds157.pdf",
        "03-documents/01-hr_letter.pdf",
        "03-documents/02-recommendation.pdf",
        "03-documents/03-passport.jpg",
        "03-documents/04-badge.jpg",
    ]
    for name, document in zip(list(files)[3:], (hr, recommendation, passport, badge), strict=True):
        assert hashlib.sha256(files[name]).hexdigest() == document.sha256
    index = files["00-index.txt"].decode()
    for name, content in files.items():
        if name != "00-index.txt":
            assert f"{name} | {len(content)} | {hashlib.sha256(content).hexdigest()}" in index
    cover = pdf_text(files["01-cover-sheet.pdf"])
    assert case.reference in cover and PASSPORT_NAME in cover
    assert "03-documents/04-badge.jpg" in cover and "DS-157 data" in cover
    ds157 = pdf_text(files["02-ds157.pdf"])
    for expected in (PASSPORT_NAME, FATHER_NAME, ADDRESS, "Afghan National Army", "Kabul"):
        assert expected in ds157
    assert ds157.index("Countries visited") < ds157.index("Military service")
    assert ds157.index("Military service") < ds157.index("Education")


@pytest.mark.django_db
def test_a_wrong_password_does_not_open_the_bundle(ready_case: Any, caseworker: Any) -> None:
    case, _documents = ready_case
    bundle, password = generate(caseworker, case)
    with pytest.raises(RuntimeError):
        open_zip(bundle.content, password[:-1] + ("a" if password[-1] != "a" else "b"))
    assert hashlib.sha256(bundle.content).hexdigest() == bundle.record.sha256


@pytest.mark.django_db
def test_only_the_password_issued_can_encrypt_the_bundle(ready_case: Any, caseworker: Any) -> None:
    case, _documents = ready_case
    _password, digest = com_password_issue(actor=caseworker, case=case, recent_auth=True)
    with pytest.raises(ComPasswordError):
        com_package_generate(
            actor=caseworker, case=case, password="1234", password_digest=digest, recent_auth=True
        )
    assert not ComPackage.objects.exists()


@pytest.mark.django_db
def test_an_age_recipient_needs_their_private_key_before_the_password(
    ready_case: Any, caseworker: Any
) -> None:
    case, _documents = ready_case
    identity = pyrage.x25519.Identity.generate()
    bundle, password = generate(caseworker, case, age_key=str(identity.to_public()))
    assert bundle.filename.endswith(".zip.age")
    assert bundle.record.encryption == ComPackage.Encryption.ZIP_AGE
    files = open_zip(pyrage.decrypt(bundle.content, [identity]), password)
    assert "02-ds157.pdf" in files


@pytest.mark.django_db
def test_an_incomplete_case_gets_a_package_that_says_what_is_missing(
    org: Any, caseworker: Any
) -> None:
    case = open_siv_case(org, caseworker)
    bundle, password = generate(caseworker, case)
    cover = pdf_text(open_zip(bundle.content, password)["01-cover-sheet.pdf"])
    assert "DS-157 data incomplete" in cover and "Military service" in cover
    assert "HR employment verification letter" in cover and "written explanation" in cover
    assert bundle.record.ds157_complete is False and bundle.record.document_count == 0


@pytest.mark.django_db
def test_the_record_and_the_audit_hold_ids_and_counts_but_no_names(
    ready_case: Any, caseworker: Any
) -> None:
    case, documents = ready_case
    bundle, _password = generate(caseworker, case)
    record = ComPackage.objects.get()
    assert record.document_ids == [str(d.pk) for d in documents[:4]]
    assert record.size_bytes == len(bundle.content) and record.generated_by == caseworker
    stored = json.dumps(
        [
            list(ComPackage.objects.values_list().get()),
            list(AuditEvent.objects.values_list("action", "object_id", "details")),
        ],
        default=str,
    )
    for name in (PASSPORT_NAME, GIVEN_NAME, FATHER_NAME, "Noorzai", ADDRESS, "hr.pdf"):
        assert name.lower() not in stored.lower()
    event = AuditEvent.objects.get(action="com_package.generate")
    assert event.object_id == str(record.pk)
    assert event.details["documents"] == 4 and event.details["ds157_missing"] == 0


@pytest.mark.django_db
def test_the_service_needs_a_recent_reauthentication(ready_case: Any, caseworker: Any) -> None:
    case, _documents = ready_case
    with pytest.raises(ComReauthenticationRequiredError):
        com_password_issue(actor=caseworker, case=case, recent_auth=False)
    _password, digest = com_password_issue(actor=caseworker, case=case, recent_auth=True)
    with pytest.raises(ComReauthenticationRequiredError):
        com_package_generate(
            actor=caseworker,
            case=case,
            password=_password,
            password_digest=digest,
            recent_auth=False,
        )


@pytest.mark.django_db
def test_another_organisation_or_a_weaker_role_cannot_make_a_package(
    ready_case: Any, caseworker: Any, outsider: Any, logistics_officer: Any
) -> None:
    case, _documents = ready_case
    password, digest = com_password_issue(actor=caseworker, case=case, recent_auth=True)
    for actor in (outsider, logistics_officer):
        with pytest.raises(NotFoundError):
            com_password_issue(actor=actor, case=case, recent_auth=True)
        with pytest.raises(NotFoundError):
            com_package_generate(
                actor=actor, case=case, password=password, password_digest=digest, recent_auth=True
            )
    assert not ComPackage.objects.exists()


# -- the pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_caseworker_prepares_downloads_and_sees_the_package_on_the_case_page(
    ready_case: Any, caseworker: Any, client_for: Any
) -> None:
    case, documents = ready_case
    client = client_for(caseworker)
    page_url = reverse("cases:com_package", kwargs={"reference": case.reference})
    assert client.get(page_url).status_code == 200
    ready = client.post(page_url, {"recipient_age_key": ""})
    assert ready.status_code == 200
    password = ready.context["password"]
    assert password in ready.content.decode()
    file_url = reverse("cases:com_package_file", kwargs={"reference": case.reference})
    response = client.post(file_url, {"password": password})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith(f'attachment; filename="COM-{case.reference}')
    files = open_zip(response.content, password)
    assert hashlib.sha256(files["03-documents/01-hr_letter.pdf"]).hexdigest() == documents[0].sha256
    record = ComPackage.objects.get()
    detail = client.get(reverse("cases:detail", kwargs={"reference": case.reference}))
    assert record.sha256[:16] in detail.content.decode()
    # The password was for one package: the same form sent again makes nothing.
    again = client.post(file_url, {"password": password})
    assert again.status_code == 302 and ComPackage.objects.count() == 1


@pytest.mark.django_db
def test_the_pages_send_a_stale_session_to_reauthenticate_first(
    ready_case: Any, caseworker: Any, client_for: Any
) -> None:
    case, _documents = ready_case
    client = client_for(caseworker)
    client_make_stale(client)
    page_url = reverse("cases:com_package", kwargs={"reference": case.reference})
    response = client.post(page_url, {"recipient_age_key": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    file_url = reverse("cases:com_package_file", kwargs={"reference": case.reference})
    refused = client.post(file_url, {"password": "x"})
    assert refused["Location"].startswith(reverse("accounts:reauth"))
    assert not ComPackage.objects.exists()


@pytest.mark.django_db
def test_a_wrong_age_key_is_shown_beside_its_field(
    ready_case: Any, caseworker: Any, client_for: Any
) -> None:
    case, _documents = ready_case
    page_url = reverse("cases:com_package", kwargs={"reference": case.reference})
    response = client_for(caseworker).post(page_url, {"recipient_age_key": "ssh-ed25519 AAAA"})
    assert response.status_code == 422
    page = response.content.decode()
    field = page.index('name="recipient_age_key"')
    assert 0 < page.index("not an age public key", field) - field < 400


@pytest.mark.django_db
def test_the_pages_are_not_found_for_another_organisation_or_a_weaker_role(
    ready_case: Any, caseworker: Any, outsider: Any, logistics_officer: Any, client_for: Any
) -> None:
    case, _documents = ready_case
    page_url = reverse("cases:com_package", kwargs={"reference": case.reference})
    file_url = reverse("cases:com_package_file", kwargs={"reference": case.reference})
    for user in (outsider, logistics_officer):
        client = client_for(user)
        assert client.get(page_url).status_code == 404
        assert client.post(page_url, {}).status_code == 404
        assert client.post(file_url, {"password": "x"}).status_code == 404
    assert not ComPackage.objects.exists()


@pytest.mark.django_db
def test_text_outside_latin_1_is_printed_plainly_and_the_cover_says_so(
    org: Any, caseworker: Any
) -> None:
    from safepassage.cases import services

    case = open_siv_case(org, caseworker)
    principal = case.people.get(relationship="principal")
    services.person_update(
        actor=caseworker, person=principal, data={"name_on_passport": "ZABİHULLAH NOORZAİ"}
    )
    job = case.employment.get()
    services.employment_update(actor=caseworker, employment=job, data={"role": "ترجمان"})
    bundle, password = generate(caseworker, case)
    files = open_zip(bundle.content, password)
    assert "ZABIHULLAH NOORZAI" in pdf_text(files["01-cover-sheet.pdf"])
    assert "letters outside the Latin alphabet" in pdf_text(files["01-cover-sheet.pdf"])
    assert "??????" in pdf_text(files["02-ds157.pdf"])
