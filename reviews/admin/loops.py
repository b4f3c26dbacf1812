"""Admin of human loops: a list that stays fast on millions of loops, a detail page that shows
what reviewers saw and answered, and actions that go through the services. Nothing here edits
a status field."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_POST

from a2i_portal import clock
from a2i_portal.errors import DomainError
from reviews import exports
from reviews.models import HumanLoop, TaskSlot
from reviews.services.loops import delete_loop, reopen_loop, stop_loop
from reviews.services.output_storage import output_exists
from reviews.services.outputs import read_loop_output
from workflows.templating import read_access

# --- the list ---------------------------------------------------------------------------------


class LookAheadPaginator(Paginator):
    """Pages without count(*): a page reads one row more than it shows, and that row says
    whether a next page exists. `count` and `num_pages` are what is known once a page is read:
    the rows up to it, and one page more when another follows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known = 0

    @property
    def count(self) -> int:  # type: ignore[override]
        return self.known

    @property
    def num_pages(self) -> int:  # type: ignore[override]
        return max(1, ceil(self.known / self.per_page))

    def validate_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("page: must be a whole number") from exc
        if number < 1:
            raise EmptyPage("page: must be 1 or more")
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        self.known = bottom + len(rows)  # past the end: an empty page that links back
        return Page(rows[: self.per_page], number, self)


class LoopChangeList(ChangeList):
    """The admin's list, minus what costs a scan of the table on every page: no count (the
    paginator looks one row ahead), no "show all", no 3 MiB input per row."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer("input_content", "data_attributes")

    def get_results(self, request: HttpRequest) -> None:
        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        try:
            page = paginator.page(self.page_num)
        except InvalidPage as exc:
            messages.error(request, str(exc))
            self.page_num = 1
            page = paginator.page(1)
        loops = list(page.object_list)
        attach_slot_counts(loops)
        self.paginator, self.page = paginator, page
        self.result_list = loops
        self.result_count = paginator.count
        self.full_result_count = None
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.can_show_all = False
        self.multi_page = page.has_other_pages()
        self.first_shown = page.start_index() if loops else 0
        self.last_shown = self.first_shown + len(loops) - 1 if loops else 0
        self.first_url = self.get_query_string(remove=[PAGE_VAR])
        self.previous_url = self.page_link(page.number - 1) if page.has_previous() else ""
        self.next_url = self.page_link(page.number + 1) if page.has_next() else ""
        self.clear_search_url = self.get_query_string(remove=[SEARCH_VAR, PAGE_VAR])

    def page_link(self, number: int) -> str:
        if number == 1:
            return self.get_query_string(remove=[PAGE_VAR])
        return self.get_query_string({PAGE_VAR: number})


def attach_slot_counts(loops: list[HumanLoop]) -> None:
    """Each loop's slots by state, for the list's answers column: one query for the page."""
    counts: dict[int, dict[str, int]] = {loop.pk: {} for loop in loops}
    rows = (
        TaskSlot.objects.filter(loop_id__in=counts)
        .order_by()
        .values_list("loop_id", "state")
        .annotate(count=Count("pk"))
    )
    for loop_id, state, count in rows:
        counts[loop_id][state] = count
    for loop in loops:
        loop.slot_counts = counts[loop.pk]


class CreatedRangeForm(forms.Form):
    created_from = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "enter a date as YYYY-MM-DD"},
    )
    created_to = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "enter a date as YYYY-MM-DD"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and end < start:
            self.add_error("created_to", f"must be on or after created from ({start:%Y-%m-%d})")
        return data


class CreatedFilter(admin.ListFilter):
    """Loops created within a range of days (UTC), both ends included: a range scan of the
    creation-time indexes, where date_hierarchy would read every loop's date to list them."""

    title = "creation date (UTC)"
    template = "admin/reviews/humanloop/created_filter.html"
    parameters = ("created_from", "created_to")

    def __init__(self, request: HttpRequest, params: dict, model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        self.values = {name: params.pop(name)[-1] for name in self.parameters if name in params}
        self.used_parameters = dict(self.values)
        self.form = CreatedRangeForm(self.values)
        self.kept: list[tuple[str, str]] = []
        if not self.form.is_valid():
            for name, errors in self.form.errors.items():
                label = name.replace("_", " ")
                messages.error(request, f"{label}: {' '.join(errors)}")

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.values:
            return queryset
        if not self.form.is_valid():
            return queryset.none()
        start, end = self.form.cleaned_data["created_from"], self.form.cleaned_data["created_to"]
        if start:
            queryset = queryset.filter(created_at__gte=start_of(start))
        if end:
            queryset = queryset.filter(created_at__lt=start_of(end + timedelta(days=1)))
        return queryset

    def choices(self, changelist: ChangeList) -> Iterator[dict[str, Any]]:
        keep = {name: value for name, value in changelist.params.items() if name != PAGE_VAR}
        self.kept = [(k, v) for k, v in keep.items() if k not in self.parameters]
        today = timezone.localdate(clock.now())
        ranges = [
            ("Any date", None, None),
            ("Today", today, today),
            ("Past 7 days", today - timedelta(days=6), today),
            ("Past 30 days", today - timedelta(days=29), today),
        ]
        for label, start, end in ranges:
            wanted = {"created_from": start, "created_to": end}
            chosen = {k: v.isoformat() for k, v in wanted.items() if v}
            yield {
                "selected": chosen == self.values,
                "query_string": changelist.get_query_string(
                    chosen, remove=[PAGE_VAR, *(k for k in self.parameters if k not in chosen)]
                ),
                "display": label,
            }


def moment(at: datetime) -> str:
    """A time in the list: to the minute, the seconds in its tooltip."""
    local = timezone.localtime(at)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        at.isoformat(),
        local.strftime("%Y-%m-%d %H:%M:%S UTC"),
        local.strftime("%Y-%m-%d %H:%M"),
    )


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


LOOP_NAME_CHARACTERS = re.compile(r"[a-z0-9-]*")

# --- the detail page ----------------------------------------------------------------------------

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".avif")
MAX_REFERENCES = 24  # previews per page: an input may hold thousands of URIs
MAX_PRETTY = 200_000  # characters of pretty-printed input shown; the rest is cut
MAX_EVENTS = 500  # newest events shown
PREVIEW_SECONDS = 15 * 60  # signed URLs of previews live as long as an operator looks


@dataclass(frozen=True)
class Reference:
    """A URI found in the input: where it is, and how the page shows it."""

    path: str
    uri: str
    url: str
    is_image: bool
    is_external: bool  # another site's: linked, never loaded by the console


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def strings_in(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(path, string) of every string in a JSON value, in document order."""
    if isinstance(value, str):
        yield where or "(input)", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{where}[{index}]")


def references_in(task_input: Any, request: HttpRequest) -> tuple[list[Reference], int]:
    """The S3 references and URLs of the input (up to MAX_REFERENCES) and how many there are.
    S3 references get a URL the operator's browser can open for a while, as reviewers do."""
    site = request.build_absolute_uri("/")
    own_origin = origin_of(site)
    token = read_access.current.set(read_access.ReadAccess(seconds=PREVIEW_SECONDS, site_url=site))
    try:
        found: list[Reference] = []
        total = 0
        for where, text in strings_in(task_input):
            text = text.strip()
            is_s3 = read_access.s3_location(text) is not None
            if not is_s3 and urlsplit(text).scheme not in ("http", "https"):
                continue
            total += 1
            if len(found) == MAX_REFERENCES:
                continue
            url = read_access.grant(text) if is_s3 else text
            suffix = urlsplit(text).path.lower()
            found.append(
                Reference(
                    path=where,
                    uri=text,
                    url=url,
                    is_image=suffix.endswith(IMAGE_SUFFIXES),
                    is_external=origin_of(url) not in (own_origin, s3_endpoint_origin()),
                )
            )
        return found, total
    finally:
        read_access.current.reset(token)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def s3_endpoint_origin() -> str:
    return origin_of(settings.S3_ENDPOINT_URL) if settings.S3_ENDPOINT_URL else ""


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def slot_rows(loop: HumanLoop) -> list[dict[str, Any]]:
    slots = loop.slots.select_related("reviewer", "reviewer__worker_identity").order_by("index")
    rows = []
    for slot in slots:
        identity = getattr(slot.reviewer, "worker_identity", None) if slot.reviewer else None
        rows.append(
            {
                "slot": slot,
                "worker_id": identity.worker_id if identity else "",
                "time_spent": duration(slot.time_spent),
                "answer": pretty(slot.answer) if slot.answer is not None else "",
            }
        )
    return rows


def input_view(loop: HumanLoop) -> tuple[Any, str, bool]:
    """The parsed input, its pretty-printed text (cut at MAX_PRETTY), and whether it was cut."""
    try:
        task_input = json.loads(loop.input_content)
    except ValueError:
        return None, loop.input_content[:MAX_PRETTY], len(loop.input_content) > MAX_PRETTY
    text = pretty(task_input)
    return task_input, text[:MAX_PRETTY], len(text) > MAX_PRETTY


# --- the admin ----------------------------------------------------------------------------------

MESSAGE_LIMIT = 20  # messages of each kind per action; the rest are summed up


@dataclass
class Outcomes:
    """What an action did to each loop, for the messages."""

    done: list[str]
    refused: list[str]


@admin.register(HumanLoop)
class HumanLoopAdmin(admin.ModelAdmin):
    list_display = ["loop", "status_badge", "answers", "created"]
    list_display_links = ["loop"]
    list_filter = ["status", ("flow_definition", admin.RelatedFieldListFilter), CreatedFilter]
    list_select_related = ["flow_definition"]
    sortable_by = ["loop", "created"]  # the orders an index serves
    search_fields = ["^name"]
    search_help_text = "The start of a loop name, or a human loop ARN."
    paginator = LookAheadPaginator
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # facet counts read every loop of the list
    readonly_fields = [
        "name",
        "flow_definition",
        "status",
        "failure_code",
        "failure_reason",
        "output_uri",
        "created_at",
        "updated_at",
        "expires_at",
        "completed_at",
    ]
    fields = readonly_fields
    actions = [
        "stop_selected",
        "reopen_selected",
        "delete_selected_loops",
        "export_jsonl",
        "export_csv",
    ]
    change_form_template = "admin/reviews/humanloop/detail.html"

    # Permissions: loops start through the API and change only through the services.

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HumanLoop | None = None) -> bool:
        # No field of a loop is edited by hand: its page is a view; the actions need the
        # permission to change loops.
        return obj is None and super().has_change_permission(request)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete that would bypass delete_loop
        return actions

    def get_queryset(self, request: HttpRequest) -> QuerySet[HumanLoop]:
        return super().get_queryset(request).select_related("flow_definition")

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return LoopChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().changelist_view(request, {"title": "Human loops", **(extra_context or {})})

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """A name prefix (names are lowercase: LIKE 'prefix%' on the name's index) or an ARN."""
        term = search_term.strip().lower()
        if not term:
            return queryset, False
        if term.startswith("arn:"):
            return queryset.filter(name=term.rpartition("/")[2]), False
        if not LOOP_NAME_CHARACTERS.fullmatch(term):
            messages.warning(
                request,
                f"search: loop names hold only lowercase letters, digits and hyphens; "
                f"none starts with {search_term.strip()!r}",
            )
            return queryset.none(), False
        return queryset.filter(name__startswith=term), False

    # Columns

    @admin.display(description="status")
    def status_badge(self, loop: HumanLoop) -> str:
        detail = f" · {loop.failure_code}" if loop.failure_code else ""
        return format_html(
            '<span class="loop-status loop-status--{}" title="{}">{}{}</span>',
            loop.status.lower(),
            loop.failure_reason,
            loop.get_status_display(),
            detail,
        )

    @admin.display(description="name · flow definition", ordering="name")
    def loop(self, loop: HumanLoop) -> str:
        return format_html(
            '<span class="loop-name">{}</span><span class="loop-flow">{}</span>',
            loop.name,
            loop.flow_definition.name,
        )

    @admin.display(description="answers")
    def answers(self, loop: HumanLoop) -> str:
        counts = getattr(loop, "slot_counts", None)
        if counts is None:
            counts = dict(loop.slots.order_by().values_list("state").annotate(count=Count("pk")))
        submitted = counts.get(TaskSlot.State.SUBMITTED, 0)
        claimed = counts.get(TaskSlot.State.CLAIMED, 0)
        working = format_html('<span class="loop-quiet loop-small">{} in work</span>', claimed)
        return format_html(
            '<span class="loop-answers">{} / {}</span>{}',
            submitted,
            sum(counts.values()),
            working if claimed else "",
        )

    @admin.display(description="created · ends (UTC)", ordering="created_at")
    def created(self, loop: HumanLoop) -> str:
        return format_html(
            '{}<span class="loop-small loop-quiet">{}</span>',
            moment(loop.created_at),
            self.ending(loop),
        )

    def ending(self, loop: HumanLoop) -> str:
        if loop.completed_at:
            return format_html("ended {}", moment(loop.completed_at))
        if loop.status == HumanLoop.Status.STOPPING:
            return "stopping"
        now = clock.now()
        if loop.expires_at <= now:
            return mark_safe('<span class="loop-late">expiry due</span>')
        return format_html(
            'expires <time datetime="{}" title="{}">in {}</time>',
            loop.expires_at.isoformat(),
            timezone.localtime(loop.expires_at).strftime("%Y-%m-%d %H:%M:%S UTC"),
            timeuntil(loop.expires_at, now, depth=2),
        )

    # The detail page

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: HumanLoop | None = None,
    ) -> HttpResponse:
        if obj is not None:
            context.update(self.detail_context(request, obj))
        response = super().render_change_form(request, context, add, change, form_url, obj)
        endpoint = s3_endpoint_origin()
        if obj is not None and endpoint and any(ref.is_image for ref in context["references"]):
            # Previews of S3 references are pre-signed URLs of the configured S3 endpoint.
            response._csp_update = {"img-src": [endpoint]}
        return response

    def detail_context(self, request: HttpRequest, loop: HumanLoop) -> dict[str, Any]:
        task_input, input_text, input_cut = input_view(loop)
        references, reference_count = references_in(task_input, request)
        events = list(
            loop.events.select_related("reviewer", "slot").order_by("-at", "-pk")[:MAX_EVENTS]
        )
        status_events = list(
            loop.status_events.prefetch_related("deliveries__endpoint").order_by(
                "occurred_at", "pk"
            )
        )
        info = self.opts.app_label, self.opts.model_name
        return {
            "loop": loop,
            "input_text": input_text,
            "input_cut": input_cut,
            "references": references,
            "reference_count": reference_count,
            "data_attributes": pretty(loop.data_attributes) if loop.data_attributes else "",
            "slot_rows": slot_rows(loop),
            "events": events[::-1],
            "event_count": loop.events.count() if len(events) == MAX_EVENTS else len(events),
            "render_failures": list(
                loop.render_failures.select_related("reviewer", "task_ui", "slot")[:50]
            ),
            "status_events": status_events,
            "output_written": output_exists(loop.output_uri),
            "output_pending": any(event.awaits_output for event in status_events),
            "output_url": reverse("admin:{}_{}_output".format(*info), args=[loop.pk]),
            "stop_url": reverse("admin:{}_{}_stop".format(*info), args=[loop.pk]),
            "reopen_url": reverse("admin:{}_{}_reopen".format(*info), args=[loop.pk]),
            "delete_url": reverse("admin:{}_{}_delete".format(*info), args=[loop.pk]),
            "can_act": self.has_change_permission(request),
            "can_delete": self.has_delete_permission(request, loop),
            "now": clock.now(),
        }

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/stop/",
                wrap(self.stop_view),
                name="{}_{}_stop".format(*info),
            ),
            path(
                "<path:object_id>/reopen/",
                wrap(self.reopen_view),
                name="{}_{}_reopen".format(*info),
            ),
            path(
                "<path:object_id>/output/",
                wrap(self.output_view),
                name="{}_{}_output".format(*info),
            ),
            *super().get_urls(),
        ]

    def loop_or_404(self, request: HttpRequest, object_id: str) -> HumanLoop:
        return get_object_or_404(self.get_queryset(request).defer("input_content"), pk=object_id)

    def detail_url(self, loop_id: int) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[loop_id])

    def one_loop_action(
        self, request: HttpRequest, object_id: str, service: Callable[..., Any], done: Callable
    ) -> HttpResponse:
        if not self.has_change_permission(request):
            return HttpResponse("You may not change human loops.", status=403)
        loop = self.loop_or_404(request, object_id)
        outcomes = self.apply(request, [loop], service, done)
        self.report(request, outcomes, "")
        return HttpResponseRedirect(self.detail_url(loop.pk))

    def stop_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_POST(self.one_loop_action)(request, object_id, stop_loop, stopped)

    def reopen_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_POST(self.one_loop_action)(request, object_id, reopen_loop, reopened)

    def output_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """output.json of the loop, as written to the outputs storage."""
        loop = self.loop_or_404(request, object_id)
        if not self.has_view_permission(request, loop):
            return HttpResponse("You may not view human loops.", status=403)
        document = read_loop_output(loop)
        if document is None:
            messages.error(
                request,
                f"{loop.name}: output.json is not written: a loop's output is written when it "
                "ends with at least one answer",
            )
            return HttpResponseRedirect(self.detail_url(loop.pk))
        body = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{loop.name}-output.json"'
        return response

    # Deletion: Django's delete page goes through delete_loop too.

    def delete_model(self, request: HttpRequest, obj: HumanLoop) -> None:
        delete_loop(loop=obj)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:  # its transaction (and its log entry) rolled back
            self.message_user(request, f"{exc.field}: {exc.message}", messages.ERROR)
            return HttpResponseRedirect(self.detail_url(int(object_id)))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        # Slots, history and render failures belong to their loop: the permission to delete
        # loops is the one that counts.
        return deleted, counts, set(), protected

    # Actions, each through a service, loop by loop

    @admin.action(description="Stop the selected loops", permissions=["change"])
    def stop_selected(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> None:
        self.report(request, self.apply(request, each_loop(queryset), stop_loop, stopped), "")

    @admin.action(
        description="Re-open the selected Failed loops (Expired or InternalError) for review",
        permissions=["change"],
    )
    def reopen_selected(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> None:
        self.report(request, self.apply(request, each_loop(queryset), reopen_loop, reopened), "")

    @admin.action(
        description="Delete the selected loops (Completed, Failed or Stopped only)",
        permissions=["delete"],
    )
    def delete_selected_loops(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> None:
        outcomes = self.apply(request, each_loop(queryset), delete_loop, deleted)
        self.report(request, outcomes, "Output files stay where they were written.")

    @admin.action(
        description="Export the selected loops' output.json as JSON Lines (one document a line)"
    )
    def export_jsonl(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> HttpResponse:
        return exports.jsonl_response(queryset)

    @admin.action(
        description="Export the selected loops' answers as CSV: a row per answer; columns "
        + ", ".join(exports.CSV_COLUMNS)
        + ", answer.<key> per answer key (objects as JSON)"
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[HumanLoop]) -> HttpResponse:
        return exports.csv_response(queryset)

    def apply(
        self,
        request: HttpRequest,
        loops: Any,
        service: Callable[..., Any],
        done: Callable[[HumanLoop, Any], str],
    ) -> Outcomes:
        outcomes = Outcomes(done=[], refused=[])
        for loop in loops:
            try:
                result = service(loop=loop)
            except DomainError as exc:
                outcomes.refused.append(f"{loop.name}: {exc.message}")
                continue
            said = done(loop, result)
            outcomes.done.append(f"{loop.name}: {said}")
            if result is None:  # deleted
                self.log_deletions(request, [loop])
            elif result.status != loop.status:
                self.log_change(request, loop, said)
        return outcomes

    def report(self, request: HttpRequest, outcomes: Outcomes, note: str) -> None:
        for level, lines in ((messages.SUCCESS, outcomes.done), (messages.ERROR, outcomes.refused)):
            for line in lines[:MESSAGE_LIMIT]:
                self.message_user(request, line, level)
            if len(lines) > MESSAGE_LIMIT:
                what = "more done" if level == messages.SUCCESS else "more refused"
                self.message_user(request, f"… and {len(lines) - MESSAGE_LIMIT} {what}.", level)
        if note and outcomes.done:
            self.message_user(request, note, messages.INFO)
        if not outcomes.done and not outcomes.refused:
            self.message_user(request, "No loop was selected.", messages.WARNING)


def each_loop(queryset: QuerySet[HumanLoop]) -> Iterator[HumanLoop]:
    """The selected loops, a keyset chunk at a time: a selection of every loop that matches
    the filters can be millions, and each is changed in its own transaction."""
    for chunk in exports.in_chunks(queryset.select_related(None).only("pk", "name", "status")):
        yield from chunk


def stopped(loop: HumanLoop, result: HumanLoop) -> str:
    if loop.status == result.status:
        return f"already {result.status}, nothing to do"
    if result.status == HumanLoop.Status.STOPPED:
        return "stopped"
    held = result.slots.filter(state=TaskSlot.State.CLAIMED).count()
    return f"stopping: {held} task(s) still with a reviewer, who may still submit"


def reopened(loop: HumanLoop, result: HumanLoop) -> str:
    opened = result.slots.filter(state=TaskSlot.State.OPEN).count()
    until = timezone.localtime(result.expires_at).strftime("%Y-%m-%d %H:%M UTC")
    return f"re-opened: {opened} task(s) open until {until}"


def deleted(loop: HumanLoop, result: None) -> str:
    return "deleted"
