"""One check at a time: the employer page lists its checks with their state, each linked to its own page with what
the employer told us and the evidence beside one decision; each decision goes on to the next check waiting."""

from datetime import UTC, datetime

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.onboarding.models import Check, CheckStatus, CheckType, EmployerStatus
from tests.support.builders import a_submission, an_employer
from tests.support.handlers import header
from tests.support.project import load_event
from tests.support.records import a_stored_submission, invite
from tests.unit.staff_api_support import RAE, call, console_get, signed_in_as, staff_api_dependencies

NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def awaiting_review(deps) -> str:
    employer = invite(deps.store, an_employer(clock.now(), contact_email="kim@hollins.example"))
    return a_stored_submission(deps.store, employer, a_submission(), clock.now()).id


def decide(deps, employer_id: str, check: str, body: str) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/checks/{check}", "body": body})
    return call(event, deps, session=signed_in_as(RAE, deps))


def get(deps, path: str) -> str:
    response = call(console_get(path), deps, session=signed_in_as(RAE, deps))
    assert response["statusCode"] == 200, response["body"]
    return response["body"]


def test_the_employer_page_lists_the_checks_each_linked_to_its_own_page(deps):
    employer_id = awaiting_review(deps)
    page = get(deps, f"/staff/employers/{employer_id}")
    for check in CheckType:
        label = check.label.replace("'", "&#39;")
        assert f'href="/v1/staff/employers/{employer_id}/checks/{check.value}">{label}</a>' in page
    assert page.count("Waiting for review") == len(CheckType)
    # No decision form on the employer's page: each is on its check's own page
    assert "Record decision on" not in page and 'name="decision"' not in page


def test_a_check_page_shows_what_the_employer_told_us_and_the_evidence_beside_one_decision(deps):
    employer_id = awaiting_review(deps)
    page = get(deps, f"/staff/employers/{employer_id}/checks/employers_liability_insurance")
    assert "Northern Mutual" in page
    assert f"/staff/employers/{employer_id}/evidence/employers_liability_insurance" in page
    assert page.count('name="decision" type="radio" value="approve"') == 1
    assert "Record decision on employer&#39;s liability insurance" in page
    assert f'action="/v1/staff/employers/{employer_id}/checks/employers_liability_insurance"' in page


def test_each_decision_goes_on_to_the_next_check_waiting_then_back_to_the_employer(deps):
    employer_id = awaiting_review(deps)
    order = [c.type.value for c in deps.store.employers.get_employer(employer_id).checks]
    first = decide(deps, employer_id, order[0], "decision=approve")
    assert first["statusCode"] == 303
    assert header(first, "Location") == f"/v1/staff/employers/{employer_id}/checks/{order[1]}?decided={order[0]}"
    next_page = call(console_get(f"/staff/employers/{employer_id}/checks/{order[1]}") | {
        "queryStringParameters": {"decided": order[0]}, "multiValueQueryStringParameters": {"decided": [order[0]]},
    }, deps, session=signed_in_as(RAE, deps))["body"]  # fmt: skip
    assert "Decision recorded on organisation, sites and main contact" in next_page
    for check in order[1:-1]:
        decide(deps, employer_id, check, "decision=approve")
    last = decide(deps, employer_id, order[-1], "decision=approve")
    assert header(last, "Location") == f"/v1/staff/employers/{employer_id}?decided={order[-1]}"
    landed = call(console_get(f"/staff/employers/{employer_id}") | {
        "queryStringParameters": {"decided": order[-1]}, "multiValueQueryStringParameters": {"decided": [order[-1]]},
    }, deps, session=signed_in_as(RAE, deps))["body"]  # fmt: skip
    label = CheckType(order[-1]).in_a_sentence.replace("'", "&#39;")
    assert f"Decision recorded on {label}. No other check is waiting for review." in landed


def test_a_decision_with_a_problem_comes_back_on_the_checks_own_page(deps):
    employer_id = awaiting_review(deps)
    missing = decide(deps, employer_id, "spoc", "decision=reject&reason=")
    assert missing["statusCode"] == 400
    assert '<h1 class="govuk-heading-l">Single point of contact (SPOC)</h1>' in missing["body"]
    assert 'href="#reason-spoc"' in missing["body"] and 'id="reason-spoc-error"' in missing["body"]


def test_an_unknown_check_is_a_page_that_does_not_exist(deps):
    employer_id = awaiting_review(deps)
    response = call(
        console_get(f"/staff/employers/{employer_id}/checks/nothing"), deps, session=signed_in_as(RAE, deps)
    )
    assert response["statusCode"] == 404


def test_the_next_check_waiting_comes_after_the_one_decided_and_round_to_the_start():
    checks = [
        Check(type=CheckType.ORGANISATION, status=CheckStatus.SUBMITTED, updated_at=NOW),
        Check(type=CheckType.SPOC, status=CheckStatus.APPROVED, updated_at=NOW),
        Check(type=CheckType.SPOC_TRAINING, status=CheckStatus.SUBMITTED, updated_at=NOW),
    ]
    employer = an_employer(NOW, status=EmployerStatus.SUBMITTED, checks=checks)
    assert employer.waiting_for_review(after=CheckType.ORGANISATION) is CheckType.SPOC_TRAINING
    assert employer.waiting_for_review(after=CheckType.SPOC_TRAINING) is CheckType.ORGANISATION
    assert employer.waiting_for_review() is CheckType.ORGANISATION
    assert employer.model_copy(update={"status": EmployerStatus.CHECKS_PASSED}).waiting_for_review() is None


def test_a_check_named_inside_a_sentence_keeps_the_capitals_of_spoc_and_prevent(deps):
    # "spoc" and "prevent" in lower case read as typing errors to an employer or an inspector
    assert CheckType.SPOC_TRAINING.in_a_sentence == "SPOC safeguarding and Prevent training"
    assert CheckType.EMPLOYERS_LIABILITY_INSURANCE.in_a_sentence == "employer's liability insurance"
    page = get(deps, f"/staff/employers/{awaiting_review(deps)}/checks/spoc_training")
    assert "Record decision on SPOC safeguarding and Prevent training" in page
