"""Native API routes of the workflows app (teams, task UIs, flow definitions), under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from workflows.api.views import FlowDefinitionViewSet, HumanTaskUiViewSet, WorkTeamViewSet

app_name = "workflows-api"

router = SimpleRouter(trailing_slash=True)
router.register("work-teams", WorkTeamViewSet, basename="work-team")
router.register("human-task-uis", HumanTaskUiViewSet, basename="human-task-ui")
router.register("flow-definitions", FlowDefinitionViewSet, basename="flow-definition")
urlpatterns = router.urls
