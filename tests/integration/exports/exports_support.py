"""Helpers of the exports tests: re-authentication as the sign-in leaves it, one download as
the requester, and opening the encrypted files the way a recipient does."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import msoffcrypto
import openpyxl
import pyzipper
from django.test import Client, RequestFactory

from safepassage.accounts.reauth import mark_authenticated
from safepassage.exports import services
from safepassage.exports.models import ExportRequest

RECIPIENT = "Farida Rahimi"


def reauthenticate(client: Client) -> None:
    """What passing the password and second factor again leaves in the session."""
    request = RequestFactory().get("/")
    request.session = client.session
    mark_authenticated(request)
    request.session.save()


def download(actor: Any, export: ExportRequest) -> tuple[bytes, str]:
    """Issue the one-time password and download once, as the requester."""
    password = services.export_password_issue(actor=actor, export=export, recent_auth=True)
    exported = services.export_download(
        actor=actor, export=export, password=password, recent_auth=True
    )
    return exported.content, password


def decrypt_xlsx(content: bytes, password: str) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(content))
    office.load_key(password=password)
    plain = io.BytesIO()
    office.decrypt(plain)
    return plain.getvalue()


def open_xlsx(content: bytes, password: str) -> tuple[Any, zipfile.ZipFile]:
    """The decrypted workbook, and the package itself to read its raw parts."""
    plain = decrypt_xlsx(content, password)
    return openpyxl.load_workbook(io.BytesIO(plain)), zipfile.ZipFile(io.BytesIO(plain))


def open_csv_zip(content: bytes, password: str) -> str:
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        archive.setpassword(password.encode())
        (name,) = archive.namelist()
        return archive.read(name).decode("utf-8-sig")
