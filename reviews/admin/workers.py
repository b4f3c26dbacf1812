"""Admin of the reviewers' pseudonymous identities in output.json."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from reviews.models import WorkerIdentity


@admin.register(WorkerIdentity)
class WorkerIdentityAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "user", "sub"]
    search_fields = ["worker_id", "user__username"]
    readonly_fields = ["worker_id", "user", "sub"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
