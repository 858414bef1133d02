"""A link that cannot be used, and asking for a fresh one. A used link tells its holder what happened through it;
wrong, revoked and expired links look alike, each offered what makes sense for its purpose."""

import contextlib

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.core.errors import LinkNotUsable, NotFound
from safeplace.core.links import LinkPurpose, find
from safeplace.handbook.read_signed_copy import read_signed_copy, signed_with
from safeplace.onboarding.renew_link import renew_link
from safeplace.onboarding.show_answers_received import answers_received
from safeplace.web.http import document
from safeplace.web.link import context

router = Router()

_USED_TITLES = {
    LinkPurpose.ONBOARDING_FORM: "We have received your answers",
    LinkPurpose.HANDBOOK: "You have signed for the employer handbook",
    LinkPurpose.SPEAKER_DECISION: "This booking has been decided",
    LinkPurpose.SPEAKER_CONDITIONS: "You have confirmed the conditions",
}


@router.exception_handler(LinkNotUsable)
def unusable(_: LinkNotUsable) -> Response[str]:
    deps = context.deps(router)
    store = deps.store
    token = context.link_token(router)
    link = find(store.links, token)
    if link is not None and link.used_at is not None:
        employer, receipt = None, None
        # This runs in place of a failed page: what it reads besides the link must not fail it again.
        with contextlib.suppress(LinkNotUsable, NotFound):
            if link.purpose is LinkPurpose.ONBOARDING_FORM:
                employer = answers_received(token, links=store.links, employers=store.employers)[0]
            elif link.purpose is LinkPurpose.HANDBOOK:
                receipt = signed_with(token, links=store.links, handbook=store.handbook)
        return context.page(
            router,
            "link/used.html",
            title=_USED_TITLES[link.purpose],
            link=link,
            token=token,
            purpose=link.purpose.value,
            employer=employer,
            receipt=receipt,
        )
    return context.page(
        router,
        "link/unusable.html",
        404,
        title="This link has expired or does not work",
        purpose=link.purpose.value if link else "",
        renew_action=f"{context.base(router)}/link/{token}/renew",
    )


@router.get("/link/<token>/handbook/signed")
def signed_copy(token: str) -> Response[str]:
    """The exact document the SPOC signed through this link, from the link in their receipt email."""
    deps = context.deps(router)
    content = read_signed_copy(token, links=deps.store.links, handbook=deps.store.handbook, files=deps.files)
    return document(content, "employer-handbook-signed.html", download=False)


@router.post("/link/<token>/renew")
def renew(token: str) -> Response[str]:
    deps = context.deps(router)
    store = deps.store
    renew_link(
        token,
        links=store.links,
        employers=store.employers,
        audit=store.audit,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(store.links),
        now=clock.now(),
    )
    return context.page(router, "link/renew_requested.html", title="Check your email")
