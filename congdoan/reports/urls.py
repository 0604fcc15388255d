"""The reports pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.home, name="reports_home"),
]
