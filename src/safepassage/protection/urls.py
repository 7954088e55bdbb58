from __future__ import annotations

from django.urls import path

from safepassage.protection import views

app_name = "protection"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
]
