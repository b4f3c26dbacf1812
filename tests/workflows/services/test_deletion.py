import pytest

from a2i_portal.errors import Conflict
from tests.factories import FlowDefinitionFactory, HumanTaskUiFactory, WorkTeamFactory
from workflows.models import HumanTaskUi, WorkTeam
from workflows.services.deletion import delete_human_task_ui, delete_work_team

pytestmark = pytest.mark.django_db


def test_an_unused_work_team_is_deleted():
    team = WorkTeamFactory()

    delete_work_team(team=team)

    assert not WorkTeam.objects.exists()


def test_a_work_team_used_by_a_flow_definition_is_refused_naming_the_flow():
    flow = FlowDefinitionFactory(name="claims")

    with pytest.raises(Conflict, match="claims") as refused:
        delete_work_team(team=flow.work_team)

    assert refused.value.field == "work_team"
    assert WorkTeam.objects.filter(pk=flow.work_team_id).exists()


def test_an_unused_task_ui_is_deleted():
    task_ui = HumanTaskUiFactory()

    delete_human_task_ui(task_ui=task_ui)

    assert not HumanTaskUi.objects.exists()


def test_a_task_ui_used_by_a_flow_definition_is_refused():
    flow = FlowDefinitionFactory(name="claims")

    with pytest.raises(Conflict, match="claims") as refused:
        delete_human_task_ui(task_ui=flow.task_ui)

    assert refused.value.field == "human_task_ui"
    assert HumanTaskUi.objects.filter(pk=flow.task_ui_id).exists()
