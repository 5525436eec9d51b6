"""Ids from what identifies a row in its source, never its position: repeats reported, clashes refused."""

import hashlib
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from ingest.batches import slugify
from ingest.errors import IngestError

T = TypeVar("T")

# How much of a text goes into an id: enough words to tell items apart, short enough to read.
ID_WORDS = 8
ID_TEXT_CHARACTERS = 48
MAX_ID_LENGTH = 120
HASH_CHARACTERS = 8


def words_slug(text: str | None) -> str:
    """The first words of a text as an id part: "Open contracting data (OCDS)" → "open-contracting-data-ocds"."""
    words = slugify(text or "").split("-")
    slug = ""
    for word in words[:ID_WORDS]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > ID_TEXT_CHARACTERS:
            break
        slug = candidate
    return slug


def text_hash(text: str | None) -> str:
    """A short digest of a whole text, its spacing and case folded: the last resort to tell two apart."""
    folded = re.sub(r"\s+", " ", (text or "").casefold()).strip()
    return hashlib.sha256(folded.encode()).hexdigest()[:HASH_CHARACTERS]


@dataclass(frozen=True)
class Located(Generic[T]):
    """A row of a source with the line it starts on."""

    line: int
    row: T


@dataclass(frozen=True)
class Repeat:
    """A row that states again, word for word, what an earlier row of the file stated."""

    line: int
    first_line: int

    def note(self, path: Path) -> str:
        return (
            f"{path.name}:{self.line}: repeats line {self.first_line} (every column ogkg "
            "reads is the same); ingested once"
        )


def without_repeats(
    rows: Sequence[Located[T]], content: Callable[[T], Hashable]
) -> tuple[list[Located[T]], list[Repeat]]:
    """The rows with word-for-word repeats removed (the first kept), and the repeats found.

    A row the source states twice is one item by the source's own data: it is ingested once and
    reported, never refused.
    """
    first_seen: dict[Hashable, int] = {}
    kept: list[Located[T]] = []
    repeats: list[Repeat] = []
    for located in rows:
        key = content(located.row)
        if key in first_seen:
            repeats.append(Repeat(located.line, first_seen[key]))
            continue
        first_seen[key] = located.line
        kept.append(located)
    return kept, repeats


def distinct_ids(
    path: Path,
    rows: Sequence[Located[T]],
    base: Callable[[T], str],
    qualifiers: Sequence[Callable[[T], str]],
    describe: str,
) -> dict[int, str]:
    """Each row's id (by line): `base`, qualified only where rows would otherwise share one.

    Rows sharing an id get the first qualifier appended; those still sharing one get the next,
    and so on. The result depends on the rows' content, never on their order. Rows still sharing
    an id when the qualifiers run out are refused, naming both lines.
    """
    ids = {located.line: base(located.row) for located in rows}
    by_line = {located.line: located.row for located in rows}
    for qualify in qualifiers:
        for group in _clashes(ids):
            parts = {line: qualify(by_line[line]) for line in group}
            if len(set(parts.values())) == 1:
                continue  # The same for every row of the group: it tells nothing apart.
            for line, part in parts.items():
                if part:
                    ids[line] = f"{ids[line]}-{part}"[:MAX_ID_LENGTH].rstrip("-")
    clashes = _clashes(ids)
    if clashes:
        first, second = min(clashes)[:2]
        raise IngestError(
            path,
            f"lines {first} and {second} would both be {describe} {ids[first]!r}: "
            "nothing the source states tells them apart",
            line=second,
        )
    return ids


def _clashes(ids: dict[int, str]) -> list[list[int]]:
    """Groups of lines (each sorted) that share an id."""
    lines_by_id: dict[str, list[int]] = {}
    for line, item_id in ids.items():
        lines_by_id.setdefault(item_id, []).append(line)
    return [sorted(lines) for lines in lines_by_id.values() if len(lines) > 1]
