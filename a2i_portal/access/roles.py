"""The portal's two roles, kept as Django groups.

- operator: runs the console without being a superuser. Every permission of the workflows,
  reviews and access apps, and of users and groups. Members also need "Staff status" to sign in
  to the admin; the group cannot grant that.
- reviewer: works in the reviewer portal only. No permissions; its members are not staff.

The groups are defined here, not in the database: `ensure_roles()` (run after every `migrate`,
and by `manage.py setup_roles`) creates them and sets their permissions to exactly these, so a
permission granted by hand to a role is taken away again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q, QuerySet

OPERATOR = "operator"
REVIEWER = "reviewer"
# Every model of these apps, present and future.
OPERATOR_APPS = ("workflows", "reviews", "access")
OPERATOR_AUTH_MODELS = ("user", "group")


@dataclass(frozen=True)
class RoleChange:
    """What ensure_roles() did to one role's group."""

    name: str
    created: bool
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def __str__(self) -> str:
        if self.created:
            return f"{self.name}: created with {len(self.added)} permission(s)"
        if not (self.added or self.removed):
            return f"{self.name}: up to date"
        return f"{self.name}: {len(self.added)} permission(s) added, {len(self.removed)} removed"


def operator_permissions(using: str = DEFAULT_DB_ALIAS) -> QuerySet[Permission]:
    return Permission.objects.using(using).filter(
        Q(content_type__app_label__in=OPERATOR_APPS)
        | Q(content_type__app_label="auth", content_type__model__in=OPERATOR_AUTH_MODELS)
    )


def role_permissions(using: str = DEFAULT_DB_ALIAS) -> dict[str, QuerySet[Permission]]:
    return {OPERATOR: operator_permissions(using), REVIEWER: Permission.objects.none()}


def ensure_roles(*, using: str = DEFAULT_DB_ALIAS) -> list[RoleChange]:
    """Create the role groups that are missing and set each one's permissions to the role's."""
    # Apps migrate in INSTALLED_APPS order and each gets its permissions in its own post_migrate
    # handler; creating them all here makes the result independent of which app runs first.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    with transaction.atomic(using=using):
        return [
            _ensure_role(name, permissions, using=using)
            for name, permissions in role_permissions(using).items()
        ]


def _ensure_role(name: str, permissions: QuerySet[Permission], *, using: str) -> RoleChange:
    group, created = Group.objects.using(using).select_for_update().get_or_create(name=name)
    wanted = {p.pk: p for p in permissions.select_related("content_type")}
    held = {p.pk: p for p in group.permissions.select_related("content_type")}
    added = [wanted[pk] for pk in wanted.keys() - held.keys()]
    removed = [held[pk] for pk in held.keys() - wanted.keys()]
    if added:
        group.permissions.add(*added)
    if removed:
        group.permissions.remove(*removed)
    return RoleChange(
        name=name,
        created=created,
        added=tuple(sorted(_codename(p) for p in added)),
        removed=tuple(sorted(_codename(p) for p in removed)),
    )


def _codename(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def create_roles_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate receiver (see AccessConfig.ready)."""
    ensure_roles(using=using)


def reviewer_group() -> Group:
    """The reviewer role's group, made if a database was set up without it."""
    return Group.objects.get_or_create(name=REVIEWER)[0]
