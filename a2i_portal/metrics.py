"""GET /metrics: Prometheus exposition of every process's metrics (prometheus-client's
multiprocess mode) and of what the given collectors read from the database, for clients in
METRICS_ALLOWED_NETWORKS or bearing METRICS_BEARER_TOKEN."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@csp_exempt()  # text for a scraper, not a page: a policy header says nothing to it
@never_cache
@require_GET
def metrics(request: HttpRequest, collectors: Sequence[Collector] = ()) -> HttpResponse:
    refusal = refusal_reason(request)
    if refusal:
        return HttpResponse(f"{refusal}\n", status=403, content_type="text/plain; charset=utf-8")
    # A fresh registry per scrape, as multiprocess mode asks: the metric objects themselves
    # must not be on it, or this process's share would be reported twice. The collector reads
    # the folder the processes write to: PROMETHEUS_MULTIPROC_DIR in the environment.
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    for collector in collectors:
        registry.register(collector)
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encode(registry), content_type=content_type)


def refusal_reason(request: HttpRequest) -> str:
    """Why the request may not read the metrics; empty when it may."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = client_address(remote)
    networks = allowed_networks(tuple(settings.METRICS_ALLOWED_NETWORKS))
    if address is not None and any(address in network for network in networks):
        return ""
    where = f"{remote or 'the client'} is not in METRICS_ALLOWED_NETWORKS"
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return f"{where} and sent no bearer token"
    expected = settings.METRICS_BEARER_TOKEN
    if not expected:
        return f"{where}, and no bearer token is accepted (METRICS_BEARER_TOKEN is not set)"
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        return f"{where}, and its bearer token is not METRICS_BEARER_TOKEN"
    return ""


def client_address(remote: str) -> Address | None:
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:  # a Unix socket has no address
        return None
    # A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def allowed_networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs)
