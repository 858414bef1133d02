"""Maker-checker on an employer's checks: nobody who supplied the answers or files decides on them, whichever way
their address is written: the contact invited, the main contact and the SPOC the answers name (a new SPOC sends
their own training through their own link)."""

from datetime import UTC, datetime

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core.errors import Forbidden
from safeplace.onboarding.answers import Contact, SpocAnswers
from safeplace.onboarding.models import CheckReview, CheckStatus, CheckType, ReviewDecision, Spoc
from safeplace.onboarding.review_check import review_check
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import SENDER, a_submission, an_employer
from tests.support.fakes import NothingWaiting
from tests.support.records import a_stored_submission, an_admission, an_issuer, invite

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RAE = StaffUser(username="rae", email="rae.reviewer@example.org", roles=frozenset({Role.REVIEWER}))
ADA = StaffUser(username="ada", email="ada.admin@example.org", roles=frozenset({Role.ADMIN}))


def submitted(store: Store, *, contact: str = "kim@hollins.example", main: str = "kim@hollins.example",
              spoc: str = "kim@hollins.example") -> str:  # fmt: skip
    employer = invite(store, an_employer(AT, contact_email=contact))
    answers = a_submission(AT.date(), employer.id)
    assert answers.organisation and answers.spoc
    organisation = answers.organisation.model_copy(
        update={"main_contact": Contact(name="Kim Hollins", email=main, phone="0113 496 0000")}
    )
    named = SpocAnswers(spoc=Spoc(name="Jo Spoc", role="Owner", email=spoc, phone="0113 496 0000"), commitment=True)
    a_stored_submission(store, employer, answers.model_copy(update={"organisation": organisation, "spoc": named}), AT)
    return employer.id


def review(store: Store, employer_id: str, check: CheckType, by: StaffUser) -> None:
    review_check(
        employer_id, check, CheckReview(decision=ReviewDecision.APPROVE), by,
        employers=store.employers, waits=store.waits, workflows=NothingWaiting(), now=AT,  # type: ignore[arg-type]
        mailer=Mailer(SENDER), issuer=an_issuer(store), admit=an_admission(store, NothingWaiting()),
    )  # fmt: skip


def status_of(store: Store, employer_id: str, check: CheckType) -> CheckStatus:
    return next(c.status for c in store.employers.get_employer(employer_id).checks if c.type is check)


@pytest.mark.parametrize(
    ("who", "by"),
    [
        ({"contact": "Ada.Admin@Example.ORG"}, ADA),  # invited in other capitals, then approving
        ({"spoc": "rae.reviewer@example.org"}, RAE),  # a reviewer named as the SPOC, approving their training
        ({"spoc": "RAE.Reviewer@example.org"}, RAE),
        ({"main": "rae.reviewer@example.org"}, RAE),  # the main contact who sent the answers
    ],
    ids=["invited contact", "SPOC", "SPOC in capitals", "main contact"],
)
def test_nobody_who_supplied_the_answers_approves_them(store, sesv2, who, by):
    # Given an employer's answers supplied in part by the member of staff who now reviews them
    employer_id = submitted(store, **who)
    # When they approve the SPOC's training, Then they are refused and the check still waits
    with pytest.raises(Forbidden, match="something you submitted yourself: ask a colleague"):
        review(store, employer_id, CheckType.SPOC_TRAINING, by)
    assert status_of(store, employer_id, CheckType.SPOC_TRAINING) is CheckStatus.SUBMITTED


def test_a_colleague_who_supplied_nothing_approves(store, sesv2):
    employer_id = submitted(store, spoc="rae.reviewer@example.org")
    review(store, employer_id, CheckType.SPOC_TRAINING, ADA)
    assert status_of(store, employer_id, CheckType.SPOC_TRAINING) is CheckStatus.APPROVED
