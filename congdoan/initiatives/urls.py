"""The initiatives pages."""

from django.urls import path

from . import views, views_import

urlpatterns = [
    path("initiatives/", views.home, name="initiatives_home"),
    path(
        "initiatives/units/<int:pk>/programmes/new/",
        views.programme_create,
        name="initiative_programme_create",
    ),
    path(
        "initiatives/programmes/<int:pk>/",
        views.programme_detail,
        name="initiative_programme_detail",
    ),
    path(
        "initiatives/programmes/<int:pk>/edit/",
        views.programme_edit,
        name="initiative_programme_edit",
    ),
    path(
        "initiatives/programmes/<int:pk>/targets/",
        views.programme_targets,
        name="initiative_programme_targets",
    ),
    path("initiatives/units/<int:pk>/", views.unit_initiatives, name="unit_initiatives"),
    path("initiatives/units/<int:pk>/new/", views.initiative_create, name="initiative_create"),
    path(
        "initiatives/units/<int:pk>/members/",
        views.initiative_member_options,
        name="initiative_member_options",
    ),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:pk>/edit/", views.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:pk>/decide/", views.initiative_decide, name="initiative_decide"),
    path("initiatives/<int:pk>/reopen/", views.initiative_reopen, name="initiative_reopen"),
    path("initiatives/<int:pk>/portal/", views.initiative_portal, name="initiative_portal"),
    path("initiatives/<int:pk>/delete/", views.initiative_delete, name="initiative_delete"),
    path(
        "initiatives/programmes/<int:pk>/import/",
        views_import.initiative_import,
        name="initiative_import",
    ),
    path(
        "initiatives/programmes/<int:pk>/template/",
        views_import.initiative_template,
        name="initiative_template",
    ),
    path(
        "initiatives/lists/<int:pk>/",
        views_import.initiative_upload,
        name="initiative_upload",
    ),
]
