"""Neo4j going away gives a clear 503, and the service answers again when it returns."""

import contextlib
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from ogkg.settings import Neo4jSettings, Settings
from tests.conftest import GraphForTests, RunningServer, start_server
from tests.neo4j_server import Neo4jForTests, free_port


class TcpRelay:
    """A loopback TCP relay to Neo4j that can be cut and restored, like a network outage."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        with self._lock:
            if self._listener is not None:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
                self._listener.close()
                self._listener = None
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()


@pytest.fixture
def relay(neo4j_server: Neo4jForTests) -> Iterator[TcpRelay]:
    target = httpx.URL(
        neo4j_server.uri.replace("bolt://", "http://").replace("neo4j://", "http://")
    )
    relay = TcpRelay(target.host, target.port or 7687)
    relay.start()
    yield relay
    relay.cut()


@pytest.fixture
def server_behind_relay(
    graph: GraphForTests, neo4j_server: Neo4jForTests, relay: TcpRelay
) -> Iterator[RunningServer]:
    settings = Settings(
        neo4j=Neo4jSettings(
            uri=f"bolt://127.0.0.1:{relay.port}",
            user=neo4j_server.user,
            password=neo4j_server.password,
            connection_timeout=2.0,
            retry_time=0.5,
        ),
        warm_up=False,
    )
    running = start_server(settings)
    yield running
    running.stop()


QUERY = {"query": "{ jurisdictions { id } }"}


def test_neo4j_down_gives_503_and_the_service_recovers(
    server_behind_relay: RunningServer, relay: TcpRelay, http: httpx.Client
) -> None:
    url = server_behind_relay.url
    assert http.get(f"{url}/ready").status_code == 200
    assert http.post(f"{url}/graphql", json=QUERY).json()["data"] == {"jurisdictions": []}

    relay.cut()
    ready = http.get(f"{url}/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    down = http.post(f"{url}/graphql", json=QUERY)
    assert down.status_code == 503, down.text
    error = down.json()["errors"][0]
    assert error["message"] == "The graph database is unavailable; try again shortly."
    assert error["extensions"] == {"code": "DATABASE_UNAVAILABLE"}
    assert "Traceback" not in down.text and "bolt" not in down.text.lower()
    assert http.get(f"{url}/health").status_code == 200

    relay.start()
    assert http.get(f"{url}/ready").status_code == 200
    assert http.post(f"{url}/graphql", json=QUERY).status_code == 200
