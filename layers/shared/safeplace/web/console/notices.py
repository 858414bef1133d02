"""The footer's pages: the privacy notice, the accessibility statement and the cookies page. Anyone may read them,
signed in or not; the link pages' footer leads here too."""

from typing import NamedTuple

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.oversight.describe_service import describe_service
from safeplace.staff.access import Action
from safeplace.web import guard
from safeplace.web.console.context import allow, base, deps
from safeplace.web.console.sign_in import SIGN_IN_COOKIE, SIGN_IN_COOKIE_SECONDS
from safeplace.web.http import html
from safeplace.web.pages import render

router = Router()


class CookieUse(NamedTuple):
    name: str
    purpose: str
    lasts: str


def _page(template: str, title: str) -> Response[str]:
    settings = deps(router).settings
    facts = describe_service(settings.contact, settings.retention, settings.session_lifetime)
    cookies = [
        CookieUse(
            guard.session_cookie_name(settings.secure_cookies),
            "Keeps a member of staff signed in to the console",
            f"Until they sign out, or {facts.session_hours} hours after they signed in",
        ),
        CookieUse(
            SIGN_IN_COOKIE,
            "Remembers where a member of staff was going while they sign in",
            f"{SIGN_IN_COOKIE_SECONDS // 60} minutes, or until they are signed in",
        ),
    ]
    return html(render(template, base=base(router), title=title, facts=facts, cookies=cookies))


@router.get("/privacy", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def privacy() -> Response[str]:
    return _page("notices/privacy.html", "Privacy notice")


@router.get("/accessibility", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def accessibility() -> Response[str]:
    return _page("notices/accessibility.html", "Accessibility statement")


@router.get("/cookies", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def cookies() -> Response[str]:
    return _page("notices/cookies.html", "Cookies")
