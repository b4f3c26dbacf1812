"""Models of the reviews app, one module per entity."""

from reviews.models.loops import HumanLoop
from reviews.models.rendering import RenderFailure
from reviews.models.slots import OpenSlot, SlotEvent, TaskSlot
from reviews.models.workers import WorkerIdentity

__all__ = ["HumanLoop", "OpenSlot", "RenderFailure", "SlotEvent", "TaskSlot", "WorkerIdentity"]
