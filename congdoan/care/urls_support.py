"""Pages for care programmes and support."""

from django.urls import path

from . import views_support as v

urlpatterns = [
    path("care/units/<int:pk>/programmes/", v.unit_programmes, name="unit_programmes"),
    path("care/units/<int:pk>/programmes/new/", v.programme_create, name="programme_create"),
    path("care/programmes/<int:pk>/", v.programme_detail, name="programme_detail"),
    path("care/programmes/<int:pk>/edit/", v.programme_edit, name="programme_edit"),
    path("care/programmes/<int:pk>/support/new/", v.support_create, name="support_create"),
    path("care/programmes/<int:pk>/support/import/", v.support_import, name="support_import"),
    path("care/programmes/<int:pk>/support/template/", v.support_template, name="support_template"),
    path("care/support/<int:pk>/", v.support_detail, name="support_detail"),
    path("care/support/<int:pk>/edit/", v.support_edit, name="support_edit"),
    path("care/support/<int:pk>/decide/", v.support_decide, name="support_decide"),
    path("care/support-lists/<int:pk>/", v.support_upload, name="support_upload"),
    path("care/support/members/", v.support_member_search, name="support_member_search"),
    path("care/support/givers/", v.support_giver_options, name="support_giver_options"),
]
