"""Shapes the API's answers for the templates: trees of options, heat classes, the network's layout."""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# The page for each kind of thing, by its GraphQL type name.
PAGE_PATHS = {
    "Commitment": "/commitments/",
    "Practice": "/practices/",
    "Lesson": "/lessons/",
    "Body": "/bodies/",
    "Jurisdiction": "/places/",
    "ActionPlan": "/plans/",
    "Theme": "/themes/",
}
KIND_NAMES = {
    "Commitment": "Commitment",
    "Practice": "Practice",
    "Lesson": "Lesson",
    "Body": "Body",
    "Jurisdiction": "Place",
    "ActionPlan": "Action plan",
    "Theme": "Theme",
}
HEAT_STEPS = 5
REASON_TEXTS = {
    "SHARED_THEME": "same theme",
    "SHARED_BODY": "same body involved",
    "SHARED_STANDARD": "same data standard",
    "LINKED": "linked to it directly",
    "TEXT": "similar wording",
}


def page_of(typename: str, entity_id: str) -> str:
    """The explorer's address of an entity of GraphQL type `typename`."""
    return PAGE_PATHS[typename] + quote(entity_id, safe="")


def humane(value: str | None) -> str:
    """An enum value as words: `NOT_STARTED` → 'Not started'."""
    if not value:
        return ""
    return value.replace("_", " ").capitalize()


DEFAULT_DESCRIPTION = (
    "ogkg, the open-government knowledge graph: who across the UK has tried an open-government "
    "practice, what it achieved, and the source of every fact."
)
DESCRIPTION_CHARACTERS = 160


def description(*parts: str | None) -> str:
    """A page's meta description: its parts as one sentence, cut at a word near 160 characters."""
    text = " ".join(" ".join(part.split()) for part in parts if part and part.strip())
    if len(text) <= DESCRIPTION_CHARACTERS:
        return text
    cut = text[: DESCRIPTION_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "\u2026"


def years(start: int | None, end: int | None) -> str:
    """A span of years as words: '2016\u20132018', '2016', or '' when neither is known."""
    known = [str(year) for year in dict.fromkeys((start, end)) if year]
    return "\u2013".join(known)


def reason_text(reason: Mapping[str, Any]) -> str:
    """One similarity reason in words, with its weight."""
    text = REASON_TEXTS.get(str(reason["kind"]), humane(str(reason["kind"])))
    label = f": {reason['label']}" if reason.get("label") else ""
    return f"{text}{label} (+{float(reason['weight']):.2f})"


@dataclass(frozen=True)
class Option:
    """One choice of a facet; `depth` indents it under its broader choice."""

    value: str
    label: str
    depth: int = 0


def tree_options(
    items: Iterable[Mapping[str, Any]], parent_of: str, label: str = "name"
) -> list[Option]:
    """Items as a depth-first tree by their `parent_of` link (`{id}` or null), names in order."""
    items = list(items)
    known = {item["id"] for item in items}
    children: dict[str | None, list[Mapping[str, Any]]] = defaultdict(list)
    for item in items:
        parent = (item.get(parent_of) or {}).get("id")
        children[parent if parent in known else None].append(item)
    options: list[Option] = []

    def visit(parent: str | None, depth: int) -> None:
        for item in sorted(children.get(parent, []), key=lambda i: str(i[label]).casefold()):
            options.append(Option(item["id"], item[label], depth))
            visit(item["id"], depth + 1)

    visit(None, 0)
    return options


def descendants(items: Iterable[Mapping[str, Any]], root: str, parent_of: str) -> list[str]:
    """The ids of everything under `root` through `parent_of` links, nearest first."""
    children: dict[str, list[str]] = defaultdict(list)
    for item in items:
        parent = (item.get(parent_of) or {}).get("id")
        if parent:
            children[parent].append(item["id"])
    found: list[str] = []
    frontier = [root]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, [])]
        found.extend(frontier)
    return found


def heat_class(count: int, most: int) -> str:
    """The CSS class of a coverage cell: `heat-0` for none, up to `heat-5` for the most."""
    if count <= 0 or most <= 0:
        return "heat-0"
    return f"heat-{max(1, math.ceil(HEAT_STEPS * count / most))}"


@dataclass(frozen=True)
class NetworkNode:
    """A partner drawn around the body: where, how large, how thick its link."""

    id: str
    name: str
    shared: int
    x: float
    y: float
    radius: float
    stroke: float


NETWORK_SIZE = 360.0


def network_layout(partners: Sequence[Mapping[str, Any]]) -> list[NetworkNode]:
    """The partners on a circle around the body, larger and thicker the more they share."""
    if not partners:
        return []
    centre = NETWORK_SIZE / 2
    orbit = NETWORK_SIZE / 2 - 40
    most = max(int(p["sharedCommitments"]) for p in partners)
    nodes = []
    for index, partner in enumerate(partners):
        angle = 2 * math.pi * index / len(partners) - math.pi / 2
        share = int(partner["sharedCommitments"]) / most
        nodes.append(
            NetworkNode(
                id=partner["body"]["id"],
                name=partner["body"]["name"],
                shared=int(partner["sharedCommitments"]),
                x=round(centre + orbit * math.cos(angle), 1),
                y=round(centre + orbit * math.sin(angle), 1),
                radius=round(6 + 10 * share, 1),
                stroke=round(1 + 5 * share, 1),
            )
        )
    return nodes


def places_of(hit: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The places a search hit belongs to, as far as its type says."""
    if hit["__typename"] == "Commitment":
        plan = hit.get("actionPlan") or {}
        return [plan["jurisdiction"]] if plan.get("jurisdiction") else []
    if hit["__typename"] == "Practice":
        return list(hit.get("jurisdictions") or [])
    if hit["__typename"] in {"Body", "ActionPlan"} and hit.get("jurisdiction"):
        return [hit["jurisdiction"]]
    return []


def counted_places(hits: Iterable[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], int]]:
    """The places among `hits` with how many hits each has, most first."""
    counts: dict[str, int] = defaultdict(int)
    places: dict[str, Mapping[str, Any]] = {}
    for hit in hits:
        for place in places_of(hit):
            counts[place["id"]] += 1
            places[place["id"]] = place
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(places[item[0]]["name"])))
    return [(places[place_id], count) for place_id, count in ranked]


def counted_ratings(hits: Iterable[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """The IRM potential-impact ratings among the commitments in `hits`, with their counts."""
    counts: dict[str, int] = defaultdict(int)
    for hit in hits:
        rating = (hit.get("irm") or {}).get("potentialImpact")
        if rating:
            counts[rating] += 1
    return sorted(counts.items(), key=lambda item: -item[1])
