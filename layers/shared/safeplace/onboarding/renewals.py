"""When the daily sweep chases a check that runs out: reminders, an escalation, then the lapse (guidance 11.4).

The lead times are the provider's to set (the template's RenewalReminderDays and RenewalEscalationDays);
an approval schedules its milestones once, so the sweep only ever reads the days that fall due.
"""

from datetime import date, timedelta

from pydantic import ConfigDict, Field, model_validator

from safeplace.core.model import Model
from safeplace.onboarding.models import CheckType, Due, Milestone


class RenewalSchedule(Model):
    model_config = ConfigDict(frozen=True)

    reminder_days: tuple[int, ...] = Field(min_length=1, description="Days before a check runs out to remind the SPOC")
    escalation_days: int = Field(ge=0, description="Days before it runs out to tell the main contact and staff")

    @model_validator(mode="after")
    def _escalation_after_the_reminders(self) -> "RenewalSchedule":
        if any(d < 1 for d in self.reminder_days):
            raise ValueError("reminders are sent at least 1 day before a check runs out")
        if self.escalation_days >= min(self.reminder_days):
            raise ValueError("the escalation comes after the last reminder, so fewer days before the check runs out")
        return self

    def milestones(
        self, employer_id: str, employer_name: str, check: CheckType, valid_until: date, today: date
    ) -> list[Due]:
        """Every milestone of one approved check still ahead of `today`; the lapse always."""

        def due(milestone: Milestone, day: date) -> Due:
            return Due(
                employer_id=employer_id,
                employer_name=employer_name,
                check=check,
                milestone=milestone,
                due_on=day,
                valid_until=valid_until,
            )

        reminders = sorted({valid_until - timedelta(days=d) for d in self.reminder_days})
        ahead = [d for d in reminders if d >= today]
        if not ahead and valid_until >= today:
            # Approved too close to its end for the schedule: remind once, now.
            ahead = [today]
        escalation = valid_until - timedelta(days=self.escalation_days)
        found = [due(Milestone.REMINDER, d) for d in ahead]
        if ahead and escalation > ahead[-1]:
            found.append(due(Milestone.ESCALATION, escalation))
        found.append(due(Milestone.LAPSE, max(valid_until + timedelta(days=1), today)))
        return found


# The defaults the template's parameters document: two months, one month and one week ahead, then three days.
RENEWALS = RenewalSchedule(reminder_days=(60, 30, 7), escalation_days=3)
