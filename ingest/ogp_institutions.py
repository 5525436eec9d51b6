"""Institutions named in the OGP/IRM file: split a cell into names, resolve them within a country."""

import contextlib
import re
from dataclasses import dataclass

from graph.models import Body
from graph.vocabulary import BodyKind
from ingest.actors import split_actors
from ingest.batches import slugify
from ingest.names import AmbiguousNameError, NameIndex
from ingest.registry import Registry

# Cell values that name no institution.
NOT_AN_INSTITUTION = frozenset(
    {
        "none specified", "unclear", "none", "not specified", "nr", "nd", "na", "n/a", "tbd",
        "other government departments", "relevant agencies", "all information holders", "all ministries",
    }
)  # fmt: skip
CSO_PREFIX = re.compile(r"^\s*(?:CSOs?|Civil society(?: organi[sz]ations)?)\s*:\s*", re.IGNORECASE)
BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
CONNECTIVES = frozenset(
    {"de", "del", "la", "las", "los", "el", "y", "of", "for", "and", "the", "on", "in"}
)


@dataclass(frozen=True)
class Institution:
    name: str
    body_id: str | None
    abbreviation: str | None
    civil_society: bool


def _text_with_breaks(cell: str, names: NameIndex) -> str:
    """Turn HTML line breaks into spaces where they wrap a name, into separators where they list."""
    as_spaces = BREAK.sub(" ", cell)
    mentions = split_actors(as_spaces, names, and_separates=False).mentions
    if mentions and all(mention.body_id for mention in mentions):
        return as_spaces
    parts = BREAK.split(cell)
    text = parts[0]
    for part in parts[1:]:
        previous = text.split()[-1].lower() if text.split() else ""
        wraps = bool(part) and (part[0].islower() or previous in CONNECTIVES)
        text += (" " if wraps else "; ") + part
    return text


def institutions(cell: str | None, names: NameIndex) -> list[Institution]:
    if cell is None or cell.strip().lower() in NOT_AN_INSTITUTION:
        return []
    civil_society = bool(CSO_PREFIX.match(cell))
    text = _text_with_breaks(CSO_PREFIX.sub("", cell, count=1), names)
    found: list[Institution] = []
    for mention in split_actors(text, names, and_separates=False).mentions:
        name = mention.text.strip(" .;:-")
        if not name or name.lower() in NOT_AN_INSTITUTION or not any(c.isalpha() for c in name):
            continue
        if mention.body_id is None and not name[0].isupper() and not name[0].isdigit():
            continue  # A fragment of running text ("in cooperation with the"), not a name.
        found.append(Institution(name, mention.body_id, mention.abbreviation, civil_society))
    return found


def country_names(registry: Registry, country_id: str) -> NameIndex:
    """Registry bodies that can appear in a country's rows: its own, its parts', and international ones."""
    places = {
        country_id,
        *(j.id for j in registry.jurisdictions.values() if j.parent_id == country_id),
    }
    index = NameIndex()
    for body in registry.bodies.values():
        if body.jurisdiction_id is None or body.jurisdiction_id in places:
            for name in (body.name, *body.aliases):
                index.add(name, body.id)
    return index


def discover(
    discovered: dict[str, Body], names: NameIndex, country_id: str, found: Institution, lead: bool
) -> Body:
    """The body an unknown name stands for: one met before (by name or abbreviation) or a new one."""
    known = names.lookup(found.name)
    if known is None and found.abbreviation:
        known = names.lookup(found.abbreviation)
    if known is not None and known in discovered:
        body = discovered[known]
        if found.abbreviation and body.name.casefold() == found.abbreviation.casefold():
            # Met by its abbreviation first: the full name becomes its name (its id stays).
            aliases = (body.name, *(a for a in body.aliases if a != found.name))
            body = body.model_copy(update={"name": found.name, "aliases": aliases})
            discovered[body.id] = body
        elif found.name.casefold() != body.name.casefold() and found.name not in body.aliases:
            body = body.model_copy(update={"aliases": (*body.aliases, found.name)})
            discovered[body.id] = body
        _learn(names, found, body.id)
        return body
    kind = (
        BodyKind.GOVERNMENT_BODY
        if lead
        else BodyKind.CIVIL_SOCIETY
        if found.civil_society
        else BodyKind.UNCLASSIFIED
    )
    body = Body(
        id=f"{country_id}-{slugify(found.name)}"[:100],
        name=found.name,
        kind=kind,
        jurisdiction_id=country_id,
        aliases=(found.abbreviation,) if found.abbreviation else (),
    )
    if body.id in discovered:  # Same slug, different spelling: one body.
        return discovered[body.id]
    discovered[body.id] = body
    _learn(names, found, body.id)
    return body


def _learn(names: NameIndex, found: Institution, body_id: str) -> None:
    """Remember a name and its abbreviation; a name already given to another body stays with it."""
    for name in (found.name, found.abbreviation):
        if name:
            with contextlib.suppress(AmbiguousNameError):
                names.add(name, body_id)


def body_for(
    registry: Registry,
    discovered: dict[str, Body],
    names: NameIndex,
    country_id: str,
    found: Institution,
    *,
    lead: bool,
) -> Body:
    body_id = found.body_id or names.lookup(found.name)
    if body_id is not None and body_id in registry.bodies:
        return registry.bodies[body_id]
    if body_id is not None and body_id in discovered:
        return discovered[body_id]
    return discover(discovered, names, country_id, found, lead)
