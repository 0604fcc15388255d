"""The URL map: pages, the API and the back office."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from congdoan.api import api

urlpatterns = [
    path("", include("congdoan.dashboard.urls")),
    path("accounts/", include("congdoan.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("congdoan.org.urls")),
    path("", include("congdoan.members.urls")),
    path("", include("congdoan.care.urls")),
    path("", include("congdoan.emulation.urls")),
    path("", include("congdoan.grading.urls")),
    path("", include("congdoan.initiatives.urls")),
    path("", include("congdoan.awards.urls")),
    path("", include("congdoan.meetings.urls")),
    path("", include("congdoan.reports.urls")),
    path("", include("congdoan.privacy.urls")),
    path("api/v1/", api.urls),
    # The back office logs in through our log-in, which asks for the two-step code.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
