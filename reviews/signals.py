"""Signals for in-process integrations. Each is sent once the transaction that made the change
has committed, so a receiver sees the change in the database; a receiver that raises is logged
and does not undo or stop anything (they are sent with `send_robust`).

- `loop_status_changed(sender=HumanLoop, event=LoopEvent)`: a loop reached a status (started,
  Stopping, Completed, Failed, Stopped, re-opened). `event.payload` is A2I's status-change event.
- `slot_event_recorded(sender=SlotEvent, event=SlotEvent, slot=TaskSlot)`: a task slot was
  claimed, released, declined, expired, submitted, withdrawn or re-opened.
- `webhook_attempted(sender=WebhookDelivery, delivery=WebhookDelivery, attempt=DeliveryAttempt)`:
  one POST to a webhook endpoint ended (delivered or not).
"""

from __future__ import annotations

from django.dispatch import Signal

loop_status_changed = Signal()
slot_event_recorded = Signal()
webhook_attempted = Signal()
