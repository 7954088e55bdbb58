from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.views.generic import RedirectView

from safepassage.accounts import views as accounts_views
from safepassage.api.api import api


def home(request: HttpRequest) -> HttpResponse:
    return redirect("cases:list")


def healthz(request: HttpRequest) -> HttpResponse:
    """Alive and able to open data: 503 while the keys cannot be had (the app fails closed)."""
    from safepassage.protection.keys import KeyUnavailableError, provider

    try:
        provider()
    except KeyUnavailableError:
        return HttpResponse("keys unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


admin.site.site_header = "SafePassage administration"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", accounts_views.sign_in, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("safepassage.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("safepassage.cases.urls")),
    path("pipeline/", include("safepassage.pipeline.urls")),
    path("threat/", include("safepassage.threat.urls")),
    path("duplicates/", include("safepassage.linkage.urls")),
    path("protection/", include("safepassage.protection.urls")),
    path("exports/", include("safepassage.exports.urls")),
    path("apply/", include("safepassage.intake.urls")),
    path("eligibility/", include("safepassage.eligibility.urls")),
    path("api/v1/", api.urls),
    # The admin signs in through the staff sign-in (password and second factor) only.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
