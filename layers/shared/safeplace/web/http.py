"""HTML responses with the security headers every page carries, redirects, and the fields of a posted body."""

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response, content_types

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    # Pages show personal data or sit behind capability links: nothing is kept in caches.
    "Cache-Control": "no-store",
}


def html(body: str, status: int = 200, *, also_post_to: str = "") -> Response:
    """A page; `also_post_to` is one more origin its forms may post to (S3, for an upload)."""
    headers = dict(SECURITY_HEADERS)
    if also_post_to:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {also_post_to}"
        )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body, headers=headers)


# What every answer that is not a page carries (JSON, CSV, a redirect): never kept in a cache, never sniffed.
DATA_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def json_answer(status: int, body: object) -> Response:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body, headers=dict(DATA_HEADERS)
    )


def never_cached(app: Any, next_middleware: Callable[[Any], Response[Any]]) -> Response[Any]:
    """The middleware in front of every route: whatever it answers (JSON, CSV, a redirect) carries DATA_HEADERS,
    unless the route chose otherwise."""
    response = next_middleware(app)
    for name, value in DATA_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# A stored document (the handbook) is served exactly as stored: its own inline styles, and nothing that runs.
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
)


def document(body: bytes, filename: str, *, download: bool) -> Response:
    """A stored HTML document, byte for byte, to read in the browser or to save."""
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": DOCUMENT_POLICY,
        "Content-Disposition": f'{"attachment" if download else "inline"}; filename="{filename}"',
    }
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=body.decode(), headers=headers)


def redirect(location: str) -> Response:
    return Response(status_code=303, body="", headers={**SECURITY_HEADERS, "Location": location})


# Far more than any form or JSON body here needs (the handbook's text is at most 50,000 characters).
MAX_BODY_BYTES = 1024 * 1024
MAX_FIELDS = 1000
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def unreadable(event: Mapping[str, Any]) -> str | None:
    """Why a request's body cannot be read the way every route here reads one, or None. The pages post urlencoded
    forms and the API takes JSON; anything else is refused before a route sees it, so none has to guard against it."""
    body = event.get("body")
    if not body:
        return None
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    wanted = JSON if str(event.get("path", "")).startswith("/api/") else FORM
    if kind and kind != wanted:
        return f"Send this as {wanted}, not {kind}"
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else str(body).encode()
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeError):
        return "What was sent is not text we can read: send it as UTF-8"
    if len(raw) > MAX_BODY_BYTES:
        return "What was sent is too large: it must be smaller than 1 MB"
    try:
        if wanted == JSON:
            json.loads(text)
        else:
            parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except RecursionError:
        return "What was sent is nested too deeply to read"
    except UnicodeError:
        return "What was sent is not text we can read: send it as UTF-8"
    except json.JSONDecodeError:
        # Malformed JSON is the API's own to explain, with where it went wrong.
        return None
    except ValueError:
        return f"What was sent has too many fields: at most {MAX_FIELDS}"
    return None


def flat_fields(body: str | None) -> dict[str, str]:
    """A urlencoded body's fields, the last value of each: what the pages' forms do not read (the CSRF token, a
    button's action)."""
    return {name: values[-1] for name, values in parse_qs(body or "", keep_blank_values=True).items()}


def safe_next(path: str | None, *, default: str) -> str:
    """A path to return to after signing in: only ever one on this site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path
