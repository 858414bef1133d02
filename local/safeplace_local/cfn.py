"""CloudFormation's YAML and intrinsic functions, as far as one stack run locally needs them."""

import base64
import re
from pathlib import Path
from typing import Any

import yaml

REGION = "eu-west-2"
ACCOUNT = "123456789012"
STACK = "safeplace"
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::StackName": STACK,
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/local",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}


class TemplateError(Exception):
    """Something in template.yaml the local runtime cannot run, said plainly."""


# Ref AWS::NoValue removes the property or list item it stands in.
NO_VALUE = object()

_SHORT_TAGS: tuple[str, ...] = ("Ref", "Condition", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals")
_SHORT_TAGS += ("Not", "And", "Or", "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Transform")


class _Loader(yaml.SafeLoader):
    pass


# Everything in a template is a string to CloudFormation: "2027-01-31" must not become a date.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _short_form(tag: str) -> Any:
    def construct(loader: _Loader, node: yaml.Node) -> dict[str, Any]:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        if tag == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {tag if tag in ("Ref", "Condition") else f"Fn::{tag}": value}

    return construct


for _tag in _SHORT_TAGS:
    _Loader.add_constructor(f"!{_tag}", _short_form(_tag))


def load_yaml(path: Path) -> dict[str, Any]:
    return dict(yaml.load(path.read_text(), Loader=_Loader))  # noqa: S506 - a SafeLoader with CFN's tags


def as_text(value: Any) -> str:
    # CloudFormation hands every scalar on as a string; YAML's true is "true", not Python's "True".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Stack:
    """One stack's values: parameters, conditions, and the names and ARNs its resources get locally.

    `physical_ids` holds what a service generates at creation (a user pool's id, a client's id); until a
    resource is created its Ref is a placeholder.
    """

    def __init__(self, raw: dict[str, Any], parameters: dict[str, Any], physical_ids: dict[str, str]) -> None:
        self.raw = raw
        self.resources: dict[str, dict[str, Any]] = raw.get("Resources", {})
        self.parameters = parameters
        self.physical_ids = physical_ids

    # -- names ---------------------------------------------------------------------------------------

    def kind(self, logical_id: str) -> str:
        if logical_id not in self.resources:
            raise TemplateError(f"template.yaml has no parameter or resource called {logical_id}")
        return str(self.resources[logical_id]["Type"])

    def physical_name(self, logical_id: str) -> str:
        kind, props = self.kind(logical_id), self.resources[logical_id].get("Properties", {})
        explicit = {
            "AWS::DynamoDB::Table": "TableName",
            "AWS::S3::Bucket": "BucketName",
            "AWS::Serverless::Function": "FunctionName",
            "AWS::Serverless::StateMachine": "Name",
            "AWS::Cognito::UserPoolGroup": "GroupName",
            "AWS::Cognito::UserPoolDomain": "Domain",
            "AWS::IAM::Role": "RoleName",
            "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
            "AWS::Logs::LogGroup": "LogGroupName",
        }.get(kind)
        if explicit and explicit in props:
            return as_text(self.resolve(props[explicit]))
        if logical_id in self.physical_ids:
            return self.physical_ids[logical_id]
        if kind in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            return logical_id
        if kind == "AWS::S3::Bucket":
            return f"{STACK}-{logical_id}".lower()
        if kind == "AWS::Cognito::UserPool":
            return f"{REGION}_{logical_id}"  # the shape of a pool id, until moto gives the real one
        return f"{STACK}-{logical_id}"

    def arn(self, logical_id: str) -> str:
        name, where = self.physical_name(logical_id), f"{REGION}:{ACCOUNT}"
        arns = {
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{where}:table/{name}",
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
            "AWS::Serverless::Function": f"arn:aws:lambda:{where}:function:{name}",
            "AWS::Serverless::LayerVersion": f"arn:aws:lambda:{where}:layer:{name}:1",
            "AWS::Serverless::StateMachine": f"arn:aws:states:{where}:stateMachine:{name}",
            "AWS::Cognito::UserPool": f"arn:aws:cognito-idp:{where}:userpool/{name}",
            "AWS::Logs::LogGroup": f"arn:aws:logs:{where}:log-group:{name}:*",
            "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{name}",
            "AWS::IAM::ManagedPolicy": f"arn:aws:iam::{ACCOUNT}:policy/{name}",
        }
        return arns.get(self.kind(logical_id), f"arn:aws:local:{where}:{logical_id}/{name}")

    def ref(self, name: str) -> Any:
        if name in PSEUDO:
            return PSEUDO[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        kind = self.kind(name)
        # As CloudFormation: these answer Ref with their ARN, the rest with their name or id.
        if kind in (
            "AWS::Serverless::StateMachine",
            "AWS::Serverless::LayerVersion",
            "AWS::IAM::ManagedPolicy",
        ):
            return self.arn(name)
        return self.physical_name(name)

    def get_att(self, logical_id: str, attribute: str) -> str:
        kind, name = self.kind(logical_id), self.physical_name(logical_id)
        if attribute == "Arn":
            return self.arn(logical_id)
        if attribute == "Name" and kind != "AWS::Cognito::UserPool":
            return name
        known = {
            ("AWS::Cognito::UserPool", "ProviderName"): f"cognito-idp.{REGION}.amazonaws.com/{name}",
            ("AWS::Cognito::UserPool", "ProviderURL"): f"https://cognito-idp.{REGION}.amazonaws.com/{name}",
            ("AWS::Cognito::UserPool", "UserPoolId"): name,
            ("AWS::DynamoDB::Table", "StreamArn"): f"{self.arn(logical_id)}/stream/local",
            ("AWS::S3::Bucket", "DomainName"): f"{name}.s3.amazonaws.com",
            ("AWS::S3::Bucket", "RegionalDomainName"): f"{name}.s3.{REGION}.amazonaws.com",
        }
        if (kind, attribute) not in known:
            raise TemplateError(f"the local runtime does not know !GetAtt {logical_id}.{attribute}")
        return known[(kind, attribute)]

    # -- conditions and intrinsic functions ----------------------------------------------------------

    def condition(self, name: str) -> bool:
        return self._truth(self.raw.get("Conditions", {})[name])

    def _truth(self, expression: Any) -> bool:
        if isinstance(expression, dict) and len(expression) == 1:
            ((key, arg),) = expression.items()
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::Equals":
                left, right = (self.resolve(a) for a in arg)
                return as_text(left) == as_text(right)
            if key == "Fn::Not":
                return not self._truth(arg[0])
            if key == "Fn::And":
                return all(self._truth(a) for a in arg)
            if key == "Fn::Or":
                return any(self._truth(a) for a in arg)
        raise TemplateError(f"not a condition: {expression!r}")

    def included(self, resource: dict[str, Any]) -> bool:
        return "Condition" not in resource or self.condition(resource["Condition"])

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref" or key.startswith("Fn::"):
                return self._intrinsic(key, arg)
        if isinstance(value, dict):
            resolved = {k: self.resolve(v) for k, v in value.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(value, list):
            return [v for v in (self.resolve(item) for item in value) if v is not NO_VALUE]
        return value

    def _intrinsic(self, key: str, arg: Any) -> Any:
        if key == "Ref":
            return self.ref(arg)
        if key == "Fn::GetAtt":
            logical_id, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
            return self.get_att(logical_id, self.resolve(attribute))
        if key == "Fn::Sub":
            return self._sub(*((arg, {}) if isinstance(arg, str) else arg))
        if key == "Fn::Join":
            delimiter, items = arg
            return as_text(delimiter).join(as_text(v) for v in self._list(items))
        if key == "Fn::Select":
            index, items = arg
            return self._list(items)[int(self.resolve(index))]
        if key == "Fn::Split":
            delimiter, text = arg
            return as_text(self.resolve(text)).split(as_text(delimiter))
        if key == "Fn::If":
            name, when_true, when_false = arg
            return self.resolve(when_true if self.condition(name) else when_false)
        if key in ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"):
            return self._truth({key: arg})
        if key == "Fn::FindInMap":
            mapping, first, second = (self.resolve(a) for a in arg)
            return self.raw["Mappings"][mapping][first][second]
        if key == "Fn::Base64":
            return base64.b64encode(as_text(self.resolve(arg)).encode()).decode()
        if key == "Fn::GetAZs":
            return [f"{REGION}{zone}" for zone in "abc"]
        raise TemplateError(f"the local runtime does not support {key}")

    def _list(self, items: Any) -> list[Any]:
        resolved = self.resolve(items)
        return resolved if isinstance(resolved, list) else [resolved]

    def _sub(self, text: str, variables: dict[str, Any]) -> str:
        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"  # ${!Literal} is written out as ${Literal}
            if name in variables:
                return as_text(self.resolve(variables[name]))
            if "." in name and name not in PSEUDO:
                logical_id, attribute = name.split(".", 1)
                return self.get_att(logical_id, attribute)
            return as_text(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", substitute, text)
