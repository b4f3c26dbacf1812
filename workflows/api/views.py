"""Native API of the configuration: work teams, human task UIs and flow definitions.

Each action parses its input, calls one service, and presents the result. Reading is open to
every authenticated caller; creating, changing and deleting configuration needs a staff user.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from a2i_portal.errors import NotFound
from workflows.api import schema  # noqa: F401  (registers the authentication schemes)
from workflows.api.serializers import (
    CreateFlowDefinitionSerializer,
    CreateHumanTaskUiSerializer,
    CreateWorkTeamSerializer,
    FlowDefinitionSerializer,
    HumanTaskUiDetailSerializer,
    HumanTaskUiSerializer,
    RenderingSerializer,
    RenderTaskUiSerializer,
    RenderTemplateSerializer,
    UpdateWorkTeamSerializer,
    WorkTeamSerializer,
)
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam
from workflows.services.deletion import delete_human_task_ui, delete_work_team
from workflows.services.flow_definitions import create_flow_definition, delete_flow_definition
from workflows.services.task_uis import create_human_task_ui
from workflows.services.teams import create_work_team, update_work_team
from workflows.templating.crowd import preview_for_browser
from workflows.templating.engine import Rendering, preview_input
from workflows.templating.read_access import ReadAccess


class IsStaffOrReadOnly(permissions.BasePermission):
    """Authenticated callers read; only staff users change configuration."""

    message = (
        "Only staff users may create, change or delete configuration "
        "(work teams, human task UIs, flow definitions)."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or user.is_staff


class NamedViewSet(viewsets.GenericViewSet):
    """Objects looked up by name; an unknown name is NotFound in the domain error shape."""

    lookup_field = "name"
    lookup_value_regex = "[^/]+"
    permission_classes = [IsStaffOrReadOnly]
    pagination_class = None  # configuration lists are short (A2I: 25 work teams per account)
    create_serializer_class: type[BaseSerializer]
    kind = ""

    def get_serializer_class(self) -> type[BaseSerializer]:
        # What the browsable API's form shows; the actions name their serializers themselves.
        if self.action == "create":
            return self.create_serializer_class
        return super().get_serializer_class()

    def get_object(self) -> Model:
        name = self.kwargs[self.lookup_field]
        found = self.get_queryset().filter(name=name).first()
        if found is None:
            raise NotFound("name", f"no {self.kind} named {name!r} exists")
        self.check_object_permissions(self.request, found)
        return found

    def respond(self, serializer: type[BaseSerializer], obj: Model, code: int) -> Response:
        return Response(serializer(obj, context=self.get_serializer_context()).data, status=code)


class WorkTeamViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, NamedViewSet
):
    queryset = WorkTeam.objects.prefetch_related("members", "member_groups", "tags").order_by(
        "name"
    )
    serializer_class = WorkTeamSerializer
    create_serializer_class = CreateWorkTeamSerializer
    kind = "work team"

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "partial_update":
            return UpdateWorkTeamSerializer
        return super().get_serializer_class()

    @extend_schema(request=CreateWorkTeamSerializer, responses={201: WorkTeamSerializer})
    def create(self, request: Request) -> Response:
        params = CreateWorkTeamSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        team = create_work_team(**params.validated_data)
        return self.respond(WorkTeamSerializer, team, status.HTTP_201_CREATED)

    @extend_schema(
        request=UpdateWorkTeamSerializer,
        responses={200: WorkTeamSerializer},
        summary="Change a work team's description, members or member groups",
        description="Staff only. Each field given replaces the team's; the others stay. The name "
        "cannot be changed.",
    )
    def partial_update(self, request: Request, name: str) -> Response:
        params = UpdateWorkTeamSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        team = update_work_team(team=self.get_object(), **params.validated_data)
        return self.respond(WorkTeamSerializer, team, status.HTTP_200_OK)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, name: str) -> Response:
        delete_work_team(team=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class HumanTaskUiViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, NamedViewSet
):
    queryset = HumanTaskUi.objects.order_by("name")
    create_serializer_class = CreateHumanTaskUiSerializer
    kind = "human task UI"

    def get_queryset(self) -> QuerySet[HumanTaskUi]:
        if self.action == "list":  # templates run to 128,000 characters; a list shows none
            return self.queryset.defer("content")
        return self.queryset

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "create":
            return self.create_serializer_class
        return HumanTaskUiSerializer if self.action == "list" else HumanTaskUiDetailSerializer

    @extend_schema(
        request=CreateHumanTaskUiSerializer, responses={201: HumanTaskUiDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        params = CreateHumanTaskUiSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        task_ui = create_human_task_ui(**params.validated_data)
        return self.respond(HumanTaskUiDetailSerializer, task_ui, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, name: str) -> Response:
        delete_human_task_ui(task_ui=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=RenderTaskUiSerializer,
        responses={200: RenderingSerializer},
        summary="Render this template with a sample task input",
        description="RenderUiTemplate with HumanTaskUiArn: template problems are reported in "
        "`errors`, not as an HTTP error.",
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def render(self, request: Request, name: str) -> Response:
        params = RenderTaskUiSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rendering = render_preview(request, self.get_object().content, params)
        return Response(RenderingSerializer(rendering).data)

    @extend_schema(
        request=RenderTemplateSerializer,
        responses={200: RenderingSerializer},
        summary="Render an unsaved template with a sample task input",
        description="RenderUiTemplate with inline content: template problems are reported in "
        "`errors`, not as an HTTP error.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="render",
        url_name="render-content",
        permission_classes=[permissions.IsAuthenticated],
    )
    def render_content(self, request: Request) -> Response:
        params = RenderTemplateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rendering = render_preview(request, params.validated_data["content"], params)
        return Response(RenderingSerializer(rendering).data)


def render_preview(request: Request, content: str, params: BaseSerializer) -> Rendering:
    """A preview whose read-access URLs point at the site the caller used."""
    access = ReadAccess(
        seconds=settings.A2I_READ_ACCESS_SECONDS, site_url=request.build_absolute_uri("/")
    )
    rendering = preview_input(content, task_input=params.validated_data["input"], access=access)
    return preview_for_browser(rendering, access.site_url)


class FlowDefinitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NamedViewSet):
    queryset = (
        FlowDefinition.objects.select_related("work_team", "task_ui")
        .prefetch_related("tags")
        .order_by("name")
    )
    serializer_class = FlowDefinitionSerializer
    create_serializer_class = CreateFlowDefinitionSerializer
    kind = "flow definition"

    @extend_schema(
        request=CreateFlowDefinitionSerializer, responses={201: FlowDefinitionSerializer}
    )
    def create(self, request: Request) -> Response:
        params = CreateFlowDefinitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        flow = create_flow_definition(**params.validated_data)
        return self.respond(FlowDefinitionSerializer, flow, status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            202: FlowDefinitionSerializer,
            404: OpenApiResponse(description="No flow definition of that name (or removed)."),
            409: OpenApiResponse(
                description='Not Active (Deleting already, say): {"error", "field", "message"}.'
            ),
        }
    )
    def destroy(self, request: Request, name: str) -> Response:
        """DeleteFlowDefinition: an Active flow definition becomes Deleting and starts no more
        loops. Its loops no reviewer has started are stopped and deleted, its ended loops are
        deleted (their output files stay), loops being worked on finish first; then it is gone
        (404) and its name is free again. Answers 202 with the flow definition, now Deleting."""
        flow = delete_flow_definition(flow=self.get_object())
        return self.respond(FlowDefinitionSerializer, flow, status.HTTP_202_ACCEPTED)
