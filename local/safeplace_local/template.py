"""template.yaml described as what the local runtime creates and runs. The template is never restated."""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from safeplace_local.cfn import ACCOUNT, REGION, Stack, TemplateError, as_text, load_yaml

__all__ = ["ACCOUNT", "REGION", "ApiRoute", "Function", "Schedule", "StateMachine", "Template", "TemplateError", "load"]


@dataclass(frozen=True)
class ApiRoute:
    path: str
    method: str
    function: str
    protected: bool  # behind the API's Cognito user pool authorizer
    stage: str = "Prod"

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(self.path))
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
        return re.compile(f"^{regex}$")

    @property
    def specificity(self) -> tuple[bool, bool, int, bool]:
        # API Gateway prefers a literal path, then {param}, then {proxy+}; then a method over ANY.
        return ("+}" not in self.path, "{" not in self.path, len(self.path), self.method != "ANY")


@dataclass(frozen=True)
class Schedule:
    name: str
    function: str
    expression: str
    payload: dict[str, Any] | None  # None: an EventBridge rule's own "Scheduled Event"
    kind: str = "ScheduleV2"
    timezone: str = "UTC"
    enabled: bool = True

    def event(self, now: datetime) -> dict[str, Any]:
        if self.payload is not None:
            return self.payload
        return {
            "version": "0",
            "id": f"local-{self.name}",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": ACCOUNT,
            "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": REGION,
            "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{self.name}"],
            "detail": {},
        }


@dataclass(frozen=True)
class Function:
    logical_id: str
    name: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    runtime: str = "python3.13"
    timeout: float = 3.0
    memory_size: int = 128

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.name}"


@dataclass(frozen=True)
class StateMachine:
    logical_id: str
    name: str
    definition: str
    type: str = "STANDARD"

    @property
    def arn(self) -> str:
        return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{self.name}"


@dataclass(frozen=True)
class Table:
    logical_id: str
    name: str
    create_arguments: dict[str, Any]
    time_to_live: dict[str, Any] | None


@dataclass(frozen=True)
class Bucket:
    logical_id: str
    name: str
    versioning: dict[str, Any] | None
    public_access_block: dict[str, Any] | None


@dataclass(frozen=True)
class UserPool:
    logical_id: str
    name: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class UserPoolClient:
    logical_id: str
    pool: str  # the user pool's logical id
    properties: dict[str, Any]


@dataclass(frozen=True)
class UserPoolGroup:
    logical_id: str
    pool: str
    name: str
    description: str


@dataclass
class Template:
    path: Path
    stack: Stack
    environment_overrides: dict[str, str] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    routes: list[ApiRoute] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    state_machines: dict[str, StateMachine] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    user_pools: list[UserPool] = field(default_factory=list)
    user_pool_clients: list[UserPoolClient] = field(default_factory=list)
    groups: list[UserPoolGroup] = field(default_factory=list)
    email_identities: list[str] = field(default_factory=list)  # what functions may send email as

    @property
    def parameters(self) -> dict[str, Any]:
        return self.stack.parameters

    def resolve(self, value: Any) -> Any:
        return self.stack.resolve(value)

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.stack.resources.items()
            if resource["Type"] == kind and self.stack.included(resource)
        }

    def with_physical_ids(self, physical_ids: dict[str, str]) -> "Template":
        """Described again now that the ids services generate (a user pool's, a client's) are known."""
        stack = Stack(self.stack.raw, self.stack.parameters, {**self.stack.physical_ids, **physical_ids})
        return _describe(self.path, stack, self.environment_overrides)


def load(
    path: Path,
    parameter_overrides: dict[str, str] | None = None,
    environment_overrides: dict[str, str] | None = None,
) -> Template:
    return describe(path, load_yaml(path), parameter_overrides, environment_overrides)


def describe(
    path: Path,
    source: dict[str, Any],
    parameter_overrides: dict[str, str] | None = None,
    environment_overrides: dict[str, str] | None = None,
) -> Template:
    """`environment_overrides` replaces a variable wherever a function has one (what moto cannot serve)."""
    parameters = _parameters(source.get("Parameters", {}), parameter_overrides or {})
    return _describe(path, Stack(source, parameters, {}), environment_overrides or {})


def _describe(path: Path, stack: Stack, environment_overrides: dict[str, str]) -> Template:
    template = Template(path=path, stack=stack, environment_overrides=environment_overrides)
    root = path.parent
    globals_ = stack.raw.get("Globals", {})
    for logical_id, resource in template.resources("AWS::Serverless::Function").items():
        props = _merge(globals_.get("Function", {}), resource.get("Properties", {}))
        function = _function(template, logical_id, props, root)
        template.functions[function.name] = function
        template.email_identities.extend(_email_identities(template, props.get("Policies", [])))
        for event_name, event in props.get("Events", {}).items():
            event_props = event.get("Properties", {})
            if event["Type"] == "Api":
                template.routes.append(_route(template, function.name, event_props))
            elif event["Type"] in ("ScheduleV2", "Schedule"):
                template.schedules.append(_schedule(template, f"{logical_id}{event_name}", function, event))
    template.routes.sort(key=lambda r: r.specificity, reverse=True)
    for logical_id, resource in template.resources("AWS::Serverless::StateMachine").items():
        machine = _state_machine(template, logical_id, resource.get("Properties", {}), root)
        template.state_machines[machine.name] = machine
    _describe_storage(template)
    _describe_identity(template)
    return template


def _function(template: Template, logical_id: str, props: dict[str, Any], root: Path) -> Function:
    if "CodeUri" not in props or props.get("PackageType") == "Image":
        raise TemplateError(f"{logical_id}: the local runtime runs zip functions with a CodeUri folder only")
    variables = template.resolve(props.get("Environment", {}).get("Variables", {}))
    environment = {k: as_text(v) for k, v in variables.items()}
    environment.update({k: v for k, v in template.environment_overrides.items() if k in environment})
    return Function(
        logical_id=logical_id,
        name=template.stack.physical_name(logical_id),
        code_dir=(root / template.resolve(props["CodeUri"])).resolve(),
        handler=template.resolve(props["Handler"]),
        environment=environment,
        runtime=template.resolve(props.get("Runtime", "python3.13")),
        timeout=float(template.resolve(props.get("Timeout", 3))),
        memory_size=int(template.resolve(props.get("MemorySize", 128))),
    )


def _route(template: Template, function: str, event: dict[str, Any]) -> ApiRoute:
    api_ref = event.get("RestApiId")
    api_id = api_ref.get("Ref") if isinstance(api_ref, dict) else None  # None: SAM's implicit API
    api = _merge(
        template.stack.raw.get("Globals", {}).get("Api", {}),
        template.stack.resources[api_id].get("Properties", {}) if api_id else {},
    )
    auth = api.get("Auth", {})
    authorizer = (event.get("Auth") or {}).get("Authorizer", auth.get("DefaultAuthorizer"))
    if authorizer not in (None, "NONE") and "UserPoolArn" not in auth.get("Authorizers", {}).get(authorizer, {}):
        raise TemplateError(f"{event['Path']}: the local runtime supports Cognito user pool authorizers only")
    return ApiRoute(
        path=event["Path"],
        method=event["Method"].upper(),
        function=function,
        protected=authorizer not in (None, "NONE"),
        stage=as_text(template.resolve(api.get("StageName", "Prod"))),
    )


def _schedule(template: Template, name: str, function: Function, event: dict[str, Any]) -> Schedule:
    props = template.resolve(event.get("Properties", {}))
    enabled = props.get("State", "ENABLED") == "ENABLED" and props.get("Enabled", True) is not False
    payload = json.loads(props["Input"]) if "Input" in props else None
    if payload is None and event["Type"] == "ScheduleV2":
        payload = {}  # EventBridge Scheduler sends "{}" when a schedule has no Input
    return Schedule(
        name=props.get("Name", name),
        function=function.name,
        expression=props.get("ScheduleExpression") or props["Schedule"],
        payload=payload,
        kind=event["Type"],
        timezone=props.get("ScheduleExpressionTimezone", "UTC"),
        enabled=enabled,
    )


def _state_machine(template: Template, logical_id: str, props: dict[str, Any], root: Path) -> StateMachine:
    if "Definition" in props:
        definition = json.dumps(template.resolve(props["Definition"]))
    elif isinstance(props.get("DefinitionUri"), str):
        definition = (root / props["DefinitionUri"]).read_text()
    else:
        raise TemplateError(f"{logical_id}: the local runtime reads a local DefinitionUri file or an inline Definition")
    for key, value in template.resolve(props.get("DefinitionSubstitutions", {})).items():
        definition = definition.replace("${" + key + "}", as_text(value))
    unresolved = re.findall(r"\$\{(\w+)\}", definition)
    if unresolved:
        raise TemplateError(f"{logical_id}: no DefinitionSubstitutions for {sorted(set(unresolved))}")
    return StateMachine(
        logical_id=logical_id,
        name=template.stack.physical_name(logical_id),
        definition=definition,
        type=props.get("Type", "STANDARD"),
    )


def _email_identities(template: Template, policies: Any) -> list[str]:
    """The SES identities named by SAM policy templates such as SESCrudPolicy: {IdentityName: ...}."""
    found = []
    for policy in policies if isinstance(policies, list) else [policies]:
        if isinstance(policy, dict) and len(policy) == 1:
            ((name, args),) = policy.items()
            if name.startswith("SES") and isinstance(args, dict) and "IdentityName" in args:
                found.append(as_text(template.resolve(args["IdentityName"])))
    return found


def _describe_storage(template: Template) -> None:
    create_table: tuple[str, ...] = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes")
    create_table += ("LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "StreamSpecification")
    for logical_id, resource in template.resources("AWS::DynamoDB::Table").items():
        props = template.resolve(resource.get("Properties", {}))
        template.tables.append(
            Table(
                logical_id=logical_id,
                name=template.stack.physical_name(logical_id),
                create_arguments={k: props[k] for k in create_table if k in props},
                time_to_live=props.get("TimeToLiveSpecification"),
            )
        )
    for logical_id, resource in template.resources("AWS::S3::Bucket").items():
        props = template.resolve(resource.get("Properties", {}))
        template.buckets.append(
            Bucket(
                logical_id=logical_id,
                name=template.stack.physical_name(logical_id),
                versioning=props.get("VersioningConfiguration"),
                public_access_block=props.get("PublicAccessBlockConfiguration"),
            )
        )


def _describe_identity(template: Template) -> None:
    def pool_of(props: dict[str, Any]) -> str:
        return str(props["UserPoolId"]["Ref"])  # kept as the logical id: the pool's id comes later

    for resource in template.resources("AWS::SES::EmailIdentity").values():
        template.email_identities.append(as_text(template.resolve(resource["Properties"]["EmailIdentity"])))
    template.email_identities[:] = sorted(set(template.email_identities))
    for logical_id, resource in template.resources("AWS::Cognito::UserPool").items():
        props = template.resolve(resource.get("Properties", {}))
        template.user_pools.append(UserPool(logical_id, props.get("UserPoolName", logical_id), props))
    for logical_id, resource in template.resources("AWS::Cognito::UserPoolClient").items():
        props = resource.get("Properties", {})
        resolved = template.resolve({k: v for k, v in props.items() if k != "UserPoolId"})
        template.user_pool_clients.append(UserPoolClient(logical_id, pool_of(props), resolved))
    for logical_id, resource in template.resources("AWS::Cognito::UserPoolGroup").items():
        props = resource["Properties"]
        name, description = template.resolve(props["GroupName"]), template.resolve(props.get("Description", ""))
        template.groups.append(UserPoolGroup(logical_id, pool_of(props), name, description))


def _merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """SAM's Globals: maps merge (the resource wins), lists add up (globals first), scalars are replaced."""
    merged = dict(defaults)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and not _is_intrinsic(value):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        else:
            merged[key] = value
    return merged


def _is_intrinsic(value: dict[str, Any]) -> bool:
    if len(value) != 1:
        return False
    key = next(iter(value))
    return key in ("Ref", "Condition") or key.startswith("Fn::")


def _parameters(declared: dict[str, dict[str, Any]], overrides: dict[str, str]) -> dict[str, Any]:
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise TemplateError(f"template.yaml has no parameter {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if name not in overrides and "Default" not in spec:
            raise TemplateError(f"parameter {name} has no Default: give it a value")
        value = as_text(overrides.get(name, spec.get("Default")))
        problem = _invalid(spec, value)
        if problem:
            raise TemplateError(f"parameter {name}={value!r}: {problem}")
        kind = str(spec.get("Type", "String"))
        values[name] = value.split(",") if kind.startswith("List<") or kind == "CommaDelimitedList" else value
    return values


def _invalid(spec: dict[str, Any], value: str) -> str:
    """What CloudFormation would refuse about a parameter's value, or ''."""
    if "AllowedValues" in spec and value not in [as_text(v) for v in spec["AllowedValues"]]:
        return f"must be one of {spec['AllowedValues']}"
    if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
        return f"must match {spec['AllowedPattern']}"
    if spec.get("Type") == "Number":
        try:
            number = float(value)
        except ValueError:
            return "must be a number"
        if number < float(spec.get("MinValue", number)) or number > float(spec.get("MaxValue", number)):
            return f"must be between {spec.get('MinValue')} and {spec.get('MaxValue')}"
    if not int(spec.get("MinLength", 0)) <= len(value) <= int(spec.get("MaxLength", len(value))):
        return "has the wrong length"
    return ""
