from __future__ import annotations

from django.urls import path

from safepassage.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.language, name="language"),
    path("start/", views.start, name="start"),
    path("new/", views.new_application, name="new"),
    path("step/<slug:name>/", views.step, name="step"),
    path("resume/", views.resume, name="resume"),
    path("submit/", views.submit, name="submit"),
    path("receipt/", views.receipt, name="receipt"),
    path("status/", views.status, name="status"),
    path("status/upload/", views.status_upload, name="status_upload"),
    path("status/contact/", views.status_contact, name="status_contact"),
    path("status/leave/", views.status_leave, name="status_leave"),
    path("exit/", views.quick_exit, name="exit"),
    path("today/", views.neutral, name="neutral"),
]
