"""Find bodies whose names look alike but were not merged, for a coordinator to decide on."""

import csv
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from graph.models import Body, Jurisdiction

# Words that carry no identity in an organisation's name.
FILLER_WORDS = frozenset(
    {
        "the",
        "of",
        "for",
        "and",
        "on",
        "in",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "y",
        "e",
        "da",
        "do",
    }
)
BRACKETED = re.compile(r"\([^)]*\)")
SIMILAR_SPELLING = 0.9
# Below this ratio of lengths two names cannot reach SIMILAR_SPELLING (2*short/(short+long)).
MIN_LENGTH_RATIO = 0.8
DISTINCT_BODIES_FILE = "distinct_bodies.csv"


@dataclass(frozen=True)
class Candidate:
    """Two bodies that may be one organisation, and why they were paired."""

    jurisdiction_id: str | None
    first: Body
    second: Body
    reason: str


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    """A name's identifying words: accents, case, brackets, punctuation and filler words dropped."""
    plain = (
        unicodedata.normalize("NFKD", BRACKETED.sub(" ", name)).encode("ascii", "ignore").decode()
    )
    return tuple(w for w in re.findall(r"[a-z0-9]+", plain.lower()) if w not in FILLER_WORDS)


def _reason(first: Body, second: Body) -> str | None:
    first_words, second_words = name_words(first.name), name_words(second.name)
    if not first_words or not second_words:
        return None
    if first_words == second_words:
        return "same words"
    if sorted(first_words) == sorted(second_words):
        return "same words, other order"
    shorter, longer = sorted((first_words, second_words), key=len)
    if longer[: len(shorter)] == shorter and len(longer) - len(shorter) == 1:
        return "one name extends the other by a word"
    first_text, second_text = " ".join(first_words), " ".join(second_words)
    # The ratio is at most 2*shorter/(both lengths), then at most quick_ratio(): both are cheap
    # upper bounds, so pairs that cannot reach SIMILAR_SPELLING skip the full comparison.
    short, long = sorted((len(first_text), len(second_text)))
    if 2 * short / (short + long) < SIMILAR_SPELLING:
        return None
    matcher = difflib.SequenceMatcher(None, first_text, second_text)
    if matcher.quick_ratio() < SIMILAR_SPELLING:
        return None
    ratio = matcher.ratio()
    if ratio >= SIMILAR_SPELLING:
        return f"similar spelling ({ratio:.2f})"
    return None


def _region(body: Body, parents: dict[str, str | None]) -> str | None:
    """Compare bodies within a country: a nation's bodies count as the country's."""
    place = body.jurisdiction_id
    while place is not None and parents.get(place) is not None:
        place = parents[place]
    return place


def duplicate_candidates(
    bodies: Sequence[Body],
    jurisdictions: Iterable[Jurisdiction],
    distinct: Collection[frozenset[str]] = (),
    limit: int | None = None,
) -> list[Candidate]:
    """Pairs of bodies in one country (or both international) whose names look alike.

    In order of country, then ids; with `limit`, the first `limit` of them (found without
    comparing the rest).
    """
    parents = {j.id: j.parent_id for j in jurisdictions}
    by_region: dict[str | None, list[Body]] = {}
    for body in bodies:
        by_region.setdefault(_region(body, parents), []).append(body)
    candidates: list[Candidate] = []
    for region, members in sorted(by_region.items(), key=lambda item: item[0] or ""):
        for first, second in _comparable_pairs(members):
            if frozenset((first.id, second.id)) in distinct:
                continue
            reason = _reason(first, second)
            if reason is not None:
                candidates.append(Candidate(region, first, second, reason))
                if limit is not None and len(candidates) >= limit:
                    return candidates
    return candidates


def _comparable_pairs(members: Sequence[Body]) -> list[tuple[Body, Body]]:
    """Pairs that share their first word, last word or set of words, sorted by id.

    Every pair `_reason` can name shares one of these (a name extended by a word keeps its first
    word; similar spellings differ by a letter or two), so thousands of bodies (the registers)
    are compared in blocks, not all with all; lengths too far apart to be similar are skipped.
    """
    blocks: dict[tuple[str, ...], list[Body]] = {}
    for body in members:
        words = name_words(body.name)
        if not words:
            continue
        for key in {("first", words[0]), ("last", words[-1]), ("set", *sorted(words))}:
            blocks.setdefault(key, []).append(body)
    pairs: dict[tuple[str, str], tuple[Body, Body]] = {}
    for block in blocks.values():
        for first, second in combinations(sorted(block, key=lambda b: b.id), 2):
            if (first.id, second.id) in pairs or first.id == second.id:
                continue
            short, long = sorted((len(first.name), len(second.name)))
            if (
                short / long >= MIN_LENGTH_RATIO
                or first.name.casefold() in second.name.casefold()
                or second.name.casefold() in first.name.casefold()
            ):
                pairs[(first.id, second.id)] = (first, second)
    return [pairs[key] for key in sorted(pairs)]


def distinct_pairs(path: Path) -> set[frozenset[str]]:
    """The pairs of body ids a coordinator decided are not one (seeds/distinct_bodies.csv), if any.

    Columns `id`, `other_id` (and a `reason` for the reader); a row missing either id is refused
    naming the file and line.
    """
    if not path.exists():
        return set()
    pairs: set[frozenset[str]] = set()
    with path.open(encoding="utf-8", newline="") as rows:
        for line, row in enumerate(csv.DictReader(rows), start=2):
            first, second = (row.get("id") or "").strip(), (row.get("other_id") or "").strip()
            if not first or not second:
                raise ValueError(f"{path}, line {line}: a pair needs `id` and `other_id`")
            pairs.add(frozenset((first, second)))
    return pairs
