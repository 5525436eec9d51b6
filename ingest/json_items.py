"""Read a JSON file holding one array: its items, each with the line it starts on; bad JSON refused by line."""

import json
from dataclasses import dataclass
from typing import Any

from ingest.errors import IngestError
from ingest.files import TextFile

WHITESPACE = " \t\n\r"


@dataclass(frozen=True)
class JsonItem:
    """An item of the array: its position (1-based), the line it starts on, its value."""

    position: int
    line: int
    value: Any


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _skip_whitespace(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in WHITESPACE:
        offset += 1
    return offset


def _refuse(file: TextFile, offset: int, reason: str) -> IngestError:
    line = _line_at(file.text, offset)
    column = offset - (file.text.rfind("\n", 0, offset) + 1) + 1
    return IngestError(file.path, f"malformed JSON: {reason} (column {column})", line=line)


def read_json_items(file: TextFile) -> list[JsonItem]:
    """Every item of the file's top-level array, in order.

    The array is read item by item (with the standard decoder), so each item knows where it
    starts; a syntax error is refused naming its line and column.
    """
    text, decoder = file.text, json.JSONDecoder()
    offset = _skip_whitespace(text, 0)
    if not text.startswith("[", offset):
        raise _refuse(file, offset, "expected an array of items ('[')")
    offset = _skip_whitespace(text, offset + 1)
    items: list[JsonItem] = []
    counted, line = 0, 1  # Lines are counted as the reading moves on, never from the start again.
    if text.startswith("]", offset):
        offset += 1
    else:
        while True:
            try:
                value, end = decoder.raw_decode(text, offset)
            except json.JSONDecodeError as error:
                raise _refuse(file, error.pos, error.msg) from None
            line += text.count("\n", counted, offset)
            counted = offset
            items.append(JsonItem(len(items) + 1, line, value))
            offset = _skip_whitespace(text, end)
            if text.startswith(",", offset):
                offset = _skip_whitespace(text, offset + 1)
                continue
            if text.startswith("]", offset):
                offset += 1
                break
            raise _refuse(file, offset, "expected ',' or ']' after an item")
    offset = _skip_whitespace(text, offset)
    if offset != len(text):
        raise _refuse(file, offset, "text after the array")
    return items
