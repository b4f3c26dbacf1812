"""Models of the reviews app, one module per entity."""

from reviews.models.activations import LoopActivation
from reviews.models.events import LoopEvent
from reviews.models.loops import HumanLoop
from reviews.models.notices import ReviewerNotice
from reviews.models.rendering import RenderFailure
from reviews.models.slots import OpenSlot, SlotEvent, TaskSlot
from reviews.models.webhooks import DeliveryAttempt, WebhookDelivery, WebhookEndpoint
from reviews.models.workers import WorkerIdentity

__all__ = [
    "DeliveryAttempt",
    "HumanLoop",
    "LoopActivation",
    "LoopEvent",
    "OpenSlot",
    "RenderFailure",
    "ReviewerNotice",
    "SlotEvent",
    "TaskSlot",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkerIdentity",
]
