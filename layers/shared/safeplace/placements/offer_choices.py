from safeplace.core.model import Model
from safeplace.onboarding.answers import Site
from safeplace.onboarding.list_employers import placement_choices
from safeplace.onboarding.models import EmployerSummary
from safeplace.placements.ports import EmployerSites
from safeplace.placements.sites import employer_sites


class PlacementChoices(Model):
    """What the placement form offers: employers to choose among, and once one is chosen, its own sites."""

    employers: list[EmployerSummary]
    chosen: EmployerSummary | None
    sites: list[Site]


def offer_choices(search: str, chosen: str, *, employers: EmployerSites) -> PlacementChoices:
    """The placement-ready employers for `search` (and the one chosen, if it exists), and the chosen one's sites."""
    offered = placement_choices(search, chosen, employers=employers)
    employer = next((e for e in offered if chosen and e.id == chosen), None)
    sites = employer_sites(employers.get_submission(employer.id)) if employer else []
    return PlacementChoices(employers=offered, chosen=employer, sites=sites)
