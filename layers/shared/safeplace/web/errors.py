"""The one place domain errors become HTTP: JSON under /api, a page everywhere else."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from safeplace.core.errors import (
    Conflict,
    DomainError,
    EmailNotSent,
    Forbidden,
    InvalidRequest,
    LinkNotUsable,
    NotFound,
    NotSignedIn,
    TemporaryFailure,
)
from safeplace.staff.models import StaffSession
from safeplace.web.console.menu import menu_for
from safeplace.web.http import html, json_answer, redirect, unreadable
from safeplace.web.pages import render

_STATUS: dict[type[DomainError], int] = {
    InvalidRequest: 400,
    Forbidden: 403,
    NotFound: 404,
    LinkNotUsable: 404,
    Conflict: 409,
    EmailNotSent: 502,
    TemporaryFailure: 503,
}

_TITLES = {
    400: "There is a problem with what you sent",
    403: "You cannot do this",
    404: "Page not found",
    409: "This has changed since you opened it",
    502: "We could not send an email",
    503: "Sorry, there is a problem with the service",
}


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 400


def register(
    app: APIGatewayRestResolver,
    *,
    base_path: Callable[[], str] = lambda: "",
    signed_in: Callable[[], StaffSession | None] = lambda: None,
) -> None:
    """`signed_in` says who is signed in to the console, if anyone: their error pages keep the menu."""

    def wants_json() -> bool:
        return app.current_event.path.startswith("/api/")

    def page(status: int, message: str) -> Response:
        details = {"base": base_path(), "title": _TITLES[status], "message": message}
        session = signed_in()
        if session is None:
            return html(render("error.html", **details), status)
        staff = {"user": session.user, "menu": menu_for(session.user), "csrf_token": session.csrf_token}
        return html(render("staff/error.html", **details, **staff), status)

    def json(status: int, body: dict[str, object]) -> Response:
        return json_answer(status, body)

    @app.exception_handler(NotSignedIn)
    def not_signed_in(error: NotSignedIn) -> Response:
        if wants_json():
            return json(401, {"message": error.message})
        back = app.current_event.path if app.current_event.http_method == "GET" else "/staff"
        return redirect(f"{base_path()}/staff/sign-in?{urlencode({'next': back})}")

    @app.exception_handler(DomainError)
    def domain_error(error: DomainError) -> Response:
        status = status_of(error)
        return json(status, {"message": error.message}) if wants_json() else page(status, error.message)

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]} for e in error.errors()
        ]
        return json(422, {"message": "The request has problems to put right", "problems": problems})

    @app.not_found
    def not_found(_: Exception) -> Response:
        if wants_json():
            return json(404, {"message": "No such endpoint"})
        return page(404, "Check the address you typed.")


def refuse_unreadable(event: dict[str, Any], *, base_path: str) -> dict[str, Any] | None:
    """The answer to a request whose body cannot be read at all (safeplace.web.http.unreadable), given before the
    resolver or any route sees it; None for every other request."""
    problem = unreadable(event)
    if problem is None:
        return None
    if str(event.get("path", "")).startswith("/api/"):
        response = json_answer(400, {"message": problem})
    else:
        # No session is looked up for a request refused unread: the page is the public one.
        response = html(render("error.html", base=base_path, title=_TITLES[400], message=problem), 400)
    built: dict[str, Any] = ResponseBuilder(response).build(APIGatewayProxyEvent(event))  # type: ignore[arg-type]
    return built
