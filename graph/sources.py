"""Where each entity's facts come from: the sources that state it, with licence and location."""

from typing import LiteralString

from graph.lookups import Lookup
from graph.models import SourceReference
from graph.vocabulary import Label, Rel

# The kinds whose sources the API lists beside them; practices carry theirs in their own model.
SOURCED_LABELS: tuple[Label, ...] = (
    Label.COMMITMENT,
    Label.ACTION_PLAN,
    Label.BODY,
    Label.JURISDICTION,
    Label.LESSON,
    Label.THEME,
    Label.THEME_SCHEME,
    Label.STANDARD,
)


def source_list(node: LiteralString) -> LiteralString:
    """A Cypher list of the sources stating `node`, each a `SourceReference` map, ordered by id."""
    return (
        "COLLECT { MATCH (" + node + ")-[stated:" + Rel.SOURCED_FROM.value + "]->"
        "(source:" + Label.SOURCE.value + ") "
        "RETURN source {.id, .title, .publisher, .licence, location: stated.location} AS source "
        "ORDER BY source.id, source.location }"
    )


def sources_lookup(label: Label) -> Lookup[SourceReference]:
    """Each entity's sources, keyed by the entity's id."""
    return Lookup(
        "MATCH (n:" + label.value + " {id: key}) RETURN key, " + source_list("n") + " AS items",
        SourceReference,
        many=True,
    )


SOURCES_BY_ID: dict[Label, Lookup[SourceReference]] = {
    label: sources_lookup(label) for label in SOURCED_LABELS
}
