"""The onboarding state machine run by moto's interpreter, invoking the real handlers."""

import json
from datetime import UTC, datetime

import requests

from safeplace.adapters.stepfunctions import Workflows
from safeplace.core import links
from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkPurpose
from safeplace.onboarding.answers import SpocAnswers
from safeplace.onboarding.models import CheckStatus, EmployerStatus
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.onboarding.withdraw_invitation import withdraw_invitation
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import a_shared_mailbox_spoc, a_submission
from tests.support.fakes import StartsRecorded
from tests.workflow.conftest import A_MINUTE, Onboarding, wait_for


def the_link(email: dict) -> str:
    [link] = [u for u in email["links"] if "/link/" in u]
    return link


def test_happy_path_invitation_submission_validation_and_review(onboarding: Onboarding):
    # Given an invited employer whose onboarding has started
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    assert "safeguarding checks before learners are placed with" in invitation["subject"]
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the callback wait")
    # When the employer completes every section through the emailed link and sends them
    onboarding.answer(the_link(invitation))
    # Then the workflow checks them automatically (approving the accepted minimum requirements) and waits
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    employer = onboarding.store.employers.get_employer(onboarding.employer.id)
    assert employer.status is EmployerStatus.SUBMITTED
    assert onboarding.store.waits.get_wait(onboarding.employer.id, SUBMISSION_STEP) is None
    assert {c.type.value: c.status.value for c in employer.checks} == {
        "organisation": "submitted",
        "spoc": "submitted",
        "spoc_training": "submitted",
        "employers_liability_insurance": "submitted",
        "health_and_safety_policy": "submitted",
        "risk_assessment": "submitted",
        "young_persons_risk_assessment": "submitted",
        "safeguarding_arrangements": "submitted",
        "minimum_safeguarding_requirements": "approved",
    }
    # And once a reviewer approves every check, onboarding ends with the checks passed
    onboarding.approve_everything()
    finished = onboarding.finish()
    assert finished["status"] == "SUCCEEDED"
    assert onboarding.entered()[-4:] == ["AwaitReview", "ReviewOutcome", "ReleasePlacements", "ChecksPassed"]
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.CHECKS_PASSED


def test_a_rejected_check_goes_back_to_the_employer_and_only_it_is_reviewed_again(onboarding: Onboarding):
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the callback wait")
    onboarding.answer(the_link(invitation))
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    onboarding.review("spoc", "reject", "Name a SPOC who works at the Leeds site")
    onboarding.approve_everything()
    # The employer is asked to fix it, with the reviewer's reason and a fresh link
    correction = onboarding.wait_for_email(2)
    assert "please correct your details" in correction["subject"]
    assert "Name a SPOC who works at the Leeds site" in correction["text"]
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the second submission wait")
    # The employer fixes just that section
    fixed = {"spoc.name": "Sam Hollins", "spoc.email": "sam.hollins@hollins.example"}
    onboarding.answer(the_link(correction), sections=["spoc"], changes={"spoc": fixed})
    wait_for(lambda: onboarding.entered().count("AwaitReview") == 2, what="the second review wait")
    assert onboarding.submitted() == ["spoc"]  # approved sections are not asked again
    onboarding.review("spoc", "approve")
    assert onboarding.finish()["status"] == "SUCCEEDED"
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.CHECKS_PASSED


def test_reviews_left_waiting_remind_the_compliance_team(onboarding: Onboarding, runtime):
    # Given submitted checks waiting for a reviewer
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the callback wait")
    onboarding.answer(the_link(invitation))
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    # When the review wait passes with nobody deciding
    runtime.advance_clock(A_MINUTE)
    # Then the compliance team is reminded, and the workflow waits again
    reminder = wait_for(
        lambda: next(
            (
                m
                for m in runtime.outbox()
                if m["subject"] == "Hollins Bakery's checks are waiting for review"
                and onboarding.employer.id in m["text"]
            ),
            None,
        ),
        what="the reviewers' reminder",
    )
    assert reminder["to"] == ["compliance@example.org"]
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="waiting again after the reminder")
    onboarding.approve_everything()
    assert onboarding.finish()["status"] == "SUCCEEDED"
    assert "RemindReviewers" in onboarding.entered()


class _CallbackLost(StartsRecorded):
    """The decision's callback to Step Functions finds the wait already timed out."""

    def complete(self, task_token: str, output: dict) -> bool:
        return False


def test_a_decision_recorded_as_the_review_wait_times_out_is_not_lost(onboarding: Onboarding):
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitReview") or onboarding.waiting_in("AwaitSubmission"), what="a wait")
    onboarding.answer(the_link(invitation))
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    # Given every decision is recorded, but the last one's callback arrives after the wait timed out
    for check in onboarding.submitted():
        onboarding.review(check, "approve", workflows=_CallbackLost())
    # When the review wait passes
    onboarding.runtime.advance_clock(A_MINUTE)
    # Then the reminder step reads the decisions back and onboarding ends with the checks passed
    assert onboarding.finish()["status"] == "SUCCEEDED"
    assert onboarding.entered()[-5:] == [
        "RemindReviewers",
        "StillWaitingForReview",
        "ReviewOutcome",
        "ReleasePlacements",
        "ChecksPassed",
    ]


def test_a_submission_that_fails_the_automatic_checks_goes_back_to_the_employer(onboarding: Onboarding):
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the callback wait")
    # Given a submission recorded under an older policy that a current rule rejects (a shared mailbox as SPOC)
    token = the_link(invitation).rsplit("/", 1)[1]
    link = links.resolve(onboarding.store.links, token, LinkPurpose.ONBOARDING_FORM, now=onboarding.employer.invited_at)
    stale = a_submission(spoc=SpocAnswers.model_construct(spoc=a_shared_mailbox_spoc(), commitment=True))
    before = onboarding.store.employers.get_employer(onboarding.employer.id)
    after = before.moved_to(
        EmployerStatus.SUBMITTED,
        before.invited_at,
        checks=[c.model_copy(update={"status": CheckStatus.SUBMITTED}) for c in before.checks],
    )
    onboarding.store.employers.record_submission(
        before,
        after,
        stale,
        link,
        AuditEvent(subject=before.subject, action="organisation.submitted", actor="t"),
        onboarding.employer.invited_at,
    )
    task_token = onboarding.store.waits.get_wait(onboarding.employer.id, SUBMISSION_STEP)
    onboarding.sfn.send_task_success(taskToken=task_token, output=json.dumps({}))
    # Then the employer is asked to correct it, with a fresh link
    correction = onboarding.wait_for_email(2)
    assert "please correct your details" in correction["subject"]
    assert "shared mailbox" in correction["text"]
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.CHANGES_REQUESTED
    # And a corrected submission through the new link goes on to review
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the second wait")
    onboarding.answer(the_link(correction))
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    assert "ReturnToEmployer" in onboarding.entered()


def test_a_transient_lambda_failure_is_retried(onboarding: Onboarding):
    # Given the Lambda service fails the first two invocations
    onboarding.runtime.inject_fault("OnboardingTasksFunction", "Lambda.ServiceException", 2)
    onboarding.start()
    # When the ASL's Retry intervals pass (1 s, then twice that)
    onboarding.runtime.advance_clock(1)
    onboarding.runtime.advance_clock(2)
    # Then the Retry has tried again and the invitation still goes out
    onboarding.wait_for_email(1)
    failures = [e for e in onboarding.history() if e["type"] == "TaskFailed"]
    assert [f["taskFailedEventDetails"]["error"] for f in failures] == ["Lambda.ServiceException"] * 2
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.INVITED


def test_a_step_that_keeps_failing_is_recorded_and_the_team_told(onboarding: Onboarding, runtime):
    # Given SES refuses the invitation (a permanent error: not retried)
    runtime.inject_fault("OnboardingTasksFunction", "EmailNotSent", 1)
    onboarding.start()
    finished = onboarding.finish()
    assert finished["status"] == "FAILED"
    assert onboarding.entered()[-2:] == ["RecordFailure", "OnboardingFailed"]
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.NEEDS_ATTENTION
    alerts = [m for m in runtime.outbox() if onboarding.employer.id in m["text"] and "needs attention" in m["subject"]]
    assert alerts and alerts[0]["to"] == ["compliance@example.org"]


def test_no_answer_brings_reminders_then_escalation(onboarding: Onboarding, runtime):
    # Given an employer who never answers, with one reminder allowed
    onboarding.start(reminders=1)
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the callback wait")
    # When the wait passes, the employer is reminded with a fresh link
    runtime.advance_clock(A_MINUTE)
    reminder = onboarding.wait_for_email(2)
    assert reminder["subject"].startswith("Reminder:")
    assert the_link(reminder) != the_link(invitation)
    # And when it passes again, staff are told
    runtime.advance_clock(A_MINUTE)
    finished = onboarding.finish()
    assert finished["status"] == "SUCCEEDED"
    assert onboarding.entered()[-2:] == ["EscalateToStaff", "NoResponse"]
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.STALLED
    escalations = [
        m
        for m in runtime.outbox()
        if m["subject"].startswith("No response from") and onboarding.employer.id in m["text"]
    ]
    assert sorted(to for m in escalations for to in m["to"]) == ["compliance@example.org", "sam.staff@example.org"]
    # And the link of the invitation no longer works: each reminder revoked the one before
    assert requests.get(the_link(invitation), timeout=10).status_code == 404


def test_starting_the_same_onboarding_twice_is_harmless(onboarding: Onboarding):
    onboarding.start()
    first = onboarding.execution_arn
    from safeplace.adapters.stepfunctions import Workflows

    again = Workflows(onboarding.sfn).start(
        onboarding.state_machine_arn, onboarding.employer.onboarding_execution_name, {"employer_id": "x"}
    )
    assert again is False
    onboarding.wait_for_email(1)
    assert len(onboarding.emails()) == 1
    assert onboarding.execution_arn == first


def test_withdrawing_the_invitation_stops_the_waiting_workflow(onboarding: Onboarding):
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the callback wait")
    staff = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
    withdraw_invitation(
        onboarding.employer.id,
        staff,
        employers=onboarding.store.employers,
        links=onboarding.store.links,
        workflows=Workflows(onboarding.sfn),
        state_machine_arn=onboarding.state_machine_arn,
        now=datetime.now(UTC),
    )
    # AWS reports ABORTED at once; moto ends the execution when the waiting task next wakes, so the wait is
    # passed. Either way the workflow goes no further: no reminder, no escalation.
    onboarding.runtime.advance_clock(A_MINUTE)
    assert onboarding.finish()["status"] in ("ABORTED", "FAILED")
    assert onboarding.entered() == ["StartWaiting", "AwaitSubmission"]
    assert len(onboarding.emails()) == 1
    assert requests.get(the_link(invitation), timeout=10).status_code == 404
    assert onboarding.store.employers.get_employer(onboarding.employer.id).status is EmployerStatus.WITHDRAWN
