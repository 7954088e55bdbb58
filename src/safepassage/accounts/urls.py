from __future__ import annotations

from django.urls import path

from safepassage.accounts import views

app_name = "accounts"

# Sign-in itself keeps its global name "login" (LOGIN_URL), see safepassage/urls.py.
urlpatterns = [
    path("two-factor/", views.second_factor, name="second_factor"),
    path("two-factor/enrol/", views.enrol, name="enrol"),
    path("reauth/", views.reauth, name="reauth"),
    path("security/", views.security, name="security"),
    path("security/keys/", views.security_key_add, name="security_key_add"),
    path(
        "security/keys/<int:key_id>/remove/",
        views.security_key_remove,
        name="security_key_remove",
    ),
    path("security/recovery-codes/", views.recovery_codes_renew, name="recovery_codes_renew"),
]
