"""The embedded Celery broker: kombu's filesystem transport, with messages that appear whole.

kombu's filesystem channel creates a message file in the queue folder and then writes it, while
a consumer takes any file it finds there without minding the writer's lock: a consumer that
comes between the two reads an empty message, and the worker stops on the JSON error. Here a
message is written under a name no consumer looks at, then renamed into the queue folder, which
is atomic on one filesystem.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot: `_get` takes `<stamp>_<uuid>.<queue>.msg` names only.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
