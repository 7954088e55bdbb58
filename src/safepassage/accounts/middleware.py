"""Session clocks (idle and absolute expiry) and the second-factor gate for every page."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from safepassage.accounts import services
from safepassage.accounts.reauth import safe_next_path

# Refresh the idle clock at most this often, so that not every request writes the session.
_SEEN_RESOLUTION_SECONDS = 30


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = url
    return response


def _with_next(request: HttpRequest, url: str) -> str:
    target = safe_next_path(request, request.get_full_path()) if request.method == "GET" else None
    return f"{url}?{urlencode({'next': target})}" if target else url


class SessionExpiryMiddleware:
    """Ends a signed-in session idle for SESSION_IDLE_SECONDS or older than
    SESSION_ABSOLUTE_SECONDS, whatever the cookie says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                services.session_expire(request=request, reason=expired)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return _redirect(request, _with_next(request, reverse("login")))
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str | None:
        now = time.time()
        session = request.session
        login_at = session.get(services.SESSION_LOGIN_AT)
        seen_at = session.get(services.SESSION_SEEN_AT)
        if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
            return "unknown"  # a session without clocks was not opened by a sign-in
        if now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            return "absolute"
        if now - seen_at > settings.SESSION_IDLE_SECONDS:
            return "idle"
        if now - seen_at > _SEEN_RESOLUTION_SECONDS:
            session[services.SESSION_SEEN_AT] = now
        return None


# Reachable after the password but before the second factor.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz")
_API_PREFIX = "/api/"
_API_SESSION_PATHS = ("/api/v1/docs", "/api/v1/openapi.json")


class SecondFactorRequiredMiddleware:
    """After the password step a user reaches only the second-factor and enrolment pages (and
    sign-out, the language switch, static files) until a second factor is verified. The API
    authenticates with bearer tokens, not sessions, and is not affected, except its docs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._second_factor_paths: tuple[str, ...] | None = None

    def _allowed_paths(self) -> tuple[str, ...]:
        if self._second_factor_paths is None:
            self._second_factor_paths = (
                reverse("accounts:second_factor"),
                reverse("accounts:enrol"),
                reverse("logout"),
                reverse("login"),
            )
        return self._second_factor_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or not services.second_factor_required(user)
        ):
            return self.get_response(request)
        path = request.path
        if path in self._allowed_paths() or path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        if path.startswith(_API_PREFIX) and not path.startswith(_API_SESSION_PATHS):
            return self.get_response(request)
        if services.user_has_second_factor(user):
            return _redirect(request, _with_next(request, reverse("accounts:second_factor")))
        return _redirect(request, _with_next(request, reverse("accounts:enrol")))
