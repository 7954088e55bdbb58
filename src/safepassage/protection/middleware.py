"""Fail closed when the keys cannot be had: a maintenance page, never clear text."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from safepassage.protection.keys import KeyDestroyedError, KeyUnavailableError

logger = logging.getLogger(__name__)


class FailClosedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, KeyDestroyedError):
            return None  # an erased case: handled by the views as "not found"
        if isinstance(exception, KeyUnavailableError):
            logger.error("keys unavailable: serving the maintenance page")
            body = render_to_string("maintenance.html", request=request)
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "300"
            return response
        return None
