"""The runtime's clock-aware waiting, without a runtime: waits end when the simulated clock passes them, in
order of deadline when it is moved, and in real time when it is not; moto's interpreter waits on it."""

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from safeplace_local.activity import Activity
from safeplace_local.clock import SimulatedClock
from safeplace_local.moto_clock import ClockEvent, counted_thread, follow_the_clock
from tests.support.project import REGION


@pytest.fixture
def activity() -> Activity:
    return Activity(quiet_seconds=0.02)


@pytest.fixture
def clock(activity: Activity) -> SimulatedClock:
    return SimulatedClock(settle=activity.settle)


def in_thread(activity: Activity, work: object) -> threading.Thread:
    """A thread counted as the interpreter's are, so a move of the clock lets it finish before the next step."""
    thread = counted_thread(activity)(target=work, daemon=True)
    thread.start()
    return thread


def test_a_wait_of_an_hour_ends_in_milliseconds_when_the_clock_moves_an_hour_on(clock, activity):
    # Given a thread waiting an hour on the clock
    ended = threading.Event()
    in_thread(activity, lambda: ClockEvent(clock, activity).wait(3600) or ended.set())
    time.sleep(0.05)
    # When the clock moves an hour on
    started = time.monotonic()
    clock.advance(timedelta(hours=1))
    # Then the wait has ended, timed out, by the time the move returns
    assert ended.is_set()
    assert time.monotonic() - started < 1.0


def test_a_move_wakes_the_waits_in_order_of_deadline_each_at_its_time(clock, activity):
    # Given three waits of 30, 10 and 20 minutes, each of which works a little once it wakes
    woke: list[tuple[int, datetime]] = []
    start = clock.now()

    def wait(minutes: int) -> None:
        ClockEvent(clock, activity).wait(minutes * 60)
        time.sleep(0.05)  # real work: the clock must wait for it before the next step
        woke.append((minutes, clock.now()))

    for minutes in (30, 10, 20):
        in_thread(activity, lambda m=minutes: wait(m))
    time.sleep(0.05)
    # When the clock moves two hours on
    clock.advance(timedelta(hours=2))
    # Then each woke in turn, at its own deadline, and the clock stopped two hours on
    assert [minutes for minutes, _ in woke] == [10, 20, 30]
    for minutes, at in woke:
        assert timedelta(0) <= at - (start + timedelta(minutes=minutes)) < timedelta(seconds=2)
    assert abs(clock.now() - (start + timedelta(hours=2))) < timedelta(seconds=2)


def test_a_wait_that_starts_again_every_second_cannot_hold_a_move_of_a_month(activity):
    # Given a wait that starts again each second it ends, as a workflow repeating a short wait would
    clock = SimulatedClock(settle=activity.settle, budget_seconds=0.5)
    stop = threading.Event()

    def repeat() -> None:
        while not stop.is_set():
            ClockEvent(clock, activity).wait(1)

    in_thread(activity, repeat)
    time.sleep(0.05)
    # When the clock moves a month on
    started, target = time.monotonic(), clock.now() + timedelta(days=30)
    clock.advance(timedelta(days=30))
    stop.set()
    # Then stepping in order gave up after its budget, and the clock is a month on
    assert time.monotonic() - started < 5
    assert abs(clock.now() - target) < timedelta(seconds=5)


def test_without_a_move_a_short_wait_ends_in_real_time(clock, activity):
    started = time.monotonic()
    assert ClockEvent(clock, activity).wait(0.2) is False
    assert 0.2 <= time.monotonic() - started < 1.0


def test_a_set_ends_the_wait_at_once_as_threading_events_do(clock, activity):
    # moto interrupts a Wait state with set() and an immediate clear(): the waiter still wakes
    event = ClockEvent(clock, activity)
    answers: list[bool] = []
    thread = in_thread(activity, lambda: answers.append(event.wait(3600)))
    time.sleep(0.05)
    event.set()
    event.clear()
    thread.join(timeout=1)
    assert answers == [True] and not event.is_set()


@pytest.fixture
def sfn(clock: SimulatedClock, activity: Activity, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}), follow_the_clock(clock, activity):
        yield boto3.client("stepfunctions", region_name=REGION)


def run(sfn, definition: dict) -> str:
    arn = sfn.create_state_machine(
        name=f"m{time.monotonic_ns()}", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    return str(sfn.start_execution(stateMachineArn=arn)["executionArn"])


def finished(sfn, execution: str, timeout: float = 2.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.02)
    raise AssertionError("the execution is still running")


def test_moto_waits_a_wait_state_and_a_callback_timeout_on_the_clock(sfn, clock):
    # Given an execution that waits a day, then waits an hour for a callback that never comes
    sqs = boto3.client("sqs", region_name=REGION)
    queue = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    execution = run(
        sfn,
        {
            "StartAt": "ADay",
            "States": {
                "ADay": {"Type": "Wait", "Seconds": 86400, "Next": "AnHour"},
                "AnHour": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
                    "TimeoutSeconds": 3600,
                    "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}],
                    "End": True,
                },
                "TimedOut": {"Type": "Succeed"},
            },
        },
    )
    time.sleep(0.1)
    # When the clock moves a day and an hour on
    clock.advance(timedelta(days=1, hours=1, seconds=5))
    # Then the execution has waited both out
    done = finished(sfn, execution)
    assert done["status"] == "SUCCEEDED"
    entered = [
        e["stateEnteredEventDetails"]["name"]
        for e in sfn.get_execution_history(executionArn=execution)["events"]
        if "stateEnteredEventDetails" in e
    ]
    assert entered == ["ADay", "AnHour", "TimedOut"]


def test_moto_waits_a_retry_interval_on_the_clock(sfn, clock):
    # Given a task that fails, to be retried after an hour
    execution = run(
        sfn,
        {
            "StartAt": "Fails",
            "States": {
                "Fails": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters": {"Bucket": "no-such-bucket", "Key": "k"},
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3600, "MaxAttempts": 1}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "GaveUp"}],
                    "End": True,
                },
                "GaveUp": {"Type": "Succeed"},
            },
        },
    )
    time.sleep(0.1)
    # When the clock moves an hour on, the retry runs and fails again, and the execution gives up
    clock.advance(timedelta(hours=1, seconds=5))
    assert finished(sfn, execution)["status"] == "SUCCEEDED"
    failures = [e for e in sfn.get_execution_history(executionArn=execution)["events"] if e["type"] == "TaskFailed"]
    assert len(failures) == 2
