from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from reviews import metrics, signals

        # Each process counts the changes it made; /metrics adds the processes up.
        signals.loop_status_changed.connect(metrics.count_loop_status, dispatch_uid="metrics")
        signals.slot_event_recorded.connect(metrics.count_slot_event, dispatch_uid="metrics")
        signals.webhook_attempted.connect(metrics.count_webhook_attempt, dispatch_uid="metrics")
