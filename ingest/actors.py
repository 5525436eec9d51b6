"""Split a table cell that lists organisations ("A, B and C", "X, in partnership with Y") into bodies."""

from dataclasses import dataclass

from ingest.names import NameIndex, Token, tokenize

# Words and punctuation that join names in a list; never part of a name on their own.
SEPARATORS = frozenset({",", ";", ".", ":", "and", "&"})
JOINING_PHRASES: tuple[tuple[str, ...], ...] = (
    ("in", "partnership", "with", "the"),
    ("in", "partnership", "with"),
    ("delivering", "programme"),
)
# Introduces the members of a delivery consortium: everything in the cell delivers the programme.
DELIVERY_MARKER: tuple[str, ...] = ("delivering", "programme")


@dataclass(frozen=True)
class Mention:
    """A body named in a cell: its registry id, or None with the text when the name is unknown."""

    text: str
    body_id: str | None
    abbreviation: str | None = None


@dataclass(frozen=True)
class CellActors:
    mentions: tuple[Mention, ...]
    delivery_consortium: bool


def split_actors(cell: str, names: NameIndex, *, and_separates: bool = True) -> CellActors:
    """The bodies a cell names, in order, each once.

    Known names are matched longest-first; an unknown name runs to the next separator or known
    name. With `and_separates` false, "and" joins words of an unknown name instead of two names.
    """
    separators = SEPARATORS if and_separates else SEPARATORS - {"and", "&"}
    tokens = tokenize(cell)
    norms = [token.norm for token in tokens]
    mentions: list[Mention] = []
    position = 0
    while position < len(tokens):
        phrase_end = _joining_phrase_end(norms, position)
        if phrase_end is not None:
            position = phrase_end
            continue
        matched = names.match_at(tokens, position)
        if matched is None and norms[position] == "the" and position + 1 < len(tokens):
            matched = names.match_at(tokens, position + 1)
        if matched is not None:
            body_id, end = matched
            mentions.append(Mention(text=_span(cell, tokens, position, end), body_id=body_id))
            position = _skip_abbreviation(tokens, end)
            continue
        if norms[position] in separators:
            position += 1
            continue
        end = _unknown_name_end(tokens, norms, position, names, separators)
        after = _skip_abbreviation(tokens, end)
        abbreviation = _span(cell, tokens, end + 1, after - 1) if after - end > 2 else None
        mentions.append(
            Mention(
                text=_span(cell, tokens, position, end), body_id=None, abbreviation=abbreviation
            )
        )
        position = after
    unique: dict[str, Mention] = {}
    for mention in mentions:
        unique.setdefault(mention.body_id or mention.text.casefold(), mention)
    has_marker = any(
        tuple(norms[i : i + len(DELIVERY_MARKER)]) == DELIVERY_MARKER for i in range(len(norms))
    )
    return CellActors(mentions=tuple(unique.values()), delivery_consortium=has_marker)


def _joining_phrase_end(norms: list[str], position: int) -> int | None:
    for phrase in JOINING_PHRASES:
        if tuple(norms[position : position + len(phrase)]) == phrase:
            return position + len(phrase)
    return None


def _skip_abbreviation(tokens: list[Token], position: int) -> int:
    """Skip a bracketed abbreviation after a name: "Financial Conduct Authority (FCA)"."""
    if position < len(tokens) and tokens[position].text == "(":
        for end in range(position + 1, min(position + 6, len(tokens))):
            if tokens[end].text == ")":
                return end + 1
    return position


def _unknown_name_end(
    tokens: list[Token],
    norms: list[str],
    position: int,
    names: NameIndex,
    separators: frozenset[str],
) -> int:
    end = position
    while end < len(tokens) and norms[end] not in separators and tokens[end].text != "(":
        if _joining_phrase_end(norms, end) is not None:
            break
        if end > position and names.match_at(tokens, end) is not None:
            break
        end += 1
    return max(end, position + 1)


def _span(text: str, tokens: list[Token], start: int, end: int) -> str:
    return text[tokens[start].start : tokens[end - 1].end]
