"""The meetings pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.home, name="meetings_home"),
]
