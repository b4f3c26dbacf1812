"""Requests signed the way boto3 signs them: botocore's SigV4Auth over an AWSRequest."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials


@dataclass
class SignedRequest:
    method: str
    path: str
    query: str
    headers: HTTPHeaders  # as on the wire, Host included
    body: bytes

    def verify_kwargs(self) -> dict:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
        }


def sign(
    *,
    key_id: str,
    secret: str,
    method: str = "POST",
    url: str = "http://testserver/human-loops",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    region: str = "us-east-1",
    service: str = "sagemaker",
) -> SignedRequest:
    request = AWSRequest(method=method, url=url, headers=headers or {}, data=body)
    SigV4Auth(Credentials(key_id, secret), service, region).add_auth(request)
    wire = HTTPHeaders()
    wire["Host"] = urlsplit(url).netloc  # urllib3 adds it when sending
    for name, value in request.headers.items():
        wire[name] = value
    parts = urlsplit(url)
    return SignedRequest(method, parts.path, parts.query, wire, request.body or b"")
