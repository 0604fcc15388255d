"""The care pages, one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("congdoan.care.urls_overview")),
    path("", include("congdoan.care.urls_support")),
    path("", include("congdoan.care.urls_funds")),
    path("", include("congdoan.care.urls_houses")),
]
