"""Worker templates that failed to render for a task: what operators need to fix them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RenderFailure(models.Model):
    """A task whose template could not be rendered with its loop's input, and why."""

    slot = models.ForeignKey(
        "reviews.TaskSlot", on_delete=models.CASCADE, related_name="render_failures"
    )
    loop = models.ForeignKey(
        "reviews.HumanLoop", on_delete=models.CASCADE, related_name="render_failures"
    )
    task_ui = models.ForeignKey(
        "workflows.HumanTaskUi",
        null=True,
        on_delete=models.SET_NULL,
        related_name="render_failures",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    problem = models.TextField(help_text="What the template engine reported, with the line.")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["-at"], name="render_failures_newest")]

    def __str__(self) -> str:
        return f"{self.task_ui} for loop {self.loop_id}: {self.problem[:60]}"
