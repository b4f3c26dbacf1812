"""The gallery: worker task templates to start from, each with a task input to preview it with.

Each sample is `<slug>.liquid` (the template, written the way A2I users write theirs) and
`<slug>.json` (a `task.input` for it) in this folder. The images and recordings they show are in
`media/`; their task inputs point at them as `s3://portal-samples/<file>`, and creating a task UI
from the gallery copies them into the portal's `objects` storage so that `grant_read_access`
serves them (workflows.services.task_uis.publish_sample_media).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent
MEDIA_FOLDER = FOLDER / "media"
MEDIA_BUCKET = "portal-samples"


@dataclass(frozen=True)
class Sample:
    """One template of the gallery and the task input it is shown with."""

    slug: str
    title: str
    description: str
    elements: tuple[str, ...]
    media: tuple[str, ...] = ()
    request_source: str = ""  # the built-in integration whose task input it expects

    @property
    def template_path(self) -> Path:
        return FOLDER / f"{self.slug}.liquid"

    @property
    def input_path(self) -> Path:
        return FOLDER / f"{self.slug}.json"

    @cached_property
    def template(self) -> str:
        return self.template_path.read_text(encoding="utf-8")

    @cached_property
    def input_json(self) -> str:
        """The task input as written in its file (the editor shows it this way)."""
        return self.input_path.read_text(encoding="utf-8")

    @property
    def task_input(self) -> Any:
        return json.loads(self.input_json)

    def media_paths(self) -> list[Path]:
        return [MEDIA_FOLDER / name for name in self.media]


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "sentiment",
        "Text classification",
        "Choose the sentiment of a product review; the model's label and confidence are shown.",
        ("crowd-classifier",),
    ),
    Sample(
        "image-classifier",
        "Image classification",
        "Classify the damage on a photo of a parcel, with a note for the warehouse.",
        ("crowd-image-classifier",),
        media=("parcel.jpg",),
    ),
    Sample(
        "bounding-box",
        "Bounding boxes",
        "Correct an object detector's boxes on a street scene and draw the ones it missed.",
        ("crowd-bounding-box",),
        media=("street-scene.jpg",),
    ),
    Sample(
        "entity-annotation",
        "Entity annotation",
        "Check and complete the named entities a language model found in a customer message.",
        ("crowd-entity-annotation",),
    ),
    Sample(
        "tabular-review",
        "Tabular review",
        "Decide, row by row, whether the card transactions a fraud model flagged are fraud.",
        ("crowd-form", "crowd-text-area"),
    ),
    Sample(
        "transcription-review",
        "Transcription review",
        "Listen to a support call and correct a speech model's transcript, line by line.",
        ("crowd-text-area", "crowd-checkbox"),
        media=("support-call.ogg",),
    ),
    Sample(
        "translation-review",
        "Translation review",
        "Correct a machine translation sentence by sentence and rate its quality.",
        ("crowd-text-area", "crowd-slider", "crowd-checkbox"),
    ),
    Sample(
        "textract-form-review",
        "Textract form review",
        "Review the key-value pairs Textract AnalyzeDocument read from a scanned form.",
        ("crowd-textract-analyze-document",),
        media=("earnings-statement.png",),
        request_source="AWS/Textract/AnalyzeDocument/Forms/V1",
    ),
    Sample(
        "moderation-review",
        "Rekognition moderation review",
        "Confirm the moderation labels Rekognition DetectModerationLabels gave an image.",
        ("crowd-rekognition-detect-moderation-labels",),
        media=("beach.jpg",),
        request_source="AWS/Rekognition/DetectModerationLabels/Image/V3",
    ),
)
BY_SLUG = {sample.slug: sample for sample in SAMPLES}


def sample_named(slug: str) -> Sample | None:
    return BY_SLUG.get(slug)
