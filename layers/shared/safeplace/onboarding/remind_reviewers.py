from datetime import datetime
from typing import Literal

from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.models import CheckStatus, EmployerStatus
from safeplace.onboarding.ports import KnownEmployers


def remind_reviewers(
    employer_id: str, *, employers: KnownEmployers, mailer: Mailer, compliance_team: str, now: datetime
) -> Literal["waiting", "approved", "changes_requested"]:
    """Remind the team of checks still waiting; or, if the last decision landed as the wait timed out, say so."""
    employer = employers.get_employer(employer_id)
    if employer.status is EmployerStatus.CHECKS_PASSED:
        return "approved"
    if employer.status is not EmployerStatus.SUBMITTED:
        return "changes_requested"
    waiting = [c for c in employer.checks if c.status is CheckStatus.SUBMITTED]
    waited = now - employer.updated_at
    mailer.send(
        render_email("reviews_waiting", to=compliance_team, employer=employer, waiting=waiting, days=waited.days)
    )
    return "waiting"
