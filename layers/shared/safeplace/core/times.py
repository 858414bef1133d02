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


FILTERS = {
    "day": day,
    "date": london_date,
    "time": london_time,
    "datetime": london_datetime,
    "clock": clock_time,
}
