"""Where Rapport may post a request's `response_url`: Slack's hooks host, nowhere else.

A `response_url` arrives inside the request body. Even from a verified request it is the only
address in a body that Rapport would send data to, so it is checked against the host Slack uses
for them: `hooks.slack.com`, or `hooks.slack-gov.com` when `SLACK_API_URL` points at GovSlack;
when `SLACK_API_URL` points at a stand-in on loopback (the sandbox and the tests), that stand-in.
"""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit

SLACK_HOOKS = "hooks.slack.com"
GOVSLACK_HOOKS = "hooks.slack-gov.com"
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def allowed_response_url(url: str | None, api_base_url: str) -> TypeGuard[str]:
    """Whether `url` is a response URL Slack (as `api_base_url` names it) would have issued."""
    if not url or not isinstance(url, str):
        return False
    try:
        target, api = urlsplit(url), urlsplit(api_base_url)
        target_port, api_port = target.port, api.port
    except ValueError:
        return False
    if api.hostname in _LOOPBACK_HOSTS:
        return (target.scheme, target.hostname, target_port) == (
            api.scheme,
            api.hostname,
            api_port,
        )
    hooks = GOVSLACK_HOOKS if _is_govslack(api.hostname or "") else SLACK_HOOKS
    return (
        target.scheme == "https"
        and target.hostname == hooks
        and target_port in (None, 443)
        and not target.username
        and not target.password
    )


def _is_govslack(host: str) -> bool:
    return host == "slack-gov.com" or host.endswith(".slack-gov.com")
