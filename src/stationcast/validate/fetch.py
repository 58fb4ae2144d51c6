"""How validate fetches: the shared hardened client (stationcast.net) with validate's
User-Agent, the rule each kind of failure reports through, and the --allow-private rule.

--allow-private allows private, loopback and link-local addresses for one host only: the host
of the URL given to validate (for a feed file, the host of its `atom:link rel="self"`). A
redirect, enclosure or artwork link to any *other* private host is still refused, so a feed
on a server in your network cannot make the check reach the rest of that network.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..net import DEFAULT_TIMEOUT, MAX_REDIRECTS, FetchError, Response, url_host
from ..net import fetch as net_fetch

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "FetchError",
    "Response",
    "fetch",
    "rule_of",
    "url_host",
]

USER_AGENT = f"stationcast-validate/{__version__} (+https://github.com/stationcast)"

_RULES = {
    "address": "http.address",
    "scheme": "http.scheme",
    "redirects": "http.redirects",
    "too-large": "xml.too-large",
}


def rule_of(error: FetchError) -> str:
    """The id of the rule that explains `error`."""
    return _RULES.get(error.kind, "http.fetch")


def fetch(
    url: str,
    *,
    given_host: str,
    allow_private: bool,
    timeout: float = DEFAULT_TIMEOUT,
    **kw: Any,
) -> Response:
    """net.fetch for validate. `given_host` is the host the user named (see the module text);
    a refused address of that host says how to allow it."""
    try:
        return net_fetch(
            url,
            timeout=timeout,
            private_hosts=(given_host,) if allow_private and given_host else (),
            user_agent=USER_AGENT,
            **kw,
        )
    except FetchError as e:
        if e.kind == "address" and not allow_private and given_host and e.host == given_host:
            e.message += " (pass --allow-private to check a server on your own network)"
        raise
