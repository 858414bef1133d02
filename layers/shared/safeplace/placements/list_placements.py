from safeplace.placements.models import Placement, PlacementStatus
from safeplace.placements.ports import PlacementList


def list_placements(status: PlacementStatus | None, *, placements: PlacementList) -> list[Placement]:
    return placements.list_placements([status] if status else list(PlacementStatus))
