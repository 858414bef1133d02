import json
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import cache, partial
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.decode import cfn_yaml
from moto import mock_aws
from moto.core.models import MockAWS

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core import links
from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.retention import Retention
from safeplace.handbook.models import STATEMENTS, HandbookReceipt, ProviderDetails
from safeplace.handbook.offer_handbook import offer_current_handbook
from safeplace.onboarding.answers import (
    Answers,
    Contact,
    EvidenceFile,
    HealthAndSafetyPolicy,
    Insurance,
    MinimumRequirementsAcceptance,
    Organisation,
    RiskAssessment,
    SafeguardingArrangements,
    Site,
    SpocAnswers,
    SpocTraining,
    YoungPersons,
)
from safeplace.onboarding.models import Address, Check, CheckStatus, CheckType, Employer, EmployerStatus, Spoc
from safeplace.onboarding.rules import checks_needed
from safeplace.onboarding.spoc_training import TrainingLevel
from safeplace.placements.admit_employer import admit_employer
from safeplace.placements.models import PlacementRequest
from safeplace.placements.release_placements import release_placements
from safeplace.settings import DailySweepSettings
from safeplace.speakers.models import SpeakerBookingRequest
from safeplace.staff.models import Role, StaffUser
from safeplace.wiring import DailySweepDependencies
from safeplace_local.employer_link import PDF
from safeplace_local.fast_dynamodb import fast_dynamodb_responses
from safeplace_local.fast_transactions import fast_transactions

pytest_plugins = ["tests.support.tier_times"]

ROOT = Path(__file__).resolve().parent.parent

# What the template's Globals give every function; handler modules read it when they are imported.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Safeplace")
EVENTS = ROOT / "events"
REGION = "eu-west-2"


def load_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def table_properties() -> dict[str, Any]:
    """The table exactly as template.yaml declares it: the tests never restate the key design."""
    props = cfn_yaml.load(str(ROOT / "template.yaml"))["Resources"]["Table"]["Properties"]
    keep = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
    return json.loads(json.dumps({k: props[k] for k in keep}))


@pytest.fixture(scope="session")
def runtime() -> Iterator[Any]:
    """The local runtime serving the real template, shared by the workflow, integration and browser tiers.

    As at any provider using it, a handbook is published before employers are approved: each then signs for
    it before the gate passes, whichever test runs first.
    """
    import requests

    from safeplace_local.client import RuntimeProcess
    from safeplace_local.local_cognito import DEV_USER_COOKIE

    with RuntimeProcess(ROOT / "test-artifacts" / "local-runtime.log") as rt:
        admin = requests.Session()
        admin.cookies.set(DEV_USER_COOKIE, str(ADA.email))
        admin.post(
            f"{rt.base_url}/api/handbook/versions",
            json={"summary": "The first version of our employer handbook", "material": True},
            timeout=30,
        ).raise_for_status()
        yield rt


@pytest.fixture(scope="module")
def _moto() -> Iterator[MockAWS]:
    """moto set up once per module, with the boto3 session and the service models it has loaded kept."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
        }.items():
            patch.setenv(name, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        with (
            mock_aws(config={"core": {"reset_boto3_session": False}}) as mocked,
            fast_dynamodb_responses(),
            fast_transactions(),
        ):
            yield mocked


@pytest.fixture
def aws(_moto: MockAWS) -> None:
    """Every AWS service empty, as a fresh account would be: no test sees another's data."""
    _moto.reset()


@pytest.fixture
def store(aws: None) -> Store:
    client = boto3.client("dynamodb", region_name=REGION)
    client.create_table(TableName="safeplace-test", **table_properties())
    return Store("safeplace-test", Retention(link_days=90, audit_years=7), client=client)


@cache
def load_handler(function: str) -> Any:
    """Import functions/<function>/app.py under a unique module name (every handler module is `app`).

    Once per process, as Lambda does: a handler's routers belong to the resolver of the one module that
    included them, so a second import would take them from the first.
    """
    import importlib.util

    path = ROOT / "functions" / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"{function}_app", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def header(response: dict[str, Any], name: str) -> str:
    """A header of an API Gateway proxy response, whichever of the two header maps carries it."""
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return str(values[-1])
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    raise KeyError(name)


class FakeLambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:test"
    aws_request_id = "52fdfc07-2182-454f-963f-5f0f9a621d72"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000


SENDER = "safeguarding@example.org"
COMPLIANCE = "compliance@example.org"
BASE_URL = "https://safeplace.example.org/v1"


def settings_for(store: Store) -> dict[str, Any]:
    """What every function's settings share in the tests (as the template's Globals do on AWS)."""
    return {
        "table_name": store.table.name,
        "link_retention_days": 90,
        "audit_retention_years": 7,
        "sender_email": SENDER,
        "public_base_url": BASE_URL,
        "invitation_valid_days": 14,
    }


EVIDENCE_BUCKET = "safeplace-evidence-test"


@pytest.fixture
def evidence_bucket(aws: None) -> Any:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=EVIDENCE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client


@pytest.fixture
def sesv2(aws: None) -> Any:
    client = boto3.client("sesv2", region_name=REGION)
    client.create_email_identity(EmailIdentity=SENDER)
    return client


DSL = "dee.dsl@example.org"
ADA = StaffUser(username="ada", email="ada.admin@example.org", roles=frozenset({Role.ADMIN}))
PROVIDER = ProviderDetails(
    name="Northern Skills Training",
    dsl_name="Dee Shaw",
    dsl_email=DSL,
    dsl_phone="0113 496 0999",
    safeguarding_phone="0113 496 0990",
    absence_email="absence@example.org",
    absence_report_hours=1,
)


ROLLOUT_ARN = "arn:aws:states:eu-west-2:123456789012:stateMachine:handbook-rollout"


class StartsRecorded:
    """Workflows whose executions are only recorded: for use cases that start one and move on."""

    def __init__(self) -> None:
        self.started: list[tuple[str, str, dict[str, Any]]] = []

    def start(self, state_machine_arn: str, name: str, payload: dict[str, Any]) -> bool:
        self.started.append((state_machine_arn, name, payload))
        return True


def a_published_version(store: Store, now: datetime, *, material: bool = True, summary: str = "First version") -> Any:
    from safeplace.handbook.publish_handbook import Publication, publish_handbook

    publication = Publication(summary=summary, material=material)
    return publish_handbook(  # type: ignore[arg-type]
        publication, ADA, handbook=store.handbook, workflows=StartsRecorded(), rollout_arn=ROLLOUT_ARN, now=now
    )


class TasksRecorded(StartsRecorded):
    """Step Functions as the use cases see it: executions started and tasks completed are recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.completed: list[tuple[str, dict[str, Any]]] = []

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        self.completed.append((task_token, output))
        return True


def signed_for(store: Store, employer_id: str, version: int, at: datetime, spoc: Spoc | None = None) -> None:
    """The SPOC's receipt of `version` (Kim Hollins, as a_submission names them), as the link page records it."""
    issued = links.issue(store.links, employer_id, LinkPurpose.HANDBOOK, now=at, valid_for=timedelta(days=14))
    spoc = spoc or Spoc(name="Kim Hollins", role="Owner", email="kim@hollins.example", phone="0113 496 0000")
    receipt = HandbookReceipt(
        employer_id=employer_id, version=version, sha256="0" * 64, document_key=f"handbooks/{version}",
        spoc=spoc, typed_name=spoc.name, statements=STATEMENTS, acknowledged_at=at,
    )  # fmt: skip
    store.handbook.record_receipt(
        receipt, issued.link, AuditEvent(subject=f"employer/{employer_id}", action="x", actor="y")
    )


class NothingWaiting(StartsRecorded):
    """Step Functions for a use case run outside a workflow: no task is waiting, so a callback has nothing to do;
    executions it starts are recorded."""

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        return True


@pytest.fixture
def sweep_deps(store: Store, sesv2: Any) -> Any:
    """The daily sweep's handler collaborators, on moto."""
    settings = DailySweepSettings(**settings_for(store), compliance_team_email=COMPLIANCE, dsl_email=DSL)
    return DailySweepDependencies(settings=settings, store=store, mailer=Mailer(SENDER))


def sent_emails() -> list[Any]:
    """Messages moto's SES accepted, parsed from the raw MIME our mailer sends."""
    import email
    from email import policy

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [
        email.message_from_string(m.raw_data, policy=policy.default)
        for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    ]


def text_of(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _state_machine(name: str, definition_file: str, function: str) -> str:
    """A state machine from the repository's ASL, its tasks pointing at the function the template names."""
    client = boto3.client("stepfunctions", region_name=REGION)
    definition = (ROOT / "statemachines" / definition_file).read_text()
    definition = definition.replace(f"${{{function}Arn}}", f"arn:aws:lambda:eu-west-2:123456789012:function:{function}")
    return client.create_state_machine(name=name, definition=definition, roleArn="arn:aws:iam::123456789012:role/sfn")[
        "stateMachineArn"
    ]


@pytest.fixture
def state_machine_arn(aws: None) -> str:
    return _state_machine("OnboardingStateMachine", "onboarding.asl.json", "OnboardingTasksFunction")


@pytest.fixture
def rollout_arn(aws: None) -> str:
    return _state_machine("HandbookRolloutStateMachine", "handbook_rollout.asl.json", "HandbookTasksFunction")


@pytest.fixture
def speaker_arn(aws: None) -> str:
    return _state_machine("SpeakerBookingStateMachine", "speaker_booking.asl.json", "SpeakerTasksFunction")


def an_employer(at: datetime, **changes: Any) -> Employer:
    return Employer(
        **{
            "id": "emp-0123456789ab",
            "name": "Hollins Bakery",
            "contact_name": "Kim Hollins",
            "contact_email": "kim@hollins.example",
            "status": EmployerStatus.INVITED,
            "invited_by": "sam.staff@example.org",
            "invited_at": at,
            "updated_at": at,
            "version": 1,
            "checks": [Check(type=t, updated_at=at) for t in CheckType],
            **changes,
        }
    )


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def an_evidence_file(employer_id: str, check: CheckType, at: datetime) -> EvidenceFile:
    return EvidenceFile(
        key=f"evidence/{employer_id}/{check}/test", content_type="application/pdf", size=len(PDF), uploaded_at=at
    )


def a_submission(today: date = date(2026, 3, 2), employer_id: str = "emp-0123456789ab", **sections: Any) -> Answers:
    """Every section answered as a careful employer would; `sections` replaces whole sections.

    `model_construct` on a replacement lets a test hold answers that today's rules would refuse.
    """
    at = datetime.combine(today, datetime.min.time())
    address = Address(line1="1 Mill Lane", town="Leeds", postcode="LS1 4AB")
    answers = Answers(
        organisation=Organisation(
            legal_name="Hollins Bakery Ltd",
            companies_house_number="01234567",
            address=address,
            sector="Food",
            employees=12,
            main_contact=Contact(name="Kim Hollins", email="kim@hollins.example", phone="0113 496 0000"),
            sites=[Site(name="Mill Lane bakery", address=address)],
        ),
        spoc=SpocAnswers(
            spoc=Spoc(name="Kim Hollins", role="Owner", email="kim@hollins.example", phone="0113 496 0000"),
            commitment=True,
        ),
        spoc_training=SpocTraining(
            course="home-office-prevent",
            training_provider="GOV.UK",
            completed_on=today - timedelta(days=90),
            level=TrainingLevel.AWARENESS,
            certificate=an_evidence_file(employer_id, CheckType.SPOC_TRAINING, at),
        ),
        employers_liability_insurance=Insurance(
            insurer="Northern Mutual",
            policy_number="EL-99812",
            cover_gbp=10_000_000,
            expires_on=today + timedelta(days=300),
            certificate=an_evidence_file(employer_id, CheckType.EMPLOYERS_LIABILITY_INSURANCE, at),
        ),
        health_and_safety_policy=HealthAndSafetyPolicy(
            reviewed_on=today - timedelta(days=60),
            document=an_evidence_file(employer_id, CheckType.HEALTH_AND_SAFETY_POLICY, at),
        ),
        risk_assessment=RiskAssessment(
            assessed_on=today - timedelta(days=30),
            low_risk=False,
            document=an_evidence_file(employer_id, CheckType.RISK_ASSESSMENT, at),
        ),
        young_persons_risk_assessment=YoungPersons(
            takes_under_18=True,
            assessed_on=today - timedelta(days=30),
            measures="No slicer or oven work; always supervised; finishes by 6pm",
        ),
        safeguarding_arrangements=SafeguardingArrangements(
            concern_contact_name="Kim Hollins",
            concern_contact_role="Owner",
            how_learners_raise_concerns="Told at induction; name and number on the staff room board",
            how_you_tell_the_provider="Phone the provider's DSL the same day, then email",
        ),
        minimum_safeguarding_requirements=MinimumRequirementsAcceptance(
            version="2026-11", accepted_by="Kim Hollins", accepted=True
        ),
    )
    return answers.model_copy(update=sections)


def a_stored_submission(store: Store, employer: Employer, answers: Answers, at: datetime) -> Employer:
    """An employer whose answers were sent through its link and now wait for review."""
    link = links.issue(store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=at, valid_for=timedelta(days=1))
    checks = [Check(type=t, status=CheckStatus.SUBMITTED, updated_at=at) for t in checks_needed(answers)]
    after = employer.moved_to(EmployerStatus.SUBMITTED, at, checks=checks)
    event = AuditEvent(subject=employer.subject, action="organisation.submitted", actor="employer")
    store.employers.record_submission(employer, after, answers, link.link, event, at)
    return after


def a_shared_mailbox_spoc() -> Spoc:
    return Spoc.model_construct(name="Kim", role="Owner", email="info@hollins.example", phone="0113 496 0000")


def an_issuer(store: Store) -> LinkIssuer:
    return LinkIssuer(store.links, BASE_URL, timedelta(days=14))


def an_admission(store: Store, workflows: Any, mailer: Mailer | None = None, rollout_arn: str = ROLLOUT_ARN) -> Any:
    """What the wiring does once an employer's checks all pass (release its learners, send the handbook)."""
    return partial(
        admit_employer,
        employers=store.employers,
        placements=store.placements,
        handbook=store.handbook,
        mailer=mailer or Mailer(SENDER),
        offer_handbook=partial(
            offer_current_handbook,
            employers=store.employers,
            handbook=store.handbook,
            workflows=workflows,
            rollout_arn=rollout_arn,
        ),
    )


def a_release(store: Store, mailer: Mailer | None = None) -> Any:
    """What the wiring does once a SPOC signs the handbook: the learners waiting only for that start."""
    return partial(
        release_placements,
        employers=store.employers,
        placements=store.placements,
        handbook=store.handbook,
        mailer=mailer or Mailer(SENDER),
    )


def gate_records(store: Store) -> dict[str, Any]:
    """The records the placement use cases read and write, as keyword arguments."""
    return {"employers": store.employers, "placements": store.placements, "handbook": store.handbook}


def a_placement_request(employer_id: str, start: date, born: date = date(2000, 1, 1)) -> PlacementRequest:
    return PlacementRequest(
        learner_reference="L-2026-0042",
        date_of_birth=born,
        employer_id=employer_id,
        site="Mill Lane bakery",
        start_date=start,
        assessor="Pat",
    )


def invite(store: Store, employer: Employer) -> Employer:
    store.employers.create_employer(
        employer, AuditEvent(subject=employer.subject, action="employer.invited", actor="sam")
    )
    return employer


REQUESTED = date(2027, 6, 4)  # a Friday
EVENT = date(2027, 6, 21)  # a Monday, ten working days later


def a_request(
    *,
    event: dict[str, Any] | None = None,
    audience: dict[str, Any] | None = None,
    speaker: dict[str, Any] | None = None,
    **fields: Any,
) -> SpeakerBookingRequest:
    """A complete, in-person booking for adults with materials: nothing in it raises a flag."""
    return SpeakerBookingRequest.model_validate(
        {
            "event": {
                "title": "Careers in cyber security",
                "on": EVENT,
                "starts_at": "10:00",
                "ends_at": "11:00",
                "delivery": "in_person",
                "venue": "Room 4, Leeds centre",
                "recorded": False,
                "streamed": False,
                **(event or {}),
            },
            "audience": {
                "size": 25,
                "age_range": {"youngest": 19, "oldest": 45},
                "under_18": False,
                "cohort": "Level 3 digital apprentices, September intake",
                **(audience or {}),
            },
            "speaker": {
                "name": "Priya Shah",
                "email": "priya@northern-cyber.example.org",
                "role": "Security analyst",
                "organisation": "Northern Cyber Ltd",
                "website": "https://northern-cyber.example.org",
                "biography": "Ten years in security operations; runs the firm's apprenticeship scheme.",
                **(speaker or {}),
            },
            "topic": "Starting a career in cyber security",
            "outline": "What analysts do all day, routes in, and a question and answer session.",
            "materials": {"link": "https://northern-cyber.example.org/careers-talk.pdf"},
            "staff_present": "tom.tutor@example.org",
            "requested_by": "sam.staff@example.org",
            **fields,
        }
    )


def a_booking_form(on: date, **changes: str) -> dict[str, str]:
    """The console's booking request form as a browser posts it, filled in as for a_request."""
    return {
        "event.title": "Careers in cyber security",
        "event.on-day": str(on.day),
        "event.on-month": str(on.month),
        "event.on-year": str(on.year),
        "event.starts_at": "10:00",
        "event.ends_at": "11:00",
        "event.delivery": "in_person",
        "event.venue": "Room 4, Leeds centre",
        "event.recorded": "no",
        "event.streamed": "no",
        "audience.size": "25",
        "audience.age_range.youngest": "19",
        "audience.age_range.oldest": "45",
        "audience.under_18": "no",
        "audience.cohort": "Level 3 digital apprentices",
        "speaker.name": "Priya Shah",
        "speaker.email": "priya@northern-cyber.example.org",
        "speaker.role": "Security analyst",
        "speaker.organisation": "Northern Cyber Ltd",
        "speaker.website": "https://northern-cyber.example.org",
        "speaker.social_links": "https://social.example/@priya\nhttps://video.example/priya",
        "speaker.biography": "Ten years in security operations.",
        "topic": "Starting a career in cyber security",
        "outline": "What analysts do all day, routes in, and questions.",
        "materials.link": "https://northern-cyber.example.org/careers-talk.pdf",
        "staff_present": "tom.tutor@example.org",
        **changes,
    }
