"""The handbook rollout against Step Functions' per-execution limits: 25,000 history events and 256 KiB of state.

The real ASL runs in the local runtime (moto's interpreter, the real handler) over a few dozen active employers,
a small page at a time, so that full pages, a short one and the empty ones at the ends of the status partitions
all run. Each execution's history is read back: its events are a fixed part plus the same events for each
employer on its page, and its largest state is a fixed part plus the same bytes for each. From those two lines
come the figures at any page size, and for 50,000 employers, against the one execution the rollout used to be.
"""

import json
import math
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.sweep_scale import _employer, _submission_item
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.adapters.dynamodb.handbook import HandbookRepository
from safeplace.adapters.dynamodb.table import Table
from safeplace.core.audit import AuditEvent
from safeplace.core.retention import Retention
from safeplace.handbook.models import MAX_ROLLOUT_PAGE_SIZE, ROLLOUT_PAGE_SIZE, HandbookVersion
from safeplace_local.client import RuntimeProcess

HISTORY_LIMIT = 25_000
PAYLOAD_LIMIT = 256 * 1024
EMPLOYERS = 42
PAGE_SIZE = 10


def _wait(predicate: Any, timeout: float = 120.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise TimeoutError


def largest_payload(events: list[dict[str, Any]]) -> int:
    """The largest state input, output or task parameters an execution's history records, in bytes."""
    return max(
        len(value.encode())
        for event in events
        for key, details in event.items()
        if key.endswith("EventDetails")
        for value in details.values()
        if isinstance(value, str)
    )


def _executions(runtime: RuntimeProcess, first: str) -> list[dict[str, Any]]:
    """Each execution of one rollout, in page order: employers offered, history events, largest state."""
    sfn = runtime.client("stepfunctions")
    prefix = runtime.state_machine_arn("HandbookRolloutStateMachine").replace(":stateMachine:", ":execution:")
    found: list[dict[str, Any]] = []
    name: str | None = first
    while name:
        arn = f"{prefix}:{name}"
        done = _wait(lambda arn=arn: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d)
        if done["status"] != "SUCCEEDED":
            raise RuntimeError(f"{name} {done['status']}: {done.get('error')} {done.get('cause')}")
        output = json.loads(done["output"])
        events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        found.append(
            {
                "name": name,
                "employers": len(output["offers"]),
                "events": len(events),
                "largest_payload": largest_payload(events),
                "hands_on": "continued" in output,
            }
        )
        name = output.get("continued", {}).get("execution_name")
    return found


def _line(points: dict[int, int]) -> tuple[float, float]:
    """The fixed part and the part per employer of a quantity measured at two or more page sizes."""
    (few, at_few), (many, at_many) = min(points.items()), max(points.items())
    per = (at_many - at_few) / (many - few)
    return at_few - per * few, per


def measure(employers: int = EMPLOYERS, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    log = Path(tempfile.mkdtemp()) / "bench-rollout.log"
    with RuntimeProcess(log) as runtime:
        dynamodb = runtime.client("dynamodb")
        table = Table(runtime.resource_name("Table"), Retention(link_days=90, audit_years=7), client=dynamodb)
        valid_until = datetime.now(UTC).date().replace(year=datetime.now(UTC).year + 1)
        for n in range(employers):
            employer = _employer(n, valid_until)
            for item in (employer_item(employer), _submission_item(employer, valid_until)):
                dynamodb.put_item(TableName=table.name, Item=item)
        version = HandbookVersion(
            number=1, summary="Rollout limits", material=True, published_at=datetime.now(UTC), published_by="bench"
        )
        HandbookRepository(table).publish_handbook_version(
            version, None, AuditEvent(subject="handbook", action="handbook.published", actor="bench")
        )
        started = time.perf_counter()
        runtime.client("stepfunctions").start_execution(
            stateMachineArn=runtime.state_machine_arn("HandbookRolloutStateMachine"),
            name="handbook-v1",
            input=json.dumps({"version": 1, "page_size": page_size}),
        )
        executions = _executions(runtime, "handbook-v1")
        seconds = time.perf_counter() - started

    handing_on = [e for e in executions if e["hands_on"]]
    fixed, per_employer = _line({e["employers"]: e["events"] for e in handing_on})
    sizes = {e["employers"] for e in handing_on}
    fixed_bytes, bytes_per_employer = _line(
        {n: max(e["largest_payload"] for e in handing_on if e["employers"] == n) for n in sizes}
    )
    last = executions[-1]

    def events_at(page: int) -> int:
        return round(fixed + per_employer * page)

    def payload_at(page: int) -> int:
        return round(fixed_bytes + bytes_per_employer * page)

    total = 50_000
    # Each status partition's end may leave one short or empty page: at most one extra execution per status.
    executions_at = math.ceil(total / ROLLOUT_PAGE_SIZE)
    single = round(last["events"] - per_employer * last["employers"] + per_employer * total)
    return {
        "employers": employers,
        "page_size": page_size,
        "executions": [(e["name"], e["employers"], e["events"], e["largest_payload"]) for e in executions],
        "seconds": seconds,
        "history_events_per_employer": per_employer,
        "fixed_events_per_execution": fixed,
        "payload_bytes_per_employer": bytes_per_employer,
        "fixed_payload_bytes": fixed_bytes,
        "pages": {
            page: {"events": events_at(page), "largest_payload": payload_at(page)}
            for page in (page_size, ROLLOUT_PAGE_SIZE, MAX_ROLLOUT_PAGE_SIZE)
        },
        "at_50000": {
            "executions": executions_at,
            "events_per_execution": events_at(ROLLOUT_PAGE_SIZE),
            "largest_payload": payload_at(ROLLOUT_PAGE_SIZE),
            "events_in_all": round(per_employer * total + fixed * executions_at),
        },
        # The rollout as it was: one execution, one inline Map over every id.
        "one_execution_at_50000": {"events": single, "largest_payload": payload_at(total)},
        "one_execution_limit_employers": math.floor((HISTORY_LIMIT - (single - per_employer * total)) / per_employer),
        "history_limit": HISTORY_LIMIT,
        "payload_limit": PAYLOAD_LIMIT,
    }


def report(figures: dict[str, Any]) -> list[str]:
    lines = [
        f"  A run of {figures['employers']} active employers at {figures['page_size']} a page "
        f"({figures['seconds']:.1f} s): execution, employers offered, history events, largest state (bytes)"
    ]
    lines += [f"    {name:<24} {count:>3} {events:>6} {size:>8}" for name, count, events, size in figures["executions"]]
    per, fixed = figures["history_events_per_employer"], figures["fixed_events_per_execution"]
    lines.append(f"  history events per employer: {per:g}; per execution that hands on: {fixed:g} + {per:g} x page")
    lines.append(
        f"  largest state per employer: {figures['payload_bytes_per_employer']:g} bytes; "
        f"per execution: {figures['fixed_payload_bytes']:g} + {figures['payload_bytes_per_employer']:g} x page"
    )
    limit, payload_limit = figures["history_limit"], figures["payload_limit"]
    lines.append("  page size   events per execution (limit, ratio)      largest state (limit, ratio)")
    for page, at in figures["pages"].items():
        lines.append(
            f"  {page:>9}   {at['events']:>6} ({limit}, {at['events'] / limit:.3f})"
            f"{'':>18}{at['largest_payload']:>8} ({payload_limit}, {at['largest_payload'] / payload_limit:.3f})"
        )
    at, one = figures["at_50000"], figures["one_execution_at_50000"]
    lines.append(
        f"  50,000 employers at {ROLLOUT_PAGE_SIZE} a page: {at['executions']} executions (+ at most one short page "
        f"per status), {at['events_per_execution']} events each ({at['events_per_execution'] / limit:.3f} of the "
        f"limit), largest state {at['largest_payload']} bytes ({at['largest_payload'] / payload_limit:.3f}); "
        f"{at['events_in_all']} events in all"
    )
    lines.append(
        f"  As one execution (the rollout before): {one['events']} events ({one['events'] / limit:.1f}x the limit, "
        f"reached at {figures['one_execution_limit_employers']} employers), largest state {one['largest_payload']} "
        f"bytes ({one['largest_payload'] / payload_limit:.1f}x)"
    )
    return lines


if __name__ == "__main__":
    print("\n".join(report(measure())))
