"""One daily sweep over a growing number of SPOCs with the same few falling due: the cost follows what is due.

Every SPOC has an approved SPOC-training check whose milestones sit in the ByDate index on other days; a
fixed few have a reminder or the lapse today. The handler runs once, in process against moto, with the
template's wiring, and every DynamoDB and SES request it makes is counted at boto3.
"""

import io
import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import patch

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from benchmarks.aws_calls import _Count, _event, _Handlers
from safeplace.adapters.dynamodb import Store, _item, employer_pk
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.adapters.dynamodb.milestones import due_item
from safeplace.core import clock
from safeplace.core.retention import Retention
from safeplace.onboarding.answers import Answers, Contact, Organisation, Site, SpocAnswers
from safeplace.onboarding.models import (
    Address,
    Check,
    CheckStatus,
    CheckType,
    Due,
    DueState,
    Employer,
    EmployerStatus,
    Spoc,
)
from safeplace.onboarding.renewals import RENEWALS
from safeplace_local.template import REGION

TODAY = date(2026, 6, 1)
# 06:15 in London, when the template's schedule runs the sweep.
NOW = datetime(2026, 6, 1, 5, 15, tzinfo=UTC)
# How long an approval of the SPOC's training holds, in this benchmark.
LIFETIME = timedelta(days=365)
# Days before a check runs out on which one of its milestones falls: the rest must avoid them.
_MILESTONE_LEADS = {*RENEWALS.reminder_days, RENEWALS.escalation_days, -1}


def _approved_at(valid_until: date) -> datetime:
    return datetime.combine(valid_until - LIFETIME, datetime.min.time(), tzinfo=UTC)


def _employer(n: int, valid_until: date, types: Iterable[CheckType] = CheckType) -> Employer:
    employer_id = f"emp-{n:012x}"
    approved_at = _approved_at(valid_until)
    checks = [
        Check(
            type=t,
            status=CheckStatus.APPROVED,
            updated_at=approved_at,
            valid_until=valid_until if t is CheckType.SPOC_TRAINING else None,
        )
        for t in types
    ]
    return Employer(
        id=employer_id,
        name=f"Employer {n}",
        contact_name=f"Contact {n}",
        contact_email=f"contact{n}@employer.example",
        status=EmployerStatus.CHECKS_PASSED,
        invited_by="bench",
        invited_at=approved_at,
        updated_at=approved_at,
        version=3,
        checks=checks,
    )


def _schedule(employer: Employer, valid_until: date) -> list[Due]:
    """The milestones the approval scheduled; those already behind today were done by earlier sweeps."""
    return [
        due if due.due_on >= TODAY else due.model_copy(update={"state": DueState.DONE})
        for due in RENEWALS.milestones(
            employer.id, employer.name, CheckType.SPOC_TRAINING, valid_until, _approved_at(valid_until).date()
        )
    ]


def _submission_item(employer: Employer, valid_until: date) -> dict[str, Any]:
    # Shaped as Store.record_submission stores it; only the sections the sweep reads.
    n = employer.id.removeprefix("emp-")
    address = Address(line1=f"{int(n, 16)} Mill Lane", town="Leeds", postcode="LS1 4AB")
    spoc = Spoc(name=f"Spoc {n}", role="Owner", email=f"spoc{n}@employer.example", phone="0113 496 0000")
    answers = Answers(
        organisation=Organisation(
            legal_name=f"{employer.name} Ltd",
            address=address,
            sector="Food",
            employees=12,
            main_contact=Contact(name=employer.contact_name, email=employer.contact_email, phone="0113 496 0001"),
            sites=[Site(name="Main site", address=address)],
        ),
        spoc=SpocAnswers(spoc=spoc, commitment=True),
    )
    return _item(
        {
            "PK": employer_pk(employer.id),
            "SK": "SUBMISSION",
            "answers": answers.model_dump(mode="json"),
            "at": _approved_at(valid_until).isoformat(),
        }
    )


def _items(spocs: int, due: int) -> Iterator[dict[str, Any]]:
    lapsing = due // 4
    for n in range(spocs):
        if n < due:
            # The first few run out yesterday (lapse today); the others have their 60-day reminder today.
            valid_until = TODAY - timedelta(days=1) if n < lapsing else TODAY + timedelta(days=60)
            employer = _employer(n, valid_until)
            if n < lapsing:
                # Their first reminder opened the check for renewal.
                employer.checks = [
                    c.model_copy(update={"renewing_until": valid_until}) if c.type is CheckType.SPOC_TRAINING else c
                    for c in employer.checks
                ]
            yield _submission_item(employer, valid_until)
            schedule = _schedule(employer, valid_until)
        else:
            # Spread over the coming year (all approved before today), on days none of whose milestones is today.
            lead = 1 + n % 360
            while lead in _MILESTONE_LEADS:
                lead += 1
            valid_until = TODAY + timedelta(days=lead)
            # The sweep never reads these records, so only their number counts. With just the check whose
            # milestones they hold, 100,000 of them seed in about a minute; with all nine it takes three.
            employer = _employer(n, valid_until, [CheckType.SPOC_TRAINING])
            full = _schedule(employer, valid_until)
            # Its first reminder and its lapse: enough to fill the index on many days, and quick to seed.
            schedule = [full[0], full[-1]]
        yield employer_item(employer)
        for milestone in schedule:
            yield due_item(milestone)


def _seed(table: str, items: Iterator[dict[str, Any]]) -> None:
    # Straight into moto's store: through boto3 and moto's parser every item costs two to three times as much,
    # and 100,000 SPOCs took minutes to seed that way.
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
    for item in items:
        backend.put_item(table, item)


@contextmanager
def _in_dynamodb_calls() -> Iterator[defaultdict[str, float]]:
    """Seconds inside DynamoDB requests (boto3 and moto) by operation, apart from the sweep's own code."""
    spent: defaultdict[str, float] = defaultdict(float)
    began = [0.0]

    def before(**_: Any) -> None:
        began[0] = time.perf_counter()

    def after(model: Any, **_: Any) -> None:
        spent[model.name] += time.perf_counter() - began[0]

    assert boto3.DEFAULT_SESSION is not None
    events = boto3.DEFAULT_SESSION.events
    events.register("before-call.dynamodb", before)
    events.register("after-call.dynamodb", after)
    try:
        yield spent
    finally:
        events.unregister("before-call.dynamodb", before)
        events.unregister("after-call.dynamodb", after)


@contextmanager
def _no_whole_table_copies() -> Iterator[None]:
    # moto deep-copies the whole table for each item of a transaction, to roll it back should it fail: with
    # that, one sweep over 1,000 SPOCs took two minutes instead of two seconds, and the cost of a transaction
    # on DynamoDB does not depend on the table. Nothing in the sweep catches a failed transaction, so one
    # would end the run (and this benchmark) rather than leave half its writes unnoticed.
    with patch.object(Table, "__deepcopy__", lambda table, memo: table, create=True):
        yield


def _one_size(spocs: int, due: int) -> dict[str, Any]:
    with mock_aws():
        count = _Count()
        handlers = _Handlers()
        table = handlers.template.tables[0]
        client = boto3.client("dynamodb")
        client.create_table(TableName=table.name, **table.create_arguments)
        boto3.client("sesv2").create_email_identity(EmailIdentity=handlers.template.parameters["SenderEmail"])
        store = Store(table.name, Retention(link_days=90, audit_years=7), client=client)
        began = time.perf_counter()
        _seed(table.name, _items(spocs, due))
        seeding = time.perf_counter() - began
        store.employers.save_sweep_progress(TODAY - timedelta(days=1))
        sweep = handlers.wire("DailySweepFunction", "daily_sweep")
        # The handler's log line and metrics would land between the rows of figures.
        sweep.logger.setLevel(logging.WARNING)
        with (
            clock.simulate(NOW),
            _no_whole_table_copies(),
            count.measure() as calls,
            _in_dynamodb_calls() as in_dynamodb,
            redirect_stdout(io.StringIO()),
        ):
            began = time.perf_counter()
            result = handlers.call("DailySweepFunction", _event("daily_sweep_schedule.json"))
            seconds = time.perf_counter() - began
    dynamodb = Counter({k.split(":", 1)[1]: v for k, v in calls.items() if k.startswith("dynamodb:")})
    return {
        "spocs": spocs,
        "due": len(result["reminded"]) + len(result["escalated"]) + len(result["lapsed"]),
        "reminded": len(result["reminded"]),
        "lapsed": len(result["lapsed"]),
        "dynamodb_requests": sum(dynamodb.values()),
        "dynamodb_by_operation": dict(sorted(dynamodb.items())),
        "ses_sends": calls["sesv2:SendEmail"],
        "seconds": round(seconds, 2),
        "seconds_in_dynamodb_calls": round(sum(in_dynamodb.values()), 2),
        "seconds_in_dynamodb_by_operation": {k: round(v, 2) for k, v in sorted(in_dynamodb.items())},
        "seeding_seconds": round(seeding, 1),
    }


def sweep_cost(sizes: tuple[int, ...] = (1_000, 10_000, 100_000), due: int = 20) -> list[dict[str, Any]]:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    return [_one_size(spocs, due) for spocs in sizes]


def sweep_by_due(dues: tuple[int, ...] = (20, 240), spocs: int = 1_000) -> list[dict[str, Any]]:
    """The same sweep with more falling due: the milestones are read 100 at a time (BatchGetItem), and what
    grows with them is the work each one asks for (its employer, its emails, its transaction)."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    return [_one_size(spocs, due) for due in dues]


if __name__ == "__main__":
    for row in sweep_cost():
        print(row)
