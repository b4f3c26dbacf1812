"""A2I-style ARNs, built from the deployment's region and account id (settings)."""

from __future__ import annotations

from django.conf import settings


def _arn(resource: str) -> str:
    return f"arn:aws:sagemaker:{settings.A2I_REGION}:{settings.A2I_ACCOUNT_ID}:{resource}"


def flow_definition_arn(name: str) -> str:
    return _arn(f"flow-definition/{name}")


def human_loop_arn(name: str) -> str:
    return _arn(f"human-loop/{name}")


def human_task_ui_arn(name: str) -> str:
    return _arn(f"human-task-ui/{name}")


def workteam_arn(name: str) -> str:
    return _arn(f"workteam/private-crowd/{name}")


def name_from_arn(arn: str, resource: str) -> str | None:
    """The name in an ARN of the given resource type (`flow-definition`), or None if it is not one.

    Region and account are not compared: a client moving off AWS keeps its old ARNs.
    """
    prefix, sep, rest = arn.partition(f":{resource}/")
    if not sep or not prefix.startswith("arn:aws") or ":sagemaker:" not in prefix:
        return None
    if resource == "workteam":
        rest = rest.removeprefix("private-crowd/")
    return rest or None
