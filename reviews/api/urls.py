"""Native API routes of the reviews app (human loops), under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from reviews.api.views import HumanLoopViewSet

app_name = "reviews-api"

router = SimpleRouter(trailing_slash=True)
router.register("human-loops", HumanLoopViewSet, basename="human-loop")
urlpatterns = router.urls
