import json

import pytest

from reviews.models import HumanLoop
from reviews.services.loops import start_loop
from reviews.services.outputs import read_loop_output
from reviews.services.slots import claim_next_slot, submit_answer

pytestmark = pytest.mark.django_db


def test_a_loop_travels_from_start_to_its_output_file(
    flow, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    loop = start_loop(
        name="l1", flow_definition_name=flow.name, input_content=json.dumps({"text": "x"})
    )
    slot = claim_next_slot(reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer={"category": {"label": "cat"}})
    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.COMPLETED
    out = read_loop_output(loop)
    assert out["humanAnswers"][0]["answerContent"] == {"category": {"label": "cat"}}
    assert out["humanLoopName"] == "l1"
    assert out["inputContent"] == {"text": "x"}
    written = outputs_dir / loop.output_uri.removeprefix("s3://")
    assert written.is_file()
