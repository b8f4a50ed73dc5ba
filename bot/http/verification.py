"""Is this request from Slack? Slack's request signing, checked on the raw bytes.

Slack signs `v0:{X-Slack-Request-Timestamp}:{raw body}` with HMAC-SHA256 and the app's signing
secret and sends `X-Slack-Signature: v0=<64 hex digits>`
(https://api.slack.com/authentication/verifying-requests-from-slack). This check runs before
anything reads the body, and unlike slack_sdk's `SignatureVerifier` it never raises: a
timestamp that is not a number or a signature with a non-ASCII character is a refusal like any
other, with a reason an operator can read in the log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

# Slack refuses requests more than five minutes old, and so does Rapport, both ways: a clock a
# little ahead is tolerated as much as a delivery a little late.
MAX_SKEW_SECONDS = 5 * 60
# A Unix timestamp in seconds: 1 to 12 digits; longer is nobody's clock.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

REASONS = (
    "missing_timestamp",
    "malformed_timestamp",
    "stale_timestamp",
    "future_timestamp",
    "missing_signature",
    "malformed_signature",
    "wrong_signature",
)


def refusal_reason(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> str | None:
    """None when `body` was signed with `secret` within five minutes of `now` (Unix seconds);
    otherwise one of `REASONS`. `headers` is looked up with lower-case names."""
    stamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not stamp:
        return "missing_timestamp"
    if not _TIMESTAMP.fullmatch(stamp):
        return "malformed_timestamp"
    if int(stamp) < now - MAX_SKEW_SECONDS:
        return "stale_timestamp"
    if int(stamp) > now + MAX_SKEW_SECONDS:
        return "future_timestamp"
    if not signature:
        return "missing_signature"
    if not _SIGNATURE.fullmatch(signature):
        return "malformed_signature"
    expected = "v0=" + sign(secret, stamp, body)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return "wrong_signature"
    return None


def sign(secret: str, stamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 Slack sends after `v0=`."""
    base = b"v0:" + stamp.encode() + b":" + body
    return hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
