"""output.json on S3 (OUTPUT_STORAGE=s3), against a real S3 API: moto's server on loopback."""

import json
import runpy
import socket
import urllib.request
from datetime import UTC, datetime

import boto3
import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from a2i_portal import settings as settings_file
from a2i_portal.celery import app as celery_app
from reviews import tasks
from reviews.models import HumanLoop
from reviews.services.output_storage import OutputStorageError, output_exists, output_location
from reviews.services.outputs import read_loop_output, write_loop_output
from reviews.services.slots import claim_next_slot, submit_answer
from tests.aws import conftest as aws
from tests.factories import FlowDefinitionFactory, StartedLoopFactory, UserFactory
from tests.reviews.services.test_outputs import ANSWER, INPUT, answer_and_commit

pytestmark = pytest.mark.django_db

# boto3's A2I clients against the live server (tests/aws), for the client's view at the end
credentials, sagemaker = aws.credentials, aws.sagemaker
runtime, flow_arn = aws.runtime, aws.flow_arn


def settings_module(monkeypatch, **environment):
    """The names a2i_portal/settings.py defines when run with these extra variables."""
    with monkeypatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        return runpy.run_path(settings_file.__file__)


@pytest.fixture(scope="session")
def s3_server():
    """The URL of an S3 API on 127.0.0.1, at a port the system picks; one for the session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_environment(monkeypatch, tmp_path):
    """Dummy credentials and no other source of any: boto3 never asks the EC2 metadata
    endpoint, nor reads the developer's AWS profile."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_S3_ACCESS_KEY_ID",
        "AWS_S3_SECRET_ACCESS_KEY",
        "AWS_ENDPOINT_URL",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def s3(s3_server, aws_environment, settings, monkeypatch):
    """Outputs go to the S3 server, configured as OUTPUT_STORAGE=s3 configures them; the
    server starts empty. Yields a boto3 S3 client of that server."""
    request = urllib.request.Request(f"{s3_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(request).close()
    configured = settings_module(monkeypatch, OUTPUT_STORAGE="s3")["STORAGES"]["outputs"]
    settings.STORAGES = {**settings.STORAGES, "outputs": configured}
    settings.S3_ENDPOINT_URL, settings.S3_REGION = s3_server, "us-east-1"
    return boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")


def keys(s3, bucket):
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def complete_a_loop(flow, reviewer, capture, **loop_fields):
    """A loop of `flow`, answered by `reviewer`, its commit run (which writes output.json)."""
    loop = StartedLoopFactory(flow_definition=flow, **loop_fields)
    answer_and_commit(capture, claim_next_slot(reviewer=reviewer), reviewer)
    return loop


@pytest.fixture
def bucket_flow(team, s3):
    s3.create_bucket(Bucket="my-bucket")
    return FlowDefinitionFactory(work_team=team, name="fraud", output_path="s3://my-bucket/a2i")


@pytest.fixture
def written(bucket_flow, reviewer, clock, django_capture_on_commit_callbacks):
    """A loop named and started as in the reference's section 5.2 example, completed on S3."""
    clock.current = datetime(2021, 2, 17, 19, 20, 38, 354000, tzinfo=UTC)
    return complete_a_loop(
        bucket_flow,
        reviewer,
        django_capture_on_commit_callbacks,
        name="fraud-1613589638354",
        input_content=json.dumps(INPUT),
    )


KEY = "a2i/fraud/2021/02/17/19/20/38/fraud-1613589638354/output.json"


# The switch


def test_output_storage_s3_makes_the_outputs_backend_django_storages_s3(monkeypatch):
    configured = settings_module(monkeypatch, OUTPUT_STORAGE="s3")["STORAGES"]["outputs"]

    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["OPTIONS"]["file_overwrite"] is True


def test_without_output_storage_outputs_stay_on_disk(monkeypatch):
    monkeypatch.delenv("OUTPUT_STORAGE", raising=False)

    configured = settings_module(monkeypatch)["STORAGES"]["outputs"]

    assert configured["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_an_unknown_output_storage_is_refused_at_start(monkeypatch):
    with pytest.raises(ValueError, match="OUTPUT_STORAGE must be disk or s3, not 'gcs'"):
        settings_module(monkeypatch, OUTPUT_STORAGE="gcs")


def test_on_disk_an_output_uri_is_the_file_bucket_slash_key_of_the_outputs_folder(outputs_dir):
    storage, name = output_location("s3://my-bucket/a2i/fraud/output.json")

    assert storage is storages["outputs"]
    assert name == "my-bucket/a2i/fraud/output.json"


def test_on_s3_an_output_uri_is_the_key_in_its_own_bucket(s3, s3_server):
    storage, name = output_location("s3://my-bucket/a2i/fraud/output.json")

    assert (storage.bucket_name, name) == ("my-bucket", "a2i/fraud/output.json")
    assert storage.endpoint_url == s3_server
    assert output_location("s3://my-bucket/other/output.json")[0] is storage  # one per bucket


def test_an_https_output_path_of_aws_names_its_bucket_in_the_host(s3):
    storage, name = output_location("https://my-bucket.s3.us-east-1.amazonaws.com/a2i/output.json")

    assert (storage.bucket_name, name) == ("my-bucket", "a2i/output.json")


# Writing and reading


def test_a_completed_loop_writes_output_json_at_the_key_of_its_output_uri(written, s3):
    assert written.output_uri == f"s3://my-bucket/{KEY}"
    assert keys(s3, "my-bucket") == [KEY]


def test_the_object_has_the_a2i_shape_and_is_served_as_json(written, s3):
    stored = s3.get_object(Bucket="my-bucket", Key=KEY)

    assert stored["ContentType"] == "application/json"
    output = json.loads(stored["Body"].read())
    assert set(output) == {"flowDefinitionArn", "humanAnswers", "humanLoopName", "inputContent"}
    assert output["humanLoopName"] == "fraud-1613589638354"
    assert output["inputContent"] == INPUT
    assert [answer["answerContent"] for answer in output["humanAnswers"]] == [ANSWER]


def test_writing_again_gives_the_identical_object(written, s3):
    before = s3.get_object(Bucket="my-bucket", Key=KEY)
    first = before["Body"].read()

    assert write_loop_output(loop_id=written.pk) == KEY

    after = s3.get_object(Bucket="my-bucket", Key=KEY)
    assert after["Body"].read() == first
    assert after["ContentType"] == before["ContentType"] == "application/json"
    assert keys(s3, "my-bucket") == [KEY]


def test_two_flow_definitions_with_their_own_buckets_write_each_to_its_own(
    team, reviewer, s3, django_capture_on_commit_callbacks
):
    for bucket in ("left-bucket", "right-bucket"):
        s3.create_bucket(Bucket=bucket)
    left = FlowDefinitionFactory(work_team=team, output_path="s3://left-bucket/out")
    right = FlowDefinitionFactory(work_team=team, output_path="s3://right-bucket")
    capture = django_capture_on_commit_callbacks

    loops = [complete_a_loop(flow, reviewer, capture) for flow in (left, right)]

    assert keys(s3, "left-bucket") == [loops[0].output_uri.removeprefix("s3://left-bucket/")]
    assert keys(s3, "right-bucket") == [loops[1].output_uri.removeprefix("s3://right-bucket/")]
    assert keys(s3, "left-bucket")[0].startswith(f"out/{left.name}/")


def test_the_output_is_read_back_from_its_bucket(written):
    output = read_loop_output(written)

    assert output["humanLoopName"] == "fraud-1613589638354"
    assert output["humanAnswers"][0]["answerContent"] == ANSWER


def test_an_output_not_written_yet_reads_as_none(bucket_flow):
    loop = StartedLoopFactory(flow_definition=bucket_flow)

    assert read_loop_output(loop) is None


def test_output_exists_says_whether_the_object_is_in_its_bucket(written, bucket_flow):
    assert output_exists(written.output_uri)
    assert not output_exists(StartedLoopFactory(flow_definition=bucket_flow).output_uri)


# Failures the write_output task retries


def test_a_missing_bucket_is_an_os_error_naming_the_bucket_and_the_key(
    team, reviewer, s3, django_capture_on_commit_callbacks
):
    flow = FlowDefinitionFactory(work_team=team, output_path="s3://no-such-bucket/out")
    loop = StartedLoopFactory(flow_definition=flow)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    key = loop.output_uri.removeprefix("s3://no-such-bucket/")

    with pytest.raises(OutputStorageError, match="NoSuchBucket") as raised:
        write_loop_output(loop_id=loop.pk)

    assert isinstance(raised.value, OSError)
    assert f"s3://no-such-bucket/{key}" in str(raised.value)
    assert "no-such-bucket" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_an_s3_endpoint_that_refuses_connections_is_an_os_error(written, settings, monkeypatch):
    with socket.socket() as closed:  # a loopback port nothing listens on once this closes
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    settings.S3_ENDPOINT_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(OutputStorageError, match=f"s3://my-bucket/{KEY}"):
        write_loop_output(loop_id=written.pk)


def test_missing_credentials_are_an_os_error(bucket_flow, reviewer, monkeypatch):
    loop = StartedLoopFactory(flow_definition=bucket_flow)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    with pytest.raises(OutputStorageError, match="Unable to locate credentials"):
        write_loop_output(loop_id=loop.pk)


@pytest.fixture
def retried_in_process():
    """In-process runs retry as a worker would (with errors propagated, Celery raises the
    first Retry instead)."""
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before


def test_the_output_task_retries_a_missing_bucket_until_it_exists(
    team, reviewer, s3, monkeypatch, retried_in_process
):
    flow = FlowDefinitionFactory(work_team=team, output_path="s3://late-bucket")
    loop = StartedLoopFactory(flow_definition=flow)
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)
    storage, _ = output_location(loop.output_uri)
    real_save, attempts = storage._save, []

    def save(name, content):
        attempts.append(name)
        try:
            return real_save(name, content)
        finally:
            if len(attempts) == 1:  # the first attempt failed: the bucket comes now
                s3.create_bucket(Bucket="late-bucket")

    monkeypatch.setattr(storage, "_save", save)

    tasks.write_output.delay(loop.pk).get()

    assert len(attempts) == 2
    assert read_loop_output(loop)["humanAnswers"][0]["answerContent"] == ANSWER


# A client's view: boto3's A2I runtime describes the URI, boto3's S3 client reads it


@pytest.mark.django_db(transaction=True)  # the live server reads what the test writes
def test_a_client_reads_the_output_at_the_uri_describe_human_loop_returns(runtime, flow_arn, s3):
    s3.create_bucket(Bucket="test-bucket")  # the flow definition's S3OutputPath
    runtime.start_human_loop(
        HumanLoopName="loop-1",
        FlowDefinitionArn=flow_arn,
        HumanLoopInput={"InputContent": json.dumps(INPUT)},
    )
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="reviewers"))
    submit_answer(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer, answer=ANSWER)

    described = runtime.describe_human_loop(HumanLoopName="loop-1")

    assert described["HumanLoopStatus"] == HumanLoop.Status.COMPLETED
    bucket, _, key = (
        described["HumanLoopOutput"]["OutputS3Uri"].removeprefix("s3://").partition("/")
    )
    output = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert output["humanLoopName"] == "loop-1"
    assert output["humanAnswers"][0]["answerContent"] == ANSWER
