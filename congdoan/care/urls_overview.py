from django.urls import path

from . import views_overview

urlpatterns = [
    path("care/", views_overview.care_home, name="care_home"),
]
