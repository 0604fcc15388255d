"""House grants (Mái ấm Công đoàn): cases, their steps, contributions and documents."""

from django.urls import path

from . import views_houses as views

urlpatterns = [
    path("care/houses/", views.houses_home, name="houses_home"),
    path("care/units/<int:pk>/houses/", views.unit_houses, name="unit_houses"),
    path("care/units/<int:pk>/houses/new/", views.house_create, name="house_create"),
    path(
        "care/units/<int:pk>/houses/members/",
        views.house_member_options,
        name="house_member_options",
    ),
    path("care/houses/<int:pk>/", views.house_detail, name="house_detail"),
    path("care/houses/<int:pk>/decide/", views.house_decide, name="house_decide"),
    path(
        "care/houses/<int:pk>/contributions/new/",
        views.house_contribution_create,
        name="house_contribution_create",
    ),
    path(
        "care/houses/<int:pk>/documents/new/",
        views.house_document_add,
        name="house_document_add",
    ),
    path("care/documents/<int:pk>/", views.care_document, name="care_document"),
    path(
        "care/documents/<int:pk>/delete/", views.care_document_delete, name="care_document_delete"
    ),
]
