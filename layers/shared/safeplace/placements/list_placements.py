from safeplace.core.paging import MAX_PAGE_SIZE, Page, page_size
from safeplace.placements.models import PlacementStatus, PlacementSummary
from safeplace.placements.ports import PlacementPages


def list_placements(
    status: PlacementStatus | None,
    *,
    placements: PlacementPages,
    cursor: str | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> Page[PlacementSummary]:
    """A page of placements, newest first, in one status or all."""
    return placements.placement_page(status, cursor=cursor, limit=page_size(limit))
