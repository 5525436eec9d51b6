"""Find known organisation and place names, and their aliases, inside free text."""

import re
from dataclasses import dataclass

TOKEN = re.compile(r"\w[\w’'\-]*|[&(),:;.]")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def normalise_token(token: str) -> str:
    folded = token.casefold().translate(APOSTROPHES)
    return "and" if folded == "&" else folded


def normalise_name(name: str) -> tuple[str, ...]:
    """A name as comparable tokens: case, apostrophes and `&`/`and` do not matter."""
    return tuple(normalise_token(match.group()) for match in TOKEN.finditer(name))


@dataclass(frozen=True)
class Token:
    text: str
    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [
        Token(match.group(), normalise_token(match.group()), match.start(), match.end())
        for match in TOKEN.finditer(text)
    ]


class AmbiguousNameError(ValueError):
    """One name given to two different entities."""


class NameIndex:
    """Names and aliases of entities, matched longest-first at a token position."""

    def __init__(self) -> None:
        self._by_first_token: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._owner: dict[tuple[str, ...], str] = {}

    def add(self, name: str, entity_id: str) -> None:
        key = normalise_name(name)
        if not key:
            return
        owner = self._owner.get(key)
        if owner is not None and owner != entity_id:
            raise AmbiguousNameError(
                f"the name {name!r} is given to both {owner!r} and {entity_id!r}"
            )
        if owner is None:
            self._owner[key] = entity_id
            candidates = self._by_first_token.setdefault(key[0], [])
            candidates.append((key, entity_id))
            candidates.sort(key=lambda candidate: len(candidate[0]), reverse=True)

    def lookup(self, name: str) -> str | None:
        return self._owner.get(normalise_name(name))

    def match_at(self, tokens: list[Token], position: int) -> tuple[str, int] | None:
        """The entity whose longest name starts at `tokens[position]`, and the index after it."""
        for key, entity_id in self._by_first_token.get(tokens[position].norm, []):
            end = position + len(key)
            if end <= len(tokens) and tuple(t.norm for t in tokens[position:end]) == key:
                return entity_id, end
        return None
