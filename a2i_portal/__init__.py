"""The A2I portal project: settings, root URLs, the Celery app and shared domain primitives."""

from __future__ import annotations

from a2i_portal.celery import app as celery_app

__all__ = ["celery_app"]
