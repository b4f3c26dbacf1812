"""Create the demo: an operator, two reviewers in a team, a template, a flow definition and a few
loops. Running it again changes nothing and prints the same accounts."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from a2i_portal.access.roles import reviewer_group
from a2i_portal.errors import DomainError
from reviews.services.loops import start_loop
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam
from workflows.services.flow_definitions import create_flow_definition
from workflows.services.task_uis import create_human_task_ui
from workflows.services.teams import create_work_team

SAMPLE_TEMPLATE = Path(__file__).resolve().parents[3] / "workflows" / "samples" / "sentiment.liquid"
TEAM, TASK_UI, FLOW = "demo-team", "demo-sentiment-ui", "demo-sentiment"
REVIEWS = [
    ("The battery lasts two full days and the screen is gorgeous.", "Positive", 0.62),
    ("Arrived broken and support never answered my emails.", "Negative", 0.58),
    ("It is a phone. It makes calls.", "Neutral", 0.51),
    ("Great camera, but it overheats when I play games.", "Positive", 0.55),
    ("I would not buy it again, though my kids love it.", "Negative", 0.49),
]


class Command(BaseCommand):
    help = "Create demo accounts, a work team, a worker template, a flow definition and loops."

    def handle(self, *args: Any, **options: Any) -> None:
        credentials = self.credentials()
        with transaction.atomic():
            self.user("admin", credentials["admin"], is_staff=True, is_superuser=True)
            reviewers = [self.user(name, credentials[name]) for name in ("reviewer1", "reviewer2")]
            reviewer_group().user_set.add(*reviewers)
            flow = self.flow_definition(reviewers)
        started = 0
        for number, (text, label, confidence) in enumerate(REVIEWS, start=1):
            content = {
                "taskObject": {"text": text},
                "prediction": {"label": label, "confidence": confidence},
            }
            try:
                start_loop(
                    name=f"demo-review-{number}",
                    flow_definition_name=flow.name,
                    input_content=json.dumps(content),
                )
                started += 1
            except DomainError as exc:  # e.g. an operator changed the demo loop's input
                self.stderr.write(f"demo-review-{number}: {exc.message}")
        self.report(credentials, flow, started)

    def credentials(self) -> dict[str, str]:
        """Passwords from DEMO_ADMIN_PASSWORD / DEMO_REVIEWER_PASSWORD, else generated once and
        kept in var/demo-credentials.json (mode 0600) so later runs print the same ones."""
        stored_path = settings.VAR_DIR / "demo-credentials.json"
        stored = json.loads(stored_path.read_text()) if stored_path.exists() else {}
        reviewer_password = os.environ.get("DEMO_REVIEWER_PASSWORD")
        credentials = {
            "admin": os.environ.get("DEMO_ADMIN_PASSWORD") or stored.get("admin"),
            "reviewer1": reviewer_password or stored.get("reviewer1"),
            "reviewer2": reviewer_password or stored.get("reviewer2"),
        }
        credentials = {k: v or secrets.token_urlsafe(12) for k, v in credentials.items()}
        if credentials != stored:
            stored_path.touch(mode=0o600)
            stored_path.write_text(json.dumps(credentials))
        return credentials

    def user(self, username: str, password: str, **flags: bool) -> Any:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com", **flags}
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def flow_definition(self, reviewers: list[Any]) -> FlowDefinition:
        team = WorkTeam.objects.filter(name=TEAM).first() or create_work_team(
            name=TEAM, description="Demo reviewers"
        )
        team.members.add(*reviewers)
        task_ui = HumanTaskUi.objects.filter(name=TASK_UI).first() or create_human_task_ui(
            name=TASK_UI, content=SAMPLE_TEMPLATE.read_text()
        )
        return FlowDefinition.objects.filter(name=FLOW).first() or create_flow_definition(
            name=FLOW,
            work_team=team,
            task_ui=task_ui,
            task_title="Review the sentiment of a product review",
            task_description="Read a customer review and choose the sentiment it expresses.",
            task_keywords=["sentiment", "text classification"],
            task_count=1,
            task_availability_lifetime=7 * 24 * 3600,
            task_time_limit=600,
            output_path="s3://demo-bucket/a2i-results",
        )

    def report(self, credentials: dict[str, str], flow: FlowDefinition, started: int) -> None:
        site = settings.SITE_URL.rstrip("/")
        lines = [
            "",
            "A2I portal demo is ready.",
            f"  Reviewer portal:  {site}{reverse('reviews:home')}  (sign in as reviewer1 or reviewer2)",
            f"  Operator console: {site}{reverse('admin:index')}",
            f"  Health:           {site}{reverse('health')}",
            f"  Flow definition:  {flow.arn}",
            f"  Demo loops:       {started} in place",
            f"  Outputs folder:   {settings.OUTPUT_ROOT}",
            "  Accounts:",
            f"    admin     / {credentials['admin']}   (operator, superuser)",
            f"    reviewer1 / {credentials['reviewer1']}   (reviewer, team {TEAM})",
            f"    reviewer2 / {credentials['reviewer2']}   (reviewer, team {TEAM})",
            "",
        ]
        self.stdout.write("\n".join(lines))
