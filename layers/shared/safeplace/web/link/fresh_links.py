"""A link that cannot be used, and asking for a fresh one: wrong, used, revoked and expired links look alike."""

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.core.errors import LinkNotUsable
from safeplace.onboarding.renew_link import renew_link
from safeplace.web.link import context

router = Router()


@router.exception_handler(LinkNotUsable)
def unusable(_: LinkNotUsable) -> Response[str]:
    # Wrong, used, revoked and expired links all get this same page and status.
    return context.page(
        router,
        "link/unusable.html",
        404,
        title="This link has expired or has already been used",
        renew_action=f"{context.base(router)}/link/{context.link_token(router)}/renew",
    )


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
