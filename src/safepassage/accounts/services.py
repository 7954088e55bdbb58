"""Staff authentication: second factors, sign-in completion, open sessions, sign-in audit."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import secrets
import time
import unicodedata
from base64 import b32encode
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from safepassage.accounts.errors import SecondFactorError
from safepassage.accounts.models import RecoveryCode, RecoveryCodeSet, SecurityKey, UserSession
from safepassage.accounts.reauth import mark_authenticated
from safepassage.core.models import Membership
from safepassage.protection.audit import audit_record

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser

SESSION_LOGIN_AT = "accounts_login_at"
SESSION_SEEN_AT = "accounts_seen_at"
SESSION_SECOND_FACTOR_FAILURES = "accounts_second_factor_failures"
SESSION_WEBAUTHN_CHALLENGE = "accounts_webauthn_challenge"

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_BYTES = 10  # 80 bits: 16 base32 characters
SECOND_FACTOR_STAGE = "second_factor"
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@dataclass(frozen=True)
class ClientAddress:
    """The audit target of a sign-in event without an account: the client address, as a
    keyed digest (an address is personal data; the digest still links repeated attempts)."""

    pk: str


# --- client address ----------------------------------------------------------------------


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind our proxy the last X-Forwarded-For
    entry (the one the proxy appended; earlier entries are whatever the client sent)."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    if settings.CLIENT_ADDRESS_FROM_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def address_digest(address: str | None) -> str:
    """A keyed digest of a client address for the audit log (ids only, never the address)."""
    if not address:
        return "none"
    return salted_hmac("safepassage.accounts.address", address).hexdigest()[:24]


def lockout_address(request: HttpRequest) -> str | None:
    """django-axes' client address: a pseudonym inside the unique-local IPv6 range, derived
    from the real address with a keyed hash, so the lockout table counts per address without
    storing where staff (or attackers) connect from."""
    address = client_address(request)
    if address is None:
        return None
    digest = salted_hmac("safepassage.accounts.lockout-address", address).digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """django-axes' account key: a keyed digest of the typed username, so that names typed by
    mistake (or a password typed into the username field) are never stored."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    if not username:
        return None
    normalized = unicodedata.normalize("NFKC", str(username)).casefold()
    return salted_hmac("safepassage.accounts.lockout-username", normalized).hexdigest()[:40]


# --- who needs what ------------------------------------------------------------------------


def second_factor_required(user: User) -> bool:
    """Every account that can sign in is staff (applicants have no accounts), so every one of
    them needs a second factor, whether or not it holds a membership yet."""
    return bool(user.is_authenticated)


def user_has_second_factor(user: User) -> bool:
    """Whether the user has an authenticator app or a security key (recovery codes alone are a
    fallback, not an enrolment)."""
    if not user.is_authenticated:
        return False
    return bool(
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        or SecurityKey.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def _organization_id(user: Any) -> int | None:
    """The organisation whose audit log shows this user's sign-in events (the first one)."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("organization_id", flat=True)
        .first()
    )


def _audit_user_event(
    *, actor: Any, user: Any, action: str, request: HttpRequest | None = None, **details: Any
) -> None:
    if request is not None:
        details.setdefault("address", address_digest(client_address(request)))
    audit_record(
        actor=actor,
        action=action,
        target=user,
        organization_id=_organization_id(user),
        **details,
    )


# --- codes -----------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    """A typed code without spaces or dashes, Dari/Pashto/Arabic digits as ASCII, lower case."""
    text = unicodedata.normalize("NFKC", code).translate(_DIGITS)
    return "".join(ch for ch in text if ch.isalnum()).lower()


def recovery_code_digest(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def totp_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator app the user is enrolling: an unconfirmed TOTP device, made once."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, made on the server: no image service, no script."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", title="QR")
    return svg


@transaction.atomic
def totp_enrol(*, actor: AbstractBaseUser, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the pending authenticator app with a code from it; it replaces any earlier one.

    Raises SecondFactorError if the code is wrong.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user_id=actor.pk)
    token = normalize_code(code)
    if not token.isdigit() or not device.verify_token(token):
        raise SecondFactorError(field="code")
    replaced = TOTPDevice.objects.filter(user_id=actor.pk, confirmed=True).exclude(pk=device.pk)
    replaced_count = replaced.count()
    replaced.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit_user_event(
        actor=actor,
        user=actor,
        action="auth.second_factor.enrol",
        kind="totp",
        device_id=device.pk,
        replaced=replaced_count,
    )
    return device


@transaction.atomic
def recovery_codes_issue(*, actor: AbstractBaseUser) -> list[str]:
    """Ten new single-use recovery codes for the actor; earlier ones stop working. The codes
    are returned once to be shown once; only their digests are kept."""
    RecoveryCodeSet.objects.filter(user_id=actor.pk).delete()
    code_set = RecoveryCodeSet.objects.create(user=actor, name="recovery codes", confirmed=True)
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode("ascii").lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, len(raw), 4)))
    RecoveryCode.objects.bulk_create(
        RecoveryCode(code_set=code_set, digest=recovery_code_digest(code)) for code in codes
    )
    _audit_user_event(actor=actor, user=actor, action="auth.recovery_codes.issue", count=len(codes))
    return codes


def recovery_codes_remaining(*, user: AbstractBaseUser) -> int:
    return RecoveryCode.objects.filter(code_set__user_id=user.pk, used_at__isnull=True).count()


def second_factor_verify(*, user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts ``code``: the authenticator app (six digits) or a recovery code
    (used up by this call). Each device slows down after failures (django-otp throttling)."""
    token = normalize_code(code)
    if not token:
        return None
    with transaction.atomic():
        if token.isdigit():
            devices: list[Device] = list(
                TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True)
            )
        else:
            devices = list(
                RecoveryCodeSet.objects.select_for_update().filter(user_id=user.pk, confirmed=True)
            )
        for device in devices:
            if device.verify_token(token):
                return device
    return None


# --- security keys (WebAuthn) ----------------------------------------------------------------


def webauthn_rp_id(request: HttpRequest) -> str:
    configured: str = settings.WEBAUTHN_RP_ID
    return configured or request.get_host().rsplit(":", 1)[0].strip("[]")


def webauthn_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _descriptors(user: Any) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for key in SecurityKey.objects.filter(user_id=user.pk, confirmed=True):
        transports = []
        for name in key.transports:
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue
        descriptors.append(
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id), transports=transports)
        )
    return descriptors


def _challenge_take(request: HttpRequest, purpose: str) -> bytes:
    stored = request.session.pop(SESSION_WEBAUTHN_CHALLENGE, None)
    if not isinstance(stored, dict) or stored.get("purpose") != purpose:
        raise SecondFactorError(field="credential")
    if time.time() - float(stored.get("at", 0)) > 300:
        raise SecondFactorError(field="credential")
    return base64url_to_bytes(str(stored["challenge"]))


def _challenge_keep(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[SESSION_WEBAUTHN_CHALLENGE] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": time.time(),
    }


def security_key_registration_options(*, request: HttpRequest, user: AbstractBaseUser) -> str:
    """Options (JSON) for the browser to create a credential; the challenge stays in the
    session for security_key_register."""
    options = generate_registration_options(
        rp_id=webauthn_rp_id(request),
        rp_name="SafePassage",
        user_name=user.get_username(),
        user_id=salted_hmac("safepassage.accounts.webauthn-user", str(user.pk)).digest()[:32],
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    _challenge_keep(request, "register", options.challenge)
    return options_to_json(options)


def _transports_of(credential_json: str) -> list[str]:
    """The transports the browser reported for a new key (a hint for later sign-ins)."""
    try:
        reported = json.loads(credential_json).get("response", {}).get("transports", [])
    except (ValueError, AttributeError):
        return []
    if not isinstance(reported, list):
        return []
    return [str(name)[:16] for name in reported][:8]


@transaction.atomic
def security_key_register(
    *, actor: AbstractBaseUser, request: HttpRequest, credential_json: str, name: str
) -> SecurityKey:
    """Store the security key the browser just created. Raises SecondFactorError if the answer
    does not match the challenge, the site or the origin."""
    challenge = _challenge_take(request, "register")
    try:
        verified = verify_registration_response(
            credential=credential_json,
            expected_challenge=challenge,
            expected_rp_id=webauthn_rp_id(request),
            expected_origin=webauthn_origin(request),
        )
    except WebAuthnException as exc:
        logger.info("security key registration refused for user %s", actor.pk)
        raise SecondFactorError(field="credential") from exc
    digest = hashlib.sha256(verified.credential_id).hexdigest()
    if SecurityKey.objects.filter(credential_id_digest=digest).exists():
        raise SecondFactorError(field="credential")
    transports = _transports_of(credential_json)
    key: SecurityKey = SecurityKey.objects.create(
        user=actor,
        name=(name.strip() or "security key")[:64],
        confirmed=True,
        credential_id=verified.credential_id,
        credential_id_digest=digest,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports,
    )
    _audit_user_event(
        actor=actor,
        user=actor,
        action="auth.second_factor.enrol",
        kind="webauthn",
        device_id=key.pk,
    )
    return key


def security_key_authentication_options(
    *, request: HttpRequest, user: AbstractBaseUser
) -> str | None:
    """Options (JSON) to ask one of the user's security keys to sign; None without keys."""
    descriptors = _descriptors(user)
    if not descriptors:
        return None
    options = generate_authentication_options(
        rp_id=webauthn_rp_id(request),
        allow_credentials=descriptors,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _challenge_keep(request, "authenticate", options.challenge)
    return options_to_json(options)


@transaction.atomic
def security_key_authenticate(
    *, request: HttpRequest, user: AbstractBaseUser, credential_json: str
) -> SecurityKey | None:
    """The user's security key that signed the session's challenge, or None."""
    try:
        challenge = _challenge_take(request, "authenticate")
        credential = parse_authentication_credential_json(credential_json)
    except (SecondFactorError, WebAuthnException):
        return None
    digest = hashlib.sha256(credential.raw_id).hexdigest()
    key: SecurityKey | None = (
        SecurityKey.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=True, credential_id_digest=digest)
        .first()
    )
    if key is None:
        return None
    allowed, _details = key.verify_is_allowed()
    if not allowed:
        return None
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=webauthn_rp_id(request),
            expected_origin=webauthn_origin(request),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except WebAuthnException:
        key.throttle_increment(commit=True)
        return None
    key.sign_count = verified.new_sign_count
    key.throttle_reset(commit=False)
    key.set_last_used_timestamp(commit=False)
    key.save()
    return key


@transaction.atomic
def security_key_remove(*, actor: AbstractBaseUser, key_id: int) -> None:
    """Remove one of the actor's security keys; the last second factor cannot be removed."""
    key = SecurityKey.objects.filter(user_id=actor.pk, pk=key_id).first()
    if key is None:
        raise SecondFactorError(field="key")
    others = SecurityKey.objects.filter(user_id=actor.pk, confirmed=True).exclude(pk=key.pk)
    if (
        not others.exists()
        and not TOTPDevice.objects.filter(user_id=actor.pk, confirmed=True).exists()
    ):
        raise SecondFactorError(field="key")
    key.delete()
    _audit_user_event(
        actor=actor,
        user=actor,
        action="auth.second_factor.remove",
        kind="webauthn",
        device_id=key_id,
    )


# --- signing in ------------------------------------------------------------------------------


def _device_kind(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, SecurityKey):
        return "webauthn"
    if isinstance(device, RecoveryCodeSet):
        return "recovery_code"
    return type(device).__name__.lower()


def sign_in_complete(*, request: HttpRequest, device: Device, reauth: bool = False) -> None:
    """The second factor passed: the session is verified (django-otp), the time of this full
    authentication is recorded, and the account's failure count starts again."""
    user: Any = request.user
    otp_login(request, device)
    mark_authenticated(request)
    request.session.pop(SESSION_SECOND_FACTOR_FAILURES, None)
    axes_reset(username=lockout_username(None, {"username": user.get_username()}))
    _audit_user_event(
        actor=user,
        user=user,
        action="auth.reauth" if reauth else "auth.login",
        request=request,
        method=_device_kind(device),
    )
    if isinstance(device, RecoveryCodeSet):
        _audit_user_event(
            actor=user,
            user=user,
            action="auth.recovery_codes.use",
            remaining=recovery_codes_remaining(user=user),
        )


def second_factor_failure_record(*, request: HttpRequest) -> bool:
    """A wrong second factor: counted for the account's lockout (as a failed sign-in) and for
    this sign-in. Returns True when this sign-in has used up its attempts."""
    user: Any = request.user
    failures = int(request.session.get(SESSION_SECOND_FACTOR_FAILURES, 0)) + 1
    request.session[SESSION_SECOND_FACTOR_FAILURES] = failures
    _audit_user_event(
        actor=user,
        user=user,
        action="auth.second_factor.fail",
        request=request,
        failures=failures,
    )
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), "stage": SECOND_FACTOR_STAGE},
        request=request,
    )
    return failures >= settings.SECOND_FACTOR_ATTEMPTS or bool(
        getattr(request, "axes_locked_out", False)
    )


def sign_in_failure_record(*, request: HttpRequest | None, username: str | None) -> None:
    """A wrong username or password. For an existing account the account is the target; for an
    unknown name only the address digest is kept: the typed name may be anything, even a
    password typed into the wrong field."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    address = address_digest(client_address(request))
    if user is not None:
        _audit_user_event(actor=None, user=user, action="auth.login.fail", address=address)
    else:
        audit_record(
            actor=None,
            action="auth.login.fail",
            target=ClientAddress(pk=address),
            account="unknown",
        )


def lockout_record(*, request: HttpRequest | None, username: str | None) -> None:
    """A lockout began (by account or by address)."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    address = address_digest(client_address(request))
    if user is not None:
        _audit_user_event(actor=None, user=user, action="auth.lockout", address=address)
    else:
        audit_record(
            actor=None, action="auth.lockout", target=ClientAddress(pk=address), account="unknown"
        )


# --- sessions ------------------------------------------------------------------------------


def session_open_record(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """Called at every sign-in (the password step, and force_login in tests): the session's
    clocks start and the session is listed under the user so it can be ended from outside."""
    now = time.time()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user_id": user.pk})


def session_close_record(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_expire(*, request: HttpRequest, reason: str) -> None:
    """End the request's session because it was idle or too old."""
    user: Any = request.user
    _audit_user_event(actor=None, user=user, action="auth.session.expire", reason=reason)
    auth_logout(request)


def user_sessions_end(*, actor: Any, user: Any, reason: str) -> int:
    """End every open session of ``user`` on the server (deactivation, password change)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user_id=user.pk).delete()
    if keys:
        _audit_user_event(
            actor=actor, user=user, action="auth.session.end_all", reason=reason, count=len(keys)
        )
    return len(keys)


@transaction.atomic
def second_factor_remove_by_admin(*, actor: Any, device: Device) -> None:
    """An administrator removes a user's lost authenticator app or key. The user's sessions
    end; without any second factor left, the next sign-in asks them to enrol again."""
    user = device.user
    kind, device_id = _device_kind(device), device.pk
    device.delete()
    _audit_user_event(
        actor=actor, user=user, action="auth.second_factor.remove", kind=kind, device_id=device_id
    )
    user_sessions_end(actor=actor, user=user, reason="second_factor_removed")
