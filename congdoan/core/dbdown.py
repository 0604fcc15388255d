"""A clear page, not a crash, while the database cannot be reached.

When PostgreSQL is stopped, restarting or unreachable, any request that touches the database
raises OperationalError (or InterfaceError on a connection that died). This middleware answers
those requests with a 503 page in the user's language ("Hệ thống tạm thời không kết nối được cơ
sở dữ liệu...") and a Retry-After header, instead of the generic error page. Nothing else is
needed to recover: each request opens a new connection (DATABASE_CONN_MAX_AGE=0, the default),
or Django drops a broken persistent one at the end of the request, so the first request after
the database returns is served normally.

Errors raised in views reach `process_exception`; errors raised elsewhere (a middleware reading
or saving the session) become a 500 response inside Django's handler, which sends
`got_request_exception` while the exception is current: the receiver notes it on the request,
and the middleware swaps that 500 for the 503 page on the way out.

In settings.MIDDLEWARE, right after congdoan.core.middleware.LanguageMiddleware (so that the
page is in the chosen language):

    "congdoan.core.dbdown.DatabaseUnavailableMiddleware",
"""

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
_MARK = "_congdoan_database_unavailable"
# SQLite raises OperationalError for programming errors too ("no such table"): only these mean
# that the database is there but cannot be used right now.
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says that the database cannot be reached or used at the moment."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if connections["default"].vendor == "sqlite":
        return any(text in str(exc).lower() for text in _SQLITE_UNAVAILABLE)
    return True


def _note(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and is_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(_note, dispatch_uid="congdoan.core.dbdown")


def unavailable_response() -> HttpResponse:
    """The 503 page. Rendered without the request (no context processors, so nothing that
    would read the session or the user from the database)."""
    response = HttpResponse(render_to_string("core/db_unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            return unavailable_response()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path,
                       exception)  # fmt: skip
        return unavailable_response()
