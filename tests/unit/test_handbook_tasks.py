"""The handbook rollout's steps: who a version goes to, and each employer's delivery."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from safeplace import clock
from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.errors import NotFound
from safeplace.models import AuditEvent, EmployerStatus
from safeplace.settings import HandbookTasksSettings
from tests.conftest import (
    BASE_URL,
    EVIDENCE_BUCKET,
    PROVIDER,
    SENDER,
    FakeLambdaContext,
    a_published_version,
    a_stored_submission,
    a_submission,
    an_employer,
    invite,
    load_event,
    load_handler,
    sent_emails,
    settings_for,
    text_of,
)

handbook_tasks = load_handler("handbook_tasks")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store, sesv2, evidence_bucket):
    provider = PROVIDER.model_dump(exclude={"name"}) | {"provider_name": PROVIDER.name}
    settings = HandbookTasksSettings(**settings_for(store), evidence_bucket=EVIDENCE_BUCKET, **provider)
    return handbook_tasks.Dependencies(
        settings=settings, store=store, mailer=Mailer(SENDER), files=EvidenceFiles(EVIDENCE_BUCKET)
    )


def run(event: dict[str, Any], deps) -> dict[str, Any]:
    with clock.simulate(NOW):
        result: dict[str, Any] = handbook_tasks.lambda_handler(event, FakeLambdaContext(), deps=deps)
        return result


def an_employer_with(store, status: EmployerStatus, number: int) -> str:
    employer = invite(store, an_employer(NOW, id=f"emp-00000000000{number}", name=f"Employer {number}"))
    a_stored_submission(store, employer, a_submission(NOW.date(), employer.id), NOW)
    sent = store.get_employer(employer.id)
    store.save_employer(sent, sent.moved_to(status, NOW), AuditEvent(subject=sent.subject, action="x", actor="y"))
    return employer.id


def test_a_version_goes_to_every_active_employer_and_not_to_one_still_onboarding(deps):
    passed = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    fixing = an_employer_with(deps.store, EmployerStatus.CHANGES_REQUESTED, 2)
    an_employer_with(deps.store, EmployerStatus.SUBMITTED, 3)
    a_published_version(deps.store, NOW)
    result = run(load_event("handbook_tasks_list_recipients.json"), deps)
    assert sorted(result["employer_ids"]) == sorted([passed, fixing])


def test_a_delivery_stores_the_copy_and_emails_the_spoc_their_link(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    a_published_version(deps.store, NOW, summary="New absence line")
    event = json.loads(json.dumps(load_event("handbook_tasks_deliver.json")).replace("EMPLOYER_ID", employer_id))
    result = run(event, deps)
    copy = deps.store.get_handbook_copy(employer_id, 1)
    assert result == {"employer_id": employer_id, "delivered": True, "sha256": copy.sha256}
    [email] = sent_emails()
    assert email["To"] == "kim@hollins.example"
    assert "Please read and acknowledge" in email["Subject"] and "New absence line" in text_of(email)
    assert f"{BASE_URL}/link/" in text_of(email) and "/handbook" in text_of(email)
    # And a repeated delivery (a retried step) sends a fresh link but keeps the same copy
    assert run(event, deps)["sha256"] == copy.sha256


def test_a_delivery_of_a_version_that_does_not_exist_fails_with_a_named_error(deps):
    employer_id = an_employer_with(deps.store, EmployerStatus.CHECKS_PASSED, 1)
    event = json.loads(json.dumps(load_event("handbook_tasks_deliver.json")).replace("EMPLOYER_ID", employer_id))
    # Step Functions sees the error by its class name, which the rollout's Catch records per employer
    with pytest.raises(NotFound, match="There is no handbook version 1"):
        run(event, deps)


def test_an_employer_that_has_not_named_its_spoc_is_passed_over_not_failed(deps, store):
    employer = invite(store, an_employer(NOW, id="emp-000000000009"))
    a_published_version(deps.store, NOW)
    event = json.loads(json.dumps(load_event("handbook_tasks_deliver.json")).replace("EMPLOYER_ID", employer.id))
    result = run(event, deps)
    assert result["delivered"] is False and "has not told us its organisation and SPOC" in result["reason"]
    assert sent_emails() == []
