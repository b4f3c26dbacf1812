"""Native API routes of the reviews app (human loops), under /api/v1/."""

from __future__ import annotations

app_name = "reviews-api"
urlpatterns: list = []
