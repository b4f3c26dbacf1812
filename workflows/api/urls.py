"""Native API routes of the workflows app (teams, task UIs, flow definitions), under /api/v1/."""

from __future__ import annotations

app_name = "workflows-api"
urlpatterns: list = []
