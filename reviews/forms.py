"""Forms of the reviews console."""

from __future__ import annotations

from django import forms

from reviews.models import HumanLoop, WebhookEndpoint
from reviews.models.webhooks import default_statuses
from reviews.services.webhooks import SECRET_MIN_LENGTH


class WebhookEndpointForm(forms.ModelForm):
    """A webhook endpoint as the admin edits it; the signing secret is written, never shown
    (a new one is shown once, on the page that answers the save)."""

    url = forms.URLField(
        assume_scheme="https",
        max_length=2048,
        label="URL",
        widget=forms.URLInput(attrs={"class": "vURLField", "size": 80}),
        help_text="The receiver: events are POSTed here as JSON.",
    )
    statuses = forms.MultipleChoiceField(
        choices=HumanLoop.Status.choices,
        initial=default_statuses,
        widget=forms.CheckboxSelectMultiple,
        help_text="A2I sends events for Completed, Failed and Stopped; InProgress (a loop "
        "started or re-opened) and Stopping are this portal's own.",
    )
    new_secret = forms.CharField(
        required=False,
        min_length=SECRET_MIN_LENGTH,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        label="Signing secret",
        help_text=f"At least {SECRET_MIN_LENGTH} characters. Leave it empty to have one "
        "generated; it is shown once, after saving. On a saved endpoint, leave it empty to keep "
        "the current secret, or tick “Generate a new secret”.",
    )
    generate_secret = forms.BooleanField(
        required=False, label="Generate a new secret", help_text="Replaces the current one."
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "statuses", "flow_definitions", "is_active"]
        labels = {"url": "URL", "is_active": "Active", "flow_definitions": "Flow definitions"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].disabled = True
