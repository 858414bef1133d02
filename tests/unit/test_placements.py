from datetime import UTC, date, datetime, timedelta

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.onboarding.check_policy import CheckPolicy, Requirement, RequirementRule
from safeplace.onboarding.models import Check, CheckStatus, CheckType, Employer, EmployerStatus
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.placements.release_placements import release_placements
from safeplace.placements.sites import UnknownSite
from safeplace.staff.models import Role, StaffUser
from tests.support.aws import sent_emails
from tests.support.builders import SENDER, a_submission, an_employer
from tests.support.fakes import (
    InMemoryAuditTrail,
    InMemoryEmployers,
    InMemoryHandbookReceipts,
    InMemoryPlacements,
    RecordingMailer,
    a_held_submission,
)
from tests.support.records import a_published_version, a_stored_submission, gate_records, invite, signed_for

NOW = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
SAM = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
ONLY_ONBOARDING = CheckPolicy(
    version="test",
    rules=(RequirementRule(requirement=Requirement.ORGANISATION), RequirementRule(requirement=Requirement.SPOC)),
    minimum_insurance_cover_gbp=5_000_000,
    handbook_grace_days=30,
)


class Records:
    """The records the placement use cases work with, in memory: no handbook is published."""

    def __init__(self) -> None:
        self.audit = InMemoryAuditTrail()
        self.employers = InMemoryEmployers(self.audit)
        self.handbook = InMemoryHandbookReceipts()
        self.placements = InMemoryPlacements(self.employers, self.audit, self.handbook)

    @property
    def gate(self) -> dict:
        return {"placements": self.placements}

    def invite(self, employer: Employer) -> Employer:
        self.employers.create_employer(
            employer, AuditEvent(subject=employer.subject, action="employer.invited", actor="sam")
        )
        return employer


@pytest.fixture
def records() -> Records:
    return Records()


def _checks_passed(employers, employer: Employer, approved, valid_until: dict[str, date]) -> Employer:
    passed = employer.moved_to(
        EmployerStatus.CHECKS_PASSED,
        NOW,
        checks=[
            Check(type=t, status=CheckStatus.APPROVED, updated_at=NOW, valid_until=valid_until.get(t.value))
            for t in approved
        ],
    )
    employers.save_employer(employer, passed, AuditEvent(subject=employer.subject, action="x", actor="y"))
    return passed


def an_employer_whose_checks_passed(store: Store, approved=tuple(CheckType), **valid_until: date) -> Employer:
    employer = a_stored_submission(store, invite(store, an_employer(NOW)), a_submission(NOW.date()), NOW)
    return _checks_passed(store.employers, employer, approved, valid_until)


def a_held_employer_whose_checks_passed(records: Records, approved=tuple(CheckType), **valid_until: date) -> Employer:
    employer = a_held_submission(records.employers, records.invite(an_employer(NOW)), a_submission(NOW.date()), NOW)
    return _checks_passed(records.employers, employer, approved, valid_until)


def a_request(employer_id: str, born: date = date(2010, 3, 4)) -> PlacementRequest:
    return PlacementRequest(
        learner_reference="L-2027-0042",
        date_of_birth=born,
        employer_id=employer_id,
        site="Mill Lane bakery",
        start_date=date(2027, 9, 6),
        assessor="Pat Assessor",
    )


def in_status(placements, status: PlacementStatus) -> list:
    return placements.placement_page(status, cursor=None, limit=50).items


def test_a_placement_is_blocked_with_every_unmet_requirement_in_plain_words(records: Records):
    employer = a_held_employer_whose_checks_passed(records, approved=(CheckType.ORGANISATION, CheckType.SPOC))
    placement = record_placement(a_request(employer.id), SAM, **records.gate, now=NOW)
    assert placement.status is PlacementStatus.BLOCKED
    assert placement.learner_16_to_18
    assert "Not yet approved: employer's liability insurance" in placement.unmet
    assert "Not yet approved: a risk assessment for young persons (the learner is 16 to 18)" in placement.unmet
    assert not any("organisation details" in reason for reason in placement.unmet)
    assert in_status(records.placements, PlacementStatus.BLOCKED) == [placement.summary()]
    entries, _ = records.audit.audit_trail(placement.subject)
    assert [(e.action, e.details["gate"]) for e in entries] == [("placement.recorded", "blocked")]


def test_an_employer_with_every_check_of_the_current_policy_takes_a_16_year_old(records: Records):
    employer = a_held_employer_whose_checks_passed(records, employers_liability_insurance=date(2028, 1, 31))
    placement = record_placement(a_request(employer.id), SAM, **records.gate, now=NOW)
    assert placement.status is PlacementStatus.ACTIVE, placement.unmet
    assert placement.policy_version == "2027-01"


def test_insurance_that_ends_before_the_start_date_blocks(records: Records):
    employer = a_held_employer_whose_checks_passed(records, employers_liability_insurance=date(2027, 9, 5))
    placement = record_placement(a_request(employer.id), SAM, **records.gate, now=NOW)
    assert placement.status is PlacementStatus.BLOCKED
    assert placement.unmet == ["Expires before the start date: employer's liability insurance"]


def test_a_placement_whose_requirements_all_pass_is_active(records: Records):
    employer = a_held_employer_whose_checks_passed(records)
    placement = record_placement(a_request(employer.id), SAM, **records.gate, now=NOW, policy=ONLY_ONBOARDING)
    assert placement.status is PlacementStatus.ACTIVE
    assert placement.unmet == []
    assert placement.policy_version == "test"


def test_an_employer_still_in_onboarding_blocks_the_placement(records: Records):
    employer = a_held_submission(records.employers, records.invite(an_employer(NOW)), a_submission(), NOW)
    placement = record_placement(a_request(employer.id), SAM, **records.gate, now=NOW, policy=ONLY_ONBOARDING)
    assert placement.status is PlacementStatus.BLOCKED
    assert placement.unmet == [
        "Not yet approved: the employer's organisation details",
        "Not yet approved: a named single point of contact (SPOC)",
    ]


def test_a_check_changed_at_the_same_moment_cannot_slip_through(store: Store):
    # Given the gate read the employer with its checks approved...
    employer = an_employer_whose_checks_passed(store)
    # ...and a check is revoked before the placement is written (the employer moves on a version)
    revoked = employer.moved_to(
        EmployerStatus.NEEDS_ATTENTION,
        NOW,
        checks=[c.model_copy(update={"status": CheckStatus.REVOKED}) for c in employer.checks],
    )
    store.employers.save_employer(
        employer, revoked, AuditEvent(subject=employer.subject, action="check.revoked", actor="dee")
    )
    stale = Placement(
        **a_request(employer.id).model_dump(),
        id="plc-000000000001",
        employer_name=employer.name,
        status=PlacementStatus.ACTIVE,
        unmet=[],
        policy_version="test",
        learner_16_to_18=True,
        recorded_by="sam.staff@example.org",
        recorded_at=NOW,
        updated_at=NOW,
    )
    # Then writing the placement with the decision made on the old state fails, and nothing is stored
    with pytest.raises(Conflict):
        store.placements.record_placement(
            stale, employer, AuditEvent(subject=stale.subject, action="placement.recorded", actor="sam")
        )
    assert store.placements.placement_page(None, cursor=None, limit=50).items == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("learner_reference", "a b"), ("date_of_birth", "2030-01-01"), ("employer_id", "someone")],
)
def test_a_placement_request_with_bad_input_is_refused(field, value):
    fields = a_request("emp-0123456789ab").model_dump(mode="json")
    fields[field] = value
    with pytest.raises(ValueError):
        PlacementRequest.model_validate(fields)


def test_the_employer_size_for_the_health_and_safety_rule_comes_from_its_submission(records: Records):
    # Given an employer of 3 and one of 12, by what each sent
    three = a_submission().organisation.model_copy(update={"employees": 3})
    invited = records.invite(an_employer(NOW))
    employer = a_held_submission(records.employers, invited, a_submission(organisation=three), NOW)
    small = record_placement(a_request(employer.id, born=date(1990, 1, 1)), SAM, **records.gate, now=NOW)
    # Then no written H&S policy is asked of the smaller one
    assert "Not yet approved: a written health and safety policy" not in small.unmet
    other = records.invite(an_employer(NOW, id="emp-00000000000b"))
    a_held_submission(records.employers, other, a_submission(), NOW)  # 12 employees
    larger = record_placement(a_request(other.id, born=date(1990, 1, 1)), SAM, **records.gate, now=NOW)
    assert "Not yet approved: a written health and safety policy" in larger.unmet


def test_blocked_placements_are_released_when_the_employers_checks_pass(records: Records):
    # Given a placement blocked while the employer's checks were still being reviewed
    employer = a_held_submission(records.employers, records.invite(an_employer(NOW)), a_submission(), NOW)
    blocked = record_placement(a_request(employer.id), SAM, **records.gate, now=NOW, policy=ONLY_ONBOARDING)
    assert blocked.status is PlacementStatus.BLOCKED
    mailer = RecordingMailer()
    assert release_placements(employer.id, **records.gate, mailer=mailer, now=NOW, policy=ONLY_ONBOARDING) == []
    # When every check is approved and the gate runs again
    passed = employer.moved_to(
        EmployerStatus.CHECKS_PASSED,
        NOW,
        checks=[c.model_copy(update={"status": CheckStatus.APPROVED}) for c in employer.checks],
    )
    records.employers.save_employer(employer, passed, AuditEvent(subject=employer.subject, action="x", actor="y"))
    [released] = release_placements(employer.id, **records.gate, mailer=mailer, now=NOW, policy=ONLY_ONBOARDING)
    # Then the placement is active, audited, and the person who recorded it is told
    assert released.status is PlacementStatus.ACTIVE and released.unmet == []
    assert in_status(records.placements, PlacementStatus.ACTIVE) == [released.summary()]
    assert in_status(records.placements, PlacementStatus.BLOCKED) == []
    entries, _ = records.audit.audit_trail(released.subject)
    assert [e.action for e in entries] == ["placement.recorded", "placement.released"]
    [message] = mailer.sent
    assert message.to == "sam.staff@example.org"
    assert "L-2027-0042 can start with Hollins Bakery" in message.subject
    # And running it again changes nothing
    assert release_placements(employer.id, **records.gate, mailer=mailer, now=NOW, policy=ONLY_ONBOARDING) == []


HANDBOOK_UNMET = "the SPOC's receipt of the current employer handbook"
# Signed, not approved: the receipt is the SPOC's act, which no reviewer approves.
HANDBOOK_UNSIGNED = "Not yet signed by the SPOC: the current employer handbook"


def starting(employer_id: str, start: date) -> PlacementRequest:
    return a_request(employer_id).model_copy(update={"start_date": start})


def test_an_employer_without_its_spocs_receipt_of_the_material_version_is_blocked_once_one_is_published(store: Store):
    at_now = {**gate_records(store), "now": NOW}
    employer = an_employer_whose_checks_passed(store, employers_liability_insurance=date(2028, 1, 31))
    assert record_placement(a_request(employer.id), SAM, **at_now).status is PlacementStatus.ACTIVE
    a_published_version(store, NOW)
    blocked = record_placement(a_request(employer.id), SAM, **at_now)
    assert blocked.unmet == [HANDBOOK_UNSIGNED]
    signed_for(store, employer.id, 1, NOW)
    assert record_placement(a_request(employer.id), SAM, **at_now).status is PlacementStatus.ACTIVE


def test_an_employer_that_signed_the_last_version_has_the_grace_period_to_sign_a_new_material_one(store: Store):
    # Given an employer that signed version 1, and a material version 2 published on 1 August 2027
    employer = an_employer_whose_checks_passed(store, employers_liability_insurance=date(2028, 1, 31))
    a_published_version(store, NOW - timedelta(days=90))
    signed_for(store, employer.id, 1, NOW - timedelta(days=80))
    a_published_version(store, NOW, summary="New absence rules")
    # Then learners starting within the 30 days' grace may be placed, and later ones wait for the new receipt
    at_now = {**gate_records(store), "now": NOW}
    within = record_placement(starting(employer.id, date(2027, 8, 31)), SAM, **at_now)
    after = record_placement(starting(employer.id, date(2027, 9, 1)), SAM, **at_now)
    assert within.status is PlacementStatus.ACTIVE
    assert after.unmet == [f"Expires before the start date: {HANDBOOK_UNMET}"]
    # And a minor version published since does not ask again; signing it covers the material one before it
    a_published_version(store, NOW, material=False, summary="New phone number")
    assert record_placement(starting(employer.id, date(2027, 9, 1)), SAM, **at_now).unmet == after.unmet
    signed_for(store, employer.id, 3, NOW)
    assert record_placement(starting(employer.id, date(2027, 9, 1)), SAM, **at_now).unmet == []


def test_a_learner_still_waiting_after_approval_shows_only_what_is_still_missing(store: Store, sesv2):
    # Given a learner blocked while the employer was onboarding, and a handbook published
    employer = an_employer_whose_checks_passed(store, approved=(CheckType.ORGANISATION, CheckType.SPOC))
    a_published_version(store, NOW)
    blocked = record_placement(a_request(employer.id), SAM, **gate_records(store), now=NOW)
    assert len(blocked.unmet) > 1
    # When every check is approved but the SPOC has not yet signed for the handbook
    now_passed = store.employers.get_employer(employer.id)
    approved = [c.model_copy(update={"status": CheckStatus.APPROVED}) for c in now_passed.checks] + [
        Check(type=t, status=CheckStatus.APPROVED, updated_at=NOW, valid_until=date(2028, 1, 31))
        for t in CheckType
        if t not in (CheckType.ORGANISATION, CheckType.SPOC)
    ]
    store.employers.save_employer(
        now_passed,
        now_passed.moved_to(EmployerStatus.CHECKS_PASSED, NOW, checks=approved),
        AuditEvent(subject=employer.subject, action="x", actor="y"),
    )
    assert release_placements(employer.id, **gate_records(store), mailer=Mailer(SENDER), now=NOW) == []
    # Then the learner still waits, and the reasons say only what is still missing
    [waiting] = store.placements.employer_placements(employer.id)
    assert waiting.status is PlacementStatus.BLOCKED
    assert waiting.unmet == [HANDBOOK_UNSIGNED]
    entries, _ = store.audit.audit_trail(waiting.subject)
    assert [e.action for e in entries] == ["placement.recorded", "placement.rechecked"]
    assert sent_emails() == []


def test_a_learner_is_placed_only_at_one_of_the_employers_own_sites(records: Records):
    # Given an employer that named one site, Mill Lane bakery, in its answers
    employer = a_held_employer_whose_checks_passed(records)
    # When staff place a learner at a site it never named
    elsewhere = a_request(employer.id).model_copy(update={"site": "Riverside kitchen"})
    with pytest.raises(UnknownSite) as refused:
        record_placement(elsewhere, SAM, **records.gate, now=NOW)
    # Then it is refused, saying which sites there are, and nothing is recorded
    assert refused.value.message == "Choose one of the employer's own sites: Mill Lane bakery"
    assert records.placements.employer_placements(employer.id) == []
    # And one of its sites, typed with other case and spacing, is recorded as the employer spelt it
    typed = a_request(employer.id).model_copy(update={"site": "  mill   LANE bakery"})
    assert record_placement(typed, SAM, **records.gate, now=NOW).site == "Mill Lane bakery"


def test_an_employer_that_has_not_named_its_sites_takes_no_learner_yet(records: Records):
    employer = records.invite(an_employer(NOW))
    with pytest.raises(UnknownSite, match="has not told us its sites yet"):
        record_placement(a_request(employer.id), SAM, **records.gate, now=NOW)
