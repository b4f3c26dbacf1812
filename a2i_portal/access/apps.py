from __future__ import annotations

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "a2i_portal.access"
    label = "access"
    verbose_name = "API access"
