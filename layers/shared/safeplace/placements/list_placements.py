from safeplace.adapters.dynamodb import Store
from safeplace.placements.models import Placement, PlacementStatus


def list_placements(status: PlacementStatus | None, *, store: Store) -> list[Placement]:
    return store.list_placements([status] if status else list(PlacementStatus))
