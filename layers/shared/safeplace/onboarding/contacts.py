"""Who at an employer an email goes to: the person named in its answers, else the contact it was invited by."""

from safeplace.core.model import Model
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer


class Addressee(Model):
    email: str
    name: str


def spoc_of(employer: Employer, answers: Answers | None) -> Addressee:
    spoc = answers.spoc.spoc if answers and answers.spoc else None
    if spoc is None:
        return Addressee(email=str(employer.contact_email), name=employer.contact_name)
    return Addressee(email=str(spoc.email), name=spoc.name)


def suppliers_of(employer: Employer, answers: Answers | None) -> set[str]:
    """Everyone who supplied an employer's answers and files: the contact invited (whose link sent them), the main
    contact and the SPOC the answers name (a new SPOC answers their own training through their own link)."""
    named = {str(employer.contact_email)}
    if answers and answers.organisation:
        named.add(str(answers.organisation.main_contact.email))
    if answers and answers.spoc:
        named.add(str(answers.spoc.spoc.email))
    return named


def main_contact_of(employer: Employer, answers: Answers | None) -> Addressee:
    contact = answers.organisation.main_contact if answers and answers.organisation else None
    if contact is None:
        return Addressee(email=str(employer.contact_email), name=employer.contact_name)
    return Addressee(email=str(contact.email), name=contact.name)
