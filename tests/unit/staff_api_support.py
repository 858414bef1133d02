"""What the staff API's tests share: its collaborators on moto, signed-in sessions, and calling it."""

from datetime import timedelta
from typing import Any

import boto3

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.core import clock
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import NotSignedIn
from safeplace.onboarding.models import CheckStatus, EmployerStatus
from safeplace.settings import StaffApiSettings
from safeplace.staff.models import Role, StaffUser
from safeplace.staff.sign_in import start_session
from safeplace.wiring import StaffApiDependencies
from tests.support.aws import EVIDENCE_BUCKET
from tests.support.builders import BASE_URL, PROVIDER_SETTINGS, SENDER, a_submission, an_employer
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.support.records import a_stored_submission, invite

staff_api = load_handler("staff_api")


class FakeIdentityProvider:
    """Stands in for Cognito's hosted sign-in: a code is the username of the person who signed in."""

    def __init__(self, users: dict[str, StaffUser]) -> None:
        self.users = users
        self.exchanged: list[tuple[str, str]] = []

    def authorize_url(self, state: str, code_challenge: str) -> str:
        return f"https://sign-in.example/authorize?state={state}&code_challenge={code_challenge}"

    def exchange(self, code: str, code_verifier: str) -> StaffUser:
        self.exchanged.append((code, code_verifier))
        if code not in self.users:
            raise NotSignedIn()
        return self.users[code]

    def logout_url(self) -> str:
        return "https://sign-in.example/logout"


SAM = StaffUser(username="sam.staff@example.org", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
RAE = StaffUser(username="rae.reviewer@example.org", email="rae.reviewer@example.org", roles=frozenset({Role.REVIEWER}))


def staff_api_dependencies(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str) -> Any:
    """The staff API's collaborators on moto, with the state machines the fixtures created."""
    settings = StaffApiSettings(
        table_name=store.table.name,
        link_retention_days=90,
        audit_retention_years=7,
        **PROVIDER_SETTINGS,
        public_base_url=BASE_URL,
        cognito_domain_url="https://safeplace-123.auth.eu-west-2.amazoncognito.com",
        cognito_issuer="https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_example",
        cognito_client_id="client-id",
        staff_session_hours=8,
        onboarding_state_machine_arn=state_machine_arn,
        handbook_rollout_state_machine_arn=rollout_arn,
        invitation_valid_days=14,
        submission_wait_hours=120,
        reminders_before_escalation=2,
        review_wait_hours=48,
        renewal_reminder_days="60,30,7",
        renewal_escalation_days=3,
        speaker_booking_state_machine_arn=speaker_arn,
        speaker_decision_wait_hours=24,
        speaker_information_wait_days=14,
        sender_email=SENDER,
        dsl_email="dee.dsl@example.org",
        evidence_bucket=EVIDENCE_BUCKET,
    )
    return StaffApiDependencies(
        settings=settings,
        store=store,
        workflows=Workflows(boto3.client("stepfunctions")),
        sign_in=FakeIdentityProvider({"sam-code": SAM, "rae-code": RAE}),
        mailer=Mailer(SENDER),
        files=EvidenceFiles(EVIDENCE_BUCKET),
    )


def call(event: dict, deps, *, session: tuple[str, str] | None = None) -> dict:
    """Call the handler; `session` is (cookie value, CSRF token) of a signed-in member of staff."""
    if session:
        cookie, csrf = session
        event["headers"]["Cookie"] = f"__Host-safeplace_session={cookie}"
        event["multiValueHeaders"]["Cookie"] = [event["headers"]["Cookie"]]
        if event["httpMethod"] == "POST" and event["body"] is not None and "csrf_token" not in event["body"]:
            event["body"] = f"csrf_token={csrf}&{event['body']}"
    return staff_api.lambda_handler(event, FakeLambdaContext(), deps=deps)


def signed_in_as(user: StaffUser, deps) -> tuple[str, str]:
    done = start_session(user, sessions=deps.store.sessions, now=clock.now(), lifetime=timedelta(hours=8))
    return done.cookie_value, done.session.csrf_token


def console_get(path: str) -> dict:
    event = load_event("staff_api_console_home.json")
    event.update({"path": path, "resource": "/staff/{proxy+}"})
    return event


def an_employer_whose_checks_passed(deps, employer_id: str = "emp-0123456789ab") -> str:
    """Invited, sent its answers and approved: an active employer, whose SPOC a handbook version is sent to."""
    employer = invite(deps.store, an_employer(clock.now(), id=employer_id, contact_email="kim@hollins.example"))
    a_stored_submission(deps.store, employer, a_submission(clock.now().date(), employer.id), clock.now())
    sent = deps.store.employers.get_employer(employer.id)
    passed = sent.moved_to(
        EmployerStatus.CHECKS_PASSED,
        clock.now(),
        checks=[c.model_copy(update={"status": CheckStatus.APPROVED}) for c in sent.checks],
    )
    deps.store.employers.save_employer(
        sent, passed, AuditEvent(subject=sent.subject, action="check.reviewed", actor="rae")
    )
    return employer.id
