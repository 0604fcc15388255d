"""The emulation pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("emulation/", views.home, name="emulation_home"),
]
