"""What the fork server imports once, so that every worker forked from it starts with it loaded.

Only libraries and the shared package's modules that read nothing from the environment when imported: a
worker takes its function's environment after the fork. Frozen afterwards, so the collector never touches
(and so copies) the pages the workers share.
"""

import gc

import boto3  # noqa: F401
import botocore.client  # noqa: F401
import jinja2  # noqa: F401
import pydantic  # noqa: F401
import pydantic_settings  # noqa: F401
from aws_lambda_powertools import Logger, Metrics, Tracer  # noqa: F401
from aws_lambda_powertools.event_handler import APIGatewayRestResolver  # noqa: F401

import safeplace.web.pages
import safeplace.wiring  # noqa: F401

gc.freeze()
