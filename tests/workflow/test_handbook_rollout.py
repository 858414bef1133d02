"""The handbook rollout run by moto's interpreter: an admin publishes a material version, the Map state
starts each active employer's delivery, and the SPOC signs for their copy through the emailed link. The active
employers are offered a page at a time, each page an execution of its own, so no history or state grows with
their number."""

import json
import math
import time
from collections.abc import Iterable
from typing import Any

import pytest
import requests

from benchmarks.rollout_limits import largest_payload
from safeplace.handbook.models import MAX_ROLLOUT_PAGE_SIZE, ROLLOUT_PAGE_SIZE, STATEMENTS, holder_key
from safeplace_local.client import RuntimeProcess
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.workflow.conftest import Onboarding, rollout_executions, wait_for

pytestmark = pytest.mark.workflow


def test_a_published_material_version_reaches_the_spoc_who_signs_for_that_exact_copy(onboarding: Onboarding):
    # Given an employer whose checks passed, with a SPOC of its own
    spoc = f"spoc+{time.monotonic_ns()}@hollins.example"
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the submission wait")
    [link] = [u for u in invitation["links"] if "/link/" in u]
    onboarding.answer(link, changes={"spoc": {"spoc.email": spoc}})
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    onboarding.approve_everything()
    assert onboarding.finish()["status"] == "SUCCEEDED"
    # When an admin publishes a material version through the JSON API
    base = onboarding.runtime.base_url
    admin = requests.Session()
    admin.cookies.set(DEV_USER_COOKIE, "ada.admin@example.org")
    published = admin.post(
        f"{base}/api/handbook/versions", json={"summary": "Absence by 10am", "material": True}, timeout=10
    )
    assert published.status_code == 201, published.text
    number = published.json()["number"]
    # Then the rollout delivers this employer's copy and emails its SPOC a link
    rollout = onboarding.runtime.state_machine_arn("HandbookRolloutStateMachine").replace(
        ":stateMachine:", ":execution:"
    )
    finished = wait_for(
        lambda: (
            (d := onboarding.sfn.describe_execution(executionArn=f"{rollout}:handbook-v{number}"))["status"]
            != "RUNNING"
            and d
        ),
        what="the rollout",
    )
    assert finished["status"] == "SUCCEEDED", finished
    email = onboarding.runtime.wait_for_email(
        spoc, f"Please read and acknowledge: our employer handbook, version {number},"
    )
    [handbook] = [u for u in email["links"] if u.endswith("/handbook")]
    # And the SPOC reads it and signs
    assert requests.get(handbook, timeout=10).status_code == 200
    form = {f"statement-{i}": "yes" for i in range(len(STATEMENTS))} | {"typed_name": "Kim Hollins"}
    signed = requests.post(handbook, data=form, timeout=10)
    assert signed.status_code == 200 and "Handbook acknowledged" in signed.text
    # And staff see the receipt, verified against the stored copy
    staff = requests.Session()
    staff.cookies.set(DEV_USER_COOKIE, "sam.staff@example.org")
    holder = holder_key(onboarding.store.employers.get_submission(onboarding.employer.id).spoc.spoc)  # type: ignore[union-attr]
    receipt = staff.get(f"{base}/api/employers/{onboarding.employer.id}/handbook/{number}/{holder}", timeout=10).json()
    assert receipt["verification"]["matches"] is True and receipt["receipt"]["typed_name"] == "Kim Hollins"


def deliveries(runtime: RuntimeProcess, version: int, employer_ids: Iterable[str]) -> dict[str, list[str]]:
    """Each employer's delivery executions of `version`, running or finished."""
    sfn = runtime.client("stepfunctions")
    names: dict[str, str] = {}
    for page in sfn.get_paginator("list_executions").paginate(
        stateMachineArn=runtime.state_machine_arn("HandbookDeliveryStateMachine")
    ):
        names |= {e["name"]: e["executionArn"] for e in page["executions"]}
    return {i: [arn for name, arn in names.items() if name.startswith(f"v{version}-{i}-")] for i in employer_ids}


def _items(execution: dict[str, Any]) -> int:
    return len(execution["output"]["offers"])


def test_a_rollout_pages_through_every_employer_each_page_an_execution_within_the_limits(runtime, approved):
    # Given twelve approved employers, each with a SPOC of its own, and a version not yet rolled out
    employers = {e.employer_id: e for e in (approved() for _ in range(12))}
    number = next(iter(employers.values())).publish(material=True, summary="Paged rollout")
    sfn = runtime.client("stepfunctions")
    rollout = runtime.state_machine_arn("HandbookRolloutStateMachine")
    # When the rollout runs five employers to a page
    sfn.start_execution(
        stateMachineArn=rollout, name=f"handbook-v{number}", input=json.dumps({"version": number, "page_size": 5})
    )
    executions = rollout_executions(runtime, f"handbook-v{number}")
    # Then the pages run as executions of their own, named by version and page, none holding more than five
    assert [e["name"] for e in executions[1:]] == [
        f"handbook-v{number}-page-{n}" for n in range(2, len(executions) + 1)
    ]
    assert {_items(e) for e in executions} <= set(range(6)) and len(executions) >= 3
    # And every employer was offered the version exactly once, and has exactly one delivery
    offered = [o["employer_id"] for e in executions for o in e["output"]["offers"] if o["started"]]
    assert sorted(i for i in offered if i in employers) == sorted(employers)
    assert {i: len(a) for i, a in deliveries(runtime, number, employers).items()} == {i: 1 for i in employers}

    # And each execution's history is a fixed part and the same events for every employer on its page
    handed_on = [e for e in executions if "continued" in e["output"]]
    by_items = {_items(e): len(e["events"]) for e in handed_on}
    assert len(set(by_items)) >= 2, by_items  # full pages and a shorter one
    (few, few_events), (many, many_events) = sorted(by_items.items())[0], sorted(by_items.items())[-1]
    per_employer = (many_events - few_events) / (many - few)
    fixed = few_events - per_employer * few
    assert per_employer == 7  # an iteration's start and end, and the Offer task's entered, scheduled, started,
    # succeeded and exited
    assert all(len(e["events"]) == fixed + per_employer * _items(e) for e in handed_on)
    # And so, at the production page size, 50,000 employers need 250 executions each well inside 25,000 events,
    # as is the largest page allowed
    assert fixed + per_employer * ROLLOUT_PAGE_SIZE <= 25_000 and math.ceil(50_000 / ROLLOUT_PAGE_SIZE) == 250
    assert fixed + per_employer * MAX_ROLLOUT_PAGE_SIZE <= 25_000
    # And the largest state grows by the page, not the total: at the largest page allowed it is under 256 KiB
    payload = {n: max(largest_payload(e["events"]) for e in handed_on if _items(e) == n) for n in by_items}
    per_employer_bytes = (payload[many] - payload[few]) / (many - few)
    assert payload[few] + per_employer_bytes * (MAX_ROLLOUT_PAGE_SIZE - few) < 256 * 1024

    # When an operator runs the second page again, under a name of its own
    again = sfn.start_execution(
        stateMachineArn=rollout, name=f"handbook-v{number}-page-2-again", input=executions[1]["input"]
    )["executionArn"]
    [repeat] = rollout_executions(runtime, again.rsplit(":", 1)[1], follow=False)
    # Then it offers its page again but starts no page that already ran, and still one delivery per employer
    # (a delivery still waiting answers a repeated start with itself, as Step Functions does for the same input)
    assert len(repeat["output"]["offers"]) == len(executions[1]["output"]["offers"])
    assert repeat["output"]["continued"] == {"execution_name": f"handbook-v{number}-page-3", "started": False}
    assert {i: len(a) for i, a in deliveries(runtime, number, employers).items()} == {i: 1 for i in employers}
    for arn in (a for found in deliveries(runtime, number, employers).values() for a in found):
        sfn.stop_execution(executionArn=arn)


def test_the_employers_named_get_the_version_in_one_execution_that_pages_through_no_one_else(runtime, approved):
    # Given a newly approved employer, and the current version
    employer = approved()
    number = employer.latest()
    sfn = runtime.client("stepfunctions")
    name = f"v{number}-{employer.employer_id}-{holder_key(employer.spoc)}"
    # When the rollout is started for it alone, as its approval starts it
    sfn.start_execution(
        stateMachineArn=runtime.state_machine_arn("HandbookRolloutStateMachine"),
        name=name,
        input=json.dumps({"version": number, "employer_ids": [employer.employer_id]}),
    )
    # Then that one execution offers it the version, hands on to no page, and starts its one delivery
    [execution] = rollout_executions(runtime, name)
    assert execution["output"]["offers"] == [{"employer_id": employer.employer_id, "started": True}]
    assert "continued" not in execution["output"]
    [delivery] = deliveries(runtime, number, [employer.employer_id])[employer.employer_id]
    sfn.stop_execution(executionArn=delivery)
