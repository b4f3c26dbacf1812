"""Two clients activating the same loop name at the same moment (PostgreSQL, one connection
each): one loop and one activation record, or a Conflict for the one that sent other data."""

from __future__ import annotations

import pytest

from a2i_portal.errors import Conflict
from reviews.models import HumanLoop, LoopActivation, LoopEvent
from tests.concurrency.threads import run_together, values
from tests.factories import TextractFlowDefinitionFactory
from tests.reviews.services.builtin_calls import (
    activate_textract,
    textract_request,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forms_flow(team):  # noqa: ANN001, ANN201
    return TextractFlowDefinitionFactory(name="payroll-forms", work_team=team)


def test_two_identical_activations_at_once_start_one_loop_with_one_record(forms_flow):
    first, second = values(run_together([lambda: activate_textract(forms_flow)] * 2))

    assert first.loop.pk == second.loop.pk
    assert HumanLoop.objects.filter(name="form-1").count() == 1
    assert LoopActivation.objects.count() == 1
    assert LoopEvent.objects.filter(status="InProgress").count() == 1


def test_two_activations_of_one_name_with_different_requests_one_wins_one_conflicts(forms_flow):
    other = textract_request(name="another-document.jpg")

    outcomes = run_together(
        [
            lambda: activate_textract(forms_flow),
            lambda: activate_textract(forms_flow, request=other),
        ]
    )

    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert HumanLoop.objects.filter(name="form-1").count() == 1
    assert LoopActivation.objects.count() == 1
