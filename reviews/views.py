"""The reviewer portal: the jobs of a reviewer's teams, and the page where tasks are worked.

The worker template runs in a sandboxed iframe (scripts and forms, no same origin) served by
`task_frame` with its own Content-Security-Policy, so neither template code nor task input can
reach the reviewer's session; the answer crosses to the host page by postMessage and the host
page posts it here with its CSRF token.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from a2i_portal import clock
from a2i_portal.errors import DomainError, NotFound
from reviews.models import TaskSlot
from reviews.selectors import held_slots, jobs_for, slot_of_reviewer
from reviews.services.rendering import record_render_failure
from reviews.services.slots import claim_next_slot, decline_slot, release_slot, submit_answer
from workflows.models import FlowDefinition
from workflows.templating.crowd import FRAME_POLICY, elements_url, with_portal_elements
from workflows.templating.engine import TemplateError
from workflows.templating.engine import render as render_template
from workflows.templating.read_access import ReadAccess


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reviews/home.html",
        {"jobs": jobs_for(request.user), "held": held_slots(request.user)},
    )


@login_required
@require_POST
def start_working(request: HttpRequest, flow_name: str) -> HttpResponse:
    """Claim the next task of a job and open it; an empty queue gets its own page."""
    flow = get_object_or_404(FlowDefinition, name=flow_name)
    try:
        slot = claim_next_slot(reviewer=request.user, flow_definition=flow)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:home")
    if slot is None:
        return render(request, "reviews/no_tasks.html", {"flow": flow})
    return redirect("reviews:task", slot_id=slot.pk)


@login_required
@require_GET
def task(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = own_slot_or_404(request, slot_id)
    if not is_workable(slot):
        return render(request, "reviews/task_ended.html", {"slot": slot}, status=410)
    flow = slot.loop.flow_definition
    return render(
        request,
        "reviews/task.html",
        {
            "slot": slot,
            "flow": flow,
            "page_data": {
                "deadline": slot.deadline.isoformat(),
                "now": clock.now().isoformat(),
                "submitUrl": reverse("reviews:submit", args=[slot.pk]),
                "startUrl": reverse("reviews:start", args=[flow.name]),
                "homeUrl": reverse("reviews:home"),
            },
        },
    )


@login_required
@require_GET
@xframe_options_sameorigin
def task_frame(request: HttpRequest, slot_id: int) -> HttpResponse:
    """The worker template, rendered with the loop's input, for the holder of the claim."""
    slot = own_slot_or_404(request, slot_id)
    if not is_workable(slot):
        response = render(request, "reviews/frame_message.html", {"ended": True}, status=410)
    else:
        response = rendered_frame(request, slot)
    response["Content-Security-Policy"] = FRAME_POLICY
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def rendered_frame(request: HttpRequest, slot: TaskSlot) -> HttpResponse:
    loop = slot.loop
    site_url = request.build_absolute_uri("/")
    remaining = int((slot.deadline - clock.now()).total_seconds())
    access = ReadAccess(seconds=max(60, remaining), site_url=site_url)
    content = loop.flow_definition.task_ui.content
    try:
        html = render_template(content, task_input=loop.task_input, access=access)
    except TemplateError as exc:
        record_render_failure(slot=slot, problem=str(exc.problem))
        return render(request, "reviews/frame_message.html", {"problem": exc.problem}, status=200)
    html = with_portal_elements(html, elements_url(site_url))
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
@require_POST
def submit(request: HttpRequest, slot_id: int) -> JsonResponse:
    """The answer the frame's crowd-form produced, posted by the host page as JSON."""
    slot = own_slot_or_404(request, slot_id)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return refusal("answer", "the request body is not JSON", 400)
    if not isinstance(body, dict):
        return refusal("answer", "the request body must be a JSON object", 400)
    time_spent = body.get("time_spent")
    if time_spent is not None and not isinstance(time_spent, int | float):
        return refusal("time_spent", "must be a number of seconds", 400)
    try:
        submit_answer(
            slot=slot, reviewer=request.user, answer=body.get("answer"), time_spent=time_spent
        )
    except DomainError as exc:
        return refusal(exc.field, exc.message, 409 if exc.field in ("slot", "deadline") else 400)
    flow = slot.loop.flow_definition
    return JsonResponse({"next": reverse("reviews:start", args=[flow.name])})


@login_required
@require_POST
def release(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Back to the queue, for another reviewer (or this one, later)."""
    slot = own_slot_or_404(request, slot_id)
    try:
        release_slot(slot=slot, reviewer=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, "The task is back in the queue.")
    return redirect("reviews:home")


@login_required
@require_POST
def decline(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Never this loop again for this reviewer; the next task of the job opens."""
    slot = own_slot_or_404(request, slot_id)
    flow = slot.loop.flow_definition
    try:
        decline_slot(slot=slot, reviewer=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:home")
    messages.info(request, "Declined: you will not be offered that task again.")
    try:
        following = claim_next_slot(reviewer=request.user, flow_definition=flow)
    except DomainError:
        following = None
    if following is None:
        return render(request, "reviews/no_tasks.html", {"flow": flow})
    return redirect("reviews:task", slot_id=following.pk)


def own_slot_or_404(request: HttpRequest, slot_id: int) -> TaskSlot:
    try:
        return slot_of_reviewer(slot_id, request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def is_workable(slot: TaskSlot) -> bool:
    return slot.state == TaskSlot.State.CLAIMED and slot.deadline > clock.now()


def refusal(field: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"field": field, "message": message}, status=status)
