"""What the activation conditions saw and decided when a human loop started from an AI service's
prediction (POST /human-loops/activate/): kept beside the loop, not in it."""

from __future__ import annotations

from django.db import models


class LoopActivation(models.Model):
    """The AI service request and response a loop was started from, and the conditions' verdict.

    A row of its own rather than columns of HumanLoop: a Textract response runs to megabytes,
    and the loop lists read the loop table by the million.

    - Built-in flow definitions: `ai_service_request` is the Textract or Rekognition request as
      the client sent it, with the `HumanLoopConfig` the loop was started under;
      `ai_service_response` the response as sent. output.json writes both lowerCamelCase (§5.3).
    - Custom flow definitions with routing conditions: both are null, since the prediction
      the conditions read is the loop's input itself.

    `condition_results` is the conditions document with `EvaluationResult` on every node
    (output.json's `humanTaskActivationConditionResults`); `selected_response` is what reviewers
    are shown (`selectedAiServiceResponse`; for routing, `{"matches": [...]}`).
    """

    loop = models.OneToOneField(
        "reviews.HumanLoop",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="activation",
    )
    ai_service_request = models.JSONField(null=True, blank=True)
    ai_service_response = models.JSONField(null=True, blank=True)
    condition_results = models.JSONField()
    selected_response = models.JSONField()

    class Meta:
        verbose_name = "loop activation"

    def __str__(self) -> str:
        return f"activation of loop {self.loop_id}"
