"""Raw bytes to the running app's front door, with exactly the headers a test chooses."""

from __future__ import annotations

import http.client

from tests.support.app import RunningRapport


def send(
    rapport: RunningRapport,
    body: bytes,
    headers: dict[str, str],
    content_type: str = "application/x-www-form-urlencoded",
) -> tuple[int, bytes]:
    """POST raw bytes with exactly these headers; http.client sends str values as Latin-1."""
    host, port = rapport.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Type", content_type)
        connection.putheader("Content-Length", str(len(body)))
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
