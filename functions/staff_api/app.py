"""Staff console pages and JSON API: the routers of safeplace.web.console, one per area, under one resolver.

Who may call each route is decided in safeplace.staff.access; domain errors become HTTP in safeplace.web.errors.
"""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from safeplace.staff.access import Action
from safeplace.web import errors, guard
from safeplace.web.console import employers, handbook, home, notices, placements, reviews, sign_in, speakers
from safeplace.web.console.context import allow
from safeplace.web.http import never_cached
from safeplace.wiring import StaffApiDependencies, staff_api_dependencies

logger = Logger()
app = APIGatewayRestResolver(enable_validation=True)
# A router reads the context of the last resolver that included it: this module is loaded once per process.
for area in (sign_in, notices, home, employers, reviews, placements, handbook, speakers):
    app.include_router(area.router)


def _deps() -> StaffApiDependencies:
    deps: StaffApiDependencies = app.context["deps"]
    return deps


errors.register(app, base_path=lambda: _deps().settings.base_path, signed_in=lambda: guard.signed_in(app))


def _log_context(resolver: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    # The route's pattern, not the path: no identifier, token or personal detail goes into the logs.
    logger.append_keys(route=resolver.request.route, method=resolver.request.method)
    return next_middleware(resolver)


app.use([_log_context, never_cached])


@app.get("/api/openapi.json", include_in_schema=False, middlewares=allow(Action.SEE_PUBLIC_PAGES))
def openapi_document() -> Response[Any]:
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=app.get_openapi_json_schema(title="Safeplace staff API", version="0.1.0"),
    )


# Each invocation starts with no log keys: a request that matches no route logs no route from the one before.
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: StaffApiDependencies | None = None
) -> dict[str, Any]:
    app.append_context(deps=deps or staff_api_dependencies())
    return errors.refuse_unreadable(event, base_path=_deps().settings.base_path) or app.resolve(event, context)
