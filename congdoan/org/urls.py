from django.urls import path

from . import views

urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/lookup/", views.unit_lookup, name="unit_lookup"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/rename/", views.unit_rename, name="unit_rename"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<int:pk>/dissolve/", views.unit_dissolve, name="unit_dissolve"),
    path("restructure/", views.restructure_upload, name="restructure_upload"),
    path("restructure/<int:pk>/", views.restructure_preview, name="restructure_preview"),
    path("restructure/<int:pk>/apply/", views.restructure_apply, name="restructure_apply"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
