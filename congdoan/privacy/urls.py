"""Personal data pages (Decree 13/2023/NĐ-CP)."""

from django.urls import path

from . import views

urlpatterns = [
    path("members/<int:pk>/access-log/", views.member_access_log, name="member_access_log"),
    path("members/<int:pk>/record/", views.member_record_export, name="member_record_export"),
    path("members/<int:pk>/anonymise/", views.member_anonymise, name="member_anonymise"),
]
