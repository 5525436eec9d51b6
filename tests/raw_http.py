"""A bare HTTP/1.1 client over a socket, for what httpx will not do: send a body slowly and stop early."""

import json
import select
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    body_bytes_sent: int  # how much of the request body went out before the answer came

    def json(self) -> Any:
        return json.loads(self.body)


def _read_response(sock: socket.socket) -> bytes:
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
        head, separator, body = received.partition(b"\r\n\r\n")
        if separator:
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")[1:]
                    if line.lower().startswith(b"content-length:")
                ),
                None,
            )
            if length is not None and len(body) >= length:
                break
    return received


def exchange(
    url: str, head_lines: list[str], body_chunks: Iterable[bytes], *, chunked: bool = False
) -> RawResponse:
    """Send a request's head, then its body a chunk at a time until the server answers.

    Stops sending as soon as the answer arrives (or the server stops reading), then reads it.
    """
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    sent = 0
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        head = "\r\n".join([*head_lines, f"host: {parts.netloc}", "", ""]).encode()
        sock.sendall(head)
        for chunk in body_chunks:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk
            try:
                sock.sendall(framed)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        raw = _read_response(sock)
    head_bytes, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawResponse(int(status_line.split()[1]), headers, body, sent)
