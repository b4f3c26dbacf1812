"""The operator console for configuration: one module per model."""

from workflows.admin import flow_definitions, task_uis, teams

__all__ = ["flow_definitions", "task_uis", "teams"]
