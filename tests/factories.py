"""One factory per model: sequence names, sub-factory links, only what every row needs."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from a2i_portal import clock
from a2i_portal.access.models import AccessKey, encrypt_secret
from reviews.models import (
    DeliveryAttempt,
    HumanLoop,
    LoopEvent,
    OpenSlot,
    RenderFailure,
    TaskSlot,
    WebhookDelivery,
    WebhookEndpoint,
    WorkerIdentity,
)
from reviews.services.outputs import output_uri
from workflows.models import FlowDefinition, HumanTaskUi, ResourceTag, WorkTeam

SIMPLE_TEMPLATE = """<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier name="category" categories="['cat', 'dog']" header="{{ task.input.text }}">
  </crowd-classifier>
</crowd-form>"""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("a-long-test-password")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"group{n}")


class WorkTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkTeam
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"team-{n}")
    description = "Reviewers"

    @factory.post_generation
    def members(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.members.set(extracted)


class HumanTaskUiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HumanTaskUi

    name = factory.Sequence(lambda n: f"ui-{n}")
    content = SIMPLE_TEMPLATE


class FlowDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlowDefinition

    name = factory.Sequence(lambda n: f"flow-{n}")
    work_team = factory.SubFactory(WorkTeamFactory)
    task_ui = factory.SubFactory(HumanTaskUiFactory)
    task_title = "Classify the text"
    task_description = "Pick the category that fits"
    output_path = "s3://test-bucket/outputs"


class ResourceTagFactory(factory.django.DjangoModelFactory):
    """A tag of a work team unless told otherwise."""

    class Meta:
        model = ResourceTag

    work_team = factory.SubFactory(WorkTeamFactory)
    key = factory.Sequence(lambda n: f"key-{n}")
    value = "value"


class HumanLoopFactory(factory.django.DjangoModelFactory):
    """A loop row with its slots and queue rows, as start_loop writes them (without the checks)."""

    class Meta:
        model = HumanLoop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"loop-{n}")
    flow_definition = factory.SubFactory(FlowDefinitionFactory)
    input_content = '{"text": "a cat on a mat"}'
    created_at = factory.LazyFunction(lambda: clock.now())  # through the module: tests move it
    updated_at = factory.LazyAttribute(lambda o: o.created_at)
    expires_at = factory.LazyAttribute(
        lambda o: o.created_at + timedelta(seconds=o.flow_definition.task_availability_lifetime)
    )
    output_uri = factory.LazyAttribute(
        lambda o: output_uri(
            output_path=o.flow_definition.output_path,
            flow_definition_name=o.flow_definition.name,
            created_at=o.created_at,
            loop_name=o.name,
        )
    )

    @factory.post_generation
    def slots(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        flow = self.flow_definition
        slots = TaskSlot.objects.bulk_create(
            TaskSlot(loop=self, index=i) for i in range(flow.task_count)
        )
        OpenSlot.objects.bulk_create(
            OpenSlot(slot=s, loop=self, flow_definition=flow, expires_at=self.expires_at)
            for s in slots
        )


class StartedLoopFactory(factory.Factory):
    """A loop started through start_loop(), as a client starts one: its times come from the
    (movable) clock, its slots and queue rows from the service itself."""

    class Meta:
        model = HumanLoop

    name = factory.Sequence(lambda n: f"started-{n}")
    flow_definition = factory.SubFactory(FlowDefinitionFactory)
    input_content = '{"text": "a cat on a mat"}'

    @classmethod
    def _create(
        cls, model_class: type[HumanLoop], *args: object, flow_definition: FlowDefinition, **kwargs
    ) -> HumanLoop:
        from reviews.services.loops import start_loop

        return start_loop(flow_definition_name=flow_definition.name, **kwargs)


ACCESS_KEY_SECRET = "s" * 40


class AccessKeyFactory(factory.django.DjangoModelFactory):
    """An active key whose secret is ACCESS_KEY_SECRET; create_access_key() makes real ones."""

    class Meta:
        model = AccessKey

    user = factory.SubFactory(UserFactory)
    key_id = factory.Sequence(lambda n: f"A2IPTEST{n:012d}")
    encrypted_secret = factory.LazyFunction(lambda: encrypt_secret(ACCESS_KEY_SECRET))


class WorkerIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerIdentity

    user = factory.SubFactory(UserFactory)


class RenderFailureFactory(factory.django.DjangoModelFactory):
    """A task whose template failed to render, on the first slot of a new loop."""

    class Meta:
        model = RenderFailure

    loop = factory.SubFactory(HumanLoopFactory)
    slot = factory.LazyAttribute(lambda o: o.loop.slots.order_by("index").first())
    task_ui = factory.LazyAttribute(lambda o: o.loop.flow_definition.task_ui)
    reviewer = factory.SubFactory(UserFactory)
    problem = "line 1, column 4: unknown filter 'nope'"
    at = factory.LazyFunction(lambda: clock.now())


WEBHOOK_SECRET = "w" * 32


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint on a closed loopback port, signing with WEBHOOK_SECRET."""

    class Meta:
        model = WebhookEndpoint

    name = factory.Sequence(lambda n: f"endpoint-{n}")
    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/hook/{n}")
    secret_encrypted = factory.LazyFunction(lambda: encrypt_secret(WEBHOOK_SECRET))


class LoopEventFactory(factory.django.DjangoModelFactory):
    """A Stopped event of a new loop, already queued for the webhooks."""

    class Meta:
        model = LoopEvent

    loop = factory.SubFactory(HumanLoopFactory)
    flow_definition = factory.LazyAttribute(lambda o: o.loop.flow_definition)
    loop_name = factory.LazyAttribute(lambda o: o.loop.name)
    flow_definition_name = factory.LazyAttribute(lambda o: o.loop.flow_definition.name)
    status = "Stopped"
    previous_status = "Stopping"
    occurred_at = factory.LazyFunction(lambda: clock.now())
    payload = factory.LazyAttribute(lambda o: {"detail": {"humanLoopName": o.loop.name}})
    dispatched_at = factory.LazyAttribute(lambda o: o.occurred_at)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    event = factory.SubFactory(LoopEventFactory)
    endpoint = factory.SubFactory(WebhookEndpointFactory)
    created_at = factory.LazyFunction(lambda: clock.now())
    next_attempt_at = factory.LazyAttribute(lambda o: o.created_at)


class DeliveryAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory)
    number = 1
    started_at = factory.LazyFunction(lambda: clock.now())
    status_code = 500
    latency_ms = 12
    error = "HTTP 500: boom"


class TextractFlowDefinitionFactory(FlowDefinitionFactory):
    """A Textract forms flow definition with the default worker template, as
    create_flow_definition gives one that names no task UI. No activation conditions unless
    given: every request starts a loop (reference §4.4)."""

    request_source = "AWS/Textract/AnalyzeDocument/Forms/V1"
    task_ui = factory.LazyAttribute(lambda o: default_task_ui_of(o.request_source))
    task_title = "Review the form fields"
    task_description = "Check the key-value pairs the model read from the document"


class RekognitionFlowDefinitionFactory(TextractFlowDefinitionFactory):
    """A Rekognition moderation flow definition with the default worker template."""

    request_source = "AWS/Rekognition/DetectModerationLabels/Image/V3"
    task_title = "Review the image"
    task_description = "Choose the moderation labels that apply"


def default_task_ui_of(request_source: str) -> HumanTaskUi:
    from workflows.services.task_uis import default_task_ui

    return default_task_ui(request_source=request_source)
