from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "a2i_portal.access"
    label = "access"
    verbose_name = "API access"

    def ready(self) -> None:
        from a2i_portal.access.roles import create_roles_after_migrate

        # Once per migrate (sender=self), after every app has migrated: the roles' permissions
        # name models of other apps.
        post_migrate.connect(
            create_roles_after_migrate, sender=self, dispatch_uid="a2i_portal.access.roles"
        )
