"""Staff sign-in pages: password, second factor, enrolment, re-authentication, security."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.accounts import services
from safepassage.accounts.errors import SecondFactorError
from safepassage.accounts.forms import (
    EnrolForm,
    ReauthForm,
    SecondFactorForm,
    SecurityKeyForm,
    SignInForm,
)
from safepassage.accounts.models import SecurityKey
from safepassage.accounts.reauth import (
    is_recently_authenticated,
    reauth_url,
    require_recent_auth,
    safe_next_path,
)

logger = logging.getLogger(__name__)


def _next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return safe_next_path(request, candidate) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _to(name: str, next_path: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_path})}"


def _end_sign_in(request: HttpRequest) -> HttpResponse:
    """Too many wrong second factors: the half-finished sign-in ends."""
    auth_logout(request)
    messages.error(request, _("Too many wrong attempts. Please sign in again."))
    return HttpResponseRedirect(reverse("login"))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: username and password. The session is signed in but not verified."""
    next_path = _next(request)
    user: Any = request.user
    if user.is_authenticated:
        if user.is_verified():
            return HttpResponseRedirect(next_path)
        return HttpResponseRedirect(_to("accounts:second_factor", next_path))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        return HttpResponseRedirect(_to("accounts:second_factor", next_path))
    return render(request, "registration/login.html", {"form": form, "next": next_path})


def _verify(request: HttpRequest, form: SecondFactorForm) -> Any:
    user: Any = request.user
    credential = form.cleaned_data.get("credential")
    if credential:
        return services.security_key_authenticate(
            request=request, user=user, credential_json=credential
        )
    return services.second_factor_verify(user=user, code=form.cleaned_data.get("code") or "")


def _key_options(request: HttpRequest) -> Any:
    """The security-key challenge for the page (parsed, for json_script), if the user has keys."""
    user: Any = request.user
    options = services.security_key_authentication_options(request=request, user=user)
    return json.loads(options) if options else None


@sensitive_post_parameters("code", "credential")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app, a recovery code or a security key."""
    next_path = _next(request)
    user: Any = request.user
    if user.is_verified():
        return HttpResponseRedirect(next_path)
    if not services.user_has_second_factor(user):
        return HttpResponseRedirect(_to("accounts:enrol", next_path))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verify(request, form)
        if device is not None:
            services.sign_in_complete(request=request, device=device)
            return HttpResponseRedirect(next_path)
        if services.second_factor_failure_record(request=request):
            return _end_sign_in(request)
        form.add_error(None, SecondFactorError.default_message)
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": next_path, "key_options": _key_options(request)},
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm a code.
    The first enrolment completes the sign-in and shows the recovery codes once."""
    next_path = _next(request)
    user: Any = request.user
    first = not services.user_has_second_factor(user)
    if not first:
        # Adding or replacing a factor needs the present ones, recently.
        if not user.is_verified():
            return HttpResponseRedirect(_to("accounts:second_factor", next_path))
        if not is_recently_authenticated(request):
            return HttpResponseRedirect(reauth_url(request, request.get_full_path()))
    device = services.totp_device_pending(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_enrol(actor=user, device=device, code=form.cleaned_data["code"])
        except SecondFactorError as error:
            form.add_error("code", str(error.message))
        else:
            if first:
                services.sign_in_complete(request=request, device=device)
                codes = services.recovery_codes_issue(actor=user)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": next_path, "first": True},
                )
            otp_login(request, device)  # the device this session was verified with is gone
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(reverse("accounts:security"))
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": next_path,
            "first": first,
            # segno's SVG from our own otpauth URI: no user input reaches it unescaped.
            "qr_svg": mark_safe(services.totp_qr_svg(device)),  # noqa: S308
            "secret": services.totp_secret_text(device),
        },
    )


@sensitive_post_parameters("password", "code", "credential")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm it is still you (password and second factor) before a sensitive action."""
    next_path = _next(request)
    user: Any = request.user
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if checked is None or checked.pk != user.pk:
            form.add_error("password", _("That password is not correct."))
        else:
            device = _verify(request, form)
            if device is not None:
                services.sign_in_complete(request=request, device=device, reauth=True)
                return HttpResponseRedirect(next_path)
            if services.second_factor_failure_record(request=request):
                return _end_sign_in(request)
            form.add_error(None, SecondFactorError.default_message)
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "next": next_path, "key_options": _key_options(request)},
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """The user's second factors: authenticator app, security keys, recovery codes."""
    user: Any = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "totp_devices": TOTPDevice.objects.filter(user_id=user.pk, confirmed=True),
            "security_keys": SecurityKey.objects.filter(user_id=user.pk, confirmed=True),
            "recovery_codes_remaining": services.recovery_codes_remaining(user=user),
            "key_form": SecurityKeyForm(),
            "registration_options": json.loads(
                services.security_key_registration_options(request=request, user=user)
            ),
        },
    )


@sensitive_post_parameters("credential")
@require_POST
@login_required
@require_recent_auth
def security_key_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = SecurityKeyForm(request.POST)
    if form.is_valid():
        try:
            key = services.security_key_register(
                actor=user,
                request=request,
                credential_json=form.cleaned_data["credential"],
                name=form.cleaned_data["name"],
            )
        except SecondFactorError:
            messages.error(request, _("The security key could not be added. Please try again."))
        else:
            logger.info("security key %s added", key.pk)
            messages.success(request, _("The security key was added."))
    else:
        messages.error(request, _("The security key could not be added. Please try again."))
    return HttpResponseRedirect(reverse("accounts:security"))


@require_POST
@login_required
@require_recent_auth
def security_key_remove(request: HttpRequest, key_id: int) -> HttpResponse:
    try:
        services.security_key_remove(actor=request.user, key_id=key_id)  # type: ignore[arg-type]
    except SecondFactorError:
        messages.error(
            request, _("This key cannot be removed: you would have no second factor left.")
        )
    else:
        messages.success(request, _("The security key was removed."))
    return HttpResponseRedirect(reverse("accounts:security"))


@never_cache
@require_POST
@login_required
@require_recent_auth
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    codes = services.recovery_codes_issue(actor=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:security"), "first": False},
    )


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout answer: the same neutral page for every account name and address.
    A half-finished or re-authenticating session ends here too."""
    user: Any = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        auth_logout(request)
    cooloff = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "accounts/lockout.html",
        {"cooloff_minutes": int(cooloff.total_seconds() // 60)},
        status=429,
    )
