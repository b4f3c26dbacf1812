"""The AWS wire protocol: the A2I runtime (REST-JSON) under /a2i-runtime/ and the SageMaker
JSON-1.1 targets under /sagemaker/."""

from __future__ import annotations

urlpatterns: list = []
