"""`manage.py create_access_key <username>`: a key for a script, printed as environment lines."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from a2i_portal.access.services import create_access_key


class Command(BaseCommand):
    help = (
        "Create an API access key for a user and print it as two lines, "
        "AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=... (the secret is shown only now)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--description", default="", help="What the key is for.")

    def handle(self, *args: Any, username: str, description: str, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(f"There is no user named {username!r}.") from None
        key, secret = create_access_key(user=user, description=description)
        self.stdout.write(f"AWS_ACCESS_KEY_ID={key.key_id}")
        self.stdout.write(f"AWS_SECRET_ACCESS_KEY={secret}")
