"""Drives a SageMaker batch-transform lifecycle against Sluice with boto3, as a SageMaker user would.

Run by tests/service/sagemaker-clients.test.ts with Debian's /usr/bin/python3 (python3-boto3).
Reads SLUICE_SAGEMAKER_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and the
job's inputs from SLUICE_* variables; prints one JSON object of what each step returned or raised.
"""
import json
import os
import sys

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError

endpoint = os.environ["SLUICE_SAGEMAKER_URL"]
prefix = os.environ["SLUICE_PREFIX"]
config = Config(retries={"max_attempts": 1, "mode": "standard"})
# botocore 1.29 requires ExecutionRoleArn; Sluice accepts and ignores it.
role = "arn:aws:iam::000000000000:role/sluice"


def client(secret=None):
    return boto3.client(
        "sagemaker",
        endpoint_url=endpoint,
        config=config,
        **({"aws_secret_access_key": secret, "aws_access_key_id": os.environ["AWS_ACCESS_KEY_ID"]} if secret else {}),
    )


def job(name, model):
    return {
        "TransformJobName": name,
        "ModelName": model,
        "TransformInput": {
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": os.environ["SLUICE_INPUT_URI"]}},
            "SplitType": "Line",
            "ContentType": "text/plain",
        },
        "TransformOutput": {"S3OutputPath": os.environ["SLUICE_OUTPUT_URI"] + name + "/", "AssembleWith": "Line"},
        "TransformResources": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    }


def failure(call):
    try:
        call()
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"]["Message"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return None


sm = client()
out = {"botocore": botocore.__version__}
model = prefix + "upper"
slow = prefix + "slow"
sm.create_model(ModelName=model, ExecutionRoleArn=role, PrimaryContainer={"Image": os.environ["SLUICE_MODEL_URL"]})
sm.create_model(ModelName=slow, ExecutionRoleArn=role, PrimaryContainer={"Image": os.environ["SLUICE_SLOW_MODEL_URL"]})
out["model"] = sm.describe_model(ModelName=model)["ModelArn"]

run = prefix + "run"
out["created"] = sm.create_transform_job(**job(run, model))["TransformJobArn"]
try:
    sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName=run, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    out["waited"] = True
except WaiterError as error:
    out["waited"] = str(error)
described = sm.describe_transform_job(TransformJobName=run)
out["described"] = {k: described.get(k) for k in ("TransformJobName", "TransformJobStatus", "ModelName")}

for n in (1, 2, 3):
    sm.create_transform_job(**job(f"{prefix}page-{n}", model))
pages = []
token = None
while True:
    page = sm.list_transform_jobs(NameContains=prefix + "page-", MaxResults=2, **({"NextToken": token} if token else {}))
    pages.append([s["TransformJobName"] for s in page["TransformJobSummaries"]])
    token = page.get("NextToken")
    if not token:
        break
out["pages"] = pages
completed = sm.list_transform_jobs(NameContains=prefix, StatusEquals="Completed")["TransformJobSummaries"]
out["completed"] = [(s["TransformJobName"], s["TransformJobStatus"]) for s in completed]

stop = prefix + "stop"
sm.create_transform_job(**job(stop, slow))
sm.stop_transform_job(TransformJobName=stop)
out["stopping"] = sm.describe_transform_job(TransformJobName=stop)["TransformJobStatus"]
sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName=stop, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
out["stopped"] = sm.describe_transform_job(TransformJobName=stop)["TransformJobStatus"]

out["missing"] = failure(lambda: sm.describe_transform_job(TransformJobName=prefix + "no-such-job"))
out["forged"] = failure(lambda: client("not-the-secret").list_transform_jobs())
json.dump(out, sys.stdout)
