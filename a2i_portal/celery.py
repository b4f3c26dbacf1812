"""The Celery app. Web and worker processes read the same Django settings (`CELERY_*`)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a2i_portal.settings")

app = Celery("a2i_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
