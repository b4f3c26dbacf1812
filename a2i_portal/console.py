"""What the operator console's admin classes share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from a2i_portal.errors import DomainError


class DomainErrorsAsMessages:
    """A ModelAdmin mixin: a service's refusal while saving (a name taken by a concurrent add,
    an object deleted meanwhile) comes back to the form as a message, not a server error."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, f"{exc.field}: {exc.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def change_links(objects: Iterable[Model], url_name: str) -> SafeString:
    """Comma-separated links to the admin change pages of `objects`, each named by its name."""
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse(url_name, args=[obj.pk]), obj.name) for obj in objects),
    )
