"""The daily audit check after a handbook rollout to 10,000 employers: each with a long verified history and one
new entry yesterday. What the check reads now (each trail from its checkpoint, plus today's slice of whole
trails) against what re-reading every changed trail whole, as it did before, reads.

Requests and items returned are counted at botocore, since moto's own costs are not DynamoDB's. Seeding a
million entries into moto would take gigabytes, so each trail's history is stored whole only where a check reads
it whole: the trails of today's slice of the cycle. The other trails keep their last verified entry, their new
one, head and checkpoint; their older entries lie before the checkpoint, where the new check's key conditions
never reach, so storing them would change none of its figures. The old way is run over the trails stored whole
and its figures per trail multiplied out to every changed trail (all have the same shape).
"""

import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from benchmarks.aws_calls import _Handlers
from benchmarks.sweep_scale import _no_whole_table_copies
from safeplace.adapters.dynamodb.audit import AuditRepository, audit_checkpoint_item
from safeplace.adapters.dynamodb.table import Table, audit_entry_item, audit_head_item
from safeplace.core import audit
from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import Email
from safeplace.core.retention import RecordKind, Retention
from safeplace.core.verify_audit_trails import verify_audit_trails
from safeplace_local.fast_dynamodb import fast_dynamodb
from safeplace_local.template import REGION

EMPLOYERS = 10_000
HISTORY = 100
# The rollout was yesterday; the check runs this morning, as the daily sweep does.
ROLLOUT = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 2, 5, 15, tzinfo=UTC)
HISTORY_STARTS = ROLLOUT - timedelta(days=3 * 365)
RETENTION = Retention(link_days=90, audit_years=7)


class _NoMail:
    def send(self, email: Email) -> str:
        raise AssertionError(f"a trail was found broken: {email.subject}")


def _items(employers: int, history: int) -> Iterator[dict[str, Any]]:
    today = audit.slot_of_day(NOW.date())
    ttl = RETENTION.ttl(RecordKind.AUDIT, NOW)
    for n in range(employers):
        subject = f"employer/emp-{n:012x}"
        whole = audit.full_check_slot(subject) == today
        head = audit.AuditHead(subject=subject)
        for i in range(history + 1):
            at = ROLLOUT if i == history else HISTORY_STARTS + timedelta(days=i * 10)
            event = AuditEvent(subject=subject, action="check.approved", actor="rae.reviewer@provider.example")
            entry = audit.next_entry(head, event, at)
            head = audit.head_after(entry)
            if whole or i >= history - 1:
                yield audit_entry_item(entry, ttl)
            if i == history - 1:
                checked = audit.AuditCheckpoint(
                    subject=subject, seq=entry.seq, hash=entry.hash, at=entry.at, checked_at=at + timedelta(days=1)
                )
                yield audit_checkpoint_item(checked)
        yield audit_head_item(head)


@contextmanager
def _counted(client: Any) -> Iterator[Counter[str]]:
    """DynamoDB requests by operation and the items they returned, made by one client."""
    counted: Counter[str] = Counter()

    def after(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        counted[model.name] += 1
        counted["items"] += len(parsed.get("Items", [])) + sum(len(v) for v in parsed.get("Responses", {}).values())

    events = client.meta.events
    events.register("after-call.dynamodb", after)
    try:
        yield counted
    finally:
        events.unregister("after-call.dynamodb", after)


def _the_old_way(table: Table, subjects: list[str]) -> None:
    """As the check was: every trail changed yesterday read whole (entries and head) and verified."""
    for subject in subjects:
        items = list(
            table.query(
                KeyConditionExpression="PK = :pk AND SK <= :head",
                ExpressionAttributeValues={":pk": {"S": f"AUDIT#{subject}"}, ":head": {"S": "HEAD"}},
                ConsistentRead=True,
            )
        )
        entries = [audit.AuditEntry.model_validate(i["entry"]) for i in items if i["SK"] != "HEAD"]
        head = audit.AuditHead.model_validate(next(i["head"] for i in items if i["SK"] == "HEAD"))
        assert audit.verify(entries, head, now=NOW, retention=RETENTION.period(RecordKind.AUDIT)) == []


def measure(employers: int = EMPLOYERS, history: int = HISTORY) -> dict[str, Any]:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws(), fast_dynamodb(), _no_whole_table_copies():
        spec = _Handlers().template.tables[0]
        client = boto3.client("dynamodb")
        client.create_table(TableName=spec.name, **spec.create_arguments)
        table = Table(spec.name, RETENTION, client=client)
        trails = AuditRepository(table)
        began = time.perf_counter()
        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
        stored = 0
        for item in _items(employers, history):
            backend.put_item(spec.name, item)
            stored += 1
        seeding = time.perf_counter() - began
        day = ROLLOUT.date().isoformat()
        whole = trails.audit_due_whole_check(audit.slot_of_day(NOW.date()))
        with _counted(client) as old_index:
            changed = sorted(trails.audit_written_on(day))
        with _counted(client) as old_trails:
            _the_old_way(table, whole)
        began = time.perf_counter()
        with _counted(client) as new:
            result = verify_audit_trails(audit=trails, mailer=_NoMail(), compliance_team="c@example.org", now=NOW)
        seconds = time.perf_counter() - began
    per_trail_requests = old_trails["Query"] / len(whole)
    per_trail_items = old_trails["items"] / len(whole)
    old_requests = old_index["Query"] + round(per_trail_requests * len(changed))
    old_items = old_index["items"] + round(per_trail_items * len(changed))
    new_requests = sum(v for k, v in new.items() if k != "items")
    return {
        "employers": employers,
        "history": history,
        "items_stored": stored,
        "seeding_seconds": round(seeding, 1),
        "subjects_checked": result.subjects_checked,
        "trails_verified_whole": result.trails_verified_whole,
        "before_requests": old_requests,
        "before_items": old_items,
        "before_per_trail": f"{per_trail_requests:g} Query, {per_trail_items:g} items",
        "after_requests": new_requests,
        "after_items": new["items"],
        "after_by_operation": {k: v for k, v in sorted(new.items()) if k != "items"},
        # Today's slice read whole: its index Query and one Query a trail, whose items are the entries and head
        # the old way read, and the checkpoint (also listed by the index).
        "slice_requests": 1 + len(whole),
        "slice_items": old_trails["items"] + 2 * len(whole),
        "after_seconds": round(seconds, 1),
        "request_ratio": round(old_requests / new_requests, 1),
        "item_ratio": round(old_items / new["items"], 1),
    }


if __name__ == "__main__":
    print(measure())
