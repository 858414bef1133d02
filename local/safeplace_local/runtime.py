"""The local runtime: moto in-process, the template provisioned, handlers in workers, the API over HTTP."""

import logging
import os
import socket
import threading
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import requests
from moto.server import ThreadedMotoServer
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from safeplace_local import local_pages
from safeplace_local.api_gateway import json_response, serve
from safeplace_local.aws import local_client
from safeplace_local.clock import SimulatedClock
from safeplace_local.lambda_bridge import route_invocations
from safeplace_local.local_cognito import DEV_USER_COOKIE, LocalCognito
from safeplace_local.outbox import Outbox
from safeplace_local.provision import provision
from safeplace_local.template import REGION, Template, load
from safeplace_local.workers import WorkerPool, base_environment


class PortInUse(Exception):
    pass


class LocalRuntime:
    def __init__(
        self,
        template_path: Path,
        port: int = 3000,
        host: str = "127.0.0.1",
        parameter_overrides: dict[str, str] | None = None,
    ) -> None:
        self.template_path = template_path
        self.host = host
        self.requested_port = port
        self.parameter_overrides = parameter_overrides or {}
        self.clock = SimulatedClock()
        self.outbox = Outbox()
        self._stack = ExitStack()
        self._http: BaseWSGIServer | None = None
        self.template: Template | None = None
        self.cognito: LocalCognito | None = None
        self.pool: WorkerPool | None = None
        self.resources: dict[str, str] = {}
        self.endpoint_url = ""
        self.base_url = ""

    # -- life cycle -------------------------------------------------------------------------------

    def start(self) -> "LocalRuntime":
        # werkzeug logs every request path, and link paths carry tokens: tokens never reach logs.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # moto's interpreter logs every failed execution with its whole state; the execution history says it better.
        logging.getLogger("moto.stepfunctions").setLevel(logging.CRITICAL)
        # Bind first: werkzeug would exit the process itself on a taken port, without our explanation.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait out TIME_WAIT
        try:
            listener.bind((self.host, self.requested_port))
        except OSError as error:
            listener.close()
            raise PortInUse(f"port {self.requested_port} on {self.host} is already in use") from error
        listener.listen(128)
        port = listener.getsockname()[1]
        self._http = make_server(self.host, port, self._wsgi, threaded=True, fd=listener.fileno())
        listener.close()  # werkzeug holds its own duplicate of the socket
        self.base_url = f"http://{self.host}:{port}"
        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        moto.start()
        self._stack.callback(moto.stop)
        moto_port = moto.get_host_and_port()[1]
        self.endpoint_url = f"http://127.0.0.1:{moto_port}"
        # moto's Step Functions interpreter calls Lambda at localhost:MOTO_PORT.
        os.environ["MOTO_PORT"] = str(moto_port)
        requests.post(
            f"{self.endpoint_url}/moto-api/config", json={"stepfunctions": {"execute_state_machine": True}}, timeout=10
        ).raise_for_status()
        overrides = {"PublicBaseUrl": self.base_url, **self.parameter_overrides}
        # Cognito's hosted sign-in is the one piece moto lacks: the runtime serves a stand-in at /_local/cognito.
        self.cognito = LocalCognito(f"{self.base_url}/_local/cognito", self.staff_users)
        cognito = {"COGNITO_DOMAIN_URL": self.cognito.issuer, "COGNITO_ISSUER": self.cognito.issuer}
        self.template = load(self.template_path, overrides, cognito)
        self.pool = WorkerPool(self.template.functions, base_environment(self.endpoint_url, REGION), self.clock.now)
        self._stack.callback(self.pool.stop)
        self._stack.enter_context(route_invocations(set(self.template.functions), self.invoke))
        self.resources = provision(self.template, self.endpoint_url)
        # Warm one worker per function in the background, so the first request does not wait for imports.
        for name in self.template.functions:
            threading.Thread(target=self.pool.warm, args=(name,), daemon=True).start()
        thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        thread.start()
        self._stack.callback(self._http.shutdown)
        return self

    def stop(self) -> None:
        self._stack.close()

    def __enter__(self) -> "LocalRuntime":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- what tests and pages use -------------------------------------------------------------------

    def client(self, service: str) -> Any:
        return local_client(service, self.endpoint_url)

    def invoke(self, function_name: str, event: Any) -> Any:
        assert self.pool is not None
        try:
            return self.pool.invoke(function_name, event)
        finally:
            self.outbox.emails(self.clock.now())  # note each new email's send time now

    def emails(self) -> list[dict[str, Any]]:
        return [m.as_json() for m in self.outbox.emails(self.clock.now())]

    def fire_schedules(self, name: str | None = None) -> list[dict[str, Any]]:
        assert self.template is not None
        fired = []
        for schedule in self.template.schedules:
            if name in (None, schedule.name):
                fired.append({"schedule": schedule.name, "result": self.invoke(schedule.function, schedule.payload)})
        return fired

    def staff_users(self) -> list[dict[str, Any]]:
        cognito = self.client("cognito-idp")
        users = []
        for pool_id in self.user_pools():
            for user in cognito.list_users(UserPoolId=pool_id)["Users"]:
                groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=user["Username"])["Groups"]
                attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                users.append(
                    {
                        "username": user["Username"],
                        "pool": pool_id,
                        "sub": attributes.get("sub", ""),
                        "email": attributes.get("email", user["Username"]),
                        "groups": sorted(g["GroupName"] for g in groups),
                    }
                )
        return sorted(users, key=lambda u: u["username"])

    def user_pools(self) -> list[str]:
        assert self.template is not None
        return [self.resources[name] for name in self.template.resources("AWS::Cognito::UserPool")]

    def _claims(self, request: Request) -> dict[str, str] | None:
        username = request.cookies.get(DEV_USER_COOKIE)
        if not username:
            return None
        for user in self.staff_users():
            if user["username"] == username:
                # The claims API Gateway's Cognito authorizer passes on; groups as one string, as REST APIs do.
                return {
                    "sub": user["sub"],
                    "email": user["email"],
                    "cognito:username": user["username"],
                    "cognito:groups": ",".join(user["groups"]),
                    "token_use": "id",
                }
        return None

    # -- HTTP -----------------------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/":
            response = Response(status=303, headers={"Location": "/_local/"})
        elif request.path.startswith("/_local"):
            response = self._local(request)
        else:
            assert self.template is not None
            response = serve(request, self.template.routes, self.invoke, self._claims)
        return response(environ, start_response)

    def _local(self, request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/_local", request.method
        if path == "/_local" and method == "GET":
            return _html(local_pages.index(self.base_url, self.endpoint_url))
        if path == "/_local/runtime.json":
            return json_response(
                200,
                {
                    "base_url": self.base_url,
                    "endpoint_url": self.endpoint_url,
                    "resources": self.resources,
                    "now": self.clock.now().isoformat(),
                },
            )
        if path.startswith("/_local/cognito/"):
            assert self.cognito is not None
            return self.cognito.handle(request, path.removeprefix("/_local/cognito"))
        if path == "/_local/sign-in":
            # A short way in: the console's own sign-in, which comes to the stand-in hosted sign-in.
            return Response(status=303, headers={"Location": f"/staff/sign-in?{urlencode(request.args.to_dict())}"})
        if path == "/_local/outbox.json":
            wanted = request.args.get("to")
            emails = [m for m in self.emails() if not wanted or wanted in m["to"]]
            return json_response(200, emails)
        if path == "/_local/outbox":
            return _html(local_pages.outbox(self.emails()))
        if path == "/_local/clock":
            return self._clock(request)
        if path == "/_local/schedules" and method == "GET":
            assert self.template is not None
            return _html(local_pages.schedules([s.__dict__ for s in self.template.schedules]))
        if path == "/_local/schedules/fire" and method == "POST":
            fired = self.fire_schedules(_fields(request).get("name") or None)
            if _wants_json(request):
                return json_response(200, fired)
            assert self.template is not None
            return _html(local_pages.schedules([s.__dict__ for s in self.template.schedules], fired))
        if path == "/_local/faults" and method == "POST":
            fields = _fields(request)
            assert self.pool is not None
            self.pool.inject_fault(fields["function"], fields["error_type"], int(fields.get("count", 1)))
            return json_response(200, {"injected": fields})
        return json_response(404, {"message": f"no local route {method} {path}"})

    def _clock(self, request: Request) -> Response:
        if request.method == "POST":
            fields = _fields(request)
            try:
                if fields.get("now"):
                    self.clock.set(datetime.fromisoformat(str(fields["now"])))
                elif fields.get("advance_days"):
                    self.clock.advance(timedelta(days=float(fields["advance_days"])))
                else:
                    return json_response(400, {"message": "Send `now` (ISO 8601) or `advance_days`"})
            except ValueError as error:
                return json_response(400, {"message": f"Not a date and time or a number of days: {error}"})
        if _wants_json(request):
            return json_response(200, {"now": self.clock.now().isoformat()})
        return _html(local_pages.clock(self.clock.now().isoformat(timespec="seconds")))


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def _wants_json(request: Request) -> bool:
    return request.is_json or "application/json" in request.headers.get("Accept", "")


def _fields(request: Request) -> dict[str, Any]:
    if request.is_json:
        return dict(request.get_json(silent=True) or {})
    return {**request.args.to_dict(), **request.form.to_dict()}


def seed_users(runtime: LocalRuntime, users: dict[str, str]) -> None:
    """One Cognito user per role (username -> group); no passwords: the dev sign-in needs none."""
    cognito = runtime.client("cognito-idp")
    for pool_id in runtime.user_pools():
        for username, group in users.items():
            cognito.admin_create_user(
                UserPoolId=pool_id,
                Username=username,
                MessageAction="SUPPRESS",
                UserAttributes=[{"Name": "email", "Value": username}, {"Name": "email_verified", "Value": "true"}],
            )
            cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
