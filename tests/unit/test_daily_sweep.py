from datetime import UTC, datetime, timedelta

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.core.audit import AuditEvent
from tests.support.aws import sent_emails, text_of
from tests.support.builders import COMPLIANCE
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event

sweep = load_handler("daily_sweep")
YESTERDAY = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
TODAY = YESTERDAY + timedelta(hours=16)


@pytest.fixture
def deps(sweep_deps):
    return sweep_deps


def run(deps) -> dict:
    with clock.simulate(TODAY):
        return sweep.lambda_handler(load_event("daily_sweep_schedule.json"), FakeLambdaContext(), deps=deps)


def write_trail(store: Store, subject: str, count: int) -> None:
    for i in range(count):
        store.table.append_audit(AuditEvent(subject=subject, action=f"step.{i}", actor="sam"), YESTERDAY)


def test_yesterdays_trails_are_verified_and_intact_ones_raise_no_alarm(deps):
    write_trail(deps.store, "employer/emp-000000000001", 3)
    write_trail(deps.store, "employer/emp-000000000002", 2)
    result = run(deps)
    assert {k: result[k] for k in ("day", "subjects_checked", "broken")} == {
        "day": "2026-03-01",
        "subjects_checked": 2,
        "broken": [],
    }
    assert sent_emails() == []


def test_an_edited_entry_raises_the_alarm(deps):
    write_trail(deps.store, "employer/emp-000000000001", 3)
    write_trail(deps.store, "employer/emp-000000000002", 2)
    # Given someone with table access edits an entry directly
    deps.store.table.client.update_item(
        TableName=deps.store.table.name,
        Key={"PK": {"S": "AUDIT#employer/emp-000000000002"}, "SK": {"S": "ENTRY#0000000001"}},
        UpdateExpression="SET #e.actor = :who",
        ExpressionAttributeNames={"#e": "entry"},
        ExpressionAttributeValues={":who": {"S": "nobody"}},
    )
    result = run(deps)
    assert result["broken"] == ["employer/emp-000000000002"]
    [message] = sent_emails()
    assert message["To"] == COMPLIANCE
    assert "entry 1: entry was altered" in text_of(message)


def test_the_sweep_reads_by_index_and_never_scans(deps, monkeypatch):
    write_trail(deps.store, "employer/emp-000000000001", 1)
    calls: list[str] = []
    original = deps.store.table.client._make_api_call

    def spy(operation, params):
        calls.append(operation)
        return original(operation, params)

    monkeypatch.setattr(deps.store.table.client, "_make_api_call", spy)
    run(deps)
    assert "Scan" not in calls
    # The day's milestones by index, today's slice of whole-trail checks and the audit day's entries by index;
    # the trail from its checkpoint by known keys
    assert calls.count("Query") == 3 and calls.count("BatchGetItem") == 1
