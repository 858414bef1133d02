"""Signing in through Cognito's hosted pages, signing out, and the page that says so."""

import base64

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import ValidationError

from safeplace.core import clock
from safeplace.staff.access import Action
from safeplace.staff.sign_in import SignInStarted, begin_sign_in, complete_sign_in, end_session
from safeplace.web import guard
from safeplace.web.console.context import allow, base, cookie, deps, query, request_cookies
from safeplace.web.http import html, safe_next
from safeplace.web.pages import render

router = Router()

SIGN_IN_COOKIE = "safeplace_sign_in"
# Long enough to sign in on Cognito's page; the cookies page says so.
SIGN_IN_COOKIE_SECONDS = 600


@router.get("/staff/sign-in", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def sign_in() -> Response[str]:
    started = begin_sign_in(deps(router).sign_in)
    after = safe_next(query(router).get("next"), default="/staff")
    # Until Cognito sends the browser back: the state and PKCE verifier, and where to go afterwards.
    remember = base64.urlsafe_b64encode(started.model_copy(update={"redirect_to": after}).model_dump_json().encode())
    return Response(
        status_code=303,
        body="",
        headers={"Location": started.redirect_to, "Cache-Control": "no-store"},
        cookies=[cookie(router, SIGN_IN_COOKIE, remember.decode(), max_age=SIGN_IN_COOKIE_SECONDS)],
    )


def _remembered_sign_in(value: str | None) -> SignInStarted | None:
    if not value:
        return None
    try:
        return SignInStarted.model_validate_json(base64.urlsafe_b64decode(value.encode()))
    except (ValueError, ValidationError):
        return None


@router.get("/staff/auth/callback", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def signed_in() -> Response[str]:
    asked = query(router)
    started = _remembered_sign_in(request_cookies(router).get(SIGN_IN_COOKIE))
    settings = deps(router).settings
    done = complete_sign_in(
        asked.get("code", ""),
        asked.get("state", ""),
        started,
        provider=deps(router).sign_in,
        sessions=deps(router).store.sessions,
        now=clock.now(),
        lifetime=settings.session_lifetime,
    )
    assert started is not None  # complete_sign_in refuses a callback without one
    name = guard.session_cookie_name(settings.secure_cookies)
    lifetime = int(settings.session_lifetime.total_seconds())
    return Response(
        status_code=303,
        body="",
        headers={"Location": f"{base(router)}{started.redirect_to}", "Cache-Control": "no-store"},
        cookies=[
            cookie(router, name, done.cookie_value, max_age=lifetime),
            cookie(router, SIGN_IN_COOKIE, "", max_age=0),
        ],
    )


@router.post("/staff/sign-out", include_in_schema=False, middlewares=allow(Action.SIGN_OUT))
def sign_out() -> Response[str]:
    name = guard.session_cookie_name(deps(router).settings.secure_cookies)
    end_session(request_cookies(router).get(name), sessions=deps(router).store.sessions)
    return Response(
        status_code=303,
        body="",
        headers={"Location": deps(router).sign_in.logout_url(), "Cache-Control": "no-store"},
        cookies=[cookie(router, name, "", max_age=0)],
    )


@router.get("/staff/signed-out", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def signed_out() -> Response[str]:
    return html(render("staff/signed_out.html", base=base(router), title="You have signed out"))
