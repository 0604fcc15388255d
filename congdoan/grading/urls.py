"""The grading pages: a unit's grading, the scorecard editor, the assessment form."""

from django.urls import path

from . import views

urlpatterns = [
    path("grading/", views.home, name="grading_home"),
    path("grading/units/<int:pk>/", views.unit_grading, name="unit_grading"),
    path("grading/units/<int:pk>/scorecards/new/", views.scorecard_create, name="scorecard_create"),
    path(
        "grading/units/<int:pk>/assessments/new/",
        views.assessment_start,
        name="assessment_start",
    ),
    path("grading/scorecards/<int:pk>/", views.scorecard_detail, name="scorecard_detail"),
    path("grading/scorecards/<int:pk>/edit/", views.scorecard_edit, name="scorecard_edit"),
    path("grading/scorecards/<int:pk>/action/", views.scorecard_action, name="scorecard_action"),
    path("grading/scorecards/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path(
        "grading/scorecards/<int:pk>/criteria/new/",
        views.criterion_create,
        name="criterion_create",
    ),
    path("grading/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("grading/groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("grading/criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("grading/criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("grading/assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("grading/assessments/<int:pk>/self/", views.assessment_self, name="assessment_self"),
    path("grading/assessments/<int:pk>/review/", views.assessment_review, name="assessment_review"),
    path("grading/assessments/<int:pk>/reopen/", views.assessment_reopen, name="assessment_reopen"),
    path("grading/assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
]
