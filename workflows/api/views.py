"""Native API of the configuration: work teams, human task UIs and flow definitions.

Each action parses its input, calls one service, and presents the result. Reading is open to
every authenticated caller; creating and deleting configuration needs a staff user.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
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
    WorkTeamSerializer,
)
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam
from workflows.services.deletion import delete_human_task_ui, delete_work_team
from workflows.services.flow_definitions import create_flow_definition
from workflows.services.task_uis import create_human_task_ui
from workflows.services.teams import create_work_team


class IsStaffOrReadOnly(permissions.BasePermission):
    """Authenticated callers read; only staff users change configuration."""

    message = (
        "Only staff users may create or delete configuration "
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
    queryset = WorkTeam.objects.prefetch_related("members", "member_groups").order_by("name")
    serializer_class = WorkTeamSerializer
    create_serializer_class = CreateWorkTeamSerializer
    kind = "work team"

    @extend_schema(request=CreateWorkTeamSerializer, responses={201: WorkTeamSerializer})
    def create(self, request: Request) -> Response:
        params = CreateWorkTeamSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        team = create_work_team(**params.validated_data)
        return self.respond(WorkTeamSerializer, team, status.HTTP_201_CREATED)

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


class FlowDefinitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NamedViewSet):
    queryset = FlowDefinition.objects.select_related("work_team", "task_ui").order_by("name")
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
