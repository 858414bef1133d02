"""Enforces safeplace.staff.access on every staff route, before the route runs: identity, role, CSRF."""

import secrets
from collections.abc import Callable
from datetime import datetime
from http.cookies import SimpleCookie
from typing import Any, Protocol

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.core.errors import Forbidden
from safeplace.staff import access
from safeplace.staff.models import StaffUser
from safeplace.staff.sign_in import current_session
from safeplace.web.http import flat_fields
from safeplace.web.identity import staff_user

Middleware = Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]


class _HasStore(Protocol):
    store: Store


def session_cookie_name(secure: bool) -> str:
    # __Host- cookies must be Secure, so the prefix is only used over https (always, on AWS).
    return "__Host-safeplace_session" if secure else "safeplace_session"


def request_cookies(app: APIGatewayRestResolver) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in app.current_event.multi_value_headers.get("Cookie") or [
        app.current_event.headers.get("Cookie") or app.current_event.headers.get("cookie") or ""
    ]:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def allow(action: access.Action, *, secure_cookie: Callable[[], bool]) -> Middleware:
    """The route middleware every staff route carries: who may call it is safeplace.staff.access's decision."""

    def guard(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        if access.needs_sign_in(action):
            user = _identify(app, secure_cookie())
            access.authorise(user, action)
        return next_middleware(app)

    guard.action = action  # type: ignore[attr-defined]
    return guard


def _identify(app: APIGatewayRestResolver, secure: bool) -> StaffUser:
    if app.current_event.path.startswith("/api/"):
        # The JSON API sits behind API Gateway's Cognito authorizer: the claims say who is calling.
        user = staff_user(app.current_event.request_context.raw_event)
        app.append_context(user=user)
        return user
    deps: _HasStore = app.context["deps"]
    now: datetime = clock.now()
    session = current_session(request_cookies(app).get(session_cookie_name(secure)), store=deps.store, now=now)
    if app.current_event.http_method == "POST":
        sent = flat_fields(app.current_event.decoded_body).get("csrf_token", "")
        if not secrets.compare_digest(sent, session.csrf_token):
            raise Forbidden("This form has expired. Go back, reload the page and try again.")
    app.append_context(user=session.user, session=session)
    return session.user
