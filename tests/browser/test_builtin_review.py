"""Built-in reviews end to end: an AI service's response posted to the activation endpoint starts
a loop only when the flow definition's conditions hold; a reviewer signs in, works the task in
the default worker template, and output.json carries A2I's built-in fields (reference §5.3)
with the answer under the request source."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from reviews.models import HumanLoop
from tests.api.conftest import key_client
from tests.browser.conftest import ROOT, screenshot_path
from tests.factories import (
    RekognitionFlowDefinitionFactory,
    TextractFlowDefinitionFactory,
    UserFactory,
    WorkTeamFactory,
)
from tests.workflows.activation.support import (
    child_ids,
    conditions,
    key_check,
    key_text,
    label,
    missing_key,
    rekognition_response,
)

pytestmark = pytest.mark.django_db(transaction=True)

TEXTRACT = "AWS/Textract/AnalyzeDocument/Forms/V1"
REKOGNITION = "AWS/Rekognition/DetectModerationLabels/Image/V3"
ACTIVATE = "/api/v1/human-loops/activate/"
LOOPS = "/api/v1/human-loops/"
SAMPLES = ROOT / "workflows" / "samples"
PASSWORD = "review-all-day-42"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Pay Date's value word is read at 71.4 and Net Pay's at 79.2; every other word at 97.7 or more.
# Mailing Address is not on the statement, so reviewers are asked for it too.
LOW_PAY_WORDS = conditions(
    key_check("Pay Date:", ["Pay Date"], WordBlockConfidenceLessThan=80),
    {
        "And": [
            key_check("Net Pay:", ["Net Pay"], WordBlockConfidenceLessThan=80),
            missing_key("Mailing Address", ["Mailing Address:"]),
        ]
    },
)
ANY_LABEL_BELOW_98 = conditions(label("*", ConfidenceLessThan=98))


def pascal_cased(value: Any) -> Any:
    """Keys as the AWS APIs spell them: the sample's camelCase with the first letter upper."""
    if isinstance(value, list):
        return [pascal_cased(item) for item in value]
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: pascal_cased(item) for key, item in value.items()}
    return value


def sample_blocks() -> list[dict[str, Any]]:
    """The blocks Textract read from workflows/samples/media/earnings-statement.png."""
    sample = json.loads((SAMPLES / "textract-form-review.json").read_text())
    return sample["aiServiceResponse"]["blocks"]


def textract_response(*, confident: bool = False) -> dict[str, Any]:
    """An AnalyzeDocument (FORMS) response as Textract returns it; `confident` reads every
    block at 99.5."""
    blocks = pascal_cased(sample_blocks())
    if confident:
        for block in blocks:
            block["Confidence"] = 99.5
    return {
        "DocumentMetadata": {"Pages": 1},
        "Blocks": blocks,
        "AnalyzeDocumentModelVersion": "1.0",
    }


def confident_labels() -> dict[str, Any]:
    response = rekognition_response()
    for found in response["ModerationLabels"]:
        found["Confidence"] = 99.1
    return response


def sample_key(text: str) -> dict[str, Any]:
    """The sample's KEY block whose words read `text`."""
    by_id = {block["id"]: block for block in sample_blocks()}
    return next(
        block
        for block in by_id.values()
        if "KEY" in block.get("entityTypes", ()) and key_text(block, by_id) == text
    )


def pair_in_answer(text: str, value_text: str) -> list[dict[str, Any]]:
    """The KEY and VALUE blocks the widget answers for the sample's pair whose key reads `text`."""
    by_id = {block["id"]: block for block in sample_blocks()}
    key = sample_key(text)
    value_id = next(i for r in key["relationships"] if r["type"] == "VALUE" for i in r["ids"])
    return [
        {
            "blockType": "KEY_VALUE_SET",
            "id": key["id"],
            "entityTypes": ["KEY"],
            "relationships": [
                {"type": "CHILD", "ids": child_ids(key)},
                {"type": "VALUE", "ids": [value_id]},
            ],
            "text": text,
        },
        {
            "blockType": "KEY_VALUE_SET",
            "id": value_id,
            "entityTypes": ["VALUE"],
            "relationships": [{"type": "CHILD", "ids": child_ids(by_id[value_id])}],
            "text": value_text,
        },
    ]


@pytest.fixture
def service() -> APIClient:
    """The integration that calls the AI service and posts its output: an access key."""
    return key_client(UserFactory(username="integration"))


@pytest.fixture
def rosas_team(db: Any) -> Any:
    reviewer = UserFactory(username="rosa")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    return WorkTeamFactory(members=[reviewer])


@pytest.fixture
def stored_objects(objects_dir: Any) -> Any:
    """The sample media, where the requests' S3 references point."""
    folder = objects_dir / "portal-samples"
    folder.mkdir(parents=True)
    for name in ("earnings-statement.png", "beach.jpg"):
        (folder / name).write_bytes((SAMPLES / "media" / name).read_bytes())
    return folder


@pytest.fixture
def browser_page(page: Any) -> Iterator[tuple[Any, list[str]]]:
    """The page, refused anything beyond this machine; yields it and the refused URLs."""
    refused: list[str] = []

    def only_loopback(route: Any) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.set_viewport_size({"width": 1360, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, refused
    assert errors == []


def activate(service: APIClient, **body: Any) -> dict[str, Any]:
    response = service.post(ACTIVATE, body, format="json")
    assert response.status_code in (200, 201), response.json()
    return {"status": response.status_code, **response.json()}


def sign_in_and_open_the_job(page: Any, live_server: Any) -> Any:
    """Sign in through the login page, start the only job, and return the task's frame."""
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "rosa")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Your jobs")
    page.click("text=Start working")
    page.wait_for_url("**/tasks/*/")
    return page.frame_locator("#task-frame")


def submit(page: Any) -> None:
    page.click("#submit-task")
    page.wait_for_selector("text=No tasks left")


def output_of(service: APIClient, name: str) -> dict[str, Any]:
    response = service.get(f"{LOOPS}{name}/output/")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_textract_review_corrects_the_flagged_pairs_and_output_has_the_builtin_fields(
    live_server, browser_page, service, rosas_team, stored_objects, outputs_dir
):
    page, refused = browser_page
    flow = TextractFlowDefinitionFactory(work_team=rosas_team, activation_conditions=LOW_PAY_WORDS)
    request = {
        "Document": {"S3Object": {"Bucket": "portal-samples", "Name": "earnings-statement.png"}},
        "FeatureTypes": ["FORMS"],
    }
    confident = activate(
        service,
        name="statement-0",
        flow_definition=flow.name,
        ai_service_request=request,
        ai_service_response=textract_response(confident=True),
    )
    assert (confident["status"], confident["started"]) == (200, False)
    assert not HumanLoop.objects.exists()

    started = activate(
        service,
        name="statement-1",
        flow_definition=flow.name,
        ai_service_request=request,
        ai_service_response=textract_response(),
    )
    assert (started["status"], started["started"]) == (201, True)

    frame = sign_in_and_open_the_job(page, live_server)
    widget = frame.locator("crowd-textract-analyze-document")
    expect(widget.locator(".crowd-review-sheet img")).to_be_visible()
    flagged = widget.locator(".crowd-kv.crowd-kv-flagged .crowd-kv-key-text")
    expect(flagged).to_have_text(["Pay Date:", "Net Pay:"])
    expect(widget.locator(".crowd-kv:not(.crowd-kv-flagged):not(.crowd-kv-missing)")).to_have_count(
        5
    )
    expect(widget.locator(".crowd-kv-box")).to_have_count(14)
    expect(widget.locator(".crowd-kv-box.crowd-kv-flagged")).to_have_count(4)
    expect(widget.locator(".crowd-kv-missing .crowd-kv-key-text")).to_have_text(["Mailing Address"])
    assert_boxes_cover_their_words(widget)

    widget.get_by_label("Value of Pay Date:").fill("03/20/2024")
    widget.get_by_label("Value of Net Pay:").fill("$2,587.14")
    widget.get_by_label("Key not found in the document").check()
    widget.get_by_label("Value of Pay Date:").focus()
    expect(widget.locator(".crowd-kv-box.crowd-kv-active")).to_have_count(2)
    page.screenshot(path=str(screenshot_path("builtin-textract-review")))
    submit(page)

    output = output_of(service, "statement-1")
    assert output["awsManagedHumanLoopRequestSource"] == TEXTRACT
    content = output["inputContent"]
    assert content["aiServiceRequest"]["document"] == {
        "s3Object": {"bucket": "portal-samples", "name": "earnings-statement.png"}
    }
    assert content["aiServiceRequest"]["humanLoopConfig"]["humanLoopName"] == "statement-1"
    assert content["aiServiceResponse"]["blocks"] == sample_blocks()
    assert content["humanTaskActivationConditionResults"]["Conditions"][0]["EvaluationResult"]
    selected_keys = [
        block["id"]
        for block in content["selectedAiServiceResponse"]["blocks"]
        if "KEY" in block.get("entityTypes", ())
    ]
    assert selected_keys == [
        pair_in_answer("Pay Date:", "")[0]["id"],
        pair_in_answer("Net Pay:", "")[0]["id"],
    ]
    assert output["humanAnswers"][0]["answerContent"] == {
        TEXTRACT: {
            "blocks": [
                *pair_in_answer("Pay Date:", "03/20/2024"),
                *pair_in_answer("Net Pay:", "$2,587.14"),
            ]
        }
    }
    assert refused == []


def assert_boxes_cover_their_words(widget: Any) -> None:
    """Each drawn box sits where the sample image prints its text: the boxes' screen rectangles,
    relative to the image's, are the blocks' bounding boxes."""
    image = widget.locator(".crowd-review-sheet img").bounding_box()
    boxes = widget.locator(".crowd-kv-box:not(.crowd-kv-value-box)")
    for number in range(boxes.count()):
        drawn = boxes.nth(number)
        pair = int(drawn.get_attribute("data-pair"))
        text = widget.locator(f'.crowd-kv[data-pair="{pair}"] .crowd-kv-key-text').inner_text()
        expected = sample_key(text)["geometry"]["boundingBox"]
        found = drawn.bounding_box()
        # Centres: the widget draws each box a little outside the block's own.
        across = expected["left"] + expected["width"] / 2
        down = expected["top"] + expected["height"] / 2
        assert found["x"] + found["width"] / 2 - image["x"] == pytest.approx(
            across * image["width"], abs=1.5
        ), text
        assert found["y"] + found["height"] / 2 - image["y"] == pytest.approx(
            down * image["height"], abs=1.5
        ), text
        assert found["width"] >= expected["width"] * image["width"], text


def test_a_rekognition_review_confirms_a_label_and_output_has_the_builtin_fields(
    live_server, browser_page, service, rosas_team, stored_objects, outputs_dir
):
    page, refused = browser_page
    flow = RekognitionFlowDefinitionFactory(
        work_team=rosas_team, activation_conditions=ANY_LABEL_BELOW_98
    )
    request = {"Image": {"S3Object": {"Bucket": "portal-samples", "Name": "beach.jpg"}}}
    confident = activate(
        service,
        name="beach-0",
        flow_definition=flow.name,
        ai_service_request=request,
        ai_service_response=confident_labels(),
    )
    assert (confident["status"], confident["started"]) == (200, False)
    assert not HumanLoop.objects.exists()

    response = rekognition_response()
    started = activate(
        service,
        name="beach-1",
        flow_definition=flow.name,
        ai_service_request=request,
        ai_service_response=response,
    )
    assert (started["status"], started["started"]) == (201, True)

    frame = sign_in_and_open_the_job(page, live_server)
    widget = frame.locator("crowd-rekognition-detect-moderation-labels")
    expect(widget.locator(".crowd-review-sheet img")).to_be_visible()
    options = widget.locator(".crowd-moderation-option[role=checkbox]")
    expect(options).to_have_text(
        [
            "Suggestive",
            "Female Swimwear Or Underwear",
            "Explicit Nudity",
            "Graphic Male Nudity",
            "Nudity",
            "Violence",
        ]
    )
    expect(options.nth(1)).to_have_attribute("data-level", "1")
    widget.get_by_role("checkbox", name="Female Swimwear Or Underwear").click()
    widget.get_by_role("checkbox", name="Suggestive", exact=True).click()
    expect(widget.get_by_role("checkbox", name="Suggestive", exact=True)).to_have_attribute(
        "aria-checked", "true"
    )
    page.screenshot(path=str(screenshot_path("builtin-rekognition-review")))
    submit(page)

    output = output_of(service, "beach-1")
    assert output["awsManagedHumanLoopRequestSource"] == REKOGNITION
    content = output["inputContent"]
    assert content["aiServiceRequest"]["image"] == {
        "s3Object": {"bucket": "portal-samples", "name": "beach.jpg"}
    }
    assert content["aiServiceRequest"]["humanLoopConfig"]["humanLoopName"] == "beach-1"
    camel = [
        {
            "confidence": found["Confidence"],
            "name": found["Name"],
            "parentName": found["ParentName"],
        }
        for found in copy.deepcopy(response["ModerationLabels"])
    ]
    assert content["aiServiceResponse"]["moderationLabels"] == camel
    assert content["selectedAiServiceResponse"]["moderationLabels"] == camel
    assert content["humanTaskActivationConditionResults"]["Conditions"][0]["EvaluationResult"]
    assert output["humanAnswers"][0]["answerContent"] == {
        REKOGNITION: {
            "moderationLabels": [
                {"name": "Suggestive", "parentName": ""},
                {"name": "Female Swimwear Or Underwear", "parentName": "Suggestive"},
            ]
        }
    }
    assert refused == []
