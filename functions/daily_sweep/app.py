"""The daily sweep, run by EventBridge Scheduler."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from safeplace import clock
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.settings import DailySweepSettings
from safeplace.sweep.lapse_checks import lapse_checks
from safeplace.sweep.verify_audit_trails import verify_audit_trails

logger = Logger()
metrics = Metrics()


@dataclass(frozen=True)
class Dependencies:
    settings: DailySweepSettings
    store: Store
    mailer: Mailer


@cache
def production_dependencies() -> Dependencies:
    settings = DailySweepSettings()  # type: ignore[call-arg]
    return Dependencies(
        settings=settings,
        store=Store(settings.table_name, settings.retention),
        mailer=Mailer(settings.sender_email),
    )


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext, deps: Dependencies | None = None) -> dict[str, Any]:
    deps = deps or production_dependencies()
    now = clock.now()
    lapses = lapse_checks(store=deps.store, mailer=deps.mailer, dsl=str(deps.settings.dsl_email), now=now)
    metrics.add_metric(name="ChecksLapsed", unit=MetricUnit.Count, value=len(lapses.lapsed))
    result = verify_audit_trails(
        store=deps.store,
        mailer=deps.mailer,
        compliance_team=str(deps.settings.compliance_team_email),
        now=now,
    )
    metrics.add_metric(name="AuditTrailsVerified", unit=MetricUnit.Count, value=result.subjects_checked)
    metrics.add_metric(name="AuditTrailsBroken", unit=MetricUnit.Count, value=len(result.broken))
    logger.info(
        "audit trails verified",
        extra={
            "day": result.day,
            "checked": result.subjects_checked,
            "broken": len(result.broken),
            "lapsed": len(lapses.lapsed),
        },
    )
    return {
        "days_swept": [d.isoformat() for d in lapses.days],
        "lapsed": [f"{d.employer_id}/{d.check}" for d in lapses.lapsed],
        "day": result.day,
        "subjects_checked": result.subjects_checked,
        "broken": sorted(result.broken),
    }
