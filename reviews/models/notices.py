"""What each reviewer has been emailed about new work, so the next email says only what is new."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReviewerNotice(models.Model):
    """A reviewer's email notices of new work: when the last one went out, which arrivals it (or
    a sweep that found nothing for them) covered, and whether one is being sent right now."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_notice",
    )
    last_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the last email about new work went out; the next waits one interval.",
    )
    seen_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Loops started or re-opened up to this time are not new to the reviewer any "
        "more: an email named them, or a sweep found none of them the reviewer could take.",
    )
    sending_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A sweep decided to email the reviewer and is sending; others leave the "
        "reviewer alone until it is recorded as sent, given up, or presumed lost.",
    )

    def __str__(self) -> str:
        return f"notices of user {self.user_id}"
