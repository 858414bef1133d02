"""Serves the pages' stylesheet and scripts (GOV.UK Frontend, built with our own look) from the layer."""

from importlib.resources import files
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from safeplace.web.http import SECURITY_HEADERS

_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    name = (event.get("pathParameters") or {}).get("proxy", "")
    suffix = name[name.rfind(".") :] if "." in name else ""
    asset = files("safeplace").joinpath("static", name)
    # Only plain file names we ship: no folders, no dot-files, no other types.
    if "/" in name or name.startswith(".") or suffix not in _TYPES or not asset.is_file():
        return {"statusCode": 404, "headers": {"Content-Type": "text/plain"}, "body": "Not found"}
    return {
        "statusCode": 200,
        "headers": {
            **SECURITY_HEADERS,
            "Content-Type": _TYPES[suffix],
            "Cache-Control": "public, max-age=3600",
        },
        "body": asset.read_text(encoding="utf-8"),
    }
