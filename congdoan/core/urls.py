from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_2fa

urlpatterns = [
    path(
        "login/",
        views_2fa.TwoFactorLoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("login/code/", views_2fa.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("2fa/", views_2fa.twofactor_setup, name="twofactor_setup"),
    path("2fa/off/", views_2fa.twofactor_disable, name="twofactor_disable"),
    path("2fa/codes/", views_2fa.twofactor_codes, name="twofactor_codes"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
]
