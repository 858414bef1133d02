"""The daily sweep chases a check that runs out (reminders to the SPOC, then an escalation) and lapses it the
day after: each milestone on its day, once, whatever happens to the sweep."""

from datetime import UTC, date, datetime, timedelta

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core import clock
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import TemporaryFailure
from safeplace.onboarding.models import CheckReview, CheckStatus, CheckType, EmployerStatus, ReviewDecision
from safeplace.onboarding.review_check import review_check
from safeplace.oversight.show_work_to_do import show_work_to_do
from safeplace.placements.models import PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.staff.models import Role, StaffUser
from tests.support.aws import sent_emails, text_of
from tests.support.builders import ADA, COMPLIANCE, DSL, SENDER, a_placement_request, a_submission, an_employer
from tests.support.fakes import NothingWaiting
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.support.records import a_stored_submission, an_admission, an_issuer, gate_records, invite

sweep = load_handler("daily_sweep")
APPROVED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
INSURED_UNTIL = date(2026, 6, 30)
RAE = StaffUser(username="rae", email="rae@example.org", roles=frozenset({Role.REVIEWER}))
SAM = StaffUser(username="sam", email="sam@example.org", roles=frozenset({Role.STAFF}))
SPOC = "jo.spoc@hollins.example"
MAIN_CONTACT = "kim@hollins.example"
# The insurance's milestones under the default schedule (60, 30 and 7 days ahead, escalation 3 days ahead).
REMINDER_DAYS = {date(2026, 5, 1): 60, date(2026, 5, 31): 30, date(2026, 6, 23): 7}
ESCALATION_DAY = date(2026, 6, 27)


@pytest.fixture
def deps(sweep_deps):
    return sweep_deps


@pytest.fixture
def employer_id(store: Store) -> str:
    """An employer whose checks all passed, insured until 30 June, with a learner on an active placement."""
    employer = invite(store, an_employer(APPROVED_AT))
    answers = a_submission(APPROVED_AT.date())
    insurance = answers.employers_liability_insurance.model_copy(update={"expires_on": INSURED_UNTIL})
    spoc = answers.spoc.model_copy(update={"spoc": answers.spoc.spoc.model_copy(update={"email": SPOC})})
    a_stored_submission(
        store,
        employer,
        answers.model_copy(update={"employers_liability_insurance": insurance, "spoc": spoc}),
        APPROVED_AT,
    )
    for check in CheckType:
        review_check(
            employer.id, check, CheckReview(decision=ReviewDecision.APPROVE), RAE,
            employers=store.employers, waits=store.waits, workflows=NothingWaiting(), now=APPROVED_AT,  # type: ignore[arg-type]
            mailer=Mailer(SENDER), issuer=an_issuer(store), admit=an_admission(store, NothingWaiting()),
        )  # fmt: skip
    placement = record_placement(
        a_placement_request(employer.id, date(2026, 4, 1)), SAM, **gate_records(store), now=APPROVED_AT
    )
    assert placement.status is PlacementStatus.ACTIVE
    return employer.id


def work_records(store: Store) -> dict:
    return {
        "user": ADA,
        "employers": store.employers,
        "placements": store.placements,
        "bookings": store.bookings,
        "handbook": store.handbook,
    }


def run(deps, day: date) -> dict:
    with clock.simulate(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=6, minutes=15)):
        return sweep.lambda_handler(load_event("daily_sweep_schedule.json"), FakeLambdaContext(), deps=deps)


def emails_to(address: str) -> list:
    return [m for m in sent_emails() if m["To"] == address]


def dsl_emails() -> list:
    return emails_to(DSL)


def renewal_emails() -> list[tuple[str, str]]:
    return [(m["To"], m["Subject"].strip()) for m in sent_emails() if "insurance" in m["Subject"]]


def insurance(deps, employer_id: str):
    return next(
        c
        for c in deps.store.employers.get_employer(employer_id).checks
        if c.type is CheckType.EMPLOYERS_LIABILITY_INSURANCE
    )


def test_approving_insurance_schedules_its_lapse_for_the_day_after_it_ends(deps, employer_id):
    assert insurance(deps, employer_id).valid_until == INSURED_UNTIL
    [due] = deps.store.employers.due_on(INSURED_UNTIL + timedelta(days=1))
    assert (due.employer_id, due.check) == (employer_id, CheckType.EMPLOYERS_LIABILITY_INSURANCE)


def test_the_console_home_lists_checks_running_out_within_30_days(deps, employer_id):
    soon = show_work_to_do(**work_records(deps.store), today=INSURED_UNTIL - timedelta(days=10))
    assert [(d.employer_name, d.check, d.valid_until) for d in soon.expiring_within_30_days] == [
        ("Hollins Bakery", CheckType.EMPLOYERS_LIABILITY_INSURANCE, INSURED_UNTIL)
    ]
    assert (
        show_work_to_do(**work_records(deps.store), today=INSURED_UNTIL - timedelta(days=40)).expiring_within_30_days
        == []
    )
    assert (
        show_work_to_do(**work_records(deps.store), today=INSURED_UNTIL + timedelta(days=1)).expiring_within_30_days
        == []
    )


def test_on_its_last_valid_day_nothing_happens(deps, employer_id):
    run(deps, INSURED_UNTIL - timedelta(days=1))
    result = run(deps, INSURED_UNTIL)
    assert result["lapsed"] == []
    assert insurance(deps, employer_id).status is CheckStatus.APPROVED
    assert dsl_emails() == []


def test_the_day_after_the_check_lapses_placements_are_flagged_and_the_dsl_told_once(deps, employer_id):
    run(deps, INSURED_UNTIL)
    # When the sweep runs the day after the insurance ended, and then again the same day
    first = run(deps, INSURED_UNTIL + timedelta(days=1))
    second = run(deps, INSURED_UNTIL + timedelta(days=1))
    # Then the check expired once, the employer needs attention, and the placement is flagged
    assert first["lapsed"] == [f"{employer_id}/employers_liability_insurance"] and second["lapsed"] == []
    assert insurance(deps, employer_id).status is CheckStatus.EXPIRED
    assert deps.store.employers.get_employer(employer_id).status is EmployerStatus.NEEDS_ATTENTION
    [placement] = deps.store.placements.employer_placements(employer_id)
    assert placement.flags == ["Employer's liability insurance expired on 1 July 2026"]
    # And the DSL got exactly one email about it
    [email] = dsl_emails()
    assert "check has expired" in email["Subject"] and "L-2026-0042" in email.get_body(("plain",)).get_content()
    entries, _ = deps.store.audit.audit_trail(f"employer/{employer_id}")
    assert [e.action for e in entries].count("check.expired") == 1
    # And a new placement is blocked
    blocked = record_placement(
        a_placement_request(employer_id, date(2026, 9, 1)), SAM, **gate_records(deps.store), now=datetime.now(UTC)
    )
    assert blocked.status is PlacementStatus.BLOCKED
    assert "Not yet approved: employer's liability insurance" in blocked.unmet


def test_a_sweep_that_fails_part_way_sends_nothing_twice_when_retried(deps, employer_id, monkeypatch):
    run(deps, INSURED_UNTIL)
    # Given SES fails the first time the sweep tries to email the DSL (after the check has expired)
    real_send = deps.mailer.send
    attempts = []

    def failing_once(email):
        attempts.append(email)
        if len(attempts) == 1:
            raise TemporaryFailure("SES is busy")
        return real_send(email)

    monkeypatch.setattr(deps.mailer, "send", failing_once)
    with pytest.raises(TemporaryFailure):
        run(deps, INSURED_UNTIL + timedelta(days=1))
    assert insurance(deps, employer_id).status is CheckStatus.EXPIRED
    # When EventBridge Scheduler retries it, and the sweep then runs again the next day
    run(deps, INSURED_UNTIL + timedelta(days=1))
    run(deps, INSURED_UNTIL + timedelta(days=2))
    # Then the DSL has one email, the placement one flag, the audit trail one expiry
    assert len(dsl_emails()) == 1
    [placement] = deps.store.placements.employer_placements(employer_id)
    assert len(placement.flags) == 1
    entries, _ = deps.store.audit.audit_trail(f"employer/{employer_id}")
    assert [e.action for e in entries].count("check.expired") == 1


def test_a_sweep_that_missed_days_catches_up(deps, employer_id):
    run(deps, INSURED_UNTIL - timedelta(days=3))
    result = run(deps, INSURED_UNTIL + timedelta(days=4))
    assert len(result["days_swept"]) == 7
    assert result["lapsed"] == [f"{employer_id}/employers_liability_insurance"]


def renew_insurance(deps, employer_id: str, until: date) -> None:
    """The check went back to review and was approved again with a later end date."""
    employer = deps.store.employers.get_employer(employer_id)
    renewed = employer.moved_to(
        employer.status,
        APPROVED_AT,
        checks=[
            c.model_copy(update={"valid_until": until}) if c.type is CheckType.EMPLOYERS_LIABILITY_INSURANCE else c
            for c in employer.checks
        ],
    )
    deps.store.employers.save_employer(
        employer, renewed, AuditEvent(subject=employer.subject, action="check.reviewed", actor="rae")
    )


def test_a_check_renewed_before_its_lapse_day_does_not_lapse(deps, employer_id):
    renew_insurance(deps, employer_id, date(2027, 6, 30))
    run(deps, INSURED_UNTIL)
    result = run(deps, INSURED_UNTIL + timedelta(days=1))
    assert result["lapsed"] == []
    assert insurance(deps, employer_id).status is CheckStatus.APPROVED
    assert dsl_emails() == []


@pytest.mark.parametrize(("day", "days_left"), REMINDER_DAYS.items())
def test_each_reminder_goes_to_the_spoc_on_its_day_and_not_the_day_before(deps, employer_id, day, days_left):
    assert run(deps, day - timedelta(days=1))["reminded"] == []
    result = run(deps, day)
    assert result["reminded"] == [f"{employer_id}/employers_liability_insurance/{days_left}"]
    [email] = emails_to(SPOC)
    # Each milestone's subject says how long is left, so the 60, 30 and 7-day reminders read apart
    last = "Last reminder: " if days_left <= 7 else ""
    assert email["Subject"].strip() == (
        f"{last}Employer's liability insurance for Hollins Bakery runs out in {days_left} days, on 30 June 2026"
    )
    body = text_of(email)
    assert f"valid until 30 June 2026: {days_left} days from today" in body and "Renew the policy" in body


def test_the_escalation_goes_to_the_main_contact_and_the_team_on_its_day(deps, employer_id):
    assert run(deps, ESCALATION_DAY - timedelta(days=1))["escalated"] == []
    result = run(deps, ESCALATION_DAY)
    assert result["escalated"] == [f"{employer_id}/employers_liability_insurance"]
    [employer_email] = emails_to(MAIN_CONTACT)
    assert employer_email["Subject"].startswith("Not yet renewed: the employer's liability insurance for Hollins")
    [team_email] = emails_to(COMPLIANCE)
    assert "has not renewed its employer's liability insurance" in team_email["Subject"]
    assert emails_to(SPOC) == []


def test_from_first_reminder_to_lapse_each_milestone_sends_once_under_repeated_and_interrupted_sweeps(
    deps, employer_id, monkeypatch
):
    # Given SES refuses the first email to the compliance team (after the main contact was told)
    real_send = deps.mailer.send
    refused: list[str] = []

    def refusing_the_team_once(email):
        if email.to == COMPLIANCE and not refused:
            refused.append(email.subject)
            raise TemporaryFailure("SES is busy")
        return real_send(email)

    monkeypatch.setattr(deps.mailer, "send", refusing_the_team_once)
    # When the sweep runs twice every day from the day before the first reminder to after the lapse,
    # and is retried by the scheduler when it fails
    day = date(2026, 4, 30)
    while day <= INSURED_UNTIL + timedelta(days=2):
        for _ in range(2):
            try:
                run(deps, day)
            except TemporaryFailure:
                run(deps, day)
        day += timedelta(days=1)
    # Then the SPOC had three reminders, the main contact and the team one escalation each, the DSL one lapse
    assert refused, "the interruption happened"
    assert [
        (to, subject.split(" runs out")[0].removeprefix("Last reminder: "))
        for to, subject in renewal_emails()
        if to == SPOC
    ] == [(SPOC, "Employer's liability insurance for Hollins Bakery")] * 3
    assert len(emails_to(MAIN_CONTACT)) == 1 and len(emails_to(COMPLIANCE)) == 1 and len(dsl_emails()) == 1
    entries, _ = deps.store.audit.audit_trail(f"employer/{employer_id}")
    actions = [e.action for e in entries]
    assert (actions.count("check.renewal_reminder_sent"), actions.count("check.renewal_escalated")) == (3, 1)
    assert actions.count("check.expired") == 1


def test_a_check_renewed_before_its_reminders_is_not_chased(deps, employer_id):
    renew_insurance(deps, employer_id, date(2027, 6, 30))
    for day in [*REMINDER_DAYS, ESCALATION_DAY]:
        run(deps, day)
    assert renewal_emails() == []
