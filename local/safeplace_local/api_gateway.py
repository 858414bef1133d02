"""Serves the template's Api events over HTTP as API Gateway REST (v1) Lambda proxy events."""

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from safeplace_local.template import ACCOUNT, ApiRoute
from safeplace_local.workers import HandlerError

Claims = dict[str, str]
SIGN_IN = "/_local/sign-in"
_TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/xml", "+json", "+xml")


def match_route(routes: list[ApiRoute], method: str, path: str) -> tuple[ApiRoute, dict[str, str]] | None:
    for route in routes:  # most specific first
        found = route.pattern.match(path)
        if found:
            # API Gateway picks the resource first, then one of its methods (a method over ANY): a method
            # the resource lacks is not handed on to a broader path such as {proxy+}.
            methods = [r for r in routes if r.path == route.path and r.method in (method, "ANY")]
            return (methods[0], found.groupdict()) if methods else None
    return None


def _body(request: Request) -> tuple[str | None, bool]:
    raw = request.get_data()
    if not raw:
        return None, False
    content_type = request.content_type or ""
    if not content_type or any(kind in content_type for kind in _TEXT_TYPES):
        try:
            return raw.decode(), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(raw).decode(), True


def proxy_event(request: Request, route: ApiRoute, path_parameters: dict[str, str], claims: Claims | None) -> Any:
    body, encoded = _body(request)
    multi_headers: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        multi_headers.setdefault(key, []).append(value)
    multi_query = {k: request.args.getlist(k) for k in request.args}
    context: dict[str, Any] = {
        "accountId": ACCOUNT,
        "apiId": "local",
        "stage": route.stage,
        "requestId": str(uuid.uuid4()),
        "extendedRequestId": str(uuid.uuid4()),
        "requestTime": datetime.now(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(datetime.now(UTC).timestamp() * 1000),
        "resourceId": "local",
        "resourcePath": route.path,
        "httpMethod": request.method,
        "path": f"/{route.stage}{request.path}",
        "protocol": "HTTP/1.1",
        "domainName": request.host,
        "identity": {"sourceIp": request.remote_addr or "127.0.0.1", "userAgent": request.user_agent.string},
    }
    if claims is not None:
        context["authorizer"] = {"claims": claims}
    return {
        "resource": route.path,
        "path": request.path,
        "httpMethod": request.method,
        # A single-value map keeps the last value of a repeated header or parameter, as API Gateway does.
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": encoded,
    }


def to_response(result: Any) -> Response:
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        # What API Gateway answers when a Lambda proxy integration returns something it cannot use.
        return json_response(502, {"message": "Internal server error"})
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = Response(data, status=result["statusCode"])
    response.headers.clear()
    for key, value in (result.get("headers") or {}).items():
        response.headers[key] = str(value)
    for key, values in (result.get("multiValueHeaders") or {}).items():
        response.headers.remove(key)
        for value in values:
            response.headers.add(key, str(value))
    if "Content-Type" not in response.headers:
        response.headers["Content-Type"] = "application/json"  # API Gateway's default
    return response


def json_response(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def _wants_a_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("Accept", "")


def serve(
    request: Request,
    routes: list[ApiRoute],
    invoke: Callable[[str, Any], Any],
    claims_of: Callable[[Request], Claims | None],
) -> Response:
    found = match_route(routes, request.method, request.path)
    if found is None:
        # API Gateway's own answer for a path or method the API does not have (a 403, not a 404).
        return json_response(403, {"message": "Missing Authentication Token"})
    route, path_parameters = found
    claims = claims_of(request) if route.protected else None
    if route.protected and claims is None:
        if _wants_a_page(request):
            # A person in a browser: the local stand-in for Cognito's sign-in, then back here.
            where = request.full_path.rstrip("?")
            return Response(status=303, headers={"Location": f"{SIGN_IN}?{urlencode({'next': where})}"})
        return json_response(401, {"message": "Unauthorized"})
    try:
        result = invoke(route.function, proxy_event(request, route, path_parameters, claims))
    except HandlerError:
        # What API Gateway answers when the function fails; the traceback is in the worker's log.
        return json_response(502, {"message": "Internal server error"})
    return to_response(result)
