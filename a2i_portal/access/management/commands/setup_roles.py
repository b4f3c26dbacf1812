"""`manage.py setup_roles [--operator USERNAME ...]`: create or refresh the operator and reviewer
groups (migrate does this too), and optionally make users operators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, transaction

from a2i_portal.access.roles import OPERATOR, ensure_roles


class Command(BaseCommand):
    help = (
        "Create or refresh the 'operator' and 'reviewer' groups and their permissions. "
        "With --operator, also give those users staff status and put them in the operator group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--operator",
            action="append",
            default=[],
            metavar="USERNAME",
            help="Make this user an operator (staff, in the operator group). Repeatable.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, operator: list[str], database: str, **options: Any) -> None:
        user_model = get_user_model()
        users = list(
            user_model._default_manager.db_manager(database).filter(
                **{f"{user_model.USERNAME_FIELD}__in": operator}
            )
        )
        missing = sorted(set(operator) - {user.get_username() for user in users})
        if missing:  # checked before anything is written
            raise CommandError(f"--operator: there is no user named {', '.join(missing)}.")
        for change in ensure_roles(using=database):
            self.stdout.write(str(change))
        with transaction.atomic(using=database):
            group = Group.objects.using(database).get(name=OPERATOR)
            for user in users:
                if not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                user.groups.add(group)
                self.stdout.write(f"{user.get_username()}: operator (staff, in the operator group)")
