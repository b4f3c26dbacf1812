"""Admin of work teams: who reviews, which flow definitions send them work, and adding a reviewer
by email. Saving, deleting and inviting go through the team services."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from a2i_portal.errors import DomainError
from workflows.forms.teams import InviteReviewerForm, WorkTeamForm
from workflows.models import FlowDefinition, WorkTeam
from workflows.services.deletion import delete_work_team
from workflows.services.teams import Invitation, create_work_team, invite_reviewer, update_work_team

FLOWS_IN_LIST = 3
REVIEWERS_ON_PAGE = 50


class SubqueryCount(Subquery):
    """The number of rows the subquery returns (a UNION included)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def count_per_team(through: QuerySet) -> Coalesce:
    counted = through.order_by().values("workteam_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


def with_counts(queryset: QuerySet[WorkTeam]) -> QuerySet[WorkTeam]:
    """Each team with its reviewer counts, one query for the page: `reviewer_total` counts the
    active users who get its tasks (direct members and members of its groups, once each)."""
    members = WorkTeam.members.through.objects.filter(workteam_id=OuterRef("pk"))
    groups = WorkTeam.member_groups.through.objects.filter(workteam_id=OuterRef("pk"))
    active_direct = members.filter(user__is_active=True).values("user_id")
    active_grouped = User.groups.through.objects.filter(
        group__work_teams=OuterRef("pk"), user__is_active=True
    ).values("user_id")
    return queryset.annotate(
        member_total=count_per_team(members),
        group_total=count_per_team(groups),
        reviewer_total=SubqueryCount(active_direct.union(active_grouped)),
    )


class MemberGroupFilter(admin.SimpleListFilter):
    title = "member group"
    parameter_name = "member_group"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        used = Group.objects.filter(work_teams__isnull=False).distinct().order_by("name")
        return [("none", "No group"), *((str(group.pk), group.name) for group in used)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[WorkTeam]) -> QuerySet:
        if self.value() == "none":
            return queryset.filter(member_groups__isnull=True)
        if self.value():
            return queryset.filter(member_groups__pk=self.value())
        return queryset


class NotifyFilter(admin.BooleanFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "email on new work"


def refusals_as_messages(view: Any) -> Any:
    """A state change the services refuse after the form passed (another operator changed the
    same team at that moment): its transaction is rolled back; say why and reload the page."""

    @functools.wraps(view)
    def wrapped(self: WorkTeamAdmin, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(self, request, *args, **kwargs)
        except DomainError as exc:
            self.message_user(request, f"{exc.field}: {exc.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    return wrapped


@admin.register(WorkTeam)
class WorkTeamAdmin(admin.ModelAdmin):
    form = WorkTeamForm
    list_display = [
        "name",
        "description",
        "reviewers_count",
        "flows_using",
        "emails",
    ]
    list_filter = [MemberGroupFilter, ("notify_by_email", NotifyFilter)]
    search_fields = ["name", "description", "members__username", "members__email"]
    search_help_text = "Team name or description, or the user name or email of a reviewer."
    autocomplete_fields = ["members", "member_groups"]
    readonly_fields = ["team_arn", "reviewers", "flows", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkTeam]:
        flows = FlowDefinition.objects.order_by("name").only("pk", "name", "work_team_id")
        return with_counts(super().get_queryset(request)).prefetch_related(
            Prefetch("flows", queryset=flows)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: WorkTeam | None = None) -> list[str]:
        if obj is None:
            return []
        return ["name", *self.readonly_fields]  # a team keeps its name: its ARN is made of it

    def get_fieldsets(self, request: HttpRequest, obj: WorkTeam | None = None) -> list:
        if obj is None:
            return [
                (None, {"fields": ["name", "description", "notify_by_email"]}),
                ("Reviewers", {"fields": ["members", "member_groups"]}),
            ]
        return [
            (None, {"fields": ["name", "team_arn", "description", "notify_by_email"]}),
            ("Reviewers", {"fields": ["members", "member_groups", "reviewers"]}),
            ("Flow definitions", {"fields": ["flows"]}),
            ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
        ]

    # The list

    @admin.display(description="Reviewers", ordering="reviewer_total")
    def reviewers_count(self, team: WorkTeam) -> SafeString:
        groups = f"{team.group_total} group{'s' if team.group_total != 1 else ''}"
        return format_html(
            '{}<div class="help">{} direct · {}</div>',
            team.reviewer_total,
            team.member_total,
            groups,
        )

    @admin.display(description="Email", boolean=True, ordering="notify_by_email")
    def emails(self, team: WorkTeam) -> bool:
        return team.notify_by_email

    @admin.display(description="Used by")
    def flows_using(self, team: WorkTeam) -> SafeString | str:
        flows = list(team.flows.all())
        if not flows:
            return "—"
        links = format_html_join(
            "",
            '<div class="nowrap"><a href="{}">{}</a></div>',
            ((self.flow_url(flow), flow.name) for flow in flows[:FLOWS_IN_LIST]),
        )
        if len(flows) <= FLOWS_IN_LIST:
            return links
        listed = reverse("admin:workflows_flowdefinition_changelist")
        return format_html(
            '{}<div class="nowrap"><a href="{}?work_team__id__exact={}">and {} more</a></div>',
            links,
            listed,
            team.pk,
            len(flows) - FLOWS_IN_LIST,
        )

    # The change page

    @admin.display(description="Who gets the tasks")
    def reviewers(self, team: WorkTeam) -> SafeString | str:
        direct = list(team.members.order_by("username")[:REVIEWERS_ON_PAGE])
        groups = list(team.member_groups.annotate(size=Count("user")).order_by("name"))
        if not direct and not groups:
            return "Nobody yet: add reviewers above, or by email with “Add a reviewer by email”."
        rows = [
            format_html(
                '<li><a href="{}">{}</a>{}</li>',
                reverse("admin:auth_user_change", args=[quote(user.pk)]),
                self.person(user),
                " — waiting for a password (invited)" if not user.has_usable_password() else "",
            )
            for user in direct
        ]
        if team.member_total > len(direct):
            rows.append(format_html("<li>and {} more</li>", team.member_total - len(direct)))
        rows += [
            format_html("<li>everyone in the group <strong>{}</strong> ({})</li>", g.name, g.size)
            for g in groups
        ]
        return format_html(
            '<p>{} active reviewer(s) in all:</p><ul class="portal-plain-list">{}</ul>',
            team.reviewer_total,
            SafeString("".join(rows)),
        )

    @admin.display(description="Used by")
    def flows(self, team: WorkTeam) -> SafeString | str:
        flows = list(team.flows.all())
        if not flows:
            return "No flow definition sends work to this team yet."
        return format_html(
            '<ul class="portal-plain-list">{}</ul>',
            format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((self.flow_url(f), f.name) for f in flows)
            ),
        )

    def person(self, user: User) -> SafeString:
        label = user.get_full_name() or user.get_username()
        email = f" <{user.email}>" if user.email else ""
        if not user.is_active:
            email += " (deactivated)"
        return format_html("{}{}", label, email)

    def flow_url(self, flow: FlowDefinition) -> str:
        return reverse("admin:workflows_flowdefinition_change", args=[quote(flow.pk)])

    @admin.display(description="ARN")
    def team_arn(self, team: WorkTeam) -> str:
        return team.arn

    # Saving and deleting through the services

    def save_model(
        self, request: HttpRequest, obj: WorkTeam, form: ModelForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            saved = update_work_team(
                team=obj,
                description=data["description"],
                members=data["members"],
                member_groups=data["member_groups"],
                notify_by_email=data["notify_by_email"],
            )
        else:
            saved = create_work_team(
                name=data["name"],
                description=data["description"],
                members=data["members"],
                member_groups=data["member_groups"],
                notify_by_email=data["notify_by_email"],
            )
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        for formset in formsets:  # members and groups were saved with the team, by the service
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:  # say which flow definitions hold the team, not that they can't be deleted
            perms_needed = set()
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: WorkTeam) -> None:
        delete_work_team(team=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkTeam]) -> None:
        for team in queryset:
            delete_work_team(team=team)

    @refusals_as_messages
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    @refusals_as_messages
    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().delete_view(request, *args, **kwargs)

    @refusals_as_messages
    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changelist_view(request, *args, **kwargs)

    # Adding a reviewer by email

    def get_urls(self) -> list[URLPattern]:
        invite = path(
            "<path:object_id>/invite/",
            self.admin_site.admin_view(self.invite_view),
            name="workflows_workteam_invite",
        )
        return [invite, *super().get_urls()]

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        team = self.get_object(request, unquote(object_id))
        if team is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, team):
            raise PermissionDenied
        form = InviteReviewerForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                invitation = invite_reviewer(
                    team=team,
                    email=form.cleaned_data["email"],
                    site_url=request.build_absolute_uri("/"),
                )
            except DomainError as exc:
                form.add_error("email" if exc.field == "email" else None, exc.message)
            else:
                self.message_user(request, invitation_summary(invitation, team), messages.SUCCESS)
                self.log_change(request, team, invitation_log(invitation))
                if "_addanother" in request.POST:
                    return HttpResponseRedirect(request.path)
                return HttpResponseRedirect(
                    reverse("admin:workflows_workteam_change", args=[quote(team.pk)])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a reviewer by email",
            "subtitle": team.name,
            "opts": self.opts,
            "original": team,
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request, team),
        }
        return TemplateResponse(request, "admin/workflows/workteam/invite_reviewer.html", context)


def invitation_summary(invitation: Invitation, team: WorkTeam) -> str:
    user = invitation.user
    who = f"{user.email} ({user.get_username()})"
    if invitation.created:
        done = f"Made the account {user.get_username()} for {user.email} and added it to {team}"
    elif invitation.added:
        done = f"Added {who} to {team}"
    else:
        done = f"{who} is already a reviewer of {team} but has not chosen a password yet"
    if invitation.emailed:
        return f"{done}; emailed a link to choose a password."
    return f"{done}; they can sign in with the password they have."


def invitation_log(invitation: Invitation) -> list[dict[str, Any]] | str:
    name = invitation.user.get_username()
    if not invitation.added:
        return f"Sent {name} a new link to choose a password."
    return [{"added": {"name": "reviewer", "object": name}}]
