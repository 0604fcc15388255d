from django.urls import path

from . import views_overview

urlpatterns = [
    path("care/", views_overview.care_home, name="care_home"),
    path("care/units/<int:pk>/", views_overview.unit_care, name="unit_care"),
]
