"""The reports pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.home, name="reports_home"),
    path("reports/unit/<int:pk>/", views.unit_reports, name="unit_reports"),
    path(
        "reports/unit/<int:pk>/download/", views.unit_report_download, name="unit_report_download"
    ),
    path("reports/unit/<int:pk>/lock/", views.unit_report_lock, name="unit_report_lock"),
    path(
        "reports/unit/<int:pk>/template/", views.unit_report_template, name="unit_report_template"
    ),
    path(
        "reports/unit/<int:pk>/template/download/",
        views.unit_report_template_download,
        name="unit_report_template_download",
    ),
    path(
        "reports/unit/<int:pk>/template/remove/",
        views.unit_report_template_remove,
        name="unit_report_template_remove",
    ),
    path("reports/lock/<int:pk>/", views.report_lock, name="report_lock"),
    path("reports/lock-job/<int:pk>/", views.report_lock_job, name="report_lock_job"),
    path("reports/lock/<int:pk>/unlock/", views.report_lock_unlock, name="report_lock_unlock"),
    path(
        "reports/template/default/", views.default_template_download, name="report_template_default"
    ),
]
