"""Admin of human task UIs (worker templates)."""

from __future__ import annotations

from django.contrib import admin

from workflows.models import HumanTaskUi


@admin.register(HumanTaskUi)
class HumanTaskUiAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["arn", "created_at"]
