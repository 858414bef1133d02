"""Reads template.yaml and resolves what the local runtime needs from it. The template is never restated."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

REGION = "eu-west-2"
ACCOUNT = "123456789012"
STACK = "safeplace"


@dataclass(frozen=True)
class ApiRoute:
    path: str
    method: str
    function: str
    protected: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(self.path))
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
        return re.compile(f"^{regex}$")

    @property
    def specificity(self) -> tuple[int, int, int]:
        # API Gateway prefers literal paths, then {param}, then {proxy+}; then the longer path.
        return ("+}" not in self.path, self.path.count("{") == 0, len(self.path))


@dataclass(frozen=True)
class Schedule:
    name: str
    function: str
    expression: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Function:
    logical_id: str
    name: str
    code_dir: Path
    handler: str
    environment: dict[str, str]

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.name}"


@dataclass(frozen=True)
class StateMachine:
    logical_id: str
    name: str
    definition: str

    @property
    def arn(self) -> str:
        return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{self.name}"


@dataclass
class Template:
    path: Path
    raw: dict[str, Any]
    parameters: dict[str, str]
    functions: dict[str, Function] = field(default_factory=dict)
    state_machines: dict[str, StateMachine] = field(default_factory=dict)
    routes: list[ApiRoute] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.raw["Resources"].items() if r["Type"] == kind}

    # -- intrinsic functions --------------------------------------------------------------------

    def physical_name(self, logical_id: str) -> str:
        resource = self.raw["Resources"][logical_id]
        props = resource.get("Properties", {})
        kind = resource["Type"]
        explicit = {
            "AWS::DynamoDB::Table": "TableName",
            "AWS::S3::Bucket": "BucketName",
            "AWS::Serverless::Function": "FunctionName",
            "AWS::Serverless::StateMachine": "Name",
        }.get(kind)
        if explicit and explicit in props:
            return str(self.resolve(props[explicit]))
        if kind == "AWS::Serverless::Function":
            return logical_id
        if kind == "AWS::Serverless::StateMachine":
            return logical_id
        if kind == "AWS::S3::Bucket":
            return f"{STACK}-{logical_id}".lower()
        return f"{STACK}-{logical_id}"

    def arn(self, logical_id: str) -> str:
        kind = self.raw["Resources"][logical_id]["Type"]
        name = self.physical_name(logical_id)
        return {
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}",
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
            "AWS::Serverless::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
            "AWS::Serverless::StateMachine": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}",
            "AWS::Cognito::UserPool": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{name}",
        }.get(kind, f"arn:aws:local:{REGION}:{ACCOUNT}:{logical_id}")

    def ref(self, name: str) -> str:
        pseudo = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::StackName": STACK, "AWS::Partition": "aws"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        kind = self.raw["Resources"][name]["Type"]
        if kind == "AWS::Serverless::StateMachine":
            return self.arn(name)
        return self.physical_name(name)

    def get_att(self, logical_id: str, attribute: str) -> str:
        if attribute == "Arn":
            return self.arn(logical_id)
        if attribute == "Name":
            return self.physical_name(logical_id)
        raise ValueError(f"the local runtime does not know {logical_id}.{attribute}")

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                logical_id, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
                return self.get_att(logical_id, attribute)
            if key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

                def substitute(match: re.Match[str]) -> str:
                    name = match.group(1)
                    if name in variables:
                        return str(self.resolve(variables[name]))
                    if "." in name and not name.startswith("AWS::"):
                        return self.get_att(*name.split(".", 1))
                    return self.ref(name)

                return re.sub(r"\$\{([^}!]+)\}", substitute, text)
            if key == "Fn::Join":
                return str(arg[0]).join(str(self.resolve(v)) for v in arg[1])
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value


def load(
    path: Path,
    parameter_overrides: dict[str, str] | None = None,
    environment_overrides: dict[str, str] | None = None,
) -> Template:
    """The template resolved; `environment_overrides` replaces a variable wherever a function has it."""
    raw = json.loads(json.dumps(cfn_yaml.load(str(path))))
    parameters = {name: str(p.get("Default", "")) for name, p in raw.get("Parameters", {}).items()}
    parameters.update(parameter_overrides or {})
    template = Template(path=path, raw=raw, parameters=parameters)
    root = path.parent
    global_env = raw.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for logical_id, resource in template.resources("AWS::Serverless::Function").items():
        props = resource["Properties"]
        own_env = props.get("Environment", {}).get("Variables", {})
        environment = {k: str(template.resolve(v)) for k, v in {**global_env, **own_env}.items()}
        environment.update({k: v for k, v in (environment_overrides or {}).items() if k in environment})
        function = Function(
            logical_id=logical_id,
            name=template.physical_name(logical_id),
            code_dir=root / props["CodeUri"],
            handler=props["Handler"],
            environment=environment,
        )
        template.functions[function.name] = function
        for event_name, event in props.get("Events", {}).items():
            event_props = event.get("Properties", {})
            if event["Type"] == "Api":
                authorizer = (event_props.get("Auth") or {}).get("Authorizer")
                template.routes.append(
                    ApiRoute(
                        path=event_props["Path"],
                        method=event_props["Method"].upper(),
                        function=function.name,
                        protected=bool(authorizer) and authorizer != "NONE",
                    )
                )
            elif event["Type"] in ("ScheduleV2", "Schedule"):
                template.schedules.append(
                    Schedule(
                        name=f"{logical_id}{event_name}",
                        function=function.name,
                        expression=event_props["ScheduleExpression"],
                        payload=json.loads(event_props.get("Input") or "{}"),
                    )
                )
    template.routes.sort(key=lambda r: r.specificity, reverse=True)
    for logical_id, resource in template.resources("AWS::Serverless::StateMachine").items():
        props = resource["Properties"]
        definition = (root / props["DefinitionUri"]).read_text()
        for key, value in props.get("DefinitionSubstitutions", {}).items():
            definition = definition.replace("${" + key + "}", str(template.resolve(value)))
        unresolved = re.findall(r"\$\{(\w+)\}", definition)
        if unresolved:
            raise ValueError(f"{logical_id}: no DefinitionSubstitutions for {unresolved}")
        name = template.physical_name(logical_id)
        template.state_machines[name] = StateMachine(logical_id=logical_id, name=name, definition=definition)
    return template
