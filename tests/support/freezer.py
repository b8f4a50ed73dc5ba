"""A TCP proxy on loopback that can stop forwarding, as a frozen database server would.

A frozen server's kernel still accepts connections and acknowledges data, so the client sees
no error, only silence: exactly what a proxy that holds the bytes back shows it. `freeze_on`
freezes the moment the client sends a given marker (b"COMMIT"), to stop the database between
"COMMIT sent" and "COMMIT answered".
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading

_CHUNK = 65536


class FreezableProxy:
    """Forwards 127.0.0.1:`port` to `target`; `freeze()` holds every byte back until `thaw()`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._marker: bytes | None = None
        self._marker_left = 0
        self._breaker: bytes | None = None
        self._breaker_left = 0
        self._broken: set[int] = set()  # client sockets whose answers are not passed on
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def freeze(self) -> None:
        self._flowing.clear()

    def freeze_on(self, marker: bytes, nth: int = 1) -> None:
        """Freeze when the client sends `marker` for the `nth` time from now, before it reaches
        the server."""
        self._marker = marker
        self._marker_left = nth

    def break_after(self, marker: bytes, nth: int = 1) -> None:
        """When the client sends `marker` for the `nth` time from now, let it reach the server,
        then break the connection before the server's answer comes back."""
        self._breaker = marker
        self._breaker_left = nth

    def thaw(self) -> None:
        self._marker = None
        self._flowing.set()

    def close(self) -> None:
        self._closed.set()
        self._flowing.set()
        with self._lock:
            sockets = [self._listener, *self._sockets]
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, server]
            for source, sink, watch in ((client, server, True), (server, client, False)):
                threading.Thread(
                    target=self._pump,
                    args=(source, sink, watch, client),
                    name="proxy-pump",
                    daemon=True,
                ).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, watch: bool, client: socket.socket
    ) -> None:
        try:
            while not self._closed.is_set():
                ready, _, _ = select.select([source], [], [], 0.2)
                if not ready:
                    continue
                data = source.recv(_CHUNK)
                if not data:
                    break
                if watch and self._marker is not None and self._marker in data:
                    self._marker_left -= 1
                    if self._marker_left == 0:
                        self._marker = None
                        self._flowing.clear()
                self._flowing.wait()
                if self._closed.is_set():
                    break
                if not watch and client.fileno() in self._broken:
                    break  # the answer to the marked message never arrives
                if watch and self._breaker is not None and self._breaker in data:
                    self._breaker_left -= 1
                    if self._breaker_left == 0:
                        self._breaker = None
                        self._broken.add(client.fileno())  # before the answer can come
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
