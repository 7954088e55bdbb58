"""Recent full authentication (password and second factor): record it, check it, require it."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "accounts_full_auth_at"

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])


def mark_authenticated(request: HttpRequest) -> None:
    """Record in the session that the user just passed the password and the second factor."""
    request.session[SESSION_KEY] = time.time()


def is_recently_authenticated(request: HttpRequest, *, max_age_seconds: int = 300) -> bool:
    """Whether the session's last full authentication is at most `max_age_seconds` old."""
    if not request.user.is_authenticated:
        return False
    moment = request.session.get(SESSION_KEY)
    if not isinstance(moment, int | float):
        return False
    age = time.time() - moment
    return 0 <= age <= max_age_seconds


def safe_next_path(request: HttpRequest, candidate: str | None) -> str | None:
    """`candidate` if it is a relative URL on this site, else None (no open redirects)."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if "\\" in candidate:
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return candidate


def reauth_url(request: HttpRequest, next_path: str | None = None) -> str:
    """The re-authentication page, returning to `next_path` (or the current page) afterwards."""
    target = safe_next_path(request, next_path or request.get_full_path())
    url = reverse("accounts:reauth")
    if target:
        url += "?" + urlencode({"next": target})
    return url


def _return_path(request: HttpRequest) -> str:
    """Where to come back after re-authenticating: the page itself for GET; for a form post,
    the same-site page the form was on (a POST-only URL cannot be opened again)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc == request.get_host() and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.path


def require_recent_auth(view: ViewFunction | None = None, *, max_age_seconds: int = 300) -> Any:
    """Decorator: the view runs only after a full authentication in the last few minutes.

    Otherwise the user is redirected (303, for every method) to the re-authentication page with
    `next` set to this path; a POST is never replayed after re-authentication, the user submits
    the form again. Usable bare (`@require_recent_auth`) or with `max_age_seconds`.
    """

    def decorate(inner: ViewFunction) -> ViewFunction:
        @functools.wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_recently_authenticated(request, max_age_seconds=max_age_seconds):
                return inner(request, *args, **kwargs)
            response = HttpResponseRedirect(reauth_url(request, _return_path(request)))
            response.status_code = 303
            if request.headers.get("HX-Request"):
                # htmx swaps 3xx bodies into the page; send the whole window there instead.
                response["HX-Redirect"] = response["Location"]
            return response

        return cast(ViewFunction, wrapped)

    if view is not None:
        return decorate(view)
    return decorate
