"""Sampling (reference §4.2, §4.4): `rng.random() * 100 < RandomSamplingPercentage`, one draw
per Sampling node, reproducible under a seed and for the same request."""

from __future__ import annotations

import random

import pytest

from tests.workflows.activation.support import (
    Draws,
    conditions,
    label,
    rekognition_response,
    sampling,
)
from workflows.activation import (
    REKOGNITION_MODERATION,
    draws_sample,
    evaluate_activation,
    sampling_random,
)

FLOW = "arn:aws:sagemaker:us-west-2:111122223333:flow-definition/moderation-fd"
REQUEST = {
    "Image": {"S3Object": {"Bucket": "input-bucket", "Name": "photos/beach-0142.jpg"}},
    "HumanLoopConfig": {"HumanLoopName": "beach-0142-1", "FlowDefinitionArn": FLOW},
}
RESPONSE = rekognition_response()  # evaluation only reads it


def sampled(percentage: float, rng: random.Random) -> bool:
    return evaluate_activation(
        conditions(sampling(percentage)),
        request_source=REKOGNITION_MODERATION,
        response=RESPONSE,
        rng=rng,
    ).starts


@pytest.mark.parametrize(
    "percentage, draw, expected",
    [
        (5, 0.0, True),
        (5, 0.0499, True),
        (5, 0.05, False),  # 5.0 is not below 5
        (5, 0.0501, False),
        (0.01, 0.000099, True),
        (0.01, 0.0001, False),
        (100, 0.9999999, True),  # random() is below 1, so 100 always samples
        (37.5, 0.374, True),
        (37.5, 0.375, False),
    ],
)
def test_a_draw_samples_when_it_times_100_is_below_the_percentage(percentage, draw, expected):
    assert draws_sample(percentage, Draws(draw)) is expected
    assert sampled(percentage, Draws(draw)) is expected


def test_the_same_seed_gives_the_same_decisions():
    first, second = random.Random(1729), random.Random(1729)

    decisions = [sampled(30, first) for _ in range(200)]

    assert decisions == [sampled(30, second) for _ in range(200)]
    assert decisions != [sampled(30, random.Random(1730)) for _ in range(200)]


@pytest.mark.parametrize("percentage", [0.5, 5, 50, 95])
def test_the_sampled_share_is_close_to_the_percentage(percentage):
    rng = random.Random(20240315)
    draws = 50_000

    share = sum(draws_sample(percentage, rng) for _ in range(draws)) / draws * 100

    assert abs(share - percentage) < max(0.05 * percentage, 0.1)


def test_a_five_percent_audit_starts_about_one_loop_in_twenty():
    rng = random.Random(87)

    started = sum(sampled(5, rng) for _ in range(10_000))

    assert 450 <= started <= 550


def test_sampling_twice_in_one_document_draws_twice():
    document = conditions({"And": [sampling(50), sampling(50)]})
    rng = Draws(0.2, 0.7)

    activation = evaluate_activation(
        document, request_source=REKOGNITION_MODERATION, response=rekognition_response(), rng=rng
    )

    assert not activation.starts
    results = activation.condition_results["Conditions"][0]["And"]
    assert [node["EvaluationResult"] for node in results] == [True, False]


def test_without_a_random_source_sampling_draws_from_the_system():
    assert sampled(100, rng=None)


def test_the_same_request_under_the_same_flow_decides_alike_whatever_the_loop_name():
    renamed = {**REQUEST, "HumanLoopConfig": {**REQUEST["HumanLoopConfig"], "HumanLoopName": "x"}}

    first = sampling_random(flow_definition_arn=FLOW, request=REQUEST)
    again = sampling_random(flow_definition_arn=FLOW, request=renamed)

    assert [first.random() for _ in range(5)] == [again.random() for _ in range(5)]


@pytest.mark.parametrize(
    "flow, image",
    [
        (FLOW + "-2", "photos/beach-0142.jpg"),
        (FLOW, "photos/beach-0143.jpg"),
    ],
)
def test_another_flow_or_another_image_draws_differently(flow, image):
    other = {**REQUEST, "Image": {"S3Object": {"Bucket": "input-bucket", "Name": image}}}

    first = sampling_random(flow_definition_arn=FLOW, request=REQUEST)
    second = sampling_random(flow_definition_arn=flow, request=other)

    assert [first.random() for _ in range(5)] != [second.random() for _ in range(5)]


def test_a_request_sampled_once_is_sampled_every_time():
    decisions = {
        sampled(50, sampling_random(flow_definition_arn=FLOW, request=REQUEST)) for _ in range(20)
    }

    assert len(decisions) == 1


def test_a_check_and_a_sample_draw_only_for_the_sample():
    document = conditions({"And": [sampling(5), label("Violence", ConfidenceLessThan=60)]})
    rng = Draws(0.01)

    activation = evaluate_activation(
        document, request_source=REKOGNITION_MODERATION, response=rekognition_response(), rng=rng
    )

    assert activation.starts
    assert rng.draws == []
