"""HTML responses with the security headers every page carries, and form handling."""

from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from pydantic import ValidationError

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


def form_fields(body: str | None) -> dict[str, Any]:
    """A urlencoded form as nested dicts: `spoc.email=x` becomes {"spoc": {"email": "x"}}."""
    nested: dict[str, Any] = {}
    for name, values in parse_qs(body or "", keep_blank_values=True).items():
        target = nested
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = values[-1]
    return nested


def flatten_fields(values: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The reverse of form_fields: nested values as the dotted field names a form sends."""
    flat: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, dict):
            flat.update(flatten_fields(value, f"{prefix}{name}."))
        elif value is True:
            flat[f"{prefix}{name}"] = "yes"
        elif value not in (None, False):
            flat[f"{prefix}{name}"] = str(value)
    return flat


def flat_fields(body: str | None) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(body or "", keep_blank_values=True).items()}


def field_errors(error: ValidationError, labels: dict[str, str]) -> dict[str, str]:
    """One plain-English message per form field, in the order the fields appear on the page."""
    found: dict[str, str] = {}
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"])
        if field in found:
            continue
        label = labels.get(field, field.replace("_", " "))
        kind = problem["type"]
        if kind in ("missing", "string_too_short") or "not a valid email address" in str(problem["msg"]):
            found[field] = f"Enter {label}"
        elif kind.startswith("int_") or kind.startswith("greater_than") or kind.startswith("less_than"):
            found[field] = f"Enter {label} as a whole number"
        elif kind.startswith("date_"):
            found[field] = f"Enter {label} as a real date"
        elif kind == "value_error":
            found[field] = str(problem["msg"]).removeprefix("Value error, ")
        elif kind == "string_too_long":
            found[field] = f"{label[0].upper()}{label[1:]} must be {problem['ctx']['max_length']} characters or fewer"
        else:
            found[field] = f"Enter a valid {label}"
    order = list(labels)
    return dict(sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def safe_next(path: str | None, *, default: str) -> str:
    """A path to return to after signing in: only ever one on this site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path
