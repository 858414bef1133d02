"""What the runtime answers while it is still starting: that it is starting, not a page without its data.

Its own demo requests carry a key that only this process knows, so they are answered meanwhile.
"""

from werkzeug.wrappers import Request, Response

from safeplace_local.local_pages import page

STARTING_HEADER = "X-Safeplace-Local-Starting"
RETRY_SECONDS = 2


def still_starting(request: Request) -> Response:
    message = "Safeplace is still starting: it is making its demo data. Try again in a few seconds."
    headers = {"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"}
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return Response(f'{{"message": "{message}"}}', status=503, headers=headers, mimetype="application/json")
    body = page("Safeplace is still starting", f"<p>{message}</p><p>This page reloads itself.</p>")
    refresh = f'<meta http-equiv="refresh" content="{RETRY_SECONDS}">'
    return Response(body.replace("<head>", f"<head>{refresh}", 1), status=503, headers=headers, mimetype="text/html")
