"""The speaker booking workflow's waits on people: the task token is parked server-side; a booking that moved
on before the wait began sends the workflow straight on."""

from datetime import datetime

from safeplace.core.ports import Workflows
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.ports import BookingLookup, TaskParking

WORKFLOW = "speaker booking workflow"


def wait_for_person(
    booking: Booking,
    step: str,
    task_token: str,
    waiting_in: BookingStatus,
    *,
    bookings: BookingLookup,
    waits: TaskParking,
    workflows: Workflows,
    now: datetime,
) -> bool:
    """Park the task token; False when the booking already left `waiting_in` (decided before the wait
    began), in which case the workflow is sent straight on."""
    waits.save_wait(booking.id, step, task_token, now)
    current = bookings.get_booking(booking.id)
    if current.status is waiting_in:
        return True
    if workflows.complete(task_token, {"outcome": current.status.value}):
        waits.clear_wait(booking.id, step, task_token)
    return False
