"""Web API clients, configured once: where Slack is, how long to wait, what to log.

slack_sdk reads no environment variable for the API URL, so `base_url` comes from settings
(`SLACK_API_URL`); Bolt copies the app client's base URL and logger into every per-request
client.

Every client here is a `SlackClient`: in a thread that set a hook (`before_slack_calls`), each
Web API call runs it first. The web layer uses it to give a request's admission slot up while
the request waits on Slack (`bot.http.admission`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

# How long a response_url post may take.
RESPONSE_URL_TIMEOUT_SECONDS = 5
# How long the dispatcher waits for one DM to be posted.
DISPATCH_TIMEOUT_SECONDS = 10
# slack_sdk writes an ERROR line of its own for every request that could not be sent, then
# raises; Rapport catches the exception and writes one line that says what it means. Clients
# get this logger so that the SDK's line does not repeat it.
QUIET_SDK_LOG = logging.getLogger("rapport.slack_sdk")
QUIET_SDK_LOG.setLevel(logging.CRITICAL)
QUIET_SDK_LOG.propagate = False

_hooks = threading.local()


@contextmanager
def before_slack_calls(hook: Callable[[], None]) -> Iterator[None]:
    """Run `hook` in this thread before each Web API call a `SlackClient` makes in the body."""
    previous = getattr(_hooks, "before_call", None)
    _hooks.before_call = hook
    try:
        yield
    finally:
        _hooks.before_call = previous


class SlackClient(WebClient):
    """slack_sdk's client, running this thread's `before_slack_calls` hook before each call:
    the thread is about to wait on Slack, not to run Python."""

    def api_call(self, *args: Any, **kwargs: Any) -> SlackResponse:
        hook = getattr(_hooks, "before_call", None)
        if hook is not None:
            hook()
        return super().api_call(*args, **kwargs)


def like(client: WebClient, **changes: Any) -> SlackClient:
    """A `SlackClient` set up as `client` (token, where Slack is, timeout, TLS, proxy, headers,
    logger, retries), with `changes` to those settings: every client Rapport derives from the
    app's keeps how it reaches Slack."""
    settings: dict[str, Any] = {
        "token": client.token,
        "base_url": client.base_url,
        "timeout": client.timeout,
        "ssl": client.ssl,
        "proxy": client.proxy,
        # A copy: a new client writes its User-Agent into the dict it is given, and a derived
        # client (one per request) would otherwise write into the app client's own.
        "headers": dict(client.headers),
        "logger": client.logger,
        "retry_handlers": client.retry_handlers,
    }
    return SlackClient(**(settings | changes))


def per_request_client(client: WebClient) -> SlackClient:
    """A `SlackClient` set up as `client`, for Bolt's per-request client (a plain WebClient)."""
    copy = like(client)
    copy.default_params = dict(client.default_params)  # the team_id Bolt gave it
    return copy


def app_client(token: str | None, base_url: str) -> SlackClient:
    """The app's one Web API client. Every call a listener makes is caught where it is made and
    logged there in one line."""
    return SlackClient(token=token, base_url=base_url, logger=QUIET_SDK_LOG)


def dispatcher_client(token: str | None, base_url: str) -> SlackClient:
    """The Web API client the dispatcher posts with.

    No retry handlers: a 429 is the dispatcher's to wait out (it records the bundle as not sent
    first), and slack_sdk's connection-error retry could post a DM twice.
    """
    return SlackClient(
        token=token, base_url=base_url, timeout=DISPATCH_TIMEOUT_SECONDS, retry_handlers=[]
    )


# The longest Retry-After a patient client sleeps in its thread; a longer one is raised.
PATIENT_LONGEST_WAIT_SECONDS = 30


class ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """slack_sdk's 429 retry, for a Retry-After of at most `PATIENT_LONGEST_WAIT_SECONDS`: its
    handler sleeps whatever Slack asks, and an hour's wait would hold the thread (one of the
    after-ack pool's) for the hour. A longer wait is raised to the caller as the 429 it is."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        asked = next(
            (values for name, values in response.headers.items() if name.lower() == "retry-after"),
            ["1"],
        )
        try:
            return int(asked[0]) <= PATIENT_LONGEST_WAIT_SECONDS
        except (ValueError, IndexError):
            return False


def patient_client(client: WebClient) -> SlackClient:
    """`client` that waits out a short 429 and tries again, up to three times: for calls that are
    safe to repeat, such as rewriting a message with what it says already (`ShortRateLimitRetry`:
    a long Retry-After is raised, not slept)."""
    return like(
        client, logger=QUIET_SDK_LOG, retry_handlers=[ShortRateLimitRetry(max_retry_count=3)]
    )


# How long one Slack call of the after-hours check may take (the app client waits 30 s): a
# look-up that slow means Slack is struggling, and the check is skipped rather than queued up.
LOOKUP_TIMEOUT_SECONDS = 5


def lookup_client(client: WebClient) -> SlackClient:
    """`client` with the short timeout of the after-hours check's calls, and no retries (a
    429 is honoured by not asking again before its Retry-After, not by waiting here)."""
    return like(client, timeout=LOOKUP_TIMEOUT_SECONDS, logger=QUIET_SDK_LOG, retry_handlers=[])
