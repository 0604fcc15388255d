"""The signed-in user, typed: views behind login_required act as a real account."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def user_of(request: HttpRequest) -> User:
    """The request's authenticated user (login_required has already sent anonymous users away)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
