from __future__ import annotations

from django.urls import path

from safepassage.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("rules/", views.program_list, name="programs"),
    path("rules/<str:program>/", views.revision_list, name="revisions"),
    path("rules/<str:program>/new/", views.draft_new, name="draft_new"),
    path("rules/<str:program>/<int:number>/", views.revision_detail, name="revision"),
    path("rules/<str:program>/<int:number>/preview/", views.revision_preview, name="preview"),
    path("rules/<str:program>/<int:number>/retire/", views.revision_retire, name="retire"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run"),
    path("runs/<uuid:run_id>/accept/", views.run_accept, name="accept"),
    path("runs/<uuid:run_id>/discard/", views.run_discard, name="discard"),
    path("cases/<str:reference>/referrals/", views.case_referrals, name="referrals"),
]
