"""The handbook workflows' steps: who a version goes to, starting each SPOC's delivery, the delivery itself and
the chase that follows it."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.core import clock
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import InvalidRequest, NotFound
from safeplace.handbook.models import holder_key
from safeplace.onboarding.models import EmployerStatus
from safeplace.settings import HandbookTasksSettings
from safeplace.wiring import HandbookTasksDependencies
from tests.support.aws import EVIDENCE_BUCKET, sent_emails, text_of
from tests.support.builders import BASE_URL, COMPLIANCE, PROVIDER, SENDER, a_submission, an_employer
from tests.support.fakes import StartsRecorded
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.support.records import a_published_version, a_stored_submission, invite, settings_for, signed_for

handbook_tasks = load_handler("handbook_tasks")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DELIVERY_ARN = "arn:aws:states:eu-west-2:123456789012:stateMachine:safeplace-handbook-delivery"
ROLLOUT_ARN = "arn:aws:states:eu-west-2:123456789012:stateMachine:safeplace-handbook-rollout"
KIM = "b2346741aec4a26f"  # holder_key of kim@hollins.example, the SPOC a_submission names


def step(name: str, employer_id: str, **changes: Any) -> dict[str, Any]:
    return (
        json.loads(json.dumps(load_event(f"handbook_tasks_{name}.json")).replace("EMPLOYER_ID", employer_id)) | changes
    )


@pytest.fixture
def deps(store, sesv2, evidence_bucket):
    provider = PROVIDER.model_dump(exclude={"name"})
    settings = HandbookTasksSettings(
        **settings_for(store),
        evidence_bucket=EVIDENCE_BUCKET,
        compliance_team_email=COMPLIANCE,
        handbook_delivery_state_machine_arn=DELIVERY_ARN,
        handbook_rollout_state_machine_arn=ROLLOUT_ARN,
        handbook_reminder_interval_days=7,
        handbook_reminders_before_escalation=2,
        **provider,
    )
    return HandbookTasksDependencies(
        settings=settings,
        store=store,
        mailer=Mailer(SENDER),
        files=EvidenceFiles(EVIDENCE_BUCKET),
        workflows=StartsRecorded(),  # type: ignore[arg-type]
    )


def run(event: dict[str, Any], deps) -> dict[str, Any]:
    with clock.simulate(NOW):
        result: dict[str, Any] = handbook_tasks.lambda_handler(event, FakeLambdaContext(), deps=deps)
        return result


def an_employer_with(store, status: EmployerStatus, number: int) -> str:
    employer = invite(store, an_employer(NOW, id=f"emp-00000000000{number}", name=f"Employer {number}"))
    a_stored_submission(store, employer, a_submission(NOW.date(), employer.id), NOW)
    sent = store.employers.get_employer(employer.id)
    store.employers.save_employer(
        sent, sent.moved_to(status, NOW), AuditEvent(subject=sent.subject, action="x", actor="y")
    )
    return employer.id


def rollout_pages(deps, page_size: int) -> list[dict[str, Any]]:
    """The list_recipients step as the rollout runs it: each page's answer hands on the next page's input."""
    pages = [run({"step": "list_recipients", "rollout": {"version": 1, "page_size": page_size}}, deps)]
    while pages[-1]["next"] is not None:
        pages.append(run({"step": "list_recipients", "rollout": pages[-1]["next"]}, deps))
    return pages


def test_a_version_goes_to_every_active_employer_and_not_to_one_still_onboarding(deps):
    passed = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    fixing = an_employer_with(deps.store, EmployerStatus.CHANGES_REQUESTED, 2)
    an_employer_with(deps.store, EmployerStatus.SUBMITTED, 3)
    a_published_version(deps.store, NOW)
    result = run(load_event("handbook_tasks_list_recipients.json"), deps)
    # The first page of a publication holds the first status's employers, then hands on to the next status
    assert result["employer_ids"] == [passed]
    assert sorted(i for page in rollout_pages(deps, 200) for i in page["employer_ids"]) == sorted([passed, fixing])


def test_the_recipients_come_a_page_at_a_time_each_page_one_query_of_at_most_the_page_size(deps):
    # Given seven active employers in three statuses
    statuses = (
        [EmployerStatus.CHECKS_PASSED] * 4 + [EmployerStatus.CHANGES_REQUESTED] + [EmployerStatus.NEEDS_ATTENTION] * 2
    )
    made = [an_employer_with(deps.store, status, number) for number, status in enumerate(statuses)]
    queries: list[str] = []
    client = deps.store.table.client
    client.meta.events.register("before-call.dynamodb.Query", counted := lambda **kwargs: queries.append("Query"))
    try:
        # When the rollout lists them three at a time
        pages = rollout_pages(deps, page_size=3)
    finally:
        client.meta.events.unregister("before-call.dynamodb.Query", counted)
    # Then every one comes exactly once, no page holds more than three, and each page is one Query
    ids = [i for page in pages for i in page["employer_ids"]]
    assert sorted(ids) == sorted(made)
    assert [len(page["employer_ids"]) for page in pages] == [3, 1, 1, 2]
    assert len(queries) == len(pages)
    # And each page hands on its number and size, so the next execution is named by version and page
    assert [(p["next"] or {}).get("page") for p in pages] == [2, 3, 4, None]
    assert {p["next"]["page_size"] for p in pages[:-1]} == {3}


def test_a_cursor_the_rollout_did_not_hand_out_fails_the_step_not_silently(deps):
    with pytest.raises(InvalidRequest):
        run({"step": "list_recipients", "rollout": {"version": 1, "cursor": "bm90LWEtY3Vyc29y"}}, deps)


def test_a_page_hands_the_rollout_on_to_an_execution_named_by_version_and_page(deps):
    # Given the page after the first, as the list step handed it on
    event = load_event("handbook_tasks_continue_rollout.json")
    following = event["rollout"]
    # When the rollout continues with it
    result = run(event, deps)
    # Then the rollout's next execution starts with that page, named by version and page
    assert result == {"execution_name": "handbook-v3-page-2", "started": True}
    assert deps.workflows.started == [(ROLLOUT_ARN, "handbook-v3-page-2", following)]


def test_offering_a_version_starts_one_delivery_per_spoc_with_the_chase_settings(deps):
    # Given an employer whose SPOC is Kim
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    # When the rollout offers it version 1
    result = run(step("offer", employer_id), deps)
    # Then a delivery starts, named by version, employer and SPOC so that a repeat starts nothing new
    assert result == {"employer_id": employer_id, "started": True}
    [(arn, name, payload)] = deps.workflows.started
    assert (arn, name) == (DELIVERY_ARN, f"v1-{employer_id}-{KIM}")
    assert payload == {
        "employer_id": employer_id,
        "version": 1,
        "holder": KIM,
        "wait_seconds": 7 * 86_400,
        "reminders_before_escalation": 2,
    }


def test_an_employer_that_has_not_named_its_spoc_is_passed_over_not_failed(deps, store):
    employer = invite(store, an_employer(NOW, id="emp-000000000009"))
    a_published_version(deps.store, NOW)
    assert run(step("offer", employer.id), deps) == {"employer_id": employer.id, "started": False}
    assert deps.workflows.started == []


def test_a_delivery_stores_the_spocs_copy_and_emails_them_a_link_to_sign(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW, summary="New absence line")
    result = run(step("deliver", employer_id), deps)
    copy = deps.store.handbook.get_handbook_copy(employer_id, 1, KIM)
    assert result == {"delivered": True, "to_sign": True, "sha256": copy.sha256}
    [email] = sent_emails()
    assert email["To"] == "kim@hollins.example"
    assert "Please read and acknowledge" in email["Subject"] and "New absence line" in text_of(email)
    assert f"{BASE_URL}/link/" in text_of(email) and "/handbook" in text_of(email)
    # And a repeated delivery (a retried step) sends a fresh link but keeps the same copy
    assert run(step("deliver", employer_id), deps)["sha256"] == copy.sha256


def test_a_minor_version_tells_a_spoc_who_signed_without_asking_them_to_sign_again(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW)
    signed_for(deps.store, employer_id, 1, NOW)
    a_published_version(deps.store, NOW, material=False, summary="New phone number")
    result = run(step("deliver", employer_id, version=2), deps)
    assert result["delivered"] is True and result["to_sign"] is False
    [email] = sent_emails()
    assert email["Subject"].startswith("Updated: our employer handbook, version 2")
    assert "you do not need to sign again" in text_of(email)


def test_a_delivery_for_a_spoc_since_replaced_sends_nothing(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW)
    result = run(step("deliver", employer_id, holder="0" * 16), deps)
    assert result == {"delivered": False, "to_sign": False, "sha256": None}
    assert sent_emails() == []


def test_a_delivery_of_a_version_that_does_not_exist_fails_with_a_named_error(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    # Step Functions sees the error by its class name
    with pytest.raises(NotFound, match="There is no handbook version 1"):
        run(step("deliver", employer_id), deps)


def test_a_spoc_who_has_not_signed_is_reminded_with_a_fresh_link_then_staff_are_told(deps):
    # Given a SPOC delivered version 1 who has not signed it
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW)
    run(step("deliver", employer_id), deps)
    # When the delivery looks again, with reminders still to send
    assert run(step("chase", employer_id, reminders_sent=1), deps) == {"outcome": "reminded"}
    reminder = sent_emails()[-1]
    assert reminder["To"] == "kim@hollins.example"
    assert reminder["Subject"].startswith("Reminder: please read and acknowledge")
    assert "We cannot place new learners with Employer 1" in text_of(reminder)
    # And once they are used up, the compliance team is told instead
    assert run(step("chase", employer_id, reminders_sent=2), deps) == {"outcome": "escalated"}
    escalation = sent_emails()[-1]
    assert escalation["To"] == COMPLIANCE
    assert "has not acknowledged employer handbook version 1" in escalation["Subject"]
    entries, _ = deps.store.audit.audit_trail(f"employer/{employer_id}")
    assert [e.action for e in entries][-2:] == ["handbook.reminder_sent", "handbook.escalated"]


def test_the_chase_stops_once_the_spoc_signed(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW)
    signed_for(deps.store, employer_id, 1, NOW)
    assert run(step("chase", employer_id, reminders_sent=2), deps) == {"outcome": "signed"}
    assert sent_emails() == []


def test_the_chase_stops_when_a_newer_material_version_or_a_new_spoc_takes_over(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW)
    # A delivery for another SPOC (the SPOC changed since it started) is not chased
    assert run(step("chase", employer_id, holder="0" * 16), deps) == {"outcome": "no_longer_asked"}
    # Nor is version 1 once version 2 (material) is out: version 2's own delivery chases that
    a_published_version(deps.store, NOW, summary="New absence rules")
    assert run(step("chase", employer_id), deps) == {"outcome": "no_longer_asked"}
    assert sent_emails() == []
    assert holder_key(deps.store.employers.get_submission(employer_id).spoc.spoc) == KIM
