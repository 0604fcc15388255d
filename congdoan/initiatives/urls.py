"""The initiatives pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("initiatives/", views.home, name="initiatives_home"),
]
