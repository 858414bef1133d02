"""moto for the tests that need AWS: set up once per module, every service emptied for each test.

Use-case tests use the fakes in tests/support/fakes.py instead; moto stays for the repositories, the handlers
and the workflows.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.models import MockAWS

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.core.retention import Retention
from safeplace.settings import DailySweepSettings, LinkPagesSettings
from safeplace.wiring import DailySweepDependencies, LinkPagesDependencies
from safeplace_local.atomic_dynamodb import atomic_dynamodb
from safeplace_local.fast_dynamodb import fast_dynamodb
from tests.support.builders import COMPLIANCE, DSL, SENDER
from tests.support.project import REGION, ROOT, table_properties
from tests.support.records import settings_for


def _clients_kept(make: Callable[..., Any]) -> Callable[..., Any]:
    """boto3.client, each client made once and handed out again: a test's wiring builds several, at about 20 ms
    each, and moto keeps no state in them (the data is emptied per test, not the clients)."""
    made: dict[tuple[Any, ...], Any] = {}

    def client(service: str, **kwargs: Any) -> Any:
        config = kwargs.get("config")
        key = (
            service,
            tuple(sorted((k, v) for k, v in kwargs.items() if k != "config")),
            tuple(sorted(config._user_provided_options.items())) if config is not None else (),
        )
        if key not in made:
            made[key] = make(service, **kwargs)
        return made[key]

    return client


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
        patch.setattr(boto3, "client", _clients_kept(boto3.client))
        with (
            mock_aws(config={"core": {"reset_boto3_session": False}}) as mocked,
            fast_dynamodb(),
            atomic_dynamodb(),
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


@pytest.fixture
def sweep_deps(store: Store, sesv2: Any) -> Any:
    """The daily sweep's handler collaborators, on moto."""
    settings = DailySweepSettings(**settings_for(store), compliance_team_email=COMPLIANCE, dsl_email=DSL)
    return DailySweepDependencies(settings=settings, store=store, mailer=Mailer(SENDER))


def link_pages_dependencies(store: Store, workflows: Any = None) -> LinkPagesDependencies:
    """The link pages' collaborators on moto: Step Functions itself unless the test records the workflows' calls."""
    return LinkPagesDependencies(
        settings=LinkPagesSettings(**settings_for(store), evidence_bucket=EVIDENCE_BUCKET),
        store=store,
        workflows=workflows or Workflows(boto3.client("stepfunctions")),
        mailer=Mailer(SENDER),
        files=EvidenceFiles(EVIDENCE_BUCKET),
    )


@contextmanager
def requests_to(client: Any) -> Iterator[Counter[str]]:
    """Every DynamoDB request the client makes inside the block, by operation (as boto3 sends it, so a
    paginated Query counts each page)."""
    counted: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        counted[model.name] += 1

    client.meta.events.register("before-call.dynamodb", count)
    try:
        yield counted
    finally:
        client.meta.events.unregister("before-call.dynamodb", count)


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
