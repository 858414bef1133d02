"""Routes under /_local/: what only the local runtime has (dev sign-in, outbox, clock, schedules, faults)."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from safeplace_local import clock_pages, local_pages, outbox_page
from safeplace_local.api_gateway import json_response
from safeplace_local.local_cognito import DEV_USER_COOKIE

if TYPE_CHECKING:
    from safeplace_local.runtime import LocalRuntime


def handle(runtime: "LocalRuntime", request: Request) -> Response:
    path, method = request.path.rstrip("/") or "/_local", request.method
    if path == "/_local" and method == "GET":
        return _html(local_pages.index(runtime.base_url, runtime.endpoint_url))
    if path == "/_local/runtime.json":
        return json_response(200, runtime.info())
    if path.startswith("/_local/cognito/"):
        return runtime.cognito.handle(request, path.removeprefix("/_local/cognito"))
    if path == "/_local/sign-in":
        return _sign_in(runtime, request)
    if path == "/_local/sign-out":
        return _sign_out(request)
    if path == "/_local/outbox.json" and method == "GET":
        return json_response(200, runtime.outbox(to=request.args.get("to") or None))
    if path == "/_local/outbox" and method == "GET":
        to = request.args.get("to", "")
        page = outbox_page.outbox(runtime.outbox(to=to or None), to)
        return _html(page, headers={"Content-Security-Policy": outbox_page.POLICY})
    if path == "/_local/clock" and method in ("GET", "POST"):
        return _clock(runtime, request)
    if path == "/_local/schedules" and method == "GET":
        return _html(local_pages.schedules(runtime.template.schedules))
    if path == "/_local/schedules/fire" and method == "POST":
        return _fire_schedules(runtime, request)
    if path == "/_local/faults" and method == "POST":
        return _inject_fault(runtime, request)
    return json_response(404, {"message": f"No local route {method} {path}"})


def _fire_schedules(runtime: "LocalRuntime", request: Request) -> Response:
    fired = runtime.fire_schedules(_fields(request).get("name") or None)
    if _wants_json(request):
        return json_response(200, fired)
    return _html(local_pages.schedules(runtime.template.schedules, fired))


def _inject_fault(runtime: "LocalRuntime", request: Request) -> Response:
    fields = _fields(request)
    try:
        runtime.inject_fault(str(fields["function"]), str(fields["error_type"]), int(fields.get("count", 1)))
    except (KeyError, ValueError) as error:
        return json_response(400, {"message": f"Send function, error_type and count: {error}"})
    return json_response(200, {"injected": fields})


def _safe_next(value: str | None) -> str:
    """Somewhere on this site only: an open redirect would be a gift to a phisher, even locally."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/staff"
    return value


def _sign_in(runtime: "LocalRuntime", request: Request) -> Response:
    after = _safe_next(request.values.get("next"))
    if request.method == "POST":
        user = runtime.directory.find(request.form.get("user", ""))
        if user is None:
            page = local_pages.sign_in(runtime.staff_users(), "/_local/sign-in", {"next": after}, "Choose a user.")
            return _html(page, 400)
        response = Response(status=303, headers={"Location": after})
        response.set_cookie(DEV_USER_COOKIE, user.email, httponly=True, samesite="Lax")
        return response
    return _html(local_pages.sign_in(runtime.staff_users(), "/_local/sign-in", {"next": after}))


def _sign_out(request: Request) -> Response:
    if request.method != "POST":
        return _html(local_pages.sign_out())
    response = Response(status=303, headers={"Location": "/_local/sign-in"})
    response.delete_cookie(DEV_USER_COOKIE)
    return response


def _clock(runtime: "LocalRuntime", request: Request) -> Response:
    if request.method == "POST":
        fields = _fields(request)
        if fields.get("advance_days") and fields.get("schedules") == "daily":
            return _live_through(runtime, request, fields)
        try:
            moved = _move_clock(runtime, fields)
        except ValueError as error:
            return _refuse(request, f"Not a date and time like 2027-01-31T09:00, or a number of days: {error}")
        if not moved:
            return _refuse(request, "Send `now` (ISO 8601), `advance_days` or `advance_seconds`")
        if not _wants_json(request):
            return Response(status=303, headers={"Location": "/_local/clock"})  # a form's post, then its page
    if _wants_json(request):
        return json_response(200, {"now": runtime.clock.now().isoformat()})
    running = runtime.workflows_waiting()
    return _html(
        clock_pages.clock(runtime.clock.now(), runtime.clock.deadlines_ahead(), runtime.template.schedules, running)
    )


def _move_clock(runtime: "LocalRuntime", fields: dict[str, Any]) -> bool:
    """Set or move the clock as the fields ask: the workflows' waits it passes end on the way, in order."""
    if fields.get("now"):
        runtime.set_clock(datetime.fromisoformat(str(fields["now"])))
    elif fields.get("advance_days"):
        runtime.clock.advance(timedelta(days=float(fields["advance_days"])))
    elif fields.get("advance_seconds"):
        runtime.clock.advance(timedelta(seconds=float(fields["advance_seconds"])))
    else:
        return False
    return True


def _live_through(runtime: "LocalRuntime", request: Request, fields: dict[str, Any]) -> Response:
    try:
        days = int(str(fields["advance_days"]))
    except ValueError as error:
        return _refuse(request, f"Enter the number of days as a whole number, like 62: {error}")
    if not 1 <= days <= 400:
        return _refuse(request, "Live through 1 to 400 days at a time")
    lived = runtime.live_through(days)
    names = runtime.employer_names(clock_pages.employer_ids(lived))
    if _wants_json(request):
        return json_response(200, {"now": runtime.clock.now().isoformat(), "days": lived, "employers": names})
    return _html(clock_pages.lived(runtime.clock.now(), days, lived, names))


def _refuse(request: Request, message: str) -> Response:
    """A 400 that says what to send: as JSON to a script, as a page to a person who used the clock's forms."""
    if _wants_json(request) or request.is_json:
        return json_response(400, {"message": message})
    back = ("/_local/clock", "Back to the clock")
    return _html(local_pages.problem("The clock was not moved", message, back=back), 400)


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status=status, headers=headers, content_type="text/html; charset=utf-8")


def _wants_json(request: Request) -> bool:
    return request.is_json or "application/json" in request.headers.get("Accept", "")


def _fields(request: Request) -> dict[str, Any]:
    if request.is_json:
        return dict(request.get_json(silent=True) or {})
    return {**request.args.to_dict(), **request.form.to_dict()}
