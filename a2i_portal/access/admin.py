"""Operators' console for access keys: create (the secret is shown once, in a message), list,
revoke. The encrypted secret is never on a page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import create_access_key, revoke_access_key
from a2i_portal.errors import DomainError


@admin.register(AccessKey)
class AccessKeyAdmin(admin.ModelAdmin):
    list_display = ["key_id", "user", "description", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["key_id", "user__username", "description"]
    actions = ["revoke_selected"]

    def get_fields(self, request: HttpRequest, obj: AccessKey | None = None) -> list[str]:
        if obj is None:
            return ["user", "description"]
        return ["key_id", "user", "description", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: AccessKey | None = None) -> list[str]:
        if obj is None:
            return []
        return ["key_id", "user", "created_at", "last_used_at", "revoked_at"]

    def has_delete_permission(self, request: HttpRequest, obj: AccessKey | None = None) -> bool:
        return False  # revoke instead: the row stays as the record of who held the key

    def save_model(
        self, request: HttpRequest, obj: AccessKey, form: ModelForm, change: bool
    ) -> None:
        if change:
            obj.save(update_fields=["description"])
            return
        key, secret = create_access_key(user=obj.user, description=obj.description)
        obj.pk, obj.key_id, obj.created_at = key.pk, key.key_id, key.created_at
        obj.encrypted_secret = key.encrypted_secret
        self.message_user(
            request,
            f"Access key {key.key_id} created. Its secret access key is {secret} — copy it "
            "now: it will not be shown again.",
            messages.WARNING,
        )

    @admin.action(description="Revoke selected keys")
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
