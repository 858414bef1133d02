"""Automatic checks on an employer's submission: pure functions with plain-English results."""

import re

from safeplace.models import OrganisationSubmission

_SHARED_MAILBOX = re.compile(
    r"^(info|admin|office|enquiries|hello|contact|hr|mail|sales|accounts|reception)@", re.IGNORECASE
)
_INCORPORATED = re.compile(r"\b(ltd|limited|plc|llp)\.?$", re.IGNORECASE)


def submission_problems(submission: OrganisationSubmission) -> dict[str, str]:
    """Problems keyed by the form field they concern; empty when the submission passes."""
    problems: dict[str, str] = {}
    if _INCORPORATED.search(submission.legal_name) and not submission.companies_house_number:
        problems["companies_house_number"] = (
            "Enter the Companies House number: the legal name is that of a registered company"
        )
    if _SHARED_MAILBOX.match(str(submission.spoc.email)):
        problems["spoc.email"] = (
            "Enter the SPOC's own email address, not a shared mailbox: the SPOC is a named person "
            "whose training and acknowledgements are recorded"
        )
    return problems
