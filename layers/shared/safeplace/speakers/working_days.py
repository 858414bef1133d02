"""Working days in England and Wales, for the notice a speaker booking gives.

Bank holidays come from the `holidays` package, which ships them (and the rules for future years) as code,
so a new or moved bank holiday arrives with a package upgrade rather than an edit here. England and Wales
share one set of bank holidays; Scotland and Northern Ireland have their own and are not used.
"""

from datetime import date, datetime, timedelta

from safeplace.core.times import LONDON


def day_in_england(moment: datetime) -> date:
    """The calendar day in England at `moment`: a request made at 00:30 BST counts from that day, not UTC's."""
    return moment.astimezone(LONDON).date()


def bank_holidays(first: date, last: date) -> frozenset[date]:
    """Bank holidays in England and Wales from `first` to `last`, both included."""
    if last < first:
        return frozenset()
    import holidays  # loaded by the lead-time check that needs it, not by every import of the speakers feature

    calendar = holidays.country_holidays("GB", subdiv="ENG", years=range(first.year, last.year + 1))
    return frozenset(d for d in calendar if first <= d <= last)


def working_days_between(requested_on: date, event_on: date) -> int:
    """The working days a request gives before its event.

    Counted from the day after `requested_on` up to the day before `event_on`: neither the day the
    request was made nor the day of the event counts. A working day is Monday to Friday and not a bank
    holiday in England and Wales (a substitute day, such as Boxing Day observed on a Monday, is one).
    An event on the day of the request, the day after, or earlier gives 0.
    """
    first, last = requested_on + timedelta(days=1), event_on - timedelta(days=1)
    closed = bank_holidays(first, last)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in closed)
