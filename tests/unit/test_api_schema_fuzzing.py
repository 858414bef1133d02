"""The staff JSON API driven by its own OpenAPI document: for each operation, requests generated from the
document (valid and invalid), sent to the handler as API Gateway sends them, as an admin and as engagement staff.
None is a server error, and every answer is as the document describes it. Bounded to 30 examples an operation,
so it takes seconds."""

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from safeplace.core import clock
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.unit.staff_api_support import staff_api_dependencies
from tests.unit.test_console_forms import NOW

staff_api = load_handler("staff_api")
ADMIN = {"sub": "5f0c1b8e-0000-4000-8000-000000000009", "email": "ada.admin@example.org",
         "cognito:username": "ada.admin@example.org", "cognito:groups": "admin"}  # fmt: skip
STAFF = {"sub": "5f0c1b8e-0000-4000-8000-000000000001", "email": "sam.staff@example.org",
         "cognito:username": "sam.staff@example.org", "cognito:groups": "staff"}  # fmt: skip


@pytest.fixture
def deps(store, state_machine_arn, rollout_arn, speaker_arn, sesv2, evidence_bucket):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def as_lambda_event(kwargs: dict[str, Any], claims: dict[str, str] = ADMIN) -> dict[str, Any]:
    event = load_event("staff_api_list_employers.json")
    url = urlsplit(kwargs["url"])
    headers = {k: str(v) for k, v in (kwargs.get("headers") or {}).items()}
    body: str | None = None
    if "json" in kwargs:
        body = json.dumps(kwargs["json"])
        headers.setdefault("Content-Type", "application/json")
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    listed = {k: v if isinstance(v, list) else [v] for k, v in (kwargs.get("params") or {}).items()}
    params = {k: [str(x) for x in v] for k, v in listed.items() if v}
    event.update(
        path=url.path,
        httpMethod=kwargs["method"].upper(),
        body=body,
        headers=headers or None,
        multiValueHeaders={k: [v] for k, v in headers.items()} or None,
        queryStringParameters={k: v[-1] for k, v in params.items()} or None,
        multiValueQueryStringParameters=params or None,
    )
    event["requestContext"]["authorizer"] = {"claims": claims}
    event["requestContext"]["httpMethod"] = event["httpMethod"]
    return event


def answered(kwargs: dict[str, Any], result: dict[str, Any]) -> schemathesis.Response:
    headers: dict[str, list[str]] = {k: [str(v)] for k, v in (result.get("headers") or {}).items()}
    for k, values in (result.get("multiValueHeaders") or {}).items():
        headers[k] = [str(v) for v in values]
    prepared = requests.Request(kwargs["method"], kwargs["url"]).prepare()
    body = result.get("body") or ""
    return schemathesis.Response(
        status_code=result["statusCode"], headers=headers, content=body.encode(), request=prepared,
        elapsed=0.0, verify=True,
    )  # fmt: skip


@pytest.fixture
def api_document(deps) -> schemathesis.BaseSchema:
    event = as_lambda_event({"method": "GET", "url": "http://api.test/api/openapi.json"})
    with clock.simulate(NOW):
        document = json.loads(staff_api.lambda_handler(event, FakeLambdaContext(), deps=deps)["body"])
    return schemathesis.openapi.from_dict(document)


schema = schemathesis.pytest.from_fixture("api_document")


def sent_as(claims: dict[str, str], case: Any, deps: Any) -> None:
    kwargs = case.as_transport_kwargs(base_url="http://api.test")
    with clock.simulate(NOW):
        result = staff_api.lambda_handler(as_lambda_event(kwargs, claims), FakeLambdaContext(), deps=deps)
    case.validate_response(answered(kwargs, result), checks=[not_a_server_error, response_schema_conformance])


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_from_an_admin_is_a_server_error_or_answered_otherwise_than_documented(case, deps):
    sent_as(ADMIN, case, deps)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_from_engagement_staff_is_a_server_error_or_answered_otherwise_than_documented(case, deps):
    sent_as(STAFF, case, deps)
