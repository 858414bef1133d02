"""The daily sweep, run by EventBridge Scheduler."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from safeplace.core import clock
from safeplace.core.verify_audit_trails import verify_audit_trails
from safeplace.onboarding.act_on_milestones import Recipients, act_on_milestones
from safeplace.wiring import DailySweepDependencies, daily_sweep_dependencies

logger = Logger()
metrics = Metrics()


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: DailySweepDependencies | None = None
) -> dict[str, Any]:
    deps = deps or daily_sweep_dependencies()
    now = clock.now()
    recipients = Recipients(compliance_team=deps.settings.compliance_team_email)
    acted = act_on_milestones(
        employers=deps.store.employers,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links),
        recipients=recipients,
        at_risk=deps.learners_at_risk,
        now=now,
    )
    metrics.add_metric(name="RenewalRemindersSent", unit=MetricUnit.Count, value=len(acted.reminded))
    metrics.add_metric(name="RenewalsEscalated", unit=MetricUnit.Count, value=len(acted.escalated))
    metrics.add_metric(name="ChecksLapsed", unit=MetricUnit.Count, value=len(acted.lapsed))
    result = verify_audit_trails(
        audit=deps.store.audit,
        mailer=deps.mailer,
        compliance_team=str(deps.settings.compliance_team_email),
        now=now,
    )
    metrics.add_metric(name="AuditTrailsVerified", unit=MetricUnit.Count, value=result.subjects_checked)
    metrics.add_metric(name="AuditTrailsVerifiedWhole", unit=MetricUnit.Count, value=result.trails_verified_whole)
    metrics.add_metric(name="AuditEntriesRead", unit=MetricUnit.Count, value=result.entries_read)
    metrics.add_metric(name="AuditTrailsBroken", unit=MetricUnit.Count, value=len(result.broken))
    logger.info(
        "daily sweep finished",
        extra={
            "day": result.day,
            "checked": result.subjects_checked,
            "verified_whole": result.trails_verified_whole,
            "broken": len(result.broken),
            "reminded": len(acted.reminded),
            "escalated": len(acted.escalated),
            "lapsed": len(acted.lapsed),
        },
    )
    return {
        "days_swept": [d.isoformat() for d in acted.days],
        "reminded": [f"{d.employer_id}/{d.check}/{d.days_left}" for d in acted.reminded],
        "escalated": [f"{d.employer_id}/{d.check}" for d in acted.escalated],
        "lapsed": [f"{d.employer_id}/{d.check}" for d in acted.lapsed],
        "day": result.day,
        "subjects_checked": result.subjects_checked,
        "trails_verified_whole": result.trails_verified_whole,
        "broken": sorted(result.broken),
    }
