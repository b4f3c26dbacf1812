"""Forms of the work team console: the team itself, and adding a reviewer by email."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from a2i_portal.errors import Invalid
from workflows.models import WorkTeam
from workflows.services.teams import email_address


class WorkTeamForm(forms.ModelForm):
    """A work team as the admin edits it. The model's validators carry the reference's rules
    (name pattern and length, description length), so the admin refuses what the API refuses."""

    class Meta:
        model = WorkTeam
        fields = ["name", "description", "members", "member_groups", "notify_by_email"]
        help_texts = {
            "name": "1-63 letters, digits and hyphens, not starting or ending with a hyphen. "
            "It cannot be changed later: the team's ARN is made from it.",
            "description": "What the team does, 1-200 characters.",
            "members": "Reviewers added one by one. Type to search by user name, name or email. "
            "Someone without an account? Save the team, then use “Add a reviewer by email”.",
            "member_groups": "Every user of these groups is a reviewer of the team too.",
        }
        labels = {
            "members": "Reviewers",
            "member_groups": "Member groups",
            "notify_by_email": "Email on new work",
        }
        widgets = {"description": forms.TextInput(attrs={"class": "vLargeTextField"})}


class InviteReviewerForm(forms.Form):
    """The address of a reviewer to add; the account is made when nobody has it."""

    email = forms.CharField(
        label="Email address",
        max_length=User._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "off", "size": 40}),
        help_text="If nobody has this address, an account is made for it and a link to choose a "
        "password is emailed to it. Someone who already has an account is added at once.",
    )

    def clean_email(self) -> str:
        try:
            return email_address(self.cleaned_data["email"])
        except Invalid as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None
