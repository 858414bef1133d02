"""Pages behind emailed links. No sign-in: the link's token is the only authority. GET shows, POST acts.

Each area's pages are a router in safeplace.web.link.
"""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from safeplace.web import errors
from safeplace.web.http import never_cached
from safeplace.web.link import fresh_links, handbook, new_spoc, onboarding_form, speaker_conditions, speaker_decision
from safeplace.web.link.context import base, link_context
from safeplace.wiring import LinkPagesDependencies, link_pages_dependencies

logger = Logger()
app = APIGatewayRestResolver()
AREAS = (
    onboarding_form.router,
    new_spoc.router,
    handbook.router,
    speaker_decision.router,
    speaker_conditions.router,
    fresh_links.router,
)
for area in AREAS:
    app.include_router(area)
errors.register(app, base_path=lambda: base(app))
app.use(middlewares=[link_context(logger), never_cached])


# State is cleared per invocation, so no page's log context is left on the next request's lines.
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: LinkPagesDependencies | None = None
) -> dict[str, Any]:
    app.append_context(deps=deps or link_pages_dependencies())
    return errors.refuse_unreadable(event, base_path=base(app)) or app.resolve(event, context)
