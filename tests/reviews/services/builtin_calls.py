"""What a client pipes into activate_loop(): Textract and Rekognition requests as boto3 sends them,
the real responses of tests/workflows/activation/fixtures/, conditions over them, and the calls
themselves."""

from __future__ import annotations

from typing import Any

from reviews.services.activation import ActivationOutcome, activate_loop
from tests.workflows.activation.support import (
    conditions,
    key_check,
    label,
    missing_key,
    prediction_check,
    rekognition_response,
    textract_response,
)

TEXTRACT = "AWS/Textract/AnalyzeDocument/Forms/V1"
REKOGNITION = "AWS/Rekognition/DetectModerationLabels/Image/V3"

# In the Textract fixture "Employee Name" has KEY_VALUE_SET confidence 58.3 and "Net Pay" 95.2.
LOW_EMPLOYEE_NAME = conditions(
    key_check("Employee Name", ["Name", "EmployeeName"], KeyValueBlockConfidenceLessThan=60)
)
LOW_NET_PAY = conditions(key_check("Net Pay", KeyValueBlockConfidenceLessThan=60))
MISSING_BANK_ACCOUNT = conditions(missing_key("Bank Account", ["Account No."]))

# Reference §4.7's example over the Rekognition fixture (Suggestive at 96.71).
SUGGESTIVE_OR_SWIMWEAR = conditions(
    {
        "Or": [
            label("Suggestive", ConfidenceLessThan=98),
            label("Female Swimwear Or Underwear", ConfidenceGreaterThan=98),
        ]
    }
)
VIOLENCE_ABOVE_90 = conditions(label("Violence", ConfidenceGreaterThan=90))  # it is 58.24

LOW_SCORE = conditions(prediction_check("$.labels[*].score", "LessThan", 0.8))


def textract_request(name: str = "document-demo.jpg") -> dict[str, Any]:
    return {
        "Document": {"S3Object": {"Bucket": "input-bucket", "Name": name}},
        "FeatureTypes": ["TABLES", "FORMS"],
    }


def rekognition_request(name: str = "beach.jpg") -> dict[str, Any]:
    return {"Image": {"S3Object": {"Bucket": "input-bucket", "Name": name}}, "MinConfidence": 50}


def prediction(score: float = 0.35) -> dict[str, Any]:
    return {"text": "a cat on a mat", "labels": [{"name": "cat", "score": score}]}


def activate_built_in(
    flow,  # noqa: ANN001
    *,
    name: str,
    request: Any,
    response: Any,
    **kwargs: Any,
) -> ActivationOutcome:
    """activate_loop() as the client of a Textract or Rekognition flow definition calls it."""
    return activate_loop(
        name=name,
        flow_definition_name=flow.name,
        ai_service_request=request,
        ai_service_response=response,
        **kwargs,
    )


def activate_textract(flow, **call: Any) -> ActivationOutcome:  # noqa: ANN001
    """activate_built_in() named "form-1" with the fixture's Textract request and response,
    unless `call` gives others."""
    fixture = {"name": "form-1", "request": textract_request(), "response": textract_response()}
    return activate_built_in(flow, **fixture | call)


def activate_rekognition(flow, **call: Any) -> ActivationOutcome:  # noqa: ANN001
    """activate_built_in() named "image-1" with the fixture's Rekognition request and response,
    unless `call` gives others."""
    fixture = {
        "name": "image-1",
        "request": rekognition_request(),
        "response": rekognition_response(),
    }
    return activate_built_in(flow, **fixture | call)


__all__ = [
    "LOW_EMPLOYEE_NAME",
    "LOW_NET_PAY",
    "LOW_SCORE",
    "MISSING_BANK_ACCOUNT",
    "REKOGNITION",
    "SUGGESTIVE_OR_SWIMWEAR",
    "TEXTRACT",
    "VIOLENCE_ABOVE_90",
    "activate_built_in",
    "activate_rekognition",
    "activate_textract",
    "prediction",
    "rekognition_request",
    "rekognition_response",
    "textract_request",
    "textract_response",
]
