"""Names, patterns and limits from the A2I reference (spec/A2I-REFERENCE.md, sections 2, 3 and 7.9).

Patterns are applied as full matches, the AWS convention. Model fields carry these validators, so
the services, the admin and every API refuse the same input with the same words.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible

NAME_MAX_LENGTH = 63
LOWERCASE_NAME_PATTERN = r"[a-z0-9](-*[a-z0-9])*"  # human loops, flow definitions, task UIs
WORKTEAM_NAME_PATTERN = r"[a-zA-Z0-9](-*[a-zA-Z0-9])*"
S3_URI_PATTERN = r"(https|s3)://([^/]+)/?(.*)"
S3_URI_MAX_LENGTH = 1024
ROLE_ARN_PATTERN = r"arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"
KMS_KEY_PATTERN = r"[a-zA-Z0-9:/_-]*"
TASK_TITLE_PATTERN = "[\t\n\r -\ud7ff\ue000-\ufffd]*"  # XML-legal characters
TASK_KEYWORD_PATTERN = r"[A-Za-z0-9]+( [A-Za-z0-9]+)*"

INPUT_CONTENT_MAX_LENGTH = 3_145_728
UI_TEMPLATE_MAX_LENGTH = 128_000
ACTIVATION_CONDITIONS_MAX_LENGTH = 10_240
WORKTEAM_DESCRIPTION_MAX_LENGTH = 200
TASK_TITLE_MAX_LENGTH = 128
TASK_DESCRIPTION_MAX_LENGTH = 255
TASK_COUNT_MIN, TASK_COUNT_MAX = 1, 3
TASK_AVAILABILITY_MIN, TASK_AVAILABILITY_MAX = 1, 864_000
TASK_AVAILABILITY_DEFAULT = 864_000  # 10 days, the reference's recommendation for private teams
TASK_TIME_LIMIT_MIN, TASK_TIME_LIMIT_MAX = 30, 28_800
TASK_TIME_LIMIT_DEFAULT = 3_600
TASK_KEYWORDS_MAX, TASK_KEYWORD_MAX_LENGTH = 5, 30
CONTENT_CLASSIFIERS = ("FreeOfPersonallyIdentifiableInformation", "FreeOfAdultContent")
CONTENT_CLASSIFIERS_MAX = 256
FAILURE_REASON_MAX_LENGTH = 1024


def full_match(pattern: str, rule: str) -> RegexValidator:
    """A validator that requires the whole value to match `pattern`; the message states `rule`."""
    return RegexValidator(
        regex=rf"\A(?:{pattern})\Z",
        message=f"must satisfy regular expression pattern: {pattern} ({rule})",
    )


lowercase_name = full_match(LOWERCASE_NAME_PATTERN, "lowercase letters, digits and hyphens")
workteam_name = full_match(WORKTEAM_NAME_PATTERN, "letters, digits and hyphens")
s3_uri = full_match(S3_URI_PATTERN, "an s3:// or https:// URI")
role_arn = full_match(ROLE_ARN_PATTERN, "an IAM role ARN")
kms_key_id = full_match(KMS_KEY_PATTERN, "letters, digits and : / _ -")
task_title = full_match(TASK_TITLE_PATTERN, "XML-legal characters")


@deconstructible
class JsonListOf:
    """A JSON list of at most `max_items` strings, each matching `pattern` (or `choices`)."""

    def __init__(
        self,
        *,
        max_items: int,
        min_items: int = 0,
        pattern: str | None = None,
        max_length: int | None = None,
        choices: tuple[str, ...] = (),
    ) -> None:
        self.max_items, self.min_items, self.pattern = max_items, min_items, pattern
        self.max_length, self.choices = max_length, choices

    def __call__(self, value: Any) -> None:
        if not isinstance(value, list):
            raise ValidationError("must be a list of strings")
        if not self.min_items <= len(value) <= self.max_items:
            raise ValidationError(
                f"must have between {self.min_items} and {self.max_items} items, not {len(value)}"
            )
        for item in value:
            if not isinstance(item, str):
                raise ValidationError(f"must contain only strings, not {item!r}")
            if self.max_length is not None and not 1 <= len(item) <= self.max_length:
                raise ValidationError(
                    f"item {item!r} must be between 1 and {self.max_length} characters"
                )
            if self.pattern is not None and not re.fullmatch(self.pattern, item):
                raise ValidationError(
                    f"item {item!r} must satisfy regular expression pattern: {self.pattern}"
                )
            if self.choices and item not in self.choices:
                raise ValidationError(f"item {item!r} must be one of: {', '.join(self.choices)}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonListOf) and vars(self) == vars(other)


task_keywords = JsonListOf(
    max_items=TASK_KEYWORDS_MAX,
    pattern=TASK_KEYWORD_PATTERN,
    max_length=TASK_KEYWORD_MAX_LENGTH,
)
content_classifiers = JsonListOf(max_items=CONTENT_CLASSIFIERS_MAX, choices=CONTENT_CLASSIFIERS)


# Tags (§3.1 TagList, §3.9; 50 per resource, §7.9).
TAGS_MAX = 50
TAG_KEY_MAX_LENGTH, TAG_VALUE_MAX_LENGTH = 128, 256
# As the model spells it. Python's `re` has no \p{...} classes, so is_tag_text() tests the
# Unicode categories directly: letters (L), separators (Z), numbers (N), and these symbols.
TAG_PATTERN = r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)"
TAG_SYMBOLS = frozenset("_.:/=+-@")
# AWS keeps keys that start with "aws:", in any case, for its own tags.
TAG_RESERVED_PREFIX = "aws:"


def is_tag_text(text: str) -> bool:
    """Whether `text` satisfies TAG_PATTERN."""
    return all(char in TAG_SYMBOLS or unicodedata.category(char)[0] in "LZN" for char in text)


def tag_key(value: str) -> None:
    """A tag key: 1-128 characters of TAG_PATTERN, not starting with the reserved prefix."""
    if not 1 <= len(value) <= TAG_KEY_MAX_LENGTH:
        raise ValidationError(
            f"key {value!r} must be between 1 and {TAG_KEY_MAX_LENGTH} characters"
        )
    if not is_tag_text(value):
        raise ValidationError(
            f"key {value!r} must satisfy regular expression pattern: {TAG_PATTERN} "
            "(letters, numbers, spaces and _ . : / = + - @)"
        )
    if value.lower().startswith(TAG_RESERVED_PREFIX):
        raise ValidationError(
            f"key {value!r} must not start with {TAG_RESERVED_PREFIX!r}: the prefix is "
            "reserved for AWS"
        )


def tag_value(value: str) -> None:
    """A tag value: 0-256 characters of TAG_PATTERN."""
    if len(value) > TAG_VALUE_MAX_LENGTH:
        raise ValidationError(
            f"value {value[:20]!r}... must be at most {TAG_VALUE_MAX_LENGTH} characters"
        )
    if not is_tag_text(value):
        raise ValidationError(
            f"value {value!r} must satisfy regular expression pattern: {TAG_PATTERN} "
            "(letters, numbers, spaces and _ . : / = + - @)"
        )
