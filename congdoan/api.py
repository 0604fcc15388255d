"""The REST API under /api/v1/ (token authentication; schema at /api/v1/openapi.json)."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from congdoan.awards.api import router as awards_router
from congdoan.care.api import router as care_router
from congdoan.core.tokens import user_for_token
from congdoan.dashboard.api import router as dashboard_router
from congdoan.emulation.api import router as emulation_router
from congdoan.grading.api import router as grading_router
from congdoan.initiatives.api import router as initiatives_router
from congdoan.meetings.api import router as meetings_router
from congdoan.members.api import router as members_router
from congdoan.org.api import router as org_router
from congdoan.reports.api import router as reports_router


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal token from the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Công đoàn số API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("/units", org_router)
api.add_router("/members", members_router)
api.add_router("/care", care_router)
api.add_router("/emulation", emulation_router)
api.add_router("/grading", grading_router)
api.add_router("/initiatives", initiatives_router)
api.add_router("/awards", awards_router)
api.add_router("/meetings", meetings_router)
api.add_router("/reports", reports_router)
api.add_router("/dashboard", dashboard_router)
