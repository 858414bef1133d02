"""The local runtime: moto in-process, the template provisioned, handlers in workers, the API over HTTP."""

import json
import logging
import os
import secrets
import socket
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from safeplace.adapters.dynamodb.employers import employer_from, profile_key
from safeplace.adapters.dynamodb.table import to_item, to_plain
from safeplace_local import demo, local_routes
from safeplace_local.activity import Activity
from safeplace_local.api_gateway import serve
from safeplace_local.atomic_dynamodb import atomic_dynamodb
from safeplace_local.aws import LocalService, local_client
from safeplace_local.cfn import load_yaml
from safeplace_local.clock import SimulatedClock
from safeplace_local.directory import Directory, PoolUser
from safeplace_local.fast_dynamodb import fast_dynamodb
from safeplace_local.lambda_bridge import route_invocations
from safeplace_local.light_moto import parse_each_definition_once
from safeplace_local.local_cognito import LocalCognito
from safeplace_local.moto_clock import follow_the_clock
from safeplace_local.outbox import Outbox
from safeplace_local.provision import provision, provision_identity
from safeplace_local.starting import STARTING_HEADER, still_starting
from safeplace_local.template import REGION, Template, describe
from safeplace_local.workers import HandlerError, WorkerPool, base_environment, start_fork_server


class PortInUse(Exception):
    pass


class LocalRuntime:
    """The product from template.yaml on this machine. One per process: moto's backends are process-wide."""

    _running = threading.Lock()

    def __init__(
        self,
        template_path: Path,
        port: int = 3000,
        host: str = "127.0.0.1",
        demo: bool = False,
        parameter_overrides: dict[str, str] | None = None,
    ) -> None:
        self.template_path = Path(template_path)
        self.host = host
        self.requested_port = port
        self.demo = demo
        self.parameter_overrides = parameter_overrides or {}
        self.activity = Activity()
        # A move of the clock lets what each wait it ends starts settle before the next.
        self.clock = SimulatedClock(settle=self.activity.settle)
        self._outbox = Outbox()
        self._stack = ExitStack()
        self.base_url = ""
        self.endpoint_url = ""
        self.resources: dict[str, str] = {}
        self.demo_problem = ""
        self._template: Template | None = None
        self._pool: WorkerPool | None = None
        self._directory: Directory | None = None
        self._cognito: LocalCognito | None = None
        # Pages wait for the demo data: until then only the demo's own requests, which carry this key, are served.
        self.starting_key = secrets.token_urlsafe(16)
        self._ready = threading.Event()

    # -- life cycle -------------------------------------------------------------------------------

    def start(self) -> "LocalRuntime":
        if not LocalRuntime._running.acquire(blocking=False):
            raise RuntimeError("a LocalRuntime is already running in this process; stop it first")
        with ExitStack() as stack:
            stack.callback(LocalRuntime._running.release)
            self._start(stack)
            self._stack = stack.pop_all()
        if self.demo:
            with ExitStack() as cleanup:
                cleanup.callback(self.stop)  # a runtime whose start fails is not left running
                self.demo_problem = demo.seed(self)
                cleanup.pop_all()
            self.pool.reap(idle_before=time.monotonic())  # the demo's burst is over: its spare workers go
        self._ready.set()
        return self

    def _start(self, stack: ExitStack) -> None:
        # werkzeug logs every request path, and link paths carry tokens: tokens never reach logs.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # moto's interpreter logs every failed execution with its whole state; the execution history says it better.
        logging.getLogger("moto.stepfunctions").setLevel(logging.CRITICAL)
        listener = _listen(self.host, self.requested_port)
        port = listener.getsockname()[1]
        self.base_url = f"http://{self.host}:{port}"
        # The fork server imports the libraries while moto starts and the template is provisioned: a worker forked
        # from it is ready in about 50 ms, so none is kept warm for a function until it is first invoked.
        threading.Thread(target=start_fork_server, daemon=True).start()
        source = load_yaml(self.template_path)
        overrides = {"PublicBaseUrl": self.base_url} if "PublicBaseUrl" in source.get("Parameters", {}) else {}
        # Cognito's hosted sign-in is the one piece moto lacks: the runtime serves a stand-in at /_local/cognito.
        issuer = f"{self.base_url}/_local/cognito"
        template = describe(
            self.template_path,
            source,
            {**overrides, **self.parameter_overrides},
            {"COGNITO_DOMAIN_URL": issuer, "COGNITO_ISSUER": issuer},
        )

        stack.enter_context(atomic_dynamodb())
        stack.enter_context(fast_dynamodb())
        stack.enter_context(follow_the_clock(self.clock, self.activity))
        stack.enter_context(parse_each_definition_once())
        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        moto.start()
        stack.callback(moto.stop)
        moto_port = moto.get_host_and_port()[1]
        self.endpoint_url = f"http://127.0.0.1:{moto_port}"
        # moto's Step Functions interpreter calls Lambda at localhost:MOTO_PORT; nothing here may reach AWS.
        stack.enter_context(_environment(self.endpoint_url, moto_port))
        requests.post(f"{self.endpoint_url}/moto-api/reset", timeout=10).raise_for_status()
        stack.enter_context(_state_machines_run(self.endpoint_url))

        ids = provision_identity(template, self.client)
        self._template = template = template.with_physical_ids(ids)
        self._directory = Directory(self.client("cognito-idp"), [ids[p.logical_id] for p in template.user_pools])
        self._cognito = LocalCognito(issuer, self._directory)
        # Templates compiled by one worker are read by the next: each new worker skips compiling them again.
        cache = os.environ.get("SAFEPLACE_TEMPLATE_CACHE") or stack.enter_context(
            tempfile.TemporaryDirectory(prefix="safeplace-templates-")
        )
        environment = base_environment(self.endpoint_url, REGION, template_cache=cache)
        self._pool = WorkerPool(template.functions, environment, self.clock.now)
        stack.enter_context(route_invocations(set(template.functions), self.invoke))
        stack.callback(self._pool.stop)  # before the route goes: late invocations fail quietly, not in Docker
        self.resources = {**ids, **provision(template, self.client)}

        http = make_server(self.host, port, self.wsgi_app, threaded=True, fd=listener.fileno())
        listener.close()  # werkzeug holds its own duplicate of the socket
        threading.Thread(target=http.serve_forever, daemon=True).start()
        stack.callback(http.server_close)
        stack.callback(http.shutdown)

    def stop(self) -> None:
        self._stack.close()

    def __enter__(self) -> "LocalRuntime":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- what the CLI, pages and tests use ----------------------------------------------------------

    @property
    def template(self) -> Template:
        assert self._template is not None, "start() the runtime first"
        return self._template

    @property
    def pool(self) -> WorkerPool:
        assert self._pool is not None, "start() the runtime first"
        return self._pool

    @property
    def directory(self) -> Directory:
        assert self._directory is not None, "start() the runtime first"
        return self._directory

    @property
    def cognito(self) -> LocalCognito:
        assert self._cognito is not None, "start() the runtime first"
        return self._cognito

    def client(self, service: LocalService) -> Any:
        return local_client(service, self.endpoint_url)

    def invoke(self, function_name: str, event: Any) -> Any:
        """The function's result; a failure raises HandlerError with Lambda's errorType and errorMessage."""
        try:
            with self.activity.invocation():
                return self.pool.invoke(function_name, event)
        finally:
            self._outbox.note(self.clock.now())  # each new email's send time: now

    def inject_fault(self, function_name: str, error_type: str, count: int = 1) -> None:
        self.pool.inject_fault(function_name, error_type, count)

    def outbox(self, to: str | None = None) -> list[dict[str, Any]]:
        return [m.as_json() for m in self._outbox.emails(self.clock.now(), to)]

    def now(self) -> datetime:
        return self.clock.now()

    def set_clock(self, moment: datetime) -> datetime:
        """Every handler's `now` from here on: `moment`, moving on in real time. A move forward ends the
        workflows' waits it passes on the way, in the order they fall due."""
        return self.clock.set(moment)

    def fire_schedules(self, name: str | None = None) -> list[dict[str, Any]]:
        """Each schedule's target invoked now with its input, as EventBridge would at its next time."""
        fired: list[dict[str, Any]] = []
        for schedule in self.template.schedules:
            if name not in (None, schedule.name):
                continue
            outcome: dict[str, Any] = {"schedule": schedule.name, "function": schedule.function}
            try:
                outcome["result"] = self.invoke(schedule.function, schedule.event(self.now()))
            except HandlerError as error:
                outcome["error"] = error.payload
            fired.append(outcome)
        return fired

    def live_through(self, days: int) -> list[dict[str, Any]]:
        """Move the clock on a day at a time, firing every schedule once a day, as a deployment would live
        through those days. Each day lists what the schedules did, and every email sent that day: the sweep's,
        and the workflows' reminders, escalations and timeouts, which the clock wakes on their day."""
        started = self.now()
        lived: list[dict[str, Any]] = []
        for _ in range(days):
            self.clock.advance(timedelta(days=1))
            lived.append({"day": self.now().date().isoformat(), "fired": self.fire_schedules()})
        self.clock.settle()  # what the last day's schedules started
        return _with_emails(lived, self.outbox(), started)

    def employer_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Each employer's name by id, for the pages that tell what happened to whom; one not found is left out."""
        table, names = self.resources.get("Table"), {}
        for employer_id in ids if table else ():
            item = self.client("dynamodb").get_item(TableName=table, Key=to_item(profile_key(employer_id))).get("Item")
            if item:
                names[employer_id] = employer_from(to_plain(item)).name
        return names

    def workflows_waiting(self) -> dict[str, list[str]]:
        """The executions running in each workflow, by its logical id: each the name of the employer it is for where
        its input says (onboarding's), else "". What moving the clock on may wake."""
        stepfunctions, running = self.client("stepfunctions"), {}
        for machine in self.template.state_machines.values():
            found = stepfunctions.list_executions(stateMachineArn=machine.arn, statusFilter="RUNNING")["executions"]
            if found:
                inputs = [
                    json.loads(stepfunctions.describe_execution(executionArn=e["executionArn"])["input"]) for e in found
                ]
                names = self.employer_names(i["employer_id"] for i in inputs if "employer_id" in i)
                running[machine.logical_id] = [names.get(i.get("employer_id", ""), "") for i in inputs]
        return running

    def staff_users(self) -> list[PoolUser]:
        return self.directory.users()

    def add_staff_users(self, users: dict[str, str]) -> None:
        """email -> group, in every user pool of the template."""
        self.directory.add(users)

    def info(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "endpoint_url": self.endpoint_url,
            "resources": self.resources,
            "now": self.now().isoformat(),
        }

    # -- HTTP ---------------------------------------------------------------------------------------

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if not self._ready.is_set() and request.headers.get(STARTING_HEADER) != self.starting_key:
            response = still_starting(request)
        elif request.path == "/":
            response = Response(status=303, headers={"Location": "/_local/"})
        elif request.path == "/_local" or request.path.startswith("/_local/"):
            response = local_routes.handle(self, request)
        else:
            response = serve(request, self.template.routes, self.invoke, self.cognito.claims)
        return response(environ, start_response)


def _with_emails(lived: list[dict[str, Any]], emails: list[dict[str, Any]], since: datetime) -> list[dict[str, Any]]:
    """Each day lived through with the emails sent on it; the day the clock started on comes first if it has any."""
    sent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for email in emails:
        if datetime.fromisoformat(email["sent_at"]) > since:
            sent[email["sent_at"][:10]].append({k: email[k] for k in ("sent_at", "to", "subject")})
    first = since.date().isoformat()
    days = ([{"day": first, "fired": []}] if sent.get(first) else []) + lived
    return [{**day, "emails": sent.get(day["day"], [])} for day in days]


def _listen(host: str, port: int) -> socket.socket:
    # Bind first: werkzeug would exit the process itself on a taken port, without our explanation.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait out TIME_WAIT
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise PortInUse(f"port {port} on {host} is already in use") from error
    listener.listen(128)
    return listener


@contextmanager
def _environment(endpoint_url: str, moto_port: int) -> Iterator[None]:
    """This process's AWS settings while the runtime runs: moto only, placeholder credentials; then as before."""
    no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1,localhost"]))
    values = {
        "MOTO_PORT": str(moto_port),
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "NO_PROXY": no_proxy,
    }
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _state_machines_run(endpoint: str) -> Iterator[None]:
    """moto's Step Functions interpreter on for this runtime (the setting is process-wide), then as before."""
    before = dict(default_user_config.get("stepfunctions", {}))
    config = {"stepfunctions": {"execute_state_machine": True}}
    requests.post(f"{endpoint}/moto-api/config", json=config, timeout=10).raise_for_status()
    try:
        yield
    finally:
        default_user_config["stepfunctions"] = before  # type: ignore[typeddict-item]
