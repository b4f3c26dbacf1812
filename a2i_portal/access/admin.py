"""Operators' console for access keys (create: the secret is shown once, on the page that answers
the creation; list; revoke; the encrypted secret is never on a page), and the rules that keep the
user admin safe in the hands of operators who are not superusers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString

from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import create_access_key, revoke_access_key
from a2i_portal.errors import DomainError


class AccessKeyForm(forms.ModelForm):
    """A new key: whose it is and what for."""

    class Meta:
        model = AccessKey
        fields = ["user", "description"]
        labels = {"user": "Owner"}
        help_texts = {
            "user": "The key acts as this user: the API allows it what the user may do.",
            "description": "What the key is for (a service, a notebook, a CI job), to recognise "
            "it later. At most 200 characters.",
        }

    def clean_user(self) -> Any:
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError(
                "is deactivated: a deactivated user's key cannot authenticate; reactivate the "
                "user first",
                code="inactive",
            )
        return user


class KeyStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [
            ("active", "Active"),
            ("revoked", "Revoked"),
            ("owner-deactivated", "Owner deactivated"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AccessKey]) -> QuerySet:
        if self.value() == "active":
            return queryset.usable()
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "owner-deactivated":
            return queryset.filter(revoked_at__isnull=True, user__is_active=False)
        return queryset


class OwnerFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "owner"


def moment(at: datetime) -> str:
    """A time as the console shows it: to the minute, in UTC like every A2I timestamp."""
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


@admin.register(AccessKey)
class AccessKeyAdmin(admin.ModelAdmin):
    form = AccessKeyForm
    list_display = ["key_id", "owner", "description", "state", "created", "last_used"]
    list_select_related = ["user"]
    list_filter = [KeyStateFilter, ("user", OwnerFilter)]
    search_fields = ["key_id", "user__username", "user__email", "description"]
    search_help_text = "Key id, owner's user name or email, or description."
    autocomplete_fields = ["user"]
    actions = ["revoke_selected"]
    created_template = "admin/access/accesskey/created.html"

    def get_fields(self, request: HttpRequest, obj: AccessKey | None = None) -> list[str]:
        if obj is None:
            return ["user", "description"]
        return ["key_id", "owner", "description", "state", "created", "last_used"]

    def get_readonly_fields(self, request: HttpRequest, obj: AccessKey | None = None) -> list[str]:
        if obj is None:
            return []
        return ["key_id", "owner", "state", "created", "last_used"]

    def has_delete_permission(self, request: HttpRequest, obj: AccessKey | None = None) -> bool:
        return False  # revoke instead: the row stays as the record of who held the key

    @admin.display(description="Owner", ordering="user__username")
    def owner(self, key: AccessKey) -> SafeString:
        name = key.user.get_username()
        url = reverse("admin:auth_user_change", args=[key.user_id])
        if key.user.is_active:
            return format_html('<a href="{}">{}</a>', url, name)
        return format_html('<a href="{}">{}</a> (deactivated)', url, name)

    @admin.display(description="State", ordering="revoked_at")
    def state(self, key: AccessKey) -> SafeString | str:
        if key.is_revoked:
            return format_html('Revoked<div class="help">{}</div>', moment(key.revoked_at))
        if not key.user.is_active:
            return "Unusable: owner deactivated"
        return "Active"

    @admin.display(description="Created", ordering="created_at")
    def created(self, key: AccessKey) -> str:
        return moment(key.created_at)

    @admin.display(description="Last used", ordering="last_used_at")
    def last_used(self, key: AccessKey) -> str:
        return "Never" if key.last_used_at is None else moment(key.last_used_at)

    def save_model(
        self, request: HttpRequest, obj: AccessKey, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            obj.save(update_fields=["description"])
            return
        key, secret = create_access_key(user=obj.user, description=obj.description)
        obj.pk, obj.key_id, obj.created_at = key.pk, key.key_id, key.created_at
        obj.encrypted_secret = key.encrypted_secret
        obj._state.adding, obj._state.db = False, key._state.db
        obj.shown_once = secret  # read by response_add; never stored

    def response_add(
        self, request: HttpRequest, obj: AccessKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The page that answers the creation is the only one that shows the secret: it is not
        kept in the session or a message cookie, and the page is not cached."""
        secret = getattr(obj, "shown_once", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Access key {obj.key_id} created",
            "opts": self.opts,
            "key": obj,
            "secret": secret,
            "has_view_permission": self.has_view_permission(request, obj),
            "has_add_permission": self.has_add_permission(request),
            "api_url": request.build_absolute_uri(reverse("workflows-api:flow-definition-list")),
        }
        response = TemplateResponse(request, self.created_template, context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[AccessKey]) -> None:
        revoked = 0
        for key in queryset:
            try:
                revoke_access_key(key=key)
            except DomainError as exc:
                self.message_user(request, f"{key.key_id}: {exc.message}", messages.ERROR)
            else:
                revoked += 1
        if revoked:
            self.message_user(request, f"Revoked {revoked} access key(s).", messages.SUCCESS)


class OperatorSafeUserAdminMixin:
    """Makes a user admin safe for an operator who is not a superuser: only a superuser makes
    superusers, grants permissions one by one, or changes or deletes a superuser's account (a
    password change included; the account stays visible). Operators grant roles through groups.
    """

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in SUPERUSER_ONLY_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not request.user.is_superuser:  # the confirmation page refuses these already
            queryset = queryset.exclude(is_superuser=True)
        super().delete_queryset(request, queryset)


SUPERUSER_ONLY_FIELDS = ["is_superuser", "user_permissions"]
