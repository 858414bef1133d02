"""Who at an employer an email goes to: the person named in its answers, else the contact it was invited by."""

from pydantic import BaseModel

from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer


class Addressee(BaseModel):
    email: str
    name: str


def spoc_of(employer: Employer, answers: Answers | None) -> Addressee:
    spoc = answers.spoc.spoc if answers and answers.spoc else None
    if spoc is None:
        return Addressee(email=str(employer.contact_email), name=employer.contact_name)
    return Addressee(email=str(spoc.email), name=spoc.name)


def main_contact_of(employer: Employer, answers: Answers | None) -> Addressee:
    contact = answers.organisation.main_contact if answers and answers.organisation else None
    if contact is None:
        return Addressee(email=str(employer.contact_email), name=employer.contact_name)
    return Addressee(email=str(contact.email), name=contact.name)
