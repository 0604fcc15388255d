"""The dashboard: the home page after logging in."""

from django.urls import path

from congdoan.org import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
]
