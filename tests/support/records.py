"""Records written through the repositories, as the product would have left them, and the use cases wired to them."""

import contextlib
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core import links
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.handbook.models import STATEMENTS, HandbookReceipt
from safeplace.handbook.offer_handbook import offer_current_handbook
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Check, CheckStatus, Employer, EmployerStatus, Spoc
from safeplace.onboarding.rules import checks_needed
from safeplace.placements.admit_employer import admit_employer
from safeplace.placements.release_placements import release_placements
from tests.support.builders import ADA, BASE_URL, PROVIDER_SETTINGS, SENDER
from tests.support.fakes import StartsRecorded

ROLLOUT_ARN = "arn:aws:states:eu-west-2:123456789012:stateMachine:handbook-rollout"


def settings_for(store: Store) -> dict[str, Any]:
    """What every function's settings share in the tests (as the template's Globals do on AWS)."""
    return {
        "table_name": store.table.name,
        "link_retention_days": 90,
        "audit_retention_years": 7,
        "sender_email": SENDER,
        "public_base_url": BASE_URL,
        "invitation_valid_days": 14,
        **PROVIDER_SETTINGS,
    }


def a_published_version(store: Store, now: datetime, *, material: bool = True, summary: str = "First version") -> Any:
    from safeplace.handbook.publish_handbook import Publication, publish_handbook

    publication = Publication(summary=summary, material=material)
    return publish_handbook(  # type: ignore[arg-type]
        publication, ADA, handbook=store.handbook, workflows=StartsRecorded(), rollout_arn=ROLLOUT_ARN, now=now
    )


def signed_for(store: Store, employer_id: str, version: int, at: datetime, spoc: Spoc | None = None) -> None:
    """The SPOC's receipt of `version` (Kim Hollins, as a_submission names them), as the link page records it."""
    issued = links.issue(store.links, employer_id, LinkPurpose.HANDBOOK, now=at, valid_for=timedelta(days=14))
    spoc = spoc or Spoc(name="Kim Hollins", role="Owner", email="kim@hollins.example", phone="0113 496 0000")
    receipt = HandbookReceipt(
        employer_id=employer_id, version=version, sha256="0" * 64, document_key=f"handbooks/{version}",
        spoc=spoc, typed_name=spoc.name, statements=STATEMENTS, acknowledged_at=at,
    )  # fmt: skip
    store.handbook.record_receipt(
        receipt, issued.link, AuditEvent(subject=f"employer/{employer_id}", action="x", actor="y")
    )


def a_stored_submission(store: Store, employer: Employer, answers: Answers, at: datetime) -> Employer:
    """An employer whose answers were sent through its link and now wait for review."""
    link = links.issue(store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=at, valid_for=timedelta(days=1))
    checks = [Check(type=t, status=CheckStatus.SUBMITTED, updated_at=at) for t in checks_needed(answers)]
    after = employer.moved_to(EmployerStatus.SUBMITTED, at, checks=checks)
    event = AuditEvent(subject=employer.subject, action="organisation.submitted", actor="employer")
    store.employers.record_submission(employer, after, answers, link.link, event, at)
    return after


def an_issuer(store: Store) -> LinkIssuer:
    return LinkIssuer(store.links, BASE_URL, timedelta(days=14))


def an_admission(store: Any, workflows: Any, mailer: Any = None, rollout_arn: str = ROLLOUT_ARN) -> Any:
    """What the wiring does once an employer's checks all pass (release its learners, send the handbook).

    `store` is anything holding the employers, placements and handbook records: the Store, or in-memory fakes."""
    return partial(
        admit_employer,
        placements=store.placements,
        mailer=mailer or Mailer(SENDER),
        offer_handbook=partial(
            offer_current_handbook,
            employers=store.employers,
            handbook=store.handbook,
            workflows=workflows,
            rollout_arn=rollout_arn,
        ),
    )


def a_release(store: Store, mailer: Mailer | None = None) -> Any:
    """What the wiring does once a SPOC signs the handbook: the learners waiting only for that start."""
    return partial(release_placements, placements=store.placements, mailer=mailer or Mailer(SENDER))


def gate_records(store: Store) -> dict[str, Any]:
    """The records the placement use cases read and write, as keyword arguments."""
    return {"placements": store.placements}


def invite(store: Store, employer: Employer) -> Employer:
    store.employers.create_employer(
        employer, AuditEvent(subject=employer.subject, action="employer.invited", actor="sam")
    )
    return employer


def withdraw(store: Store, employer_id: str) -> None:
    """Take an employer a test made out of the shared runtime's active ones: a later rollout does not reach it.

    Its workflows may still be saving it, so a save that lost to one of theirs is tried again on what they saved.
    """
    for _ in range(5):
        employer = store.employers.get_employer(employer_id)
        if employer.status is EmployerStatus.WITHDRAWN:
            return
        later = max(datetime.now(employer.updated_at.tzinfo), employer.updated_at + timedelta(seconds=1))
        with contextlib.suppress(Conflict):
            store.employers.save_employer(
                employer,
                employer.moved_to(EmployerStatus.WITHDRAWN, later),
                AuditEvent(subject=employer.subject, action="employer.withdrawn", actor="the test that made it"),
            )
            return
    raise AssertionError(f"{employer_id} could not be withdrawn")
