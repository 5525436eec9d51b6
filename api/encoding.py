"""JSON answers encoded in pieces that each hold the event loop briefly, so one large answer stalls no other request."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

# The longest the encoder holds the event loop before giving it back.
SLICE_SECONDS = 0.005
# Pieces are sent in chunks of about this size (each one compressed on its own, if at all).
CHUNK_BYTES = 64 * 1024


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class PieceEncoder:
    """Encodes a JSON value to a list of strings, yielding to the loop every `SLICE_SECONDS`.

    A list is encoded a slice of items at a time: the slice grows while slices are quick and
    shrinks while they are slow, down to one item, whose own lists are then encoded in slices.
    """

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.size = 0
        self._since = time.perf_counter()

    def _add(self, piece: str) -> None:
        self.pieces.append(piece)
        self.size += len(piece)

    async def _breathe(self) -> None:
        if time.perf_counter() - self._since > SLICE_SECONDS:
            await asyncio.sleep(0)
            self._since = time.perf_counter()

    async def encode(self, value: Any) -> None:
        if isinstance(value, dict):
            self._add("{")
            for index, (key, item) in enumerate(value.items()):
                self._add(("," if index else "") + _dumps(str(key)) + ":")
                await self.encode(item)
            self._add("}")
        elif isinstance(value, list) and len(value) > 1:
            await self._encode_list(value)
        else:
            self._add(_dumps(value))
        await self._breathe()

    async def _encode_list(self, items: list[Any]) -> None:
        self._add("[")
        start, step = 0, 1
        while start < len(items):
            if start:
                self._add(",")
            if step == 1 and isinstance(items[start], dict | list):
                await self.encode(items[start])  # one item at a time: look inside it
                start += 1
                step = 2
                continue
            began = time.perf_counter()
            self._add(_dumps(items[start : start + step])[1:-1])
            start += step
            took = time.perf_counter() - began
            if took < SLICE_SECONDS / 4:
                step *= 2
            elif took > SLICE_SECONDS:
                step = max(1, step // 4)
            await self._breathe()
        self._add("]")


class EncodedBody(dict[str, Any]):
    """A response body with its JSON text already made, in pieces."""

    pieces: list[str]
    size: int


async def encoded_body(body: dict[str, Any]) -> EncodedBody:
    """`body`, with its JSON text made in pieces (the loop given back between them)."""
    encoder = PieceEncoder()
    await encoder.encode(body)
    encoded = EncodedBody(body)
    encoded.pieces, encoded.size = encoder.pieces, encoder.size
    return encoded


async def encode_in_pieces(value: Any) -> list[str]:
    """`value` as JSON text, in pieces, the loop given back every few milliseconds."""
    encoder = PieceEncoder()
    await encoder.encode(value)
    return encoder.pieces


async def chunks(pieces: list[str]) -> AsyncIterator[bytes]:
    """The pieces as byte chunks of about `CHUNK_BYTES`, for a streaming response."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()
