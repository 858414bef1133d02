"""AWS requests per API operation, counted at boto3, and the cost of one placement-gate decision.

The handlers run in-process against moto with their production wiring (`safeplace.wiring`,
configured from the template's own environment for each function), so the figures are what one request
costs on AWS: every GetItem, Query, transaction, SendEmail and Step Functions call.
"""

import importlib.util
import itertools
import json
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
from moto import mock_aws

from safeplace import wiring
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.adapters.dynamodb.handbook import HandbookRepository
from safeplace.adapters.dynamodb.placements import PlacementRepository
from safeplace.core import clock, links
from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkPurpose
from safeplace.core.retention import Retention
from safeplace.handbook.models import STATEMENTS, HandbookReceipt, HandbookVersion
from safeplace.onboarding.answers import EvidenceFile
from safeplace.onboarding.models import CheckType, Spoc
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.placements.models import PlacementRequest
from safeplace.placements.record_placement import record_placement
from safeplace.staff.models import Role, StaffUser
from safeplace_local.employer_link import FILE_SECTIONS, PDF, section_forms
from safeplace_local.template import REGION, load

ROOT = Path(__file__).resolve().parent.parent


class _Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000


def _event(name: str, token: str = "") -> dict[str, Any]:
    return json.loads((ROOT / "events" / name).read_text().replace("TOKEN", token))


class _Handlers:
    """Each function's handler module, wired as on AWS from the environment the template gives it."""

    def __init__(self) -> None:
        self.template = load(ROOT / "template.yaml", {"PublicBaseUrl": "https://safeplace.example.org/v1"})
        self.deps: dict[str, Any] = {}
        self.modules: dict[str, Any] = {}

    def wire(self, function: str, folder: str) -> Any:
        os.environ.update(self.template.functions[function].environment)
        spec = importlib.util.spec_from_file_location(f"bench_{folder}", ROOT / "functions" / folder / "app.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.modules[function] = module
        # Each function's production wiring, built after its environment is set (and not cached across functions).
        self.deps[function] = getattr(wiring, f"{folder}_dependencies").__wrapped__()
        return module

    def call(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.modules[function].lambda_handler(event, _Context(), deps=self.deps[function])
        return result


class _Count:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        boto3.setup_default_session(region_name=REGION)
        assert boto3.DEFAULT_SESSION is not None
        # Clients made from the default session afterwards (the handlers' own) report every call here.
        boto3.DEFAULT_SESSION.events.register("before-call", self._count)

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
    os.environ.pop("AWS_ENDPOINT_URL", None)
    figures: dict[str, Counter[str]] = {}
    with mock_aws():
        count = _Count()
        handlers = _Handlers()
        table = handlers.template.tables[0]
        boto3.client("dynamodb").create_table(TableName=table.name, **table.create_arguments)
        for bucket in handlers.template.buckets:
            boto3.client("s3").create_bucket(
                Bucket=bucket.name,
                CreateBucketConfiguration={"LocationConstraint": REGION},  # type: ignore[typeddict-item]
            )
        boto3.client("sesv2").create_email_identity(EmailIdentity=handlers.template.parameters["SenderEmail"])
        machine = handlers.template.state_machines["OnboardingStateMachine"]
        boto3.client("stepfunctions").create_state_machine(
            name=machine.name, definition=machine.definition, roleArn="arn:aws:iam::123456789012:role/bench"
        )
        handlers.wire("StaffApiFunction", "staff_api")
        handlers.wire("LinkPagesFunction", "link_pages")
        link_deps = handlers.deps["LinkPagesFunction"]
        count.calls.clear()

        with count.measure() as figures["POST /api/employers (invite)"]:
            invited = handlers.call("StaffApiFunction", _event("staff_api_invite_employer.json"))
        employer_id = json.loads(invited["body"])["id"]
        # What the workflow's first step would have done: a link and a parked task token.
        url, _ = link_deps.settings.link_issuer(link_deps.store.links).issue(
            employer_id, LinkPurpose.ONBOARDING_FORM, now=clock.now()
        )
        token = url.rsplit("/", 1)[1]
        link_deps.store.waits.save_wait(employer_id, SUBMISSION_STEP, "bench-task-token", clock.now())
        with count.measure() as figures["GET /link/{token} (open the form)"]:
            handlers.call("LinkPagesFunction", _event("link_pages_open.json", token))
        section = _event("link_pages_open.json", token)
        section["path"] = f"/link/{token}/section/employers_liability_insurance"
        with count.measure() as figures["GET /link/{token}/section/{s} (with an upload form)"]:
            page = handlers.call("LinkPagesFunction", section)
        key = re.search(r'name="key" value="([^"]+)"', page["body"]).group(1)  # type: ignore[union-attr]
        boto3.client("s3").put_object(Bucket=link_deps.files.bucket, Key=key, Body=PDF)
        returned = _event("link_pages_upload_returned.json", token)
        returned["queryStringParameters"] = {"key": key}
        with count.measure() as figures["GET .../uploaded (content check)"]:
            handlers.call("LinkPagesFunction", returned)
        forms = section_forms(clock.now().date())
        saves: Counter[str] = Counter()
        for name, fields in forms.items():
            save = _event("link_pages_save_section.json", token)
            save.update({"path": f"/link/{token}/section/{name}", "body": urlencode(fields)})
            if name in FILE_SECTIONS and name != "employers_liability_insurance":
                link_deps.store.employers.save_upload(employer_id, CheckType(name), _a_file(employer_id, name))
            with count.measure() as one:
                handlers.call("LinkPagesFunction", save)
            saves.update(one)
        figures["POST /link/{token}/section/{s} (save a section, mean)"] = Counter(
            {k: round(v / len(forms)) for k, v in saves.items()}
        )
        with count.measure() as figures["POST /link/{token}/send"]:
            handlers.call("LinkPagesFunction", _event("link_pages_send.json", token))
        with count.measure() as figures["GET /api/employers (list)"]:
            handlers.call("StaffApiFunction", _event("staff_api_list_employers.json"))
        detail = _event("staff_api_list_employers.json")
        detail["path"] = f"/api/employers/{employer_id}"
        with count.measure() as figures["GET /api/employers/{id} (detail + audit)"]:
            handlers.call("StaffApiFunction", detail)
    return {operation: dict(sorted(calls.items())) for operation, calls in figures.items()}


def _a_file(employer_id: str, section: str) -> EvidenceFile:
    return EvidenceFile(
        key=f"evidence/{employer_id}/{section}/bench",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_at=clock.now(),
    )


def gate_decision(
    sizes: tuple[int, ...] = (1_000, 100_000), repeats: int = 50, versions: int = 10
) -> list[dict[str, Any]]:
    """One placement through the gate (record_placement: one read of what it needs, decide, one transaction),
    against one GetItem of the employer, in a table of `sizes` employers. The employer placed has `versions`
    handbook versions, each signed by its SPOC.

    Milliseconds are measured against moto in this process: they show the code's own cost, not AWS's latency.
    """
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    return [_gate_at(size, repeats, versions) for size in sizes]


def _gate_at(size: int, repeats: int, versions: int) -> dict[str, Any]:
    # sweep_scale imports this module; its seeding and its switch for moto's whole-table copies serve here too.
    from benchmarks.sweep_scale import _employer, _no_whole_table_copies, _seed, _submission_item

    with mock_aws():
        count = _Count()
        table = _Handlers().template.tables[0]
        client = boto3.client("dynamodb")
        client.create_table(TableName=table.name, **table.create_arguments)
        store = Store(table.name, Retention(link_days=90, audit_years=7), client=client)
        now = clock.now()
        valid_until = now.date() + timedelta(days=200)
        # The others only fill the table; the one placed is stored as the product leaves an admitted employer.
        others = (employer_item(_employer(n, valid_until, [CheckType.SPOC_TRAINING])) for n in range(size - 1))
        employer = _employer(size, valid_until)
        _seed(table.name, itertools.chain(others, [employer_item(employer), _submission_item(employer, valid_until)]))
        answers = store.employers.get_submission(employer.id)
        assert answers and answers.spoc
        staff = StaffUser(username="sam", email="sam@bench.example", roles=frozenset({Role.STAFF}))
        start = now.date() + timedelta(days=30)
        requests: list[Counter[str]] = []
        seconds: list[float] = []
        with _no_whole_table_copies():
            for number in range(1, versions + 1):
                _a_signed_version(store, employer.id, answers.spoc.spoc, number, now)
            # A function that holds no handbook version yet, then the same one warm; a GetItem after each
            # decision, so that both see the same load on the machine.
            placements = PlacementRepository(store.table, HandbookRepository(store.table))
            get_seconds = []
            for n in range(repeats + 1):
                request = PlacementRequest(
                    learner_reference=f"L-{n:04d}",
                    date_of_birth=start - timedelta(days=17 * 366),
                    employer_id=employer.id,
                    site="Bench site",
                    start_date=start,
                    assessor="Pat",
                )
                with count.measure() as calls:
                    began = time.perf_counter()
                    placed = record_placement(request, staff, placements=placements, now=now)
                    seconds.append(time.perf_counter() - began)
                assert not placed.unmet, placed.unmet
                requests.append(calls)
                began = time.perf_counter()
                store.employers.get_employer(employer.id)
                get_seconds.append(time.perf_counter() - began)
    gate_ms = statistics.median(seconds[1:]) * 1000
    get_ms = statistics.median(get_seconds) * 1000
    return {
        "employers": size,
        "handbook versions and receipts": versions,
        "requests, first decision": sum(requests[0].values()),
        "requests per decision": statistics.median(sum(r.values()) for r in requests[1:]),
        "by operation": dict(sorted(requests[-1].items())),
        "gate ms": round(gate_ms, 2),
        "GetItem ms": round(get_ms, 2),
        "gate / GetItem": round(gate_ms / get_ms, 1),
    }


def _a_signed_version(store: Store, employer_id: str, spoc: Spoc, number: int, now: datetime) -> None:
    published = now - timedelta(days=100 - number)
    version = HandbookVersion(
        number=number, summary=f"v{number}", material=True, published_at=published, published_by="b"
    )
    store.handbook.publish_handbook_version(
        version, None, AuditEvent(subject="handbook", action="published", actor="b")
    )
    issued = links.issue(store.links, employer_id, LinkPurpose.HANDBOOK, now=published, valid_for=timedelta(days=14))
    receipt = HandbookReceipt(
        employer_id=employer_id, version=number, sha256="0" * 64, document_key=f"handbooks/{number}", spoc=spoc,
        typed_name=spoc.name, statements=STATEMENTS, acknowledged_at=published + timedelta(days=1),
    )  # fmt: skip
    store.handbook.record_receipt(
        receipt, issued.link, AuditEvent(subject=f"employer/{employer_id}", action="acknowledged", actor="spoc")
    )


if __name__ == "__main__":
    for operation, calls in calls_per_operation().items():
        print(f"{operation}: {sum(calls.values())} requests {calls}")
