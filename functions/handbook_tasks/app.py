"""The steps of the handbook rollout state machine: who a published version goes to, and each delivery."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field, TypeAdapter

from safeplace import clock
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.errors import NotFound
from safeplace.handbook.deliver_handbook import deliver_handbook
from safeplace.handbook.list_recipients import list_recipients
from safeplace.handbook.render_copy import NoSpocYet
from safeplace.settings import HandbookTasksSettings

logger = Logger()


@dataclass(frozen=True)
class Dependencies:
    settings: HandbookTasksSettings
    store: Store
    mailer: Mailer
    files: EvidenceFiles


@cache
def production_dependencies() -> Dependencies:
    settings = HandbookTasksSettings()  # type: ignore[call-arg]
    return Dependencies(
        settings=settings,
        store=Store(settings.table_name, settings.retention),
        mailer=Mailer(settings.sender_email),
        files=EvidenceFiles(settings.evidence_bucket),
    )


class ListRecipientsStep(BaseModel):
    step: Literal["list_recipients"]
    version: int = Field(ge=1)


class DeliverStep(BaseModel):
    step: Literal["deliver"]
    version: int = Field(ge=1)
    employer_id: str


Step = Annotated[ListRecipientsStep | DeliverStep, Field(discriminator="step")]
_steps = TypeAdapter(Step)


def _list_recipients(step: ListRecipientsStep, deps: Dependencies) -> dict[str, Any]:
    return {"employer_ids": list_recipients(store=deps.store)}


def _deliver(step: DeliverStep, deps: Dependencies) -> dict[str, Any]:
    version = deps.store.handbook_version(step.version)
    if version is None:
        raise NotFound(f"There is no handbook version {step.version}")
    try:
        copy = deliver_handbook(
            step.employer_id,
            version,
            provider=deps.settings.provider,
            store=deps.store,
            files=deps.files,
            mailer=deps.mailer,
            issuer=deps.settings.link_issuer(deps.store),
            now=clock.now(),
        )
    except NoSpocYet as nobody:
        # Not a failure: it gets the current version when its checks pass.
        return {"employer_id": step.employer_id, "delivered": False, "reason": str(nobody)}
    return {"employer_id": step.employer_id, "delivered": True, "sha256": copy.sha256}


_HANDLERS: dict[type[BaseModel], Callable[[Any, Dependencies], dict[str, Any]]] = {
    ListRecipientsStep: _list_recipients,
    DeliverStep: _deliver,
}


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext, deps: Dependencies | None = None) -> dict[str, Any]:
    step = _steps.validate_python(event)
    logger.append_keys(step=step.step, version=step.version)
    return _HANDLERS[type(step)](step, deps or production_dependencies())
