"""The operator console for the work: one module per model."""

from reviews.admin import loops, rendering, reviewers, webhooks, workers

__all__ = ["loops", "rendering", "reviewers", "webhooks", "workers"]
