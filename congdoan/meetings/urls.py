"""The meetings pages: meetings, working-session programmes, inspections."""

from django.urls import path

from . import views, views_inspections

urlpatterns = [
    path("meetings/", views.home, name="meetings_home"),
    path("meetings/units/<int:pk>/", views.unit_meetings, name="unit_meetings"),
    path("meetings/units/<int:pk>/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(
        "meetings/<int:pk>/documents/new/",
        views.meeting_document_add,
        name="meeting_document_add",
    ),
    path("meetings/documents/<int:pk>/", views.meeting_document, name="meeting_document"),
    path(
        "meetings/documents/<int:pk>/delete/",
        views.meeting_document_delete,
        name="meeting_document_delete",
    ),
    path(
        "meetings/units/<int:pk>/programmes/new/",
        views.programme_create,
        name="work_programme_create",
    ),
    path("meetings/programmes/<int:pk>/", views.programme_detail, name="work_programme_detail"),
    path(
        "meetings/programmes/<int:pk>/calendar.docx",
        views.programme_calendar,
        name="work_programme_calendar",
    ),
    path(
        "meetings/units/<int:pk>/inspections/",
        views_inspections.unit_inspections,
        name="unit_inspections",
    ),
    path(
        "meetings/units/<int:pk>/inspections/plans/new/",
        views_inspections.plan_create,
        name="inspection_plan_create",
    ),
    path(
        "meetings/inspection-plans/<int:pk>/",
        views_inspections.plan_detail,
        name="inspection_plan_detail",
    ),
    path(
        "meetings/inspection-plans/<int:pk>/edit/",
        views_inspections.plan_edit,
        name="inspection_plan_edit",
    ),
    path(
        "meetings/inspection-plans/<int:pk>/inspections/new/",
        views_inspections.inspection_create,
        name="inspection_create",
    ),
    path(
        "meetings/inspections/<int:pk>/",
        views_inspections.inspection_detail,
        name="inspection_detail",
    ),
    path(
        "meetings/inspections/<int:pk>/edit/",
        views_inspections.inspection_edit,
        name="inspection_edit",
    ),
]
