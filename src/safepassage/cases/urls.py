from __future__ import annotations

from django.urls import path

from safepassage.cases import com_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("emergency/", views.break_glass, name="break_glass"),
    path("find/", views.person_find, name="find"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/stage/", views.case_change_stage, name="stage"),
    path("<str:reference>/assign/", views.case_assign, name="assign"),
    path("<str:reference>/program/", views.case_program, name="program"),
    path("<str:reference>/household/", views.household_edit, name="household"),
    path("<str:reference>/notes/", views.note_add, name="note_add"),
    path("<str:reference>/data-requests/", views.erasure_action, name="erasure"),
    path("<str:reference>/tasks/", views.task_add, name="task_add"),
    path("<str:reference>/tasks/<uuid:task_id>/toggle/", views.task_toggle, name="task_toggle"),
    path("<str:reference>/people/new/", views.person_edit, name="person_add"),
    path("<str:reference>/people/<uuid:person_id>/", views.person_edit, name="person_edit"),
    path(
        "<str:reference>/people/<uuid:person_id>/reveal/",
        views.person_reveal,
        name="person_reveal",
    ),
    path(
        "<str:reference>/people/<uuid:person_id>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path("<str:reference>/employment/new/", views.employment_edit, name="employment_add"),
    path(
        "<str:reference>/employment/<uuid:employment_id>/",
        views.employment_edit,
        name="employment_edit",
    ),
    path("<str:reference>/ds157/", com_views.ds157_edit, name="ds157"),
    path("<str:reference>/com-package/", com_views.com_package_page, name="com_package"),
    path(
        "<str:reference>/com-package/file/",
        com_views.com_package_download,
        name="com_package_file",
    ),
    path("<str:reference>/documents/new/", views.document_add, name="document_add"),
    path(
        "<str:reference>/documents/<uuid:document_id>/",
        views.document_download,
        name="document_download",
    ),
]
