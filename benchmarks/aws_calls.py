"""AWS requests per API operation of the walking skeleton, counted at the boto3 clients the handlers use.

The handlers run in-process against moto with production wiring (their own Dependencies), so the
figures are what one request costs on AWS: every GetItem, Query, transaction, SendEmail and
Step Functions call.
"""

import importlib.util
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
from cfnlint.decode import cfn_yaml
from moto import mock_aws

from safeplace import clock, links
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.models import LinkPurpose
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.settings import LinkPagesSettings, StaffApiSettings

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-west-2"
SENDER = "safeguarding@example.org"
BASE = "https://safeplace.example.org"


def _handler(function: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{function}", ROOT / "functions" / function / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _event(name: str, token: str = "") -> dict[str, Any]:
    return json.loads((ROOT / "events" / name).read_text().replace("TOKEN", token))


class _Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000


class _Counter:
    def __init__(self, *clients: Any) -> None:
        self.calls: Counter[str] = Counter()
        for client in clients:
            client.meta.events.register("before-call", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_name}:{model.name}"] += 1

    @contextmanager
    def measure(self) -> Iterator[Counter[str]]:
        before = Counter(self.calls)
        result: Counter[str] = Counter()
        yield result
        result.update(self.calls - before)


def calls_per_operation() -> dict[str, dict[str, int]]:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION})
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Safeplace")
    os.environ.pop("AWS_ENDPOINT_URL", None)
    figures: dict[str, dict[str, int]] = {}
    with mock_aws():
        dynamodb, sesv2, sfn = (boto3.client(s, region_name=REGION) for s in ("dynamodb", "sesv2", "stepfunctions"))
        props = cfn_yaml.load(str(ROOT / "template.yaml"))["Resources"]["Table"]["Properties"]
        table = {
            k: json.loads(json.dumps(props[k]))
            for k in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
        }
        dynamodb.create_table(TableName="bench", **table)
        sesv2.create_email_identity(EmailIdentity=SENDER)
        machine = sfn.create_state_machine(
            name="bench",
            roleArn="arn:aws:iam::123456789012:role/bench",
            definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Pass", "End": True}}}),
        )["stateMachineArn"]
        counter = _Counter(dynamodb, sesv2, sfn)
        common = {
            "table_name": "bench",
            "link_retention_days": 90,
            "audit_retention_years": 7,
            "public_base_url": BASE,
            "invitation_valid_days": 14,
        }
        store = Store(
            "bench",
            StaffApiSettings(
                onboarding_state_machine_arn=machine, submission_wait_hours=120, reminders_before_escalation=2, **common
            ).retention,
            client=dynamodb,
        )
        staff_api, link_pages = _handler("staff_api"), _handler("link_pages")
        staff_deps = staff_api.Dependencies(
            settings=StaffApiSettings(
                onboarding_state_machine_arn=machine, submission_wait_hours=120, reminders_before_escalation=2, **common
            ),
            store=store,
            workflows=Workflows(sfn),
        )
        link_deps = link_pages.Dependencies(
            settings=LinkPagesSettings(sender_email=SENDER, **common),
            store=store,
            workflows=Workflows(sfn),
            mailer=Mailer(SENDER, client=sesv2),
        )

        with counter.measure() as figures["POST /api/employers (invite)"]:
            employer = json.loads(
                staff_api.lambda_handler(_event("staff_api_invite_employer.json"), _Context(), deps=staff_deps)["body"]
            )
        token = links.issue(
            store, employer["id"], LinkPurpose.ONBOARDING_FORM, now=clock.now(), valid_for=timedelta(days=14)
        ).token
        store.save_wait(employer["id"], SUBMISSION_STEP, "bench-task-token", clock.now())
        with counter.measure() as figures["GET /link/{token} (open the form)"]:
            link_pages.lambda_handler(_event("link_pages_open.json", token), _Context(), deps=link_deps)
        with counter.measure() as figures["POST /link/{token} (submit)"]:
            link_pages.lambda_handler(_event("link_pages_submit.json", token), _Context(), deps=link_deps)
        with counter.measure() as figures["GET /api/employers (list)"]:
            staff_api.lambda_handler(_event("staff_api_list_employers.json"), _Context(), deps=staff_deps)
        detail = _event("staff_api_list_employers.json")
        detail["path"] = f"/api/employers/{employer['id']}"
        with counter.measure() as figures["GET /api/employers/{id} (detail + audit)"]:
            staff_api.lambda_handler(detail, _Context(), deps=staff_deps)
    return {op: dict(sorted(calls.items())) for op, calls in figures.items()}


if __name__ == "__main__":
    for operation, calls in calls_per_operation().items():
        print(f"{operation}: {sum(calls.values())} requests {calls}")
