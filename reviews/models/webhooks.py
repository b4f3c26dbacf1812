"""Webhook endpoints operators register, and the delivery of loop events to them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from a2i_portal.access.models import decrypt_secret
from reviews.models.loops import LoopStatus

# A2I emits status-change events for these (reference §6.1); an endpoint may ask for more.
A2I_EVENT_STATUSES = [LoopStatus.COMPLETED, LoopStatus.FAILED, LoopStatus.STOPPED]


def default_statuses() -> list[str]:
    return [str(status) for status in A2I_EVENT_STATUSES]


def validate_statuses(value: object) -> None:
    if (
        not isinstance(value, list)
        or not value
        or any(status not in LoopStatus.values for status in value)
    ):
        raise ValidationError(
            f"must be a non-empty list of loop statuses from {', '.join(LoopStatus.values)}"
        )
    if len(set(value)) != len(value):
        raise ValidationError("must name each status once")


class WebhookEndpoint(models.Model):
    """Where loop status-change events are POSTed, signed with the endpoint's secret."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(
        max_length=2048,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The receiver: events are POSTed here as JSON.",
    )
    secret_encrypted = models.TextField(
        editable=False,
        help_text="The signing secret, encrypted like API access key secrets.",
    )
    flow_definitions = models.ManyToManyField(
        "workflows.FlowDefinition",
        blank=True,
        related_name="webhook_endpoints",
        help_text="Events of these flow definitions only; none chosen means every one.",
    )
    statuses = models.JSONField(
        default=default_statuses,
        validators=[validate_statuses],
        help_text="The loop statuses whose events go out.",
    )
    is_active = models.BooleanField(
        default=True, help_text="An inactive endpoint gets no new deliveries."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return decrypt_secret(self.secret_encrypted)


class DeliveryState(models.TextChoices):
    PENDING = "pending"
    DELIVERED = "delivered"
    ABANDONED = "abandoned"  # retries ran out; an operator may send it again


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: retried with backoff until a 2xx answer."""

    State = DeliveryState

    event = models.ForeignKey(
        "reviews.LoopEvent", on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    # A worker POSTing holds the delivery until then; a worker killed mid-POST loses it when it
    # passes, and a sweep sends the event again (at least once: receivers de-duplicate on its id).
    leased_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint"),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="delivery_state_valid"
            ),
        ]
        indexes = [
            # The sweep: pending deliveries by due time.
            models.Index(
                fields=["next_attempt_at"], condition=Q(state="pending"), name="deliveries_due"
            ),
            # /metrics: deliveries still pending or abandoned, by endpoint.
            models.Index(
                fields=["endpoint", "state"],
                condition=~Q(state="delivered"),
                name="undelivered_by_endpoint",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint}"


class DeliveryAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, how long it took, or what failed."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
