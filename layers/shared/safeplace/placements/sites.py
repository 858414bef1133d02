"""The sites a learner can be placed at: those the employer named in its onboarding answers."""

from safeplace.core.errors import InvalidRequest
from safeplace.onboarding.answers import Answers, Site


class UnknownSite(InvalidRequest):
    """A site that is not one of those the employer told us of."""


def employer_sites(answers: Answers | None) -> list[Site]:
    return list(answers.organisation.sites) if answers and answers.organisation else []


def site_named(answers: Answers | None, name: str) -> Site:
    """The employer's site of this name (case and spacing aside), or UnknownSite saying which sites there are."""
    sites = employer_sites(answers)
    wanted = " ".join(name.split()).casefold()
    for site in sites:
        if " ".join(site.name.split()).casefold() == wanted:
            return site
    if not sites:
        raise UnknownSite("The employer has not told us its sites yet: it names them in its organisation's details")
    names = ", ".join(site.name for site in sites)
    raise UnknownSite(f"Choose one of the employer's own sites: {names}")
