"""Where an output URI is stored: a storage of the Django storage API and a name in it.

With the default folder storage (`STORAGES["outputs"]`, under OUTPUT_ROOT) `s3://bucket/key`
is the file `bucket/key`. With django-storages' S3Storage as the `outputs` backend it is the
object `key` in the bucket `bucket` itself, so a client that reads the URI DescribeHumanLoop
returns finds the file there. Each flow definition's output path names its own bucket, so S3
gets one storage per bucket, made from the `outputs` options.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from workflows.templating.read_access import s3_location

ALIAS = "outputs"


class OutputStorageError(OSError):
    """The S3 service refused a request for an output or could not be reached (a missing
    bucket, refused credentials, no connection). An OSError, so the write_output task retries
    it as it retries a full disk."""


def output_location(uri: str) -> tuple[Storage, str]:
    """The storage that holds the output URI `uri`, and its name there."""
    if not is_s3_backend(settings.STORAGES[ALIAS]["BACKEND"]):
        return storages[ALIAS], uri.split("://", 1)[1]
    bucket, key = bucket_and_key(uri)
    return bucket_storage(bucket), key


def save_output(uri: str, body: bytes) -> str:
    """Store `body` at the output URI, replacing what is there. Returns the name it got."""
    storage, name = output_location(uri)
    with failures_as_os_errors(storage, name):
        return storage.save(name, ContentFile(body))


def read_output(uri: str) -> bytes | None:
    """The bytes stored at the output URI, or None while nothing is."""
    storage, name = output_location(uri)
    with failures_as_os_errors(storage, name):
        try:
            with storage.open(name, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None


def output_exists(uri: str) -> bool:
    """Whether anything is stored at the output URI."""
    storage, name = output_location(uri)
    with failures_as_os_errors(storage, name):
        return storage.exists(name)


def bucket_and_key(uri: str) -> tuple[str, str]:
    """`s3://bucket/key` and AWS's S3 URLs name their bucket; an https URL of any other host
    is read path-style (`https://host/bucket/key`), as S3-compatible servers serve them."""
    location = s3_location(uri)
    if location is not None:
        return location
    bucket, _, key = urlsplit(uri).path.lstrip("/").partition("/")
    return bucket, key


def is_s3_backend(path: str) -> bool:
    if path == "django.core.files.storage.FileSystemStorage":
        return False  # the default: no need to import boto3 to know
    from storages.backends.s3 import S3Storage

    return issubclass(import_string(path), S3Storage)


@cache
def bucket_storage(bucket: str) -> Storage:
    """The `outputs` backend for one bucket. The S3 service is the one grant_read_access
    signs for (S3_ENDPOINT_URL, empty for AWS itself, in S3_REGION) unless the storage's
    OPTIONS name another."""
    config = settings.STORAGES[ALIAS]
    defaults: dict[str, Any] = {
        "endpoint_url": settings.S3_ENDPOINT_URL or None,
        "region_name": settings.S3_REGION,
        # S3-compatible servers answer path-style requests without a DNS name per bucket.
        "addressing_style": "path" if settings.S3_ENDPOINT_URL else None,
    }
    options = {**defaults, **config.get("OPTIONS", {}), "bucket_name": bucket}
    return import_string(config["BACKEND"])(**options)


@receiver(setting_changed)
def forget_bucket_storages(*, setting: str, **kwargs: Any) -> None:
    """A test that changes the storage settings gets storages made from its own."""
    if setting in ("STORAGES", "S3_ENDPOINT_URL", "S3_REGION"):
        bucket_storage.cache_clear()


@contextmanager
def failures_as_os_errors(storage: Storage, name: str) -> Iterator[None]:
    """boto3's errors are no OSErrors: the write_output task would not retry them."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket is None:  # a folder: its errors are OSErrors already
        yield
        return
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError, Boto3Error) as exc:
        raise OutputStorageError(f"s3://{bucket}/{name}: {exc}") from exc
