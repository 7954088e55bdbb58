"""Shared fixtures: organisations, personas (member, other organisation, weaker role)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from safepassage.accounts.testing import client_verify
from safepassage.core.models import Organization, Role
from safepassage.core.services import membership_grant, organization_create, user_create

PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every database test also gets the key store (wrapped data keys live there)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or marker.kwargs.get("databases"):
            continue
        item.add_marker(
            pytest.mark.django_db(
                *marker.args, **{**marker.kwargs, "databases": ["default", "keys"]}
            ),
            append=False,
        )


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests reach only this machine: the loopback databases, Redis and the live server."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError("tests must not reach the network")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> Iterator[None]:
    """Each test's key store is rolled back: forget data keys cached by the one before."""
    from safepassage.protection import keys

    keys.reset()
    yield
    keys.reset()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a page a test client fetched in
    Dari or Pashto leaves that language active in the thread, which would leak into the
    next test's messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    yield


@pytest.fixture
def org(db: None) -> Organization:
    return organization_create(actor=None, name="Kabul Relief Network", slug="krn")


@pytest.fixture
def other_org(db: None) -> Organization:
    return organization_create(actor=None, name="Other Aid", slug="other")


def _member(org: Organization, username: str, role: Role) -> Any:
    user = user_create(username=username, password=PASSWORD)
    membership_grant(actor=None, organization=org, user=user, role=role)
    return user


@pytest.fixture
def caseworker(org: Organization) -> Any:
    return _member(org, "caseworker", Role.CASEWORKER)


@pytest.fixture
def supervisor(org: Organization) -> Any:
    return _member(org, "supervisor", Role.SUPERVISOR)


@pytest.fixture
def logistics_officer(org: Organization) -> Any:
    """A weaker role in the same organisation: no access to whole cases."""
    return _member(org, "logistics", Role.LOGISTICS)


@pytest.fixture
def outsider(other_org: Organization) -> Any:
    """A caseworker of another organisation."""
    return _member(other_org, "outsider", Role.CASEWORKER)


@pytest.fixture
def client_for() -> Any:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        # As after a real sign-in: password and second factor passed (see accounts.testing).
        client_verify(client, user)
        return client

    return make


def sample_jpeg(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small real JPEG (uploads are decoded and re-encoded)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), color).save(buffer, format="JPEG")
    return buffer.getvalue()


def sample_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def sample_pdf(text: str = "HR letter") -> bytes:
    """A minimal, valid one-page PDF whose content stream holds ``text``."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
