"""Whatever arrives, the answer is a clear 4xx and nothing is stored: bodies that are not UTF-8, multipart
without a boundary, field names that clash or nest without end, JSON nested too deep."""

import base64
import json
from datetime import timedelta

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock, links
from safeplace.core.links import LinkPurpose
from tests.support.aws import link_pages_dependencies
from tests.support.builders import an_employer
from tests.support.handlers import FakeLambdaContext, header, load_handler
from tests.support.project import load_event
from tests.support.records import invite
from tests.unit.staff_api_support import call, signed_in_as, staff_api_dependencies
from tests.unit.test_console_forms import EVERY_ROLE, NOW


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


@pytest.fixture
def link_deps(store: Store, sesv2, evidence_bucket):
    return link_pages_dependencies(store)


link_pages = load_handler("link_pages")


def console_post(deps, path: str, body: str | bytes, *, content_type: str = "application/x-www-form-urlencoded"):
    event = load_event("staff_api_invite_employer_form.json")
    session = signed_in_as(EVERY_ROLE, deps)
    if isinstance(body, bytes):
        body = base64.b64encode(f"csrf_token={session[1]}&".encode() + body).decode()
        event["isBase64Encoded"] = True
    event.update({"path": path, "body": body})
    event["headers"]["Content-Type"] = content_type
    event["multiValueHeaders"]["Content-Type"] = [content_type]
    return call(event, deps, session=session)


def api_post(deps, body: str | bytes, *, content_type: str = "application/json"):
    event = load_event("staff_api_request_speaker_booking.json")
    if isinstance(body, bytes):
        body = base64.b64encode(body).decode()
        event["isBase64Encoded"] = True
    event["body"] = body
    event["headers"]["Content-Type"] = content_type
    event["multiValueHeaders"] = {k: [v] for k, v in event["headers"].items()}
    return call(event, deps)


BAD_FORMS = {
    "not UTF-8": b"name=\xff\xfe\xfa&contact_email=a@b.example",
    "clashing names": "address=x&address.line1=y&sites.0=a&sites.0.name=b&name=Acme",
    "deep name": "a" + ".a" * 3000 + "=1&sites" + ".0" * 3000 + "=1",
    "percent-encoded not UTF-8": "name=%ff%fe&contact_email=%c3",
    "NUL": "name=Acme%00Ltd&contact_name=Kim%0D%0AHollins",
}


@pytest.mark.parametrize("body", BAD_FORMS.values(), ids=BAD_FORMS.keys())
@pytest.mark.parametrize("path", ["/staff/employers", "/staff/speakers", "/staff/placements"])
def test_a_console_form_posted_badly_is_a_4xx(deps, path, body):
    with clock.simulate(NOW):
        response = console_post(deps, path, body)
    assert 400 <= response["statusCode"] < 500, response["body"][:3000]


def test_multipart_or_another_type_is_refused_saying_what_to_send(deps):
    # Given bodies of a type no route reads, When they are posted to a page and to the API
    with clock.simulate(NOW):
        page = console_post(deps, "/staff/employers", "name=x", content_type="multipart/form-data")
        api = api_post(deps, "x", content_type="multipart/form-data")
        other = api_post(deps, "x", content_type="text/plain")
    # Then each is a 400 that names the type to send
    assert [page["statusCode"], api["statusCode"], other["statusCode"]] == [400, 400, 400]
    assert "Send this as application/x-www-form-urlencoded, not multipart/form-data" in page["body"]
    assert json.loads(api["body"]) == {"message": "Send this as application/json, not multipart/form-data"}
    assert header(api, "Cache-Control") == "no-store" and header(api, "X-Content-Type-Options") == "nosniff"


def test_a_body_that_is_not_utf8_is_refused_in_words(deps):
    with clock.simulate(NOW):
        page = console_post(deps, "/staff/employers", b"name=\xff\xfe")
        api = api_post(deps, b'{"a": "\xff"}')
    assert page["statusCode"] == 400 and "send it as UTF-8" in page["body"]
    assert json.loads(api["body"])["message"] == "What was sent is not text we can read: send it as UTF-8"


API_BODIES = {
    "not UTF-8": b'{"a": "\xff\xfe"}',
    "deep": "[" * 3000 + "]" * 3000,
    "deep object": '{"a":' * 3000 + "1" + "}" * 3000,
}


@pytest.mark.parametrize("body", API_BODIES.values(), ids=API_BODIES.keys())
def test_json_that_cannot_be_read_is_a_4xx(deps, body):
    with clock.simulate(NOW):
        response = api_post(deps, body)
    assert 400 <= response["statusCode"] < 500, response["body"][:3000]


def test_a_link_form_posted_badly_is_a_4xx_and_saves_nothing(link_deps, store):
    employer = invite(store, an_employer(NOW))
    token = links.issue(
        store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=NOW, valid_for=timedelta(days=14)
    ).token
    for body in [*BAD_FORMS.values(), "sites.0.address=x&sites.0.address.line1=y&sites.0=z&sites.0.name=q&address=1"]:
        event = json.loads(json.dumps(load_event("link_pages_save_section.json")).replace("TOKEN", token))
        if isinstance(body, bytes):
            event.update(body=base64.b64encode(body).decode(), isBase64Encoded=True)
        else:
            event["body"] = body
        event["path"] = f"/link/{token}/section/organisation"
        with clock.simulate(NOW):
            response = link_pages.lambda_handler(event, FakeLambdaContext(), deps=link_deps)
        assert 400 <= response["statusCode"] < 500, response["body"][:3000]
