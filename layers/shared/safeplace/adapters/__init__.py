"""The AWS side of each port: DynamoDB (a table module and a repository per aggregate), S3, SES, Step Functions
and Cognito. Only this folder imports boto3; each adapter turns AWS errors into the domain's errors."""
