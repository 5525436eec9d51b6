"""Answers' JSON: the same bytes whether made whole or in pieces that give the loop back."""

import asyncio
import json
from typing import Any

from api.encoding import WHOLE_ITEMS, dumps, encoded_body


def pieces_of(value: dict[str, Any]) -> tuple[bytes, int]:
    encoded = asyncio.run(encoded_body(value))
    return b"".join(encoded.pieces), len(encoded.pieces)


def test_a_large_answer_in_pieces_is_the_same_bytes_as_made_whole() -> None:
    rows = [
        {"id": f"c{index}", "title": "Café “quoted” \\ ✓", "n": index, "x": index / 3, "ok": None}
        for index in range(WHOLE_ITEMS)
    ]
    answer = {"data": {"commitments": rows, "empty": [], "one": [{"a": [1, 2]}]}, "extensions": {}}
    joined, pieces = pieces_of(answer)
    assert pieces > 1  # over the size made in one call
    assert joined == dumps(answer)
    # Plain JSON, in UTF-8 (not escaped), that any reader reads back to the answer.
    assert json.loads(joined) == answer
    assert "Café “quoted”".encode() in joined


def test_a_small_answer_is_one_piece() -> None:
    answer = {"data": {"commitment": {"id": "c1", "leads": [{"id": "b1"}, {"id": "b2"}]}}}
    joined, pieces = pieces_of(answer)
    assert pieces == 1
    assert joined == json.dumps(answer, separators=(",", ":")).encode()
