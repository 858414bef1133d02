from datetime import datetime

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.models import CheckStatus
from safeplace.notifications import render_email


def remind_reviewers(employer_id: str, *, store: Store, mailer: Mailer, compliance_team: str, now: datetime) -> None:
    employer = store.get_employer(employer_id)
    waiting = [c for c in employer.checks if c.status is CheckStatus.SUBMITTED]
    waited = now - employer.updated_at
    mailer.send(
        render_email("reviews_waiting", to=compliance_team, employer=employer, waiting=waiting, days=waited.days)
    )
