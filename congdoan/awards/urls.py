"""The awards pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("awards/", views.home, name="awards_home"),
    path("awards/units/<int:pk>/", views.unit_awards, name="unit_awards"),
    path("awards/units/<int:pk>/figures/", views.unit_award_figures, name="unit_award_figures"),
    path(
        "awards/units/<int:pk>/recipients/",
        views.unit_award_recipients,
        name="unit_award_recipients",
    ),
    path("awards/units/<int:pk>/members/", views.award_member_options, name="award_member_options"),
    path("awards/units/<int:pk>/disciplines/", views.unit_disciplines, name="unit_disciplines"),
    path("awards/units/<int:pk>/batches/new/", views.batch_create, name="batch_create"),
    path("awards/units/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("awards/units/<int:pk>/forms/new/", views.award_form_create, name="award_form_create"),
    path("awards/forms/", views.award_form_list, name="award_form_list"),
    path("awards/forms/<int:pk>/", views.award_form_detail, name="award_form_detail"),
    path("awards/forms/<int:pk>/edit/", views.award_form_edit, name="award_form_edit"),
    path("awards/rules/<int:pk>/delete/", views.award_rule_delete, name="award_rule_delete"),
    path("awards/disciplines/<int:pk>/delete/", views.discipline_delete, name="discipline_delete"),
    path("awards/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("awards/batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("awards/batches/<int:pk>/nominees/new/", views.nominee_add, name="nominee_add"),
    path("awards/batches/<int:pk>/submit/", views.batch_submit, name="batch_submit"),
    path("awards/batches/<int:pk>/withdraw/", views.batch_withdraw, name="batch_withdraw"),
    path("awards/nominees/<int:pk>/edit/", views.nominee_edit, name="nominee_edit"),
    path("awards/nominees/<int:pk>/remove/", views.nominee_remove, name="nominee_remove"),
    path("awards/nominees/<int:pk>/review/", views.nominee_review, name="nominee_review"),
    path("awards/decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("awards/decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("awards/decisions/<int:pk>/recipients/new/", views.recipient_add, name="recipient_add"),
    path(
        "awards/decisions/<int:pk>/accepted/",
        views.decision_add_accepted,
        name="decision_add_accepted",
    ),
    path("awards/decisions/<int:pk>/issue/", views.decision_issue, name="decision_issue"),
    path("awards/decisions/<int:pk>/revoke/", views.decision_revoke, name="decision_revoke"),
    path("awards/decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("awards/decisions/<int:pk>/document/", views.decision_document, name="decision_document"),
    path(
        "awards/decisions/<int:pk>/certificates/",
        views.decision_certificates,
        name="decision_certificates",
    ),
    path("awards/recipients/<int:pk>/remove/", views.recipient_remove, name="recipient_remove"),
]
