"""What a browser posts to the flow definition admin's add form."""

from __future__ import annotations

from typing import Any


def flow_definition_form(**fields: Any) -> dict[str, Any]:
    """Every field of the add form, empty or at a valid value, with `fields` filled in over
    them (at least a name, a work team's pk, a title and a description)."""
    return {
        "name": "",
        "work_team": "",
        "task_ui": "",
        "request_source": "",
        "activation_conditions": "",
        "routing_conditions": "",
        "task_title": "",
        "task_description": "",
        "task_keywords": "",
        "task_count": 1,
        "task_availability_lifetime": 86_400,
        "task_time_limit": 600,
        "output_path": "s3://bucket/a2i",
        "kms_key_id": "",
        "role_arn": "",
        **fields,
    }
