"""Creates in moto what template.yaml declares, through the same boto3 APIs CloudFormation would use."""

import io
import json
import zipfile
from typing import Any

from safeplace_local.aws import local_client
from safeplace_local.template import ACCOUNT, REGION, Template

_ROLE = f"arn:aws:iam::{ACCOUNT}:role/safeplace-local"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com", "scheduler.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _placeholder_zip() -> bytes:
    # moto stores the code but never runs it: the runtime's workers run the real handler from CodeUri.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(event, context):\n    raise RuntimeError('run by workers')\n")
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def provision(template: Template, endpoint_url: str) -> dict[str, str]:
    """Create every resource the local runtime supports; returns logical id -> physical id."""

    def client(service: str) -> Any:
        return local_client(service, endpoint_url)

    created: dict[str, str] = {}
    client("iam").create_role(RoleName="safeplace-local", AssumeRolePolicyDocument=json.dumps(_TRUST))

    for logical_id, resource in template.resources("AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        name = template.physical_name(logical_id)
        keep = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
        client("dynamodb").create_table(TableName=name, **{k: _plain(props[k]) for k in keep if k in props})
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            client("dynamodb").update_time_to_live(TableName=name, TimeToLiveSpecification=_plain(ttl))
        created[logical_id] = name

    for logical_id, resource in template.resources("AWS::S3::Bucket").items():
        props = resource.get("Properties", {})
        name = template.physical_name(logical_id)
        s3 = client("s3")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if props.get("VersioningConfiguration"):
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=_plain(props["VersioningConfiguration"]))
        if props.get("PublicAccessBlockConfiguration"):
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=_plain(props["PublicAccessBlockConfiguration"])
            )
        created[logical_id] = name

    for logical_id, resource in template.resources("AWS::Cognito::UserPool").items():
        props = resource.get("Properties", {})
        pool_name = template.resolve(props.get("UserPoolName", logical_id))
        pool = client("cognito-idp").create_user_pool(PoolName=pool_name)["UserPool"]
        created[logical_id] = pool["Id"]
    for logical_id, resource in template.resources("AWS::Cognito::UserPoolGroup").items():
        props = resource["Properties"]
        pool_id = created[props["UserPoolId"]["Ref"]]
        client("cognito-idp").create_group(
            UserPoolId=pool_id, GroupName=props["GroupName"], Description=props.get("Description", "")
        )
        created[logical_id] = props["GroupName"]

    lambda_client = client("lambda")
    code = _placeholder_zip()
    for function in template.functions.values():
        lambda_client.create_function(
            FunctionName=function.name,
            Runtime="python3.13",
            Role=_ROLE,
            Handler=function.handler,
            Code={"ZipFile": code},
            Environment={"Variables": function.environment},
        )
        created[function.logical_id] = function.name

    for machine in template.state_machines.values():
        client("stepfunctions").create_state_machine(
            name=machine.name, definition=machine.definition, roleArn=_ROLE, type="STANDARD"
        )
        created[machine.logical_id] = machine.arn

    scheduler = client("scheduler")
    for schedule in template.schedules:
        scheduler.create_schedule(
            Name=schedule.name,
            ScheduleExpression=schedule.expression,
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={
                "Arn": template.functions[schedule.function].arn,
                "RoleArn": _ROLE,
                "Input": json.dumps(schedule.payload),
            },
        )

    sender = template.parameters.get("SenderEmail")
    if sender:
        client("sesv2").create_email_identity(EmailIdentity=sender)
    return created
