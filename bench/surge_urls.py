"""The real URLs plus ``/bench/floor/``: the cheapest useful request on the same stack (every
middleware, a database connection, one INSERT), the floor the intake surge is measured
against. Used only by bench/intake_surge.py through bench.surge_settings."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from safepassage.urls import urlpatterns as real_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """Insert one row (the table is created by the benchmark script) and answer 'ok'."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (at) VALUES (now())")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *real_urlpatterns]
