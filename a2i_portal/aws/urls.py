"""The AWS wire protocol: the A2I runtime (REST-JSON) under /a2i-runtime/ and the SageMaker
JSON-1.1 targets under /sagemaker/."""

from __future__ import annotations

from django.urls import path

from a2i_portal.aws import runtime, sagemaker, task_uis

app_name = "aws"
urlpatterns = [
    path("a2i-runtime/human-loops", runtime.human_loops, name="human-loops"),
    # Before <name>: POST here is StopHumanLoop; GET/DELETE are a loop named "stop".
    path("a2i-runtime/human-loops/stop", runtime.human_loops_stop, name="human-loops-stop"),
    path("a2i-runtime/human-loops/<str:name>", runtime.human_loop, name="human-loop"),
    # boto3 posts to the endpoint URL as given: `.../sagemaker` or `.../sagemaker/`.
    path("sagemaker", sagemaker.control_plane, name="sagemaker"),
    path("sagemaker/", sagemaker.control_plane),
    path(
        "sagemaker/human-task-uis/<str:name>/template",
        task_uis.human_task_ui_template,
        name="human-task-ui-template",
    ),
]
