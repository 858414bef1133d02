"""What the fork server imports once, so that every worker forked from it starts with it loaded.

Only libraries and the shared package's modules (none reads the environment when imported), with every model's
validator built, and a boto3 session that reads the environment only when a client is made: a worker takes its
function's environment after the fork. Frozen afterwards, so the collector never touches (and so copies) the pages
the workers share.
"""

import gc
import importlib
import pkgutil

import boto3
import botocore.client
import botocore.session
import jinja2  # noqa: F401
import pydantic  # noqa: F401
from aws_lambda_powertools import Logger, Metrics, Tracer  # noqa: F401
from aws_lambda_powertools.event_handler import APIGatewayRestResolver  # noqa: F401

import safeplace
from safeplace.core.model import Model

for _module in pkgutil.walk_packages(safeplace.__path__, "safeplace."):
    importlib.import_module(_module.name)


def _all_models(base: type[Model]) -> list[type[Model]]:
    return [model for sub in base.__subclasses__() for model in (sub, *_all_models(sub))]


# On AWS each model's validator is built on its first use (safeplace.core.model); here once, for every worker.
for _model in _all_models(Model):
    _model.model_rebuild()

# The service models every handler's clients load, read once here: boto3's default session is made before the
# fork, and a client made after it reads the region, credentials and endpoint from the worker's own environment.
_shared = botocore.session.get_session()
for _service in ("dynamodb", "s3", "sesv2", "stepfunctions"):
    _shared.get_service_model(_service)
_shared.get_component("endpoint_resolver")
boto3.setup_default_session(botocore_session=_shared)

gc.freeze()
