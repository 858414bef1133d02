"""When a check is chased: the schedule an approval writes, and where its lead times come from."""

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from safeplace.onboarding.check_policy import Requirement
from safeplace.onboarding.models import CheckType, Milestone
from safeplace.onboarding.renewals import RENEWALS, RenewalSchedule
from safeplace.onboarding.spoc_training import TRAINING, TrainingLevel
from safeplace.settings import StaffApiSettings
from tests.support.builders import PROVIDER_SETTINGS, a_submission

UNTIL = date(2026, 6, 30)


def schedule(today: date, renewals: RenewalSchedule = RENEWALS) -> list[tuple[Milestone, date]]:
    return [
        (d.milestone, d.due_on) for d in renewals.milestones("emp-1", "Hollins", CheckType.SPOC_TRAINING, UNTIL, today)
    ]


def test_an_approval_months_ahead_schedules_three_reminders_an_escalation_and_the_lapse():
    assert schedule(date(2026, 3, 2)) == [
        (Milestone.REMINDER, date(2026, 5, 1)),
        (Milestone.REMINDER, date(2026, 5, 31)),
        (Milestone.REMINDER, date(2026, 6, 23)),
        (Milestone.ESCALATION, date(2026, 6, 27)),
        (Milestone.LAPSE, date(2026, 7, 1)),
    ]


def test_reminders_already_past_at_approval_are_left_out():
    assert schedule(date(2026, 6, 1)) == [
        (Milestone.REMINDER, date(2026, 6, 23)),
        (Milestone.ESCALATION, date(2026, 6, 27)),
        (Milestone.LAPSE, date(2026, 7, 1)),
    ]


def test_an_approval_too_close_to_its_end_for_any_reminder_reminds_once_at_once():
    assert schedule(date(2026, 6, 25)) == [
        (Milestone.REMINDER, date(2026, 6, 25)),
        (Milestone.ESCALATION, date(2026, 6, 27)),
        (Milestone.LAPSE, date(2026, 7, 1)),
    ]
    assert schedule(date(2026, 6, 29)) == [(Milestone.REMINDER, date(2026, 6, 29)), (Milestone.LAPSE, date(2026, 7, 1))]


def test_the_providers_lead_times_come_from_the_template_as_a_comma_separated_list():
    environment = {
        "table_name": "safeplace",
        "link_retention_days": 90,
        "audit_retention_years": 7,
        "public_base_url": "https://safeplace.example.org/v1",
        "cognito_domain_url": "https://auth.example.org",
        "cognito_issuer": "https://cognito-idp.eu-west-2.amazonaws.com/pool",
        "cognito_client_id": "client",
        "staff_session_hours": 8,
        "onboarding_state_machine_arn": "arn:aws:states:eu-west-2:123456789012:stateMachine:onboarding",
        "handbook_rollout_state_machine_arn": "arn:aws:states:eu-west-2:123456789012:stateMachine:rollout",
        "speaker_booking_state_machine_arn": "arn:aws:states:eu-west-2:123456789012:stateMachine:speakers",
        "speaker_decision_wait_hours": 24,
        "speaker_information_wait_days": 14,
        "invitation_valid_days": 14,
        "submission_wait_hours": 24,
        "reminders_before_escalation": 2,
        "review_wait_hours": 48,
        "sender_email": "safeguarding@example.org",
        "dsl_email": "dsl@example.org",
        "evidence_bucket": "evidence",
        **PROVIDER_SETTINGS,
    }
    environment = {name.upper(): str(value) for name, value in environment.items()}
    environment |= {"RENEWAL_REMINDER_DAYS": "90, 14", "RENEWAL_ESCALATION_DAYS": "2", "UNRELATED": "ignored"}
    renewals = StaffApiSettings.from_environment(environment).renewals
    assert renewals == RenewalSchedule(reminder_days=(90, 14), escalation_days=2)
    assert schedule(date(2026, 3, 2), renewals)[:3] == [
        (Milestone.REMINDER, date(2026, 4, 1)),
        (Milestone.REMINDER, date(2026, 6, 16)),
        (Milestone.ESCALATION, date(2026, 6, 28)),
    ]


@pytest.mark.parametrize(("reminders", "escalation"), [((30, 7), 7), ((30, 0), 0), ((), 3)])
def test_a_schedule_whose_escalation_would_not_follow_its_reminders_is_refused(reminders, escalation):
    with pytest.raises(ValidationError):
        RenewalSchedule(reminder_days=reminders, escalation_days=escalation)


@pytest.mark.parametrize(("level", "days"), [(TrainingLevel.AWARENESS, 365), (TrainingLevel.DSL, 730)])
def test_spoc_training_is_valid_for_the_refresher_interval_of_its_level(level, days):
    answers = a_submission(date(2026, 3, 2))
    training = answers.spoc_training.model_copy(update={"level": level, "completed_on": date(2026, 1, 10)})
    assert TRAINING.refresher_days[level] == days
    assert training.expiry == date(2026, 1, 10) + timedelta(days=days)
    assert training.dated_on == date(2026, 1, 10)
    assert Requirement(CheckType.SPOC_TRAINING.value) is Requirement.SPOC_TRAINING


def test_a_course_off_the_accepted_list_is_named_and_flagged_for_the_reviewer():
    answers = a_submission(date(2026, 3, 2))
    other = answers.spoc_training.model_copy(update={"course": "other", "other_course": "Acme safeguarding day"})
    assert (other.course_name, other.on_accepted_list) == ("Acme safeguarding day", False)
    assert answers.spoc_training.on_accepted_list
