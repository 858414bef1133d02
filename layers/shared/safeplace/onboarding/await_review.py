from datetime import datetime

from safeplace.onboarding.ports import KnownEmployers, TaskParking
from safeplace.onboarding.review_check import REVIEW_STEP


def await_review(
    employer_id: str, task_token: str, *, employers: KnownEmployers, waits: TaskParking, now: datetime
) -> None:
    """Park the workflow until reviewers have decided every check; the review queue is the employer list."""
    employers.get_employer(employer_id)  # a wrong id fails here, where the workflow can catch it
    waits.save_wait(employer_id, REVIEW_STEP, task_token, now)
