from __future__ import annotations

from django.urls import path

from safepassage.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("new/", views.export_new, name="new"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path(
        "agreements/<uuid:agreement_id>/revoke/",
        views.agreement_revoke,
        name="agreement_revoke",
    ),
    path("<uuid:export_id>/", views.export_detail, name="detail"),
    path("<uuid:export_id>/approve/", views.export_approve, name="approve"),
    path("<uuid:export_id>/reject/", views.export_reject, name="reject"),
    path("<uuid:export_id>/cancel/", views.export_cancel, name="cancel"),
    path("<uuid:export_id>/prepare/", views.export_prepare, name="prepare"),
    path("<uuid:export_id>/file/", views.export_file, name="file"),
]
