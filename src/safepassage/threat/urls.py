from __future__ import annotations

from django.urls import path

from safepassage.threat import priority_views, views

app_name = "threat"

urlpatterns = [
    path("", views.risk, name="risk"),
    path("map/", views.risk_map, name="map"),
    path("districts/<str:code>/", views.district, name="district"),
    path("events/", views.events, name="events"),
    path("events/new/", views.incident_new, name="incident_new"),
    path("events/<str:event_id>/", views.event_detail, name="event"),
    path("imports/", views.imports, name="imports"),
    path("imports/<str:batch_id>/", views.import_detail, name="import"),
    path("control/new/", views.control_new, name="control_new"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:report_id>/", views.report_detail, name="report"),
    path("reports/<str:report_id>/erase/", views.report_erase, name="report_erase"),
    path(
        "reports/<str:report_id>/proposals/<str:proposal_id>/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    # Case priority (``priority_views``).
    path("priority/", priority_views.priority_queue, name="priority_queue"),
    path("priority/weights/", priority_views.priority_weights, name="priority_weights"),
    path(
        "priority/weights/<int:number>/",
        priority_views.priority_weights_version,
        name="priority_weights_version",
    ),
]
