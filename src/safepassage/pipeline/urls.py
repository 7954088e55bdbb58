from __future__ import annotations

from django.urls import path

from safepassage.pipeline import views

app_name = "pipeline"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("service-levels/", views.sla, name="sla"),
    path("cases/<str:reference>/move/", views.case_stage_move, name="move"),
    path("cases/<str:reference>/explanations/", views.explanation_add, name="explanation_add"),
]
