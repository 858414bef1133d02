"""Pages under /_local/: dev sign-in, outbox, clock, schedules. They exist only in the local runtime."""

import json
from html import escape
from typing import Any

from safeplace_local.directory import PoolUser
from safeplace_local.template import Schedule

_STYLE = (
    "body{font-family:Arial,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;line-height:1.4}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #b1b4b6;padding:.4em;text-align:left;"
    "vertical-align:top}pre{white-space:pre-wrap}button{font-size:1em;padding:.3em .8em}"
)


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - Safeplace (local)"
        f'</title><style>{_STYLE}</style></head><body><header><p><a href="/_local/">Safeplace local runtime</a>'
        f' · <a href="/staff">Staff console</a></p></header><main><h1>{escape(title)}</h1>{body}</main></body></html>'
    )


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
    items = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in links)
    return page(
        "Local runtime",
        f"<ul>{items}</ul><p>AWS services (moto): <code>{escape(endpoint_url)}</code></p>"
        f"<p>Served at <code>{escape(base_url)}</code>.</p>",
    )


def sign_in(users: list[PoolUser], action: str, hidden: dict[str, str], problem: str = "") -> str:
    fields = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items())
    rows = "".join(
        f"<tr><td>{escape(u.email)}</td><td>{escape(', '.join(u.groups))}</td><td>"
        f'<form method="post" action="{escape(action)}">'
        f'{fields}<input type="hidden" name="user" value="{escape(u.email)}">'
        f'<button type="submit">Sign in as {escape(u.email)}</button></form></td></tr>'
        for u in users
    )
    error = f'<p role="alert"><strong>{escape(problem)}</strong></p>' if problem else ""
    if not users:
        rows = '<tr><td colspan="3">The user pool has no users (run without --no-demo to add one per role).</td></tr>'
    return page(
        "Dev sign-in",
        f"{error}<p>Locally this page stands in for Cognito's hosted sign-in: choose a user and the console signs "
        "you in through the same OAuth flow it uses on AWS. There are no passwords.</p>"
        '<table><thead><tr><th scope="col">User</th>'
        f'<th scope="col">Groups</th><th scope="col">Action</th></tr></thead><tbody>{rows}</tbody></table>',
    )


def sign_out() -> str:
    return page(
        "Dev sign-out",
        "<p>This ends the dev sign-in, which stands in for Cognito's own session and the API's ID token. "
        "The staff console keeps its own session: use its Sign out link to end that.</p>"
        '<form method="post" action="/_local/sign-out"><button type="submit">Sign out</button></form>',
    )


def problem(title: str, message: str) -> str:
    return page(title, f'<p role="alert">{escape(message)}</p>')


def outbox(emails: list[dict[str, Any]], to: str = "") -> str:
    search = (
        '<form method="get" action="/_local/outbox"><label for="to">Only emails to</label> '
        f'<input id="to" name="to" type="email" value="{escape(to)}"> <button type="submit">Show</button></form>'
    )
    if not emails:
        return page("Outbox", f"{search}<p>No emails have been sent yet.</p>")
    items = "".join(
        f"<article><h2>{escape(m['subject'])}</h2><p>To {escape(', '.join(m['to']))} · sent {escape(m['sent_at'])}</p>"
        + "".join(f'<p><a href="{escape(link)}">{escape(link)}</a></p>' for link in m["links"])
        + f"<details><summary>Text</summary><pre>{escape(m['text'])}</pre></details></article>"
        for m in reversed(emails)
    )
    return page("Outbox", f'{search}<p>Newest first. <a href="/_local/outbox.json">As JSON</a>.</p>{items}')


def clock(now: str) -> str:
    return page(
        "Simulated clock",
        f"<p>It is now <strong>{escape(now)}</strong> for every handler and workflow. Moving it forward ends the "
        "workflows' waits (reminders, timeouts, retries) on the way, in the order they fall due.</p>"
        '<form method="post" action="/_local/clock"><label for="now">Set the date and time (ISO 8601)</label> '
        '<input id="now" name="now" type="text" placeholder="2027-01-31T09:00"> '
        '<button type="submit">Set</button></form>'
        '<form method="post" action="/_local/clock"><label for="advance_days">Move forward by days</label> '
        '<input id="advance_days" name="advance_days" type="number" min="1" value="1"> '
        '<button type="submit">Move forward</button></form>'
        '<form method="post" action="/_local/clock"><input type="hidden" name="schedules" value="daily">'
        '<label for="live_days">Live through days, firing the schedules each day</label> '
        '<input id="live_days" name="advance_days" type="number" min="1" max="400" value="62"> '
        '<button type="submit">Live through them</button></form>',
    )


def lived(now: str, count: int, days: list[dict[str, Any]]) -> str:
    """What happened on each day lived through, leaving out the days nothing did: what the daily schedules did,
    then every email sent that day (the sweep's, and the workflows' reminders, escalations and timeouts)."""
    rows = "".join(_schedule_rows(day) + _email_rows(day) for day in days)
    table = (
        '<table><thead><tr><th scope="col">Day</th><th scope="col">What</th><th scope="col">Did</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        if rows
        else "<p>Nothing fell due.</p>"
    )
    return page(
        "Days lived through",
        f"<p>It is now <strong>{escape(now)}</strong>. {count} days lived through.</p>{table}"
        '<p><a href="/_local/outbox">See the emails in the outbox</a> · '
        '<a href="/_local/clock">Back to the clock</a></p>',
    )


def _schedule_rows(day: dict[str, Any]) -> str:
    rows = []
    for fired in day["fired"]:
        result = fired.get("result") or {}
        done = {k: result.get(k) for k in ("reminded", "escalated", "lapsed") if result.get(k)}
        if done or "error" in fired:
            what = escape(json.dumps(done or fired.get("error")))
            rows.append(f"<tr><td>{escape(day['day'])}</td><td>{escape(fired['schedule'])}</td><td>{what}</td></tr>")
    return "".join(rows)


def _email_rows(day: dict[str, Any]) -> str:
    return "".join(
        f"<tr><td>{escape(day['day'])}</td><td>Email at {escape(email['sent_at'][11:19])} to "
        f"{escape(', '.join(email['to']))}</td><td>{escape(email['subject'])}</td></tr>"
        for email in day.get("emails", [])
    )


def schedules(items: list[Schedule], results: list[dict[str, Any]] | None = None) -> str:
    rows = "".join(
        f"<tr><td>{escape(s.name)}</td><td>{escape(s.expression)} ({escape(s.timezone)})</td>"
        f"<td>{escape(s.function)}</td><td>{'enabled' if s.enabled else 'disabled'}</td></tr>"
        for s in items
    )
    done = ""
    if results is not None:
        done = "<h2>Fired</h2>" + "".join(f"<pre>{escape(json.dumps(r, indent=2))}</pre>" for r in results)
    return page(
        "Schedules",
        '<table><thead><tr><th scope="col">Schedule</th><th scope="col">Expression</th><th scope="col">Function</th>'
        f'<th scope="col">State</th></tr></thead><tbody>{rows}</tbody></table>'
        '<form method="post" action="/_local/schedules/fire">'
        f'<button type="submit">Fire every schedule now</button></form>{done}',
    )
