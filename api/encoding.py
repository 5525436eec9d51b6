"""JSON answers encoded (by orjson) in pieces that each hold the event loop briefly, so one large answer stalls no other request."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson

# The longest the encoder holds the event loop before giving it back.
SLICE_SECONDS = 0.005
# An answer up to this size is sent (and compressed) whole: compressing it holds the loop for a
# few milliseconds at most. A larger one is streamed in chunks of about `CHUNK_BYTES`, each
# compressed on its own.
WHOLE_RESPONSE_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
# A value with at most this many list items and map entries in all is encoded in one call: orjson
# makes a few thousand of them in well under a slice.
WHOLE_ITEMS = 4096
# Keys that are not strings are written as JSON writes them (`1` -> "1", `True` -> "true").
OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value: Any) -> bytes:
    """`value` as compact JSON in UTF-8: the one encoding every answer uses."""
    return orjson.dumps(value, option=OPTIONS)


def _small(value: Any, budget: int = WHOLE_ITEMS) -> bool:
    """Whether `value` holds at most `budget` list items and map entries (counted until over)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            budget -= len(item)
            if budget < 0:
                return False
            pending.extend(child for child in item.values() if isinstance(child, dict | list))
        elif isinstance(item, list):
            budget -= len(item)
            if budget < 0:
                return False
            pending.extend(child for child in item if isinstance(child, dict | list))
    return True


class PieceEncoder:
    """Encodes a JSON value to a list of byte strings, yielding to the loop every `SLICE_SECONDS`.

    A list is encoded a slice of items at a time: the slice grows while slices are quick and
    shrinks while they are slow, down to one item, whose own lists are then encoded in slices.
    """

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.size = 0
        self._since = time.perf_counter()

    def _add(self, piece: bytes) -> None:
        self.pieces.append(piece)
        self.size += len(piece)

    async def _breathe(self) -> None:
        if time.perf_counter() - self._since > SLICE_SECONDS:
            await asyncio.sleep(0)
            self._since = time.perf_counter()

    async def encode(self, value: Any) -> None:
        if isinstance(value, dict):
            self._add(b"{")
            for index, (key, item) in enumerate(value.items()):
                self._add((b"," if index else b"") + dumps(str(key)) + b":")
                await self.encode(item)
            self._add(b"}")
        elif isinstance(value, list) and len(value) > 1:
            await self._encode_list(value)
        else:
            self._add(dumps(value))
        await self._breathe()

    async def _encode_list(self, items: list[Any]) -> None:
        self._add(b"[")
        start, step = 0, 1
        while start < len(items):
            if start:
                self._add(b",")
            if step == 1 and isinstance(items[start], dict | list):
                await self.encode(items[start])  # one item at a time: look inside it
                start += 1
                step = 2
                continue
            began = time.perf_counter()
            self._add(dumps(items[start : start + step])[1:-1])
            start += step
            took = time.perf_counter() - began
            if took < SLICE_SECONDS / 4:
                step *= 2
            elif took > SLICE_SECONDS:
                step = max(1, step // 4)
            await self._breathe()
        self._add(b"]")


class EncodedBody(dict[str, Any]):
    """A response body with its JSON already made, in pieces of UTF-8."""

    pieces: list[bytes]
    size: int


async def encoded_body(body: dict[str, Any]) -> EncodedBody:
    """`body`, with its JSON made in pieces (the loop given back between them)."""
    encoded = EncodedBody(body)
    if _small(body):  # most answers: one call
        encoded.pieces = [dumps(body)]
        encoded.size = len(encoded.pieces[0])
        return encoded
    encoder = PieceEncoder()
    await encoder.encode(body)
    encoded.pieces, encoded.size = encoder.pieces, encoder.size
    return encoded


async def chunks(pieces: list[bytes]) -> AsyncIterator[bytes]:
    """The pieces as chunks of about `CHUNK_BYTES`, for a streaming response."""
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)
