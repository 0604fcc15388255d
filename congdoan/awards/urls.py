"""The awards pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("awards/", views.home, name="awards_home"),
]
