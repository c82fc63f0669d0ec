"""Who is on the other end: the TCP peer, or — only behind our own reverse proxies — what they say.

``JIXIAO_TRUSTED_PROXIES`` lists the proxies (addresses or networks). A request from anyone else cannot name a
client address (``X-Forwarded-For``) nor claim HTTPS (``X-Forwarded-Proto``): anybody can write those headers.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def trusted(address: str) -> bool:
    """Whether ``address`` is one of ``JIXIAO_TRUSTED_PROXIES`` (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.JIXIAO_TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer, or the nearest untrusted hop of ``X-Forwarded-For`` behind trusted proxies.

    A client can write anything into ``X-Forwarded-For``; only the entries appended by our own proxies count,
    so the chain is read from the right, skipping trusted proxies.
    """
    peer = str(request.META.get("REMOTE_ADDR", "")) or "?"
    if not trusted(peer):
        return peer
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop
    return peer
