"""The webhook console: registering endpoints (the secret shown once), the delivery log, sending
again, and a loop's status events on its page."""

import pytest
from django.urls import reverse

from reviews.models import LoopEvent, WebhookDelivery, WebhookEndpoint
from reviews.services.loops import stop_loop
from reviews.services.webhooks import dispatch_event
from tests.factories import (
    DeliveryAttemptFactory,
    FlowDefinitionFactory,
    LoopEventFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:reviews_webhookendpoint_add")


def form(**fields):
    return {
        "name": "client",
        "url": "https://client.example/a2i",
        "statuses": ["Completed", "Failed", "Stopped"],
        "is_active": "on",
        **fields,
    }


def test_an_endpoint_added_without_a_secret_shows_the_generated_one_once(operator_client):
    response = operator_client.post(ADD, form())

    endpoint = WebhookEndpoint.objects.get(name="client")
    assert response.status_code == 200
    assert endpoint.secret in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    change = operator_client.get(
        reverse("admin:reviews_webhookendpoint_change", args=[endpoint.pk])
    )
    assert endpoint.secret not in change.content.decode()


def test_an_endpoint_added_with_its_own_secret_keeps_it_and_shows_nothing(operator_client):
    response = operator_client.post(ADD, form(new_secret="a-secret-of-our-own"))

    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().secret == "a-secret-of-our-own"


def test_an_endpoint_for_some_flow_definitions_only(operator_client):
    flow = FlowDefinitionFactory()

    operator_client.post(
        ADD, form(flow_definitions=[flow.pk], statuses=["Completed"], new_secret="x" * 20)
    )

    endpoint = WebhookEndpoint.objects.get()
    assert list(endpoint.flow_definitions.all()) == [flow]
    assert endpoint.statuses == ["Completed"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"url": "ftp://client.example/"}, "url", "Enter a valid URL"),
        ({"new_secret": "short"}, "new_secret", "at least 16"),
        ({"statuses": []}, "statuses", "This field is required"),
    ],
)
def test_a_bad_endpoint_is_refused_on_the_form(operator_client, fields, field, words):
    response = operator_client.post(ADD, form(**fields))

    assert response.status_code == 200
    assert words in " ".join(response.context["adminform"].form.errors[field])
    assert not WebhookEndpoint.objects.exists()


def test_a_new_secret_can_be_generated_for_a_saved_endpoint(operator_client):
    endpoint = WebhookEndpointFactory(name="client")
    before = endpoint.secret
    url = reverse("admin:reviews_webhookendpoint_change", args=[endpoint.pk])

    response = operator_client.post(url, form(generate_secret="on"))

    endpoint.refresh_from_db()
    assert endpoint.secret != before
    assert endpoint.secret in response.content.decode()


def test_editing_an_endpoint_keeps_its_secret(operator_client):
    endpoint = WebhookEndpointFactory(name="client")
    before = endpoint.secret
    url = reverse("admin:reviews_webhookendpoint_change", args=[endpoint.pk])

    response = operator_client.post(url, form(url="https://new.example/hook"))

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.secret) == ("https://new.example/hook", before)


def test_the_endpoint_list_counts_pending_and_abandoned_deliveries(operator_client):
    endpoint = WebhookEndpointFactory(name="client")
    WebhookDeliveryFactory(endpoint=endpoint)
    WebhookDeliveryFactory(endpoint=endpoint, state="abandoned")

    response = operator_client.get(reverse("admin:reviews_webhookendpoint_changelist"))

    page = response.content.decode()
    assert "client" in page
    assert "state__exact=abandoned" in page


def test_the_delivery_log_shows_each_attempt(operator_client):
    attempt = DeliveryAttemptFactory(status_code=503, error="HTTP 503: later")
    url = reverse("admin:reviews_webhookdelivery_change", args=[attempt.delivery.pk])

    page = operator_client.get(url).content.decode()

    assert "HTTP 503: later" in page
    assert str(attempt.delivery.event.event_id) in page


def test_the_delivery_list_names_the_loop_and_the_last_answer(operator_client):
    attempt = DeliveryAttemptFactory(status_code=None, error="ConnectionError: refused")

    page = operator_client.get(reverse("admin:reviews_webhookdelivery_changelist")).content
    assert attempt.delivery.event.loop_name in page.decode()
    assert "ConnectionError: refused" in page.decode()


def test_abandoned_deliveries_can_be_sent_again(
    operator_client, django_capture_on_commit_callbacks
):
    delivery = WebhookDeliveryFactory(state="abandoned", attempts=40)

    with django_capture_on_commit_callbacks(execute=False):
        response = operator_client.post(
            reverse("admin:reviews_webhookdelivery_changelist"),
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.PENDING


def test_the_outbox_page_shows_the_event_as_posted(operator_client):
    event = LoopEventFactory()

    page = operator_client.get(
        reverse("admin:reviews_loopevent_change", args=[event.pk])
    ).content.decode()

    assert event.loop_name in page
    assert str(event.event_id) in page


def test_a_loops_page_lists_its_status_events_and_their_deliveries(operator_client, open_loop):
    WebhookEndpointFactory(name="client")
    stop_loop(loop=open_loop)
    dispatch_event(event_pk=LoopEvent.objects.get(status="Stopped").pk)

    page = operator_client.get(
        reverse("admin:reviews_humanloop_change", args=[open_loop.pk])
    ).content.decode()

    assert "Status events and webhooks" in page
    assert "Stopping → Stopped" in page
    assert "client</a>: pending" in page
