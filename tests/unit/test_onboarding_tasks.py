from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core import clock, links
from safeplace.core.errors import NotFound
from safeplace.core.links import LinkPurpose
from safeplace.handbook.models import holder_key
from safeplace.onboarding.answers import SpocAnswers
from safeplace.onboarding.models import CheckStatus, CheckType, Employer, EmployerStatus
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.settings import OnboardingTasksSettings
from safeplace.wiring import OnboardingTasksDependencies
from tests.support.aws import sent_emails, text_of
from tests.support.builders import (
    BASE_URL,
    COMPLIANCE,
    CONTACT,
    SENDER,
    a_shared_mailbox_spoc,
    a_submission,
    an_employer,
)
from tests.support.fakes import StartsRecorded
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.support.records import ROLLOUT_ARN, a_published_version, a_stored_submission, invite, settings_for

tasks = load_handler("onboarding_tasks")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store: Store, sesv2):
    settings = OnboardingTasksSettings(
        **settings_for(store), compliance_team_email=COMPLIANCE, handbook_rollout_state_machine_arn=ROLLOUT_ARN
    )
    return OnboardingTasksDependencies(
        settings=settings, store=store, mailer=Mailer(SENDER, CONTACT.name), workflows=StartsRecorded()
    )


@pytest.fixture
def employer(store: Store) -> Employer:
    return invite(store, an_employer(NOW))


def run(event: dict, deps) -> dict:
    with clock.simulate(NOW):
        return tasks.lambda_handler(event, FakeLambdaContext(), deps=deps)


def link_in(message) -> str:
    return next(word for word in text_of(message).split() if word.startswith(f"{BASE_URL}/link/"))


def test_the_invitation_parks_the_task_token_and_emails_our_own_link(deps, employer):
    event = load_event("onboarding_tasks_request_submission.json")
    run(event, deps)
    # The task token stays in DynamoDB...
    assert deps.store.waits.get_wait(employer.id, SUBMISSION_STEP) == event["task_token"]
    # ...and the email carries our link token instead, which opens the form
    [message] = sent_emails()
    assert message["To"] == "kim@hollins.example"
    assert (
        message["Subject"]
        == "Northern Skills Training: safeguarding checks before learners are placed with Hollins Bakery"
    )
    assert message["From"] == f"Northern Skills Training <{SENDER}>"
    # ...saying who asks and why, what to have to hand (the SPOC's certificate too), how long it takes, and how to
    # check it is genuine without trusting the email
    body = text_of(message)
    assert "Northern Skills Training is a training provider" in body and "Prevent duty" in body
    assert "- your SPOC's safeguarding or Prevent training certificate" in body.splitlines()
    assert "It takes about 20 minutes" in body
    assert "call the number on our website, https://www.northern-skills.example/" in body
    assert "Email partnerships@northern-skills.example or call 0113 496 0900." in body.splitlines()
    assert event["task_token"] not in message.as_string()
    token = link_in(message).rsplit("/", 1)[1]
    assert links.resolve(deps.store.links, token, LinkPurpose.ONBOARDING_FORM, now=NOW).subject_id == employer.id
    assert message.get_body(preferencelist=("html",)) is not None


def test_a_reminder_sends_a_fresh_link_and_revokes_the_last(deps, employer):
    run(load_event("onboarding_tasks_request_submission.json"), deps)
    reminder = {**load_event("onboarding_tasks_request_submission.json"), "reason": "reminder", "reminders_sent": 1}
    run(reminder, deps)
    first, second = sent_emails()
    assert second["Subject"].startswith("Reminder:")
    assert "reminder 1" in text_of(second)
    old_token, new_token = (link_in(m).rsplit("/", 1)[1] for m in (first, second))
    assert links.find(deps.store.links, old_token).revoked_at is not None
    assert links.resolve(deps.store.links, new_token, LinkPurpose.ONBOARDING_FORM, now=NOW)


def test_a_valid_submission_passes_the_automatic_checks(deps, employer):
    a_stored_submission(deps.store, employer, a_submission(), NOW)
    result = run(load_event("onboarding_tasks_validate_submission.json"), deps)
    assert result == {"valid": True, "review_needed": True, "problems": {}}
    # The accepted minimum requirements need no person: they are approved, and the rest wait for review
    checks = {c.type: c for c in deps.store.employers.get_employer(employer.id).checks}
    accepted = checks.pop(CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS)
    assert (accepted.status, accepted.decided_by) == (CheckStatus.APPROVED, "automatic checks")
    assert {c.status for c in checks.values()} == {CheckStatus.SUBMITTED}


@pytest.mark.parametrize(
    ("section", "field", "problem"),
    [
        ("employers_liability_insurance", "cover_gbp", "at least £5,000,000"),
        ("employers_liability_insurance", "expires_on", "This insurance has expired"),
        ("risk_assessment", "assessed_on", "more than a year old"),
    ],
)
def test_insurance_and_risk_assessment_rules_return_just_that_section(deps, employer, section, field, problem):
    # Given answers stored under an earlier policy (or before time passed) that today's rules refuse
    answers = a_submission(NOW.date())
    stale_value = {"cover_gbp": 1_000_000, "expires_on": NOW.date(), "assessed_on": NOW.date() - timedelta(days=400)}
    stale = answers.section(CheckType(section)).model_copy(update={field: stale_value[field]})
    a_stored_submission(deps.store, employer, answers.with_section(CheckType(section), stale), NOW)
    result = run(load_event("onboarding_tasks_validate_submission.json"), deps)
    # Then only that check goes back, with the rule's reason
    assert result["valid"] is False and problem in result["problems"][f"{section}.{field}"]
    rejected = [c for c in deps.store.employers.get_employer(employer.id).checks if c.status is CheckStatus.REJECTED]
    assert [c.type.value for c in rejected] == [section] and problem in rejected[0].reason


def test_a_submission_that_breaks_a_rule_goes_back_to_the_employer(deps, employer):
    # Given a submission stored under an earlier policy, with a shared mailbox as the SPOC's address
    shared = SpocAnswers.model_construct(spoc=a_shared_mailbox_spoc(), commitment=True)
    a_stored_submission(deps.store, employer, a_submission(spoc=shared), NOW)
    result = run(load_event("onboarding_tasks_validate_submission.json"), deps)
    assert result["valid"] is False
    stored = deps.store.employers.get_employer(employer.id)
    assert stored.status is EmployerStatus.CHANGES_REQUESTED
    spoc_check = next(c for c in stored.checks if c.type is CheckType.SPOC)
    assert spoc_check.status is CheckStatus.REJECTED and "shared mailbox" in spoc_check.reason
    # And the next request tells the employer what to put right
    changes = {**load_event("onboarding_tasks_request_submission.json"), "reason": "changes_requested"}
    run(changes, deps)
    [message] = sent_emails()
    assert "please correct your details" in message["Subject"]
    assert "shared mailbox" in text_of(message)


def test_escalation_marks_the_employer_and_tells_the_inviter_and_the_team(deps, employer):
    run({"step": "escalate", "employer_id": employer.id, "reminders_sent": 2}, deps)
    assert deps.store.employers.get_employer(employer.id).status is EmployerStatus.STALLED
    assert sorted(m["To"] for m in sent_emails()) == [COMPLIANCE, "sam.staff@example.org"]
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert entries[-1].action == "onboarding.escalated"


def test_a_failure_is_recorded_and_the_team_is_told(deps, employer):
    run({"step": "record_failure", "employer_id": employer.id, "error": "EmailNotSent"}, deps)
    assert deps.store.employers.get_employer(employer.id).status is EmployerStatus.NEEDS_ATTENTION
    [message] = sent_emails()
    assert message["To"] == COMPLIANCE


def test_an_unknown_step_is_refused(deps):
    with pytest.raises(ValidationError):
        run({"step": "delete_everything", "employer_id": "emp-0123456789ab"}, deps)


def test_a_missing_employer_raises_a_named_error_for_the_state_machine(deps):
    with pytest.raises(NotFound):
        run(load_event("onboarding_tasks_request_submission.json"), deps)


def test_an_employer_whose_checks_passed_is_sent_the_current_handbook(deps, employer):
    # Given an employer whose SPOC is Kim, and handbook version 1 published
    a_stored_submission(deps.store, employer, a_submission(NOW.date()), NOW)
    a_published_version(deps.store, NOW)
    # When the workflow's last step runs
    result = run(load_event("onboarding_tasks_release_placements.json"), deps)
    # Then the rollout sends that SPOC version 1, named so that running the step again sends nothing new
    assert result == {"released": 0, "handbook_sent": True}
    kim = holder_key(a_submission().spoc.spoc)
    assert deps.workflows.started == [
        (ROLLOUT_ARN, f"v1-{employer.id}-{kim}", {"version": 1, "employer_ids": [employer.id]})
    ]


def test_before_any_handbook_is_published_an_approved_employer_is_sent_none(deps, employer):
    a_stored_submission(deps.store, employer, a_submission(NOW.date()), NOW)
    result = run(load_event("onboarding_tasks_release_placements.json"), deps)
    assert result == {"released": 0, "handbook_sent": False} and deps.workflows.started == []
