"""Serves the template's Api events over HTTP as API Gateway REST proxy events."""

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from safeplace_local.template import ApiRoute
from safeplace_local.workers import HandlerError

Claims = dict[str, str]


def match_route(routes: list[ApiRoute], method: str, path: str) -> tuple[ApiRoute, dict[str, str]] | None:
    for route in routes:  # most specific first
        found = route.pattern.match(path)
        if found and route.method in (method, "ANY"):
            return route, found.groupdict()
    return None


def proxy_event(
    request: Request, route: ApiRoute, path_parameters: dict[str, str], claims: Claims | None, stage: str = "local"
) -> dict[str, Any]:
    raw = request.get_data()
    try:
        body: str | None = raw.decode() if raw else None
        encoded = False
    except UnicodeDecodeError:
        body, encoded = base64.b64encode(raw).decode(), True
    headers = {k: v for k, v in request.headers.items()}
    multi_headers = {k: request.headers.getlist(k) for k in headers}
    query = {k: request.args.getlist(k)[-1] for k in request.args}
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "local",
        "stage": stage,
        "requestId": str(uuid.uuid4()),
        "requestTimeEpoch": int(datetime.now(UTC).timestamp() * 1000),
        "resourcePath": route.path,
        "httpMethod": request.method,
        "path": request.path,
        "protocol": "HTTP/1.1",
        "identity": {"sourceIp": request.remote_addr or "127.0.0.1", "userAgent": request.user_agent.string},
    }
    if claims is not None:
        context["authorizer"] = {"claims": claims}
    return {
        "resource": route.path,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: request.args.getlist(k) for k in request.args} or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": encoded,
    }


def to_response(result: Any) -> Response:
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        # What API Gateway answers when a Lambda proxy integration returns something it cannot use.
        return json_response(502, {"message": "Internal server error (malformed Lambda proxy response)"})
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, status=int(result.get("statusCode", 200)))
    response.headers.clear()
    for key, value in (result.get("headers") or {}).items():
        response.headers[key] = str(value)
    for key, values in (result.get("multiValueHeaders") or {}).items():
        response.headers.remove(key)
        for value in values:
            response.headers.add(key, str(value))
    return response


def json_response(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def serve(
    request: Request,
    routes: list[ApiRoute],
    invoke: Callable[[str, Any], Any],
    claims_of: Callable[[Request], Claims | None],
) -> Response:
    found = match_route(routes, request.method, request.path)
    if found is None:
        # API Gateway's own answer for a route it does not have.
        return json_response(403, {"message": "Missing Authentication Token"})
    route, path_parameters = found
    claims = claims_of(request) if route.protected else None
    if route.protected and claims is None:
        return json_response(401, {"message": "Unauthorized"})
    try:
        result = invoke(route.function, proxy_event(request, route, path_parameters, claims))
    except HandlerError as error:
        # What API Gateway answers when the integration fails; the traceback is in the worker's log.
        return json_response(502, {"message": "Internal server error", "errorType": error.error_type})
    return to_response(result)
