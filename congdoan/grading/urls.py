"""The grading pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("grading/", views.home, name="grading_home"),
]
