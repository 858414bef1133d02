"""Pages under /_local/: dev sign-in, outbox, clock, schedules. They exist only in the local runtime."""

import json
from html import escape
from typing import Any

from safeplace_local.directory import PoolUser
from safeplace_local.template import Schedule

# The product's own stylesheet (GOV.UK Frontend), served at /assets by the runtime; the few rules it has no class for.
_STYLE = "pre{white-space:pre-wrap}.local-email{width:100%;height:32em;border:1px solid #b1b4b6;background:#fff}"


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB" class="govuk-template govuk-template--rebranded">'
        '<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - Safeplace (local)</title>"
        f'<link rel="stylesheet" href="/assets/app.css"><style>{_STYLE}</style></head>'
        '<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a>'
        '<header class="govuk-width-container"><p class="govuk-body govuk-!-margin-top-4">'
        '<a class="govuk-link" href="/_local/">Safeplace local runtime</a> · '
        '<a class="govuk-link" href="/staff">Staff console</a></p></header>'
        '<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">'
        f'<h1 class="govuk-heading-l">{escape(title)}</h1>{body}</main></div></body></html>'
    )


def _table(headings: list[str], rows: list[list[str]], caption: str) -> str:
    """A GOV.UK table in a region of its own that scrolls sideways on a phone, as the product's tables do; the cells
    are HTML already escaped."""
    head = "".join(f'<th scope="col" class="govuk-table__header">{escape(h)}</th>' for h in headings)
    body = "".join(
        '<tr class="govuk-table__row">' + "".join(f'<td class="govuk-table__cell">{c}</td>' for c in row) + "</tr>"
        for row in rows
    )
    return (
        f'<div class="app-scroll-region" role="region" aria-label="{escape(caption)}" tabindex="0">'
        f'<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{body}</tbody></table></div>'
    )


def button(text: str, secondary: bool = False) -> str:
    kind = "govuk-button govuk-button--secondary" if secondary else "govuk-button"
    return f'<button type="submit" class="{kind}" data-module="govuk-button">{escape(text)}</button>'


def index(base_url: str, endpoint_url: str) -> str:
    links = [
        ("/staff", "Staff console"),
        ("/_local/sign-in", "Dev sign-in (one user per role)"),
        ("/_local/sign-out", "Dev sign-out"),
        ("/_local/outbox", "Outbox: every email sent"),
        ("/_local/clock", "Simulated clock"),
        ("/_local/schedules", "Schedules"),
        ("/api/openapi.json", "OpenAPI document of the staff API"),
    ]
    items = "".join(f'<li><a class="govuk-link" href="{href}">{escape(label)}</a></li>' for href, label in links)
    return page(
        "Local runtime",
        f'<ul class="govuk-list">{items}</ul>'
        f'<p class="govuk-body">AWS services (moto): <code>{escape(endpoint_url)}</code></p>'
        f'<p class="govuk-body">Served at <code>{escape(base_url)}</code>.</p>',
    )


def sign_in(users: list[PoolUser], action: str, hidden: dict[str, str], problem: str = "") -> str:
    fields = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items())
    rows = [
        [
            escape(u.email),
            escape(", ".join(u.groups)),
            f'<form method="post" action="{escape(action)}">{fields}'
            f'<input type="hidden" name="user" value="{escape(u.email)}">'
            f"{button(f'Sign in as {u.email}', secondary=True)}</form>",
        ]
        for u in users
    ]
    error = f'<p class="govuk-body" role="alert"><strong>{escape(problem)}</strong></p>' if problem else ""
    listed = (
        _table(["User", "Groups", "Action"], rows, "Demo users")
        if users
        else '<p class="govuk-body">The user pool has no users (run without --no-demo to add one per role).</p>'
    )
    return page(
        "Dev sign-in",
        f'{error}<p class="govuk-body">Locally this page stands in for Cognito\'s hosted sign-in: choose a user '
        "and the console signs you in through the same OAuth flow it uses on AWS. There are no passwords.</p>"
        f"{listed}",
    )


def sign_out() -> str:
    return page(
        "Dev sign-out",
        "<p class=\"govuk-body\">This ends the dev sign-in, which stands in for Cognito's own session and the API's "
        "ID token. The staff console keeps its own session: use its Sign out link to end that.</p>"
        f'<form method="post" action="/_local/sign-out">{button("Sign out")}</form>',
    )


def problem(title: str, message: str, back: tuple[str, str] | None = None) -> str:
    link = f'<p class="govuk-body"><a class="govuk-link" href="{back[0]}">{escape(back[1])}</a></p>' if back else ""
    return page(title, f'<p class="govuk-body" role="alert">{escape(message)}</p>{link}')


def schedules(items: list[Schedule], results: list[dict[str, Any]] | None = None) -> str:
    rows = [
        [
            escape(s.name),
            f"{escape(s.expression)} ({escape(s.timezone)})",
            escape(s.function),
            "enabled" if s.enabled else "disabled",
        ]
        for s in items
    ]
    done = ""
    if results is not None:
        done = '<h2 class="govuk-heading-m">Fired</h2>' + "".join(
            f"<pre>{escape(json.dumps(r, indent=2))}</pre>" for r in results
        )
    return page(
        "Schedules",
        _table(["Schedule", "Expression", "Function", "State"], rows, "Schedules")
        + f'<form method="post" action="/_local/schedules/fire">{button("Fire every schedule now")}</form>{done}',
    )
