from django.urls import path

from . import views

urlpatterns = [
    path("members/", views.members_home, name="members_home"),
    path("members/wards/", views.ward_options, name="ward_options"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/personal/", views.member_personal, name="member_personal"),
    path("members/<int:pk>/admit/", views.member_admit, name="member_admit"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/card/", views.member_card, name="member_card"),
    path("units/<int:pk>/members/", views.unit_members, name="unit_members"),
    path("units/<int:pk>/members/new/", views.member_create, name="member_create"),
    path("units/<int:pk>/transfers/", views.unit_transfers, name="unit_transfers"),
    path("units/<int:pk>/targets/", views.unit_targets, name="unit_targets"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path(
        "units/<int:pk>/members/template/",
        views.unit_members_template,
        name="unit_members_template",
    ),
    path("units/<int:pk>/members/export/", views.unit_members_export, name="unit_members_export"),
    path("units/<int:pk>/members/import/", views.unit_members_import, name="unit_members_import"),
    path("imports/<int:pk>/", views.roster_upload, name="roster_upload"),
]
