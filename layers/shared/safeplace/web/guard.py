"""Enforces safeplace.staff.access on every staff route, before the route runs: identity, role, CSRF."""

import secrets
from collections.abc import Callable
from datetime import datetime
from http.cookies import SimpleCookie
from typing import Any, Protocol

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from safeplace.core import clock
from safeplace.core.errors import Forbidden, NotSignedIn
from safeplace.staff import access
from safeplace.staff.models import StaffSession, StaffUser
from safeplace.staff.ports import SessionLookup
from safeplace.staff.sign_in import current_session
from safeplace.web.http import flat_fields
from safeplace.web.identity import staff_user

Middleware = Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]


class _Settings(Protocol):
    @property
    def secure_cookies(self) -> bool: ...


class _Records(Protocol):
    @property
    def sessions(self) -> SessionLookup: ...


class _Dependencies(Protocol):
    """What the guard needs of the dependencies the handler puts in the resolver's context."""

    @property
    def settings(self) -> _Settings: ...

    @property
    def store(self) -> _Records: ...


def session_cookie_name(secure: bool) -> str:
    # __Host- cookies must be Secure, so the prefix is only used over https (always, on AWS).
    return "__Host-safeplace_session" if secure else "safeplace_session"


def request_cookies(event: APIGatewayProxyEvent) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in event.multi_value_headers.get("Cookie") or [
        event.headers.get("Cookie") or event.headers.get("cookie") or ""
    ]:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def allow(action: access.Action) -> Middleware:
    """The route middleware every staff route carries: who may call it is safeplace.staff.access's decision."""

    def guard(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        if access.needs_sign_in(action):
            user = _identify(app)
            access.authorise(user, action)
        return next_middleware(app)

    guard.action = action  # type: ignore[attr-defined]
    return guard


def signed_in(app: APIGatewayRestResolver) -> StaffSession | None:
    """The session of whoever is signed in to the console, if anyone: for pages that show the menu to those who
    have it (an error page), and authorise nothing."""
    found = app.context.get("session")
    if isinstance(found, StaffSession):
        return found
    if not app.current_event.path.startswith("/staff"):
        return None
    deps: _Dependencies = app.context["deps"]
    cookie = request_cookies(app.current_event).get(session_cookie_name(deps.settings.secure_cookies))
    try:
        return current_session(cookie, sessions=deps.store.sessions, now=clock.now())
    except NotSignedIn:
        return None


def _identify(app: APIGatewayRestResolver) -> StaffUser:
    if app.current_event.path.startswith("/api/"):
        # The JSON API sits behind API Gateway's Cognito authorizer: the claims say who is calling.
        user = staff_user(app.current_event.request_context.raw_event)
        app.append_context(user=user)
        return user
    deps: _Dependencies = app.context["deps"]
    now: datetime = clock.now()
    cookie = request_cookies(app.current_event).get(session_cookie_name(deps.settings.secure_cookies))
    session = current_session(cookie, sessions=deps.store.sessions, now=now)
    if app.current_event.http_method == "POST":
        sent = flat_fields(app.current_event.decoded_body).get("csrf_token", "")
        if not secrets.compare_digest(sent, session.csrf_token):
            raise Forbidden("This form has expired. Go back, reload the page and try again.")
    app.append_context(user=session.user, session=session)
    return session.user
