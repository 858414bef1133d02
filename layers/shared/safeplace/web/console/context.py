"""What every console page and staff API route works with: the function's dependencies and the signed-in member
of staff (both in the resolver's context, which Powertools shares with every router it includes), pages rendered
with the session's CSRF token, cookies, and the access guard each route carries."""

from typing import Any, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from safeplace.core.errors import InvalidRequest
from safeplace.core.paging import MAX_PAGE_SIZE
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser
from safeplace.web import guard
from safeplace.web.console.menu import menu_for
from safeplace.web.http import html
from safeplace.web.pages import render
from safeplace.wiring import StaffApiDependencies


def allow(action: Action) -> list[guard.Middleware]:
    return [guard.allow(action)]


def deps(router: Router) -> StaffApiDependencies:
    found: StaffApiDependencies = router.context["deps"]
    return found


def base(router: Router) -> str:
    return deps(router).settings.base_path


def user(router: Router) -> StaffUser:
    """Who is calling, as the guard found them before the route ran."""
    found: StaffUser = router.context["user"]
    return found


def query(router: Router) -> dict[str, str]:
    return router.current_event.query_string_parameters or {}


def history_before(router: Router) -> int | None:
    """Which older page of a history was asked for (`?history_before=<entry>`); anything else is the latest."""
    raw = query(router).get("history_before") or ""
    return int(raw) if raw.isdigit() and len(raw) <= 10 else None


# How the JSON API's lists describe their paging, in the OpenAPI document.
CURSOR = "Where the page starts: the `next_cursor` or `previous_cursor` of another page; leave out for the first"
CURSOR_LENGTH = 1000
LIMIT = f"How many items the page holds, at most {MAX_PAGE_SIZE}"
SEARCH = "The first letters of the name (case, punctuation and spacing make no difference)"


def page_cursor(router: Router) -> str | None:
    """The cursor a console list page was asked for: none for the first page."""
    found = query(router).get("cursor") or None
    if found and len(found) > CURSOR_LENGTH:
        raise InvalidRequest("This page link is not valid. Start again from the first page.")
    return found


def page(
    router: Router, template: str, http_status: int = 200, *, also_post_to: str = "", **context: Any
) -> Response[str]:
    session = router.context.get("session")
    csrf_token = session.csrf_token if session else ""
    who = user(router)
    body = render(template, base=base(router), user=who, menu=menu_for(who), csrf_token=csrf_token, **context)
    return html(body, http_status, also_post_to=also_post_to)


def cookie(router: Router, name: str, value: str, *, max_age: int) -> Cookie:
    return Cookie(
        name=name,
        value=value,
        path="/",
        secure=deps(router).settings.secure_cookies,
        http_only=True,
        same_site=SameSite.LAX_MODE,
        max_age=max_age,
    )


def request_cookies(router: Router) -> dict[str, str]:
    # The resolver is API Gateway's REST one, so the event is a proxy event; routers only see its base class.
    return guard.request_cookies(cast(APIGatewayProxyEvent, router.current_event))
