"""How dates and times read to people, in pages and emails alike: Europe/London, one format
("3 December 2026", "3 December 2026 at 10:14am"), whatever zone a value was stored in."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def _clock(value: time | datetime) -> str:
    return value.strftime("%-I:%M%p").replace("AM", "am").replace("PM", "pm")


def day(value: date) -> str:
    """A calendar day, which has no zone: "3 December 2026"."""
    return value.strftime("%-d %B %Y")


def london_date(value: datetime) -> str:
    return day(value.astimezone(LONDON))


def london_time(value: datetime) -> str:
    return _clock(value.astimezone(LONDON))


def london_datetime(value: datetime) -> str:
    """An instant as a person in England reads it: "3 December 2026 at 10:14am"."""
    return f"{london_date(value)} at {london_time(value)}"


def clock_time(value: time) -> str:
    """A time of day as entered (an event's start): "10:00am"."""
    return _clock(value)


def wall_clock(at: time, on: date) -> time:
    """A time of day on `on` as clocks in England read it, with no zone: one given with an offset ("10:00+01:00")
    is moved to London's time, so every stored time compares with every other. Raises ValueError if that moves it
    to another day."""
    if at.tzinfo is None or at.utcoffset() is None:
        return at.replace(tzinfo=None)
    wrong = "Give the time as clocks in England read it on the day of the event"
    try:
        moved = datetime.combine(on, at).astimezone(LONDON)
    except OverflowError:  # moved past the first or the last day there is
        raise ValueError(wrong) from None
    if moved.date() != on:
        raise ValueError(wrong)
    return moved.time()


FILTERS = {
    "day": day,
    "date": london_date,
    "time": london_time,
    "datetime": london_datetime,
    "clock": clock_time,
}
