"""Security keys (WebAuthn) as second factor: registration and sign-in, against a software
authenticator that signs exactly as a hardware key does (attestation "none", ES256)."""

from __future__ import annotations

import hashlib
import json
import re
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from tests.conftest import PASSWORD

from safepassage.accounts.models import SecurityKey
from safepassage.protection.models import AuditEvent

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
RP_ID = "testserver"


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = b"soft-key-" + hashlib.sha256(str(id(self)).encode()).digest()[:8]
        self.count = 0

    def _cose(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options: dict[str, Any], origin: str = ORIGIN) -> str:
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": options["challenge"], "origin": origin}
        ).encode()
        attested = (
            bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        ) + self._cose()
        auth_data = hashlib.sha256(options["rp"]["id"].encode()).digest() + b"\x45"
        auth_data += struct.pack(">I", self.count) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": _b64(self.credential_id),
                "rawId": _b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": _b64(client_data),
                    "attestationObject": _b64(attestation),
                    "transports": ["usb"],
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, options: dict[str, Any], origin: str = ORIGIN) -> str:
        self.count += 1
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": options["challenge"], "origin": origin}
        ).encode()
        auth_data = hashlib.sha256(options["rpId"].encode()).digest() + b"\x05"
        auth_data += struct.pack(">I", self.count)
        signature = self.private.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": _b64(self.credential_id),
                "rawId": _b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": _b64(client_data),
                    "authenticatorData": _b64(auth_data),
                    "signature": _b64(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )


def _options(page: Any, element_id: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        page.content.decode(),
        re.S,
    )
    assert match, element_id
    return dict(json.loads(match.group(1)))


def _register(client: Client, key: SoftKey, name: str = "blue key") -> Any:
    page = client.get("/accounts/security/")
    options = _options(page, "webauthn-register-options")
    return client.post(
        "/accounts/security/keys/", {"name": name, "credential": key.create(options)}
    )


def test_a_security_key_is_registered_and_then_signs_in_instead_of_a_code(
    caseworker: Any, client_for: Any, password_step: Any
) -> None:
    key = SoftKey()
    response = _register(client_for(caseworker), key)
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    stored = SecurityKey.objects.get(user=caseworker)
    assert stored.name == "blue key" and bytes(stored.credential_id) == key.credential_id
    assert AuditEvent.objects.filter(
        action="auth.second_factor.enrol", details__kind="webauthn"
    ).exists()

    client = Client()
    password_step(client, "caseworker", PASSWORD)
    page = client.get("/accounts/two-factor/")
    options = _options(page, "webauthn-sign-options")
    assert options["allowCredentials"][0]["id"] == _b64(key.credential_id)
    signed_in = client.post("/accounts/two-factor/", {"credential": key.get(options)})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    stored.refresh_from_db()
    assert stored.sign_count == 1
    assert AuditEvent.objects.filter(action="auth.login", details__method="webauthn").exists()


def test_an_answer_for_another_site_or_a_replayed_answer_is_refused(
    caseworker: Any, client_for: Any, password_step: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off between the attempts of this test
    key = SoftKey()
    _register(client_for(caseworker), key)
    client = Client()
    password_step(client, "caseworker", PASSWORD)
    options = _options(client.get("/accounts/two-factor/"), "webauthn-sign-options")
    phished = client.post(
        "/accounts/two-factor/", {"credential": key.get(options, origin="https://evil.example")}
    )
    assert phished.status_code == 200
    assert client.get("/cases/").status_code == 303

    options = _options(client.get("/accounts/two-factor/"), "webauthn-sign-options")
    answer = key.get(options)
    assert client.post("/accounts/two-factor/", {"credential": answer}).status_code == 302
    other = Client()
    password_step(other, "caseworker", PASSWORD)
    other.get("/accounts/two-factor/")
    assert other.post("/accounts/two-factor/", {"credential": answer}).status_code == 200


def test_a_key_of_another_user_is_refused(
    caseworker: Any, supervisor: Any, client_for: Any, password_step: Any
) -> None:
    key = SoftKey()
    _register(client_for(caseworker), key)
    _register(client_for(supervisor), SoftKey())
    client = Client()
    password_step(client, "supervisor", PASSWORD)
    options = _options(client.get("/accounts/two-factor/"), "webauthn-sign-options")
    refused = client.post("/accounts/two-factor/", {"credential": key.get(options)})
    assert refused.status_code == 200


def test_the_last_second_factor_cannot_be_removed_but_another_key_can(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    _register(client, SoftKey(), "first")
    _register(client, SoftKey(), "second")
    first, second = SecurityKey.objects.order_by("pk")
    client.post(f"/accounts/security/keys/{first.pk}/remove/")
    assert list(SecurityKey.objects.values_list("name", flat=True)) == ["second"]
    assert AuditEvent.objects.filter(action="auth.second_factor.remove").count() == 1
    # The caseworker still has the authenticator app, so the second key can go too.
    client.post(f"/accounts/security/keys/{second.pk}/remove/")
    assert not SecurityKey.objects.exists()


def test_another_users_key_cannot_be_removed(
    caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    _register(client_for(caseworker), SoftKey())
    key = SecurityKey.objects.get()
    client_for(supervisor).post(f"/accounts/security/keys/{key.pk}/remove/")
    assert SecurityKey.objects.filter(pk=key.pk).exists()


def test_registration_without_a_fresh_challenge_is_refused(
    caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)
    options = _options(client.get("/accounts/security/"), "webauthn-register-options")
    forged = {**options, "challenge": _b64(b"not the challenge")}
    client.post("/accounts/security/keys/", {"name": "x", "credential": SoftKey().create(forged)})
    assert not SecurityKey.objects.exists()
    assert _unb64(options["challenge"])
