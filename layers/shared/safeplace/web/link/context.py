"""What every link page shares: the function's dependencies, the page renderer, and the link's token."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from safeplace.web.http import html
from safeplace.web.pages import render
from safeplace.wiring import LinkPagesDependencies

Middleware = Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]


def deps(router: BaseRouter) -> LinkPagesDependencies:
    found: LinkPagesDependencies = router.context["deps"]
    return found


def base(router: BaseRouter) -> str:
    # From configuration, never from the request's Host header.
    return urlsplit(str(deps(router).settings.public_base_url)).path.rstrip("/")


def page(
    router: BaseRouter, template: str, status: int = 200, *, also_post_to: str = "", **variables: Any
) -> Response[str]:
    provider = deps(router).settings.contact
    return html(render(template, base=base(router), provider=provider, **variables), status, also_post_to=also_post_to)


def link_token(router: BaseRouter) -> str:
    """The token of the link this request came through: only the unusable-link page shows it, to ask for a new one."""
    return str(router.context.get("token", ""))


def link_context(logger: Logger) -> Middleware:
    """The middleware in front of every link page. The log context gets the page's route as declared
    (`GET /link/<token>/handbook`), never the path, which holds the token; the token goes only into the resolver's
    context, for the unusable-link page."""

    def remember(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        # Powertools keeps the matched route and its arguments in the resolver's context. An address that matches
        # no page comes here too, with no arguments and a route made of the address itself: it is not named.
        arguments = app.context.get("_route_args") or {}
        if "token" in arguments:
            route = app.context["_route"]
            logger.append_keys(page=f"{route.method} {route.path}")
            app.append_context(token=arguments["token"])
        return next_middleware(app)

    return remember
