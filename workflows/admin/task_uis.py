"""Admin of human task UIs (worker templates): a code editor with a live preview, and a gallery
of templates to start from.

The preview shows the editor's current, unsaved template the way the reviewer's work page shows
a task: rendered by the one Liquid engine, with the portal's Crowd HTML Elements, in a frame
sandboxed without same-origin and served with the frame policy. The editor form posts itself
into that frame (a form's target may be a sandboxed frame; the post carries the page's CSRF
token and session), so no preview is stored anywhere and the button works without JavaScript.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from a2i_portal.console import DomainErrorsAsMessages, change_links
from a2i_portal.errors import DomainError
from workflows import samples
from workflows.forms.task_uis import (
    GalleryForm,
    HumanTaskUiForm,
    Preview,
    TemplatePreviewForm,
    sample_input_field,
    suggested_name,
)
from workflows.models import HumanTaskUi
from workflows.services.deletion import delete_human_task_ui
from workflows.services.task_uis import (
    change_human_task_ui,
    create_human_task_ui,
    create_human_task_ui_from_sample,
    publish_sample_media,
)
from workflows.templating.crowd import FRAME_POLICY
from workflows.templating.read_access import ReadAccess

WORKBENCH = "template-workbench"  # the fieldset the change form draws as editor and preview


def frame_response(request: HttpRequest, preview: Preview) -> HttpResponse:
    """A preview as the work page's frame is served: the frame policy, never cached."""
    if preview.ok:
        response = HttpResponse(preview.html, content_type="text/html; charset=utf-8")
    else:
        response = TemplateResponse(
            request,
            "admin/workflows/humantaskui/preview_problems.html",
            {"problems": preview.problems},
        ).render()
    response["Content-Security-Policy"] = FRAME_POLICY
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def read_access(request: HttpRequest) -> ReadAccess:
    """grant_read_access URLs of a preview point at the site the operator is using."""
    return ReadAccess(
        seconds=settings.A2I_READ_ACCESS_SECONDS, site_url=request.build_absolute_uri("/")
    )


@admin.register(HumanTaskUi)
class HumanTaskUiAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = HumanTaskUiForm
    list_display = ["name", "used_by_count", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["arn", "content_sha256", "used_by", "created_at"]
    save_on_top = True  # the editor is long; and Enter in the name field saves, not previews
    change_form_template = "admin/workflows/humantaskui/change_form.html"
    change_list_template = "admin/workflows/humantaskui/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[HumanTaskUi]:
        return super().get_queryset(request).annotate(flow_count=Count("flows"))

    def get_readonly_fields(self, request: HttpRequest, obj: HumanTaskUi | None = None) -> list:
        if obj is None:
            return []
        return ["name", *self.readonly_fields]  # the name is in the ARN: A2I has no rename

    def get_fieldsets(self, request: HttpRequest, obj: HumanTaskUi | None = None) -> list:
        workbench = ("Template", {"fields": ["content", "sample_input"], "classes": [WORKBENCH]})
        if obj is None:
            return [(None, {"fields": ["name"]}), workbench]
        return [
            (None, {"fields": ["name", "arn", "used_by", "content_sha256", "created_at"]}),
            workbench,
        ]

    def get_form(
        self, request: HttpRequest, obj: HumanTaskUi | None = None, change: bool = False, **kwargs
    ) -> type[HumanTaskUiForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        sample = self.sample_for(request, obj)
        if sample is not None:  # a new field: the declared one is shared by every request
            form.base_fields["sample_input"] = sample_input_field(
                initial=sample.input_json, sample=sample.slug
            )
        return form

    @staticmethod
    def sample_for(request: HttpRequest, obj: HumanTaskUi | None) -> samples.Sample | None:
        """The gallery sample whose input the editor starts from: the one named in the URL
        (after "Create from gallery"), else the one whose template this task UI still is."""
        named = samples.sample_named(request.GET.get("sample", ""))
        if named is not None or obj is None:
            return named
        return next((s for s in samples.SAMPLES if s.template == obj.content), None)

    @admin.display(description="used by", ordering="flow_count")
    def used_by_count(self, obj: HumanTaskUi) -> str:
        count = getattr(obj, "flow_count", 0)
        return f"{count} flow definition{'' if count == 1 else 's'}" if count else "-"

    @admin.display(description="used by flow definitions")
    def used_by(self, obj: HumanTaskUi) -> str:
        flows = list(obj.flows.order_by("name").only("pk", "name"))
        if not flows:
            return "none yet"
        return change_links(flows, "admin:workflows_flowdefinition_change")

    @admin.display(description="content SHA-256")
    def content_sha256(self, obj: HumanTaskUi) -> str:
        return format_html("<code>{}</code>", obj.content_sha256)

    # Saving through the services, as the API does.

    def save_model(
        self, request: HttpRequest, obj: HumanTaskUi, form: HumanTaskUiForm, change: bool
    ) -> None:
        if change:
            saved = change_human_task_ui(task_ui=obj, content=form.cleaned_data["content"])
        else:
            saved = create_human_task_ui(name=obj.name, content=form.cleaned_data["content"])
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: HumanTaskUi) -> None:
        delete_human_task_ui(task_ui=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HumanTaskUi]) -> None:
        for task_ui in queryset:
            delete_human_task_ui(task_ui=task_ui)

    # The editor's preview and the gallery.

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "preview/",
                wrap(require_POST(self.preview_view)),
                name="workflows_humantaskui_preview",
            ),
            path(
                "preview/problems/",
                wrap(require_POST(self.problems_view)),
                name="workflows_humantaskui_preview_problems",
            ),
            path(
                "gallery/",
                wrap(require_http_methods(["GET", "POST"])(self.gallery_view)),
                name="workflows_humantaskui_gallery",
            ),
            path(
                "gallery/<slug:slug>/frame/",
                wrap(require_GET(self.gallery_frame_view)),
                name="workflows_humantaskui_gallery_frame",
            ),
            *super().get_urls(),
        ]

    def may_preview(self, request: HttpRequest) -> bool:
        return self.has_view_or_change_permission(request) or self.has_add_permission(request)

    def posted_preview(self, request: HttpRequest) -> Preview:
        if not self.may_preview(request):
            raise PermissionDenied
        form = TemplatePreviewForm(request.POST)
        form.is_valid()
        return form.preview(access=read_access(request))

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The posted template and sample input, rendered for the sandboxed preview frame."""
        return frame_response(request, self.posted_preview(request))

    def problems_view(self, request: HttpRequest) -> HttpResponse:
        """What stops the posted template rendering, with lines: the editor marks them."""
        preview = self.posted_preview(request)
        return JsonResponse({"problems": [problem.as_dict() for problem in preview.problems]})

    def gallery_frame_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        """A gallery sample rendered with its own input, for the gallery's preview frames."""
        if not self.may_preview(request):
            raise PermissionDenied
        sample = samples.sample_named(slug)
        if sample is None:
            return HttpResponse(f"No gallery sample {slug}", status=404, content_type="text/plain")
        publish_sample_media(sample=sample)  # its images, where grant_read_access serves them
        form = TemplatePreviewForm({"content": sample.template, "sample_input": sample.input_json})
        form.is_valid()
        return frame_response(request, form.preview(access=read_access(request)))

    def gallery_view(self, request: HttpRequest) -> HttpResponse:
        """The samples, each previewed; creating one opens it in the editor with its input."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        taken = set(HumanTaskUi.objects.values_list("name", flat=True))
        forms = {
            sample.slug: GalleryForm(
                initial={"sample": sample.slug, "name": suggested_name(sample.slug, taken)},
                auto_id=f"gallery-{sample.slug}-%s",
            )
            for sample in samples.SAMPLES
        }
        if request.method == "POST":
            slug = request.POST.get("sample", "")
            posted = GalleryForm(request.POST, auto_id=f"gallery-{slug}-%s")
            if slug in forms:
                forms[slug] = posted
            created = self.create_from_gallery(request, posted)
            if created is not None:
                return created
            if slug not in forms:
                self.message_user(request, "Choose a sample of the gallery.", messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Create a human task UI from the gallery",
            "cards": [(sample, forms[sample.slug]) for sample in samples.SAMPLES],
        }
        return TemplateResponse(request, "admin/workflows/humantaskui/gallery.html", context)

    def create_from_gallery(self, request: HttpRequest, form: GalleryForm) -> HttpResponse | None:
        if not form.is_valid():
            return None
        sample, name = form.cleaned_data["sample"], form.cleaned_data["name"]
        try:
            task_ui = create_human_task_ui_from_sample(name=name, sample=sample)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return None
        self.log_addition(request, task_ui, [{"added": {}}])
        self.message_user(
            request,
            f"Created {task_ui.name} from the gallery. Edit it, preview it, then save.",
            messages.SUCCESS,
        )
        url = reverse("admin:workflows_humantaskui_change", args=[task_ui.pk])
        return HttpResponseRedirect(f"{url}?sample={sample}")
