"""A stateful property: whatever order approvals, rejections, revocations, time passing and placement requests
come in, no placement becomes active unless every check its learner needs had passed and held on its start date.

The oracle below restates the policy's rules independently of the gate's code, over the employer as stored.
The use cases run on in-memory fakes of their ports, which apply the conditions the table applies.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer
from safeplace.onboarding.models import (
    CheckReview,
    CheckRevocation,
    CheckStatus,
    CheckType,
    Employer,
    EmployerStatus,
    ReviewDecision,
    new_employer_id,
)
from safeplace.onboarding.review_check import review_check
from safeplace.placements.gate import age_on
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.placements.release_placements import release_placements
from safeplace.placements.revoke_check import revoke_check
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import BASE_URL, SENDER, a_submission, an_employer
from tests.support.fakes import (
    InMemoryAuditTrail,
    InMemoryEmployers,
    InMemoryHandbookReceipts,
    InMemoryLinks,
    InMemoryPlacements,
    InMemoryWaits,
    NothingWaiting,
    RecordingMailer,
    a_held_submission,
)
from tests.support.records import an_admission

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RAE = StaffUser(username="rae", email="rae@example.org", roles=frozenset({Role.REVIEWER, Role.DSL}))
SAM = StaffUser(username="sam", email="sam@example.org", roles=frozenset({Role.STAFF}))
ALWAYS = {
    CheckType.ORGANISATION,
    CheckType.SPOC,
    CheckType.SPOC_TRAINING,
    CheckType.EMPLOYERS_LIABILITY_INSURANCE,
    CheckType.HEALTH_AND_SAFETY_POLICY,  # the employer has 12 employees
    CheckType.RISK_ASSESSMENT,
    CheckType.SAFEGUARDING_ARRANGEMENTS,
    CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS,
}
CHECKS = st.sampled_from(sorted(CheckType))


def allowed_by_the_rules(employer: Employer, placement: Placement) -> bool:
    needed = set(ALWAYS)
    if 16 <= age_on(placement.date_of_birth, placement.start_date) <= 18:
        needed.add(CheckType.YOUNG_PERSONS_RISK_ASSESSMENT)
    checks = {c.type: c for c in employer.checks}
    return all(
        t in checks
        and checks[t].status is CheckStatus.APPROVED
        and (checks[t].valid_until is None or placement.start_date <= checks[t].valid_until)
        and not checks[t].attested
        for t in needed
    )


class GateMachine(RuleBasedStateMachine):
    # Starts from the first review: everything approved, or all but one check (the gate's boundary), most
    # often one whose need depends on the learner's age or whose validity runs out.
    @initialize(
        rejected=st.sampled_from(
            [
                None,
                CheckType.YOUNG_PERSONS_RISK_ASSESSMENT,
                CheckType.EMPLOYERS_LIABILITY_INSURANCE,
                CheckType.RISK_ASSESSMENT,
                CheckType.SPOC,
            ]
        )
    )
    def an_employer_whose_answers_were_reviewed(self, rejected: CheckType | None) -> None:
        trail = InMemoryAuditTrail()
        self.employers = InMemoryEmployers(trail)
        self.handbook = InMemoryHandbookReceipts()
        self.placements = InMemoryPlacements(self.employers, trail, self.handbook)
        self.waits = InMemoryWaits()
        self.issuer = LinkIssuer(InMemoryLinks(), BASE_URL, timedelta(days=14))
        self.mailer = RecordingMailer()
        self.now = START
        employer = an_employer(START, id=new_employer_id())
        self.employers.create_employer(employer, AuditEvent(subject=employer.subject, action="invited", actor="sam"))
        self.employer_id = employer.id
        a_held_submission(self.employers, employer, a_submission(START.date(), employer.id), START)
        self.a_reviewer_decides_what_is_waiting(rejected)
        # Staff place a 17-year-old and an adult straight away, so every starting state meets the gate
        for age in (17, 30):
            self.staff_place_a_learner(age, starts_in=60)

    def employer(self) -> Employer:
        return self.employers.get_employer(self.employer_id)

    def records(self) -> dict[str, Any]:
        return {"placements": self.placements}

    def check(self, check: CheckType) -> CheckStatus | None:
        return next((c.status for c in self.employer().checks if c.type is check), None)

    @rule(rejected=st.none() | CHECKS)
    def a_reviewer_decides_what_is_waiting(self, rejected: CheckType | None) -> None:
        employer = self.employer()
        if employer.status is not EmployerStatus.SUBMITTED:
            return
        waiting = [c.type for c in employer.checks if c.status is CheckStatus.SUBMITTED]
        for check in sorted(waiting, key=lambda t: t is rejected):
            decision = ReviewDecision.REJECT if check is rejected else ReviewDecision.APPROVE
            self.decide(check, CheckReview(decision=decision, reason="Not enough"))

    def decide(self, check: CheckType, review: CheckReview) -> None:
        workflows = NothingWaiting()
        review_check(
            self.employer_id, check, review, RAE, employers=self.employers, waits=self.waits,
            workflows=workflows, mailer=self.mailer, issuer=self.issuer, now=self.now,
            admit=an_admission(self, workflows, self.mailer),
        )  # fmt: skip

    @rule()
    def the_employer_sends_again(self) -> None:
        """Through a fresh link, as the product asks: every check not approved goes back to review."""
        before = self.employer()
        if before.status is EmployerStatus.SUBMITTED or before.status is EmployerStatus.CHECKS_PASSED:
            return
        checks = [
            c if c.status is CheckStatus.APPROVED else c.model_copy(update={"status": CheckStatus.SUBMITTED})
            for c in before.checks
        ]
        after = before.moved_to(EmployerStatus.SUBMITTED, self.now, checks=checks)
        self.employers.save_employer(before, after, AuditEvent(subject=before.subject, action="x", actor="employer"))

    @rule(check=CHECKS)
    def a_check_is_revoked(self, check: CheckType) -> None:
        if self.check(check) is CheckStatus.APPROVED:
            revocation = CheckRevocation(reason="Concern raised")
            revoke_check(
                self.employer_id,
                check,
                revocation,
                RAE,
                employers=self.employers,
                placements=self.placements,
                mailer=self.mailer,
                dsl=SENDER,
                now=self.now,
            )

    @rule(days=st.integers(min_value=1, max_value=200))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    # Ages either side of the 16 to 18 band, and starts either side of when the evidence expires.
    @rule(age=st.sampled_from([15, 16, 17, 18, 19, 35]), starts_in=st.sampled_from([0, 60, 299, 301, 336, 400]))
    def staff_place_a_learner(self, age: int, starts_in: int) -> None:
        start = self.now.date() + timedelta(days=starts_in)
        request = PlacementRequest(
            learner_reference="L-0001",
            date_of_birth=date(start.year - age, 1, 1),
            employer_id=self.employer_id,
            site="Mill Lane bakery",
            start_date=start,
            assessor="Pat",
        )
        employer = self.employer()
        placement = record_placement(request, SAM, **self.records(), now=self.now)
        assert (placement.status is PlacementStatus.ACTIVE) == allowed_by_the_rules(employer, placement), (
            placement.unmet
        )

    @precondition(lambda self: hasattr(self, "employers"))
    @rule()
    def the_gate_runs_again(self) -> None:
        employer = self.employer()
        for released in release_placements(self.employer_id, **self.records(), mailer=self.mailer, now=self.now):
            assert allowed_by_the_rules(employer, released)
        # And nothing the rules allow is left blocked
        for placement in self.placements.employer_placements(self.employer_id):
            if placement.status is PlacementStatus.BLOCKED:
                assert not allowed_by_the_rules(employer, placement), placement.id


def test_no_placement_is_active_unless_every_required_check_passed_for_its_start_date():
    GateMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=12, deadline=None)
    GateMachine.TestCase().runTest()
