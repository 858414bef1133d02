import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import boto3
import pytest

from safeplace import clock, links
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.models import Employer, EmployerStatus, LinkPurpose
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.settings import LinkPagesSettings
from tests.conftest import (
    BASE_URL,
    SENDER,
    FakeLambdaContext,
    an_employer,
    employer_form,
    header,
    invite,
    load_event,
    load_handler,
    sent_emails,
    settings_for,
    text_of,
)

link_pages = load_handler("link_pages")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store: Store, sesv2):
    settings = LinkPagesSettings(**settings_for(store))
    return link_pages.Dependencies(
        settings=settings, store=store, workflows=Workflows(boto3.client("stepfunctions")), mailer=Mailer(SENDER)
    )


@pytest.fixture
def employer(store: Store) -> Employer:
    return invite(store, an_employer(NOW))


@pytest.fixture
def token(store: Store, employer: Employer) -> str:
    return links.issue(store, employer.id, LinkPurpose.ONBOARDING_FORM, now=NOW, valid_for=timedelta(days=14)).token


def call(name: str, token: str, deps, *, body: str | None = None, at: datetime = NOW) -> dict:
    event = json.loads(json.dumps(load_event(name)).replace("TOKEN", token))
    if body is not None:
        event["body"] = body
    with clock.simulate(at):
        return link_pages.lambda_handler(event, FakeLambdaContext(), deps=deps)


def test_opening_the_link_shows_the_form_and_changes_nothing(deps, token, employer):
    response = call("link_pages_open.json", token, deps)
    assert response["statusCode"] == 200
    assert "Tell us about your organisation" in response["body"]
    assert header(response, "Cache-Control") == "no-store"
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert deps.store.get_employer(employer.id).version == 1
    assert deps.store.get_link(links.token_hash(token)).used_at is None


def test_submitting_records_the_details_and_uses_up_the_link(deps, token, employer):
    response = call("link_pages_submit.json", token, deps)
    assert response["statusCode"] == 200, response["body"]
    assert "Details sent" in response["body"]
    stored = deps.store.get_employer(employer.id)
    assert stored.status is EmployerStatus.SUBMITTED
    submission = deps.store.get_submission(employer.id)
    assert submission.address.postcode == "LS1 4AB"
    assert submission.spoc.email == "kim@hollins.example"
    entries, _ = deps.store.audit_trail(employer.subject)
    assert [e.action for e in entries] == ["employer.invited", "organisation.submitted"]
    # The used link now explains itself, like any other unusable link
    again = call("link_pages_open.json", token, deps)
    assert again["statusCode"] == 404
    assert "expired or has already been used" in again["body"]


def test_a_repeated_post_is_refused_and_loses_nothing(deps, token, employer):
    call("link_pages_submit.json", token, deps)
    second = call("link_pages_submit.json", token, deps)
    assert second["statusCode"] == 404
    assert deps.store.get_employer(employer.id).version == 2


def test_wrong_used_and_expired_links_get_the_same_answer(deps, token, employer):
    wrong = call("link_pages_open.json", "A" * 43, deps)
    expired = call("link_pages_open.json", token, deps, at=NOW + timedelta(days=15))
    call("link_pages_submit.json", token, deps)
    used = call("link_pages_open.json", token, deps)

    def page(response):
        return response["statusCode"], response["body"].replace(token, "T").replace("A" * 43, "T")

    assert page(wrong) == page(expired) == page(used)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"address.postcode": "nowhere"}, "address-postcode", "Enter a real UK postcode"),
        ({"spoc.email": "kim"}, "spoc-email", "Enter the SPOC&#39;s email address"),
        ({"employees": "lots"}, "employees", "Enter the number of employees as a whole number"),
        ({"spoc_commitment": ""}, "spoc_commitment", "Confirm that the SPOC will be available"),
        ({"companies_house_number": ""}, "companies_house_number", "Enter the Companies House number"),
        ({"spoc.email": "info@hollins.example"}, "spoc-email", "not a shared mailbox"),
    ],
)
def test_bad_submissions_are_explained_and_store_nothing(deps, token, employer, change, field, message):
    fields = employer_form(**change)
    response = call("link_pages_submit.json", token, deps, body=urlencode(fields))
    assert response["statusCode"] == 400
    assert f'href="#{field}"' in response["body"]
    assert message in response["body"]
    assert deps.store.get_submission(employer.id) is None
    assert deps.store.get_link(links.token_hash(token)).used_at is None


def test_submitting_resumes_the_waiting_workflow_after_recording(deps, token, employer, monkeypatch):
    completed: list[str] = []
    monkeypatch.setattr(deps.workflows, "complete", lambda task_token, output: completed.append(task_token) or True)
    deps.store.save_wait(employer.id, SUBMISSION_STEP, "task-token-1", NOW)
    call("link_pages_submit.json", token, deps)
    assert completed == ["task-token-1"]
    assert deps.store.get_wait(employer.id, SUBMISSION_STEP) is None


def test_a_workflow_that_already_moved_on_does_not_lose_the_submission(deps, token, employer):
    # Given the waiting task has gone (timed out); Step Functions answers TaskDoesNotExist
    deps.store.save_wait(employer.id, SUBMISSION_STEP, "no-such-task", NOW)
    response = call("link_pages_submit.json", token, deps)
    assert response["statusCode"] == 200
    assert deps.store.get_submission(employer.id) is not None


def test_asking_for_a_fresh_link_sends_one_to_the_address_on_record(deps, token, employer):
    expired_at = NOW + timedelta(days=15)
    response = call("link_pages_renew.json", token, deps, at=expired_at)
    assert response["statusCode"] == 200
    [message] = sent_emails()
    assert message["To"] == "kim@hollins.example"
    fresh = text_of(message).split(f"{BASE_URL}/link/")[1].split()[0]
    assert call("link_pages_open.json", fresh, deps, at=expired_at)["statusCode"] == 200


def test_asking_for_a_fresh_link_with_a_wrong_token_reveals_nothing(deps, token):
    wrong = call("link_pages_renew.json", "B" * 43, deps)
    right = call("link_pages_renew.json", token, deps)
    assert wrong["statusCode"] == right["statusCode"] == 200
    assert wrong["body"] == right["body"]
    assert len(sent_emails()) == 1


def test_continuing_shows_the_answers_to_check_and_uses_nothing_up(deps, token, employer):
    event_body = load_event("link_pages_submit.json")["body"].replace("action=send", "action=check")
    response = call("link_pages_submit.json", token, deps, body=event_body)
    assert response["statusCode"] == 200
    assert "Check your answers before sending them" in response["body"]
    assert "LS1 4AB" in response["body"]
    assert 'name="address.postcode" value="LS1 4AB"' in response["body"]  # carried to the confirming POST
    assert deps.store.get_submission(employer.id) is None
    assert deps.store.get_link(links.token_hash(token)).used_at is None


def test_changing_the_answers_shows_the_form_filled_in(deps, token):
    event_body = load_event("link_pages_submit.json")["body"].replace("action=send", "action=change")
    response = call("link_pages_submit.json", token, deps, body=event_body)
    assert response["statusCode"] == 200
    assert 'value="Hollins Bakery Ltd"' in response["body"]
    assert "There is a problem" not in response["body"]
