"""Native API of human loops: start, describe, list, stop, delete, read the output and the
status-change events.

Each action parses its input, calls one service (or selector), and presents the result. Any
authenticated key holder may work with loops.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.utils.urls import replace_query_param

from a2i_portal import clock
from a2i_portal.errors import Invalid, NotFound
from reviews.api.serializers import (
    ActivateHumanLoopSerializer,
    ActivationSerializer,
    HumanLoopDetailSerializer,
    HumanLoopPageSerializer,
    HumanLoopSerializer,
    ListHumanLoopsSerializer,
    StartHumanLoopSerializer,
)
from reviews.models import HumanLoop
from reviews.selectors import loops_page
from reviews.services.activation import activate_loop
from reviews.services.loops import delete_loop, start_loop, stop_loop
from reviews.services.outputs import read_loop_output
from workflows.models import FlowDefinition

DOMAIN_ERROR = OpenApiResponse(
    description='A refusal naming the field and the rule: {"error", "field", "message"}.'
)


def get_loop(name: str) -> HumanLoop:
    loop = HumanLoop.objects.select_related("flow_definition").filter(name=name).first()
    if loop is None:
        raise NotFound("name", f"human loop {name!r} does not exist")
    return loop


def get_flow_definition(name: str) -> FlowDefinition:
    flow = FlowDefinition.objects.filter(name=name).first()
    if flow is None:
        raise NotFound("flow_definition", f"flow definition {name!r} does not exist")
    return flow


class HumanLoopViewSet(viewsets.GenericViewSet):
    queryset = HumanLoop.objects.select_related("flow_definition")
    serializer_class = HumanLoopSerializer
    lookup_field = "name"
    lookup_value_regex = "[^/]+"

    def get_serializer_class(self) -> type[BaseSerializer]:
        # What the browsable API's form shows; the actions name their serializers themselves.
        if self.action == "activate":
            return ActivateHumanLoopSerializer
        return StartHumanLoopSerializer if self.action == "create" else HumanLoopSerializer

    @extend_schema(
        request=StartHumanLoopSerializer,
        responses={
            201: HumanLoopSerializer,
            200: OpenApiResponse(
                HumanLoopSerializer, description="A retry of the same start: the existing loop."
            ),
            400: DOMAIN_ERROR,
            404: DOMAIN_ERROR,
            409: DOMAIN_ERROR,
            429: DOMAIN_ERROR,
        },
    )
    def create(self, request: Request) -> Response:
        """StartHumanLoop. A retry with the same name, flow definition and input returns the
        existing loop with 200; the same name with other input is 409."""
        params = StartHumanLoopSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        called_at = clock.now()
        loop = start_loop(**params.validated_data)
        # start_loop() stamps a new loop with clock.now(); an older loop is the retried one.
        code = status.HTTP_201_CREATED if loop.created_at >= called_at else status.HTTP_200_OK
        return Response(HumanLoopSerializer(loop).data, status=code)

    @extend_schema(
        request=ActivateHumanLoopSerializer,
        responses={
            201: OpenApiResponse(
                ActivationSerializer, description="The conditions hold: a loop started."
            ),
            200: OpenApiResponse(
                ActivationSerializer,
                description="No loop started: the conditions do not hold, or a dry run; or a "
                "retry of the same call, answered with the loop it started.",
            ),
            400: DOMAIN_ERROR,
            404: DOMAIN_ERROR,
            409: DOMAIN_ERROR,
            429: DOMAIN_ERROR,
        },
    )
    @action(detail=False, methods=["post"])
    def activate(self, request: Request) -> Response:
        """Textract or Rekognition output (or, for a custom flow definition with routing
        conditions, the model's prediction) in; a loop starts only when the flow definition's
        conditions hold, and the answer carries A2I's activation output either way. With
        dry_run the conditions are evaluated and nothing is written."""
        params = ActivateHumanLoopSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        called_at = clock.now()
        outcome = activate_loop(**params.validated_data)
        loop = outcome.loop
        body = {
            "activation_output": outcome.output,
            "human_loop": HumanLoopSerializer(loop).data if loop is not None else None,
            "started": loop is not None,
            "conditions_hold": outcome.starts,
        }
        # A new loop is stamped with clock.now(); an older one is the retried call's.
        started_now = loop is not None and loop.created_at >= called_at
        return Response(body, status=status.HTTP_201_CREATED if started_now else status.HTTP_200_OK)

    @extend_schema(exclude=True)
    @activate.mapping.get
    def retrieve_activate(self, request: Request) -> Response:
        # "activate" is a valid loop name; its detail URL is this action's, so GET and DELETE
        # there still reach the loop.
        return self.retrieve(request, name="activate")

    @extend_schema(exclude=True)
    @activate.mapping.delete
    def destroy_activate(self, request: Request) -> Response:
        return self.destroy(request, name="activate")

    @extend_schema(responses={200: HumanLoopDetailSerializer, 404: DOMAIN_ERROR})
    def retrieve(self, request: Request, name: str) -> Response:
        """DescribeHumanLoop."""
        return Response(HumanLoopDetailSerializer(get_loop(name)).data)

    @extend_schema(
        parameters=[ListHumanLoopsSerializer],
        responses={200: HumanLoopPageSerializer, 400: DOMAIN_ERROR, 404: DOMAIN_ERROR},
    )
    def list(self, request: Request) -> Response:
        """ListHumanLoops: one flow definition's loops by creation time, in keyset pages."""
        params = ListHumanLoopsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query: dict[str, Any] = params.validated_data
        try:
            page = loops_page(
                flow_definition=get_flow_definition(query["flow_definition"]),
                created_after=query.get("created_after"),
                created_before=query.get("created_before"),
                statuses=query.get("status"),
                ascending=query["sort"] == "asc",
                next_token=query.get("cursor"),
                limit=query["page_size"],
            )
        except Invalid as exc:
            if exc.field != "next_token":
                raise
            raise Invalid("cursor", exc.message) from exc  # the service's next_token, named here
        next_url = None
        if page.next_token:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_token)
        body = {"results": page.loops, "next": next_url, "next_token": page.next_token}
        return Response(HumanLoopPageSerializer(body).data)

    @extend_schema(request=None, responses={200: HumanLoopSerializer, 404: DOMAIN_ERROR})
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, name: str) -> Response:
        """StopHumanLoop: InProgress -> Stopping (Stopped once no task is held)."""
        return Response(HumanLoopSerializer(stop_loop(loop=get_loop(name))).data)

    @extend_schema(responses={204: None, 404: DOMAIN_ERROR, 409: DOMAIN_ERROR})
    def destroy(self, request: Request, name: str) -> Response:
        """DeleteHumanLoop: only Completed, Failed or Stopped loops (409 otherwise)."""
        delete_loop(loop=get_loop(name))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The loop's status-change events, oldest first, each in A2I's "
                "event shape (the same JSON its webhooks receive): "
                '{"results": [event, ...]}.',
            ),
            404: DOMAIN_ERROR,
        }
    )
    @action(detail=True, methods=["get"])
    def events(self, request: Request, name: str) -> Response:
        """The loop's status changes, for a client that polls instead of receiving webhooks."""
        loop = get_loop(name)
        payloads = loop.status_events.order_by("occurred_at", "pk").values_list(
            "payload", flat=True
        )
        return Response({"results": list(payloads)})

    @extend_schema(
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The loop's output.json."),
            404: DOMAIN_ERROR,
        }
    )
    @action(detail=True, methods=["get"])
    def output(self, request: Request, name: str) -> Response:
        """The loop's output.json, wherever the outputs storage keeps it; 404 until written."""
        loop = get_loop(name)
        document = read_loop_output(loop)
        if document is None:
            raise NotFound(
                "output",
                f"the output of human loop {name!r} is not written yet: it is written once "
                "the loop completes with answers",
            )
        return Response(document)
