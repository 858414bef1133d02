from typing import Protocol

from safeplace.core.errors import NotFound
from safeplace.core.model import Model
from safeplace.core.paging import Page, page_size
from safeplace.handbook.models import HandbookVersion, SpocStanding


class VersionStandings(Protocol):
    def handbook_version(self, number: int) -> HandbookVersion | None: ...

    def standings(self, number: int, *, cursor: str | None, limit: int) -> Page[SpocStanding]: ...


class VersionSignatures(Model):
    version: HandbookVersion
    spocs: Page[SpocStanding]


def list_signatures(number: int, *, cursor: str | None, limit: int, handbook: VersionStandings) -> VersionSignatures:
    """A page of the SPOCs a version was sent to: who has signed, been reminded or been passed to the compliance
    team."""
    version = handbook.handbook_version(number)
    if version is None:
        raise NotFound(f"There is no handbook version {number}")
    return VersionSignatures(version=version, spocs=handbook.standings(number, cursor=cursor, limit=page_size(limit)))
