"""What the privacy notice, accessibility statement and cookies page say of the service: who runs it and how to
reach them, and how long each kind of record is kept, as the retention settings keep it."""

from datetime import timedelta

from safeplace.core.model import Model
from safeplace.core.provider import ProviderContact
from safeplace.core.retention import RecordKind, Retention


class ServiceFacts(Model):
    provider: ProviderContact
    link_days: int
    audit_years: int
    placement_years: int
    session_hours: int


def _years(period: timedelta) -> int:
    # Retention adds a leap day every four years: whole years are the days over 365, rounded down.
    return period.days // 365


def describe_service(provider: ProviderContact, retention: Retention, session_lifetime: timedelta) -> ServiceFacts:
    return ServiceFacts(
        provider=provider,
        link_days=retention.period(RecordKind.LINK).days,
        audit_years=_years(retention.period(RecordKind.AUDIT)),
        placement_years=_years(retention.period(RecordKind.PLACEMENT)),
        session_hours=int(session_lifetime.total_seconds() // 3600),
    )
