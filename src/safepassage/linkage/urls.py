from __future__ import annotations

from django.urls import path

from safepassage.linkage import import_views, views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("decided/", views.decided, name="decided"),
    path("matches/<str:proposal_id>/", views.proposal_detail, name="proposal"),
    path("matches/<str:proposal_id>/undo/", views.proposal_undo, name="undo"),
    path("cases/<str:reference>/", views.case_links, name="case_links"),
    path("runs/", views.runs, name="runs"),
    path("runs/<str:run_id>/", views.run_detail, name="run"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template.csv", import_views.import_template, name="import_template"),
    path("import/<str:batch_id>/", import_views.import_preview, name="import_preview"),
    path("import/<str:batch_id>/confirm/", import_views.import_confirm, name="import_confirm"),
]
