import json

import boto3
import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.stepfunctions import Workflows
from safeplace.settings import StaffApiSettings
from tests.conftest import BASE_URL, FakeLambdaContext, header, load_event, load_handler

staff_api = load_handler("staff_api")


@pytest.fixture
def deps(store: Store, state_machine_arn: str):
    settings = StaffApiSettings(
        table_name=store.table_name,
        link_retention_days=90,
        audit_retention_years=7,
        public_base_url=BASE_URL,
        onboarding_state_machine_arn=state_machine_arn,
        invitation_valid_days=14,
        submission_wait_hours=120,
        reminders_before_escalation=2,
    )
    return staff_api.Dependencies(settings=settings, store=store, workflows=Workflows(boto3.client("stepfunctions")))


def call(event: dict, deps) -> dict:
    return staff_api.lambda_handler(event, FakeLambdaContext(), deps=deps)


def test_inviting_an_employer_stores_it_audits_it_and_starts_onboarding(deps):
    # Given a member of staff's invitation
    # When it is posted to the JSON API
    response = call(load_event("staff_api_invite_employer.json"), deps)
    # Then the employer exists, invited, with an audit entry by that person
    assert response["statusCode"] == 201
    employer = json.loads(response["body"])
    assert employer["status"] == "invited"
    stored = deps.store.get_employer(employer["id"])
    entries, _ = deps.store.audit_trail(stored.subject)
    assert [(e.action, e.actor) for e in entries] == [("employer.invited", "sam.staff@example.org")]
    # And one onboarding execution runs, named from the employer, carrying ids and timings only
    executions = deps.workflows.client.list_executions(stateMachineArn=deps.settings.onboarding_state_machine_arn)
    [execution] = executions["executions"]
    assert execution["name"] == f"onboarding-{employer['id']}-1"
    payload = json.loads(deps.workflows.client.describe_execution(executionArn=execution["executionArn"])["input"])
    assert payload == {
        "employer_id": employer["id"],
        "submission_wait_seconds": 120 * 3600,
        "reminders_before_escalation": 2,
    }


def test_a_reviewer_cannot_invite(deps):
    response = call(load_event("staff_api_invite_employer_as_reviewer.json"), deps)
    assert response["statusCode"] == 403
    assert "Only employer engagement staff" in json.loads(response["body"])["message"]
    assert deps.store.list_employers(["invited"]) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"employer_name": "Hollins", "contact_name": "Kim"}, "contact_email"),
        ({"employer_name": "Hollins", "contact_name": "Kim", "contact_email": "not-an-email"}, "contact_email"),
        ({"employer_name": "", "contact_name": "Kim", "contact_email": "kim@hollins.example"}, "employer_name"),
    ],
)
def test_bad_invitations_get_a_clear_422_and_store_nothing(deps, body, field):
    event = load_event("staff_api_invite_employer.json")
    event["body"] = json.dumps(body)
    response = call(event, deps)
    assert response["statusCode"] == 422
    problems = json.loads(response["body"])["problems"]
    assert field in [p["field"] for p in problems]
    assert deps.store.list_employers(["invited"]) == []


def test_malformed_json_is_a_4xx_not_a_500(deps):
    event = load_event("staff_api_invite_employer.json")
    event["body"] = "{not json"
    assert 400 <= call(event, deps)["statusCode"] < 500


def test_the_invite_form_redirects_to_the_new_employer(deps):
    response = call(load_event("staff_api_invite_employer_form.json"), deps)
    assert response["statusCode"] == 303
    location = header(response, "Location")
    assert location.startswith("/v1/staff/employers/emp-")
    assert deps.store.get_employer(location.rsplit("/", 1)[1]).name == "Hollins Bakery"


def test_the_invite_form_shows_errors_beside_the_fields(deps):
    event = load_event("staff_api_invite_employer_form.json")
    event["body"] = "employer_name=Hollins&contact_name=&contact_email=nope"
    response = call(event, deps)
    assert response["statusCode"] == 400
    assert 'href="#contact_name">Enter the contact&#39;s full name' in response["body"]
    assert 'id="contact_email-error"' in response["body"]
    assert 'value="Hollins"' in response["body"]


def test_console_pages_carry_the_security_headers(deps):
    call(load_event("staff_api_invite_employer.json"), deps)
    response = call(load_event("staff_api_console_home.json"), deps)
    assert response["statusCode"] == 200
    assert "frame-ancestors 'none'" in header(response, "Content-Security-Policy")
    assert "script-src 'self'" in header(response, "Content-Security-Policy")
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert header(response, "Cache-Control") == "no-store"
    assert "Hollins Bakery" in response["body"]


def test_an_unknown_employer_is_a_404(deps):
    event = load_event("staff_api_list_employers.json")
    event["path"] = "/api/employers/emp-000000000000"
    assert call(event, deps)["statusCode"] == 404


def test_listing_filters_by_status(deps):
    call(load_event("staff_api_invite_employer.json"), deps)
    event = load_event("staff_api_list_employers.json")
    event["queryStringParameters"] = {"status": "submitted"}
    event["multiValueQueryStringParameters"] = {"status": ["submitted"]}
    assert json.loads(call(event, deps)["body"]) == []
    event["queryStringParameters"] = {"status": "invited"}
    event["multiValueQueryStringParameters"] = {"status": ["invited"]}
    assert [e["name"] for e in json.loads(call(event, deps)["body"])] == ["Hollins Bakery"]


def test_the_openapi_document_describes_the_json_api_only(deps):
    response = call(load_event("staff_api_openapi.json"), deps)
    document = json.loads(response["body"])
    assert set(document["paths"]) == {"/api/employers", "/api/employers/{employer_id}"}
    assert "Invitation" in document["components"]["schemas"]


def test_requests_without_claims_are_refused(deps):
    event = load_event("staff_api_list_employers.json")
    del event["requestContext"]["authorizer"]
    assert call(event, deps)["statusCode"] == 403
