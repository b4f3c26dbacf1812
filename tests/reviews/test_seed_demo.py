import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from reviews.models import HumanLoop, OpenSlot
from workflows.models import FlowDefinition, WorkTeam

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_creates_accounts_team_flow_and_loops_and_prints_them(var_dir):
    printed = run_seed()

    passwords = json.loads((var_dir / "demo-credentials.json").read_text())
    for username in ("admin", "reviewer1", "reviewer2"):
        assert f"{username} " in printed and passwords[username] in printed
        assert authenticate(username=username, password=passwords[username]) is not None
    assert "/admin/" in printed
    team = WorkTeam.objects.get(name="demo-team")
    assert set(team.members.values_list("username", flat=True)) == {"reviewer1", "reviewer2"}
    assert FlowDefinition.objects.get(name="demo-sentiment").work_team == team
    assert HumanLoop.objects.filter(status="InProgress").count() == 5
    assert OpenSlot.objects.count() == 5


def test_running_the_demo_again_changes_nothing_and_prints_the_same_accounts(var_dir):
    first = run_seed()

    second = run_seed()

    assert second == first
    assert HumanLoop.objects.count() == 5
    assert OpenSlot.objects.count() == 5


def test_demo_passwords_come_from_the_environment_when_given(var_dir, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "an-admin-passphrase")
    monkeypatch.setenv("DEMO_REVIEWER_PASSWORD", "a-reviewer-passphrase")

    run_seed()

    assert authenticate(username="admin", password="an-admin-passphrase") is not None
    assert authenticate(username="reviewer2", password="a-reviewer-passphrase") is not None
