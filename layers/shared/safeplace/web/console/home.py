"""What needs doing: the console's home page."""

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.oversight.show_work_to_do import show_work_to_do
from safeplace.staff.access import Action
from safeplace.web.console.context import allow, deps, page, user

router = Router()


@router.get("/staff", include_in_schema=False, middlewares=allow(Action.VIEW_EMPLOYERS))
def home() -> Response[str]:
    store = deps(router).store
    work = show_work_to_do(
        user(router),
        employers=store.employers,
        placements=store.placements,
        bookings=store.bookings,
        handbook=store.handbook,
        today=clock.now().date(),
    )
    return page(router, "staff/home.html", title="What needs doing", section="home", work=work, width="full")
