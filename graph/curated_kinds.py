"""What curators may edit: each curated kind's fields and links, declared once."""

from dataclasses import dataclass
from enum import StrEnum
from typing import LiteralString

from graph.vocabulary import Label, Rel


class CuratedKind(StrEnum):
    LESSON = "Lesson"
    PRACTICE = "Practice"
    BODY = "Body"  # curators merge bodies (and undo merges); their fields come from the registers

    @property
    def label(self) -> Label:
        return Label(self.value)


class Relation(StrEnum):
    """What a curated entity can be linked to."""

    COMMITMENT = "commitments"
    PRACTICE = "practices"
    THEME = "themes"
    JURISDICTION = "jurisdictions"
    BODY = "bodies"
    STANDARD = "standards"


@dataclass(frozen=True)
class CuratedLink:
    """A relation of a kind: its relationship type, target label and direction."""

    relation: Relation
    type: Rel
    target: Label
    outgoing: bool = True

    def pattern(self, entity: LiteralString, other: LiteralString) -> LiteralString:
        """`(entity)-[:TYPE]->(other:Target)`, or reversed for an incoming link."""
        target: LiteralString = f"({other}:{self.target.value})"
        if self.outgoing:
            return f"({entity})-[:{self.type.value}]->{target}"
        return f"{target}-[:{self.type.value}]->({entity})"


@dataclass(frozen=True)
class KindSpec:
    """A curated kind: the properties a curator sets and the links a curator makes."""

    kind: CuratedKind
    fields: tuple[LiteralString, ...]
    links: tuple[CuratedLink, ...]

    def link(self, relation: Relation) -> CuratedLink | None:
        return next((link for link in self.links if link.relation is relation), None)


KINDS: dict[CuratedKind, KindSpec] = {
    CuratedKind.LESSON: KindSpec(
        CuratedKind.LESSON,
        ("statement", "evidenceSource", "evidenceLocation"),
        (
            CuratedLink(Relation.COMMITMENT, Rel.ABOUT, Label.COMMITMENT),
            CuratedLink(Relation.PRACTICE, Rel.ABOUT, Label.PRACTICE),
            CuratedLink(Relation.THEME, Rel.HAS_THEME, Label.THEME),
            CuratedLink(Relation.JURISDICTION, Rel.APPLIES_TO, Label.JURISDICTION),
        ),
    ),
    CuratedKind.BODY: KindSpec(CuratedKind.BODY, (), ()),
    CuratedKind.PRACTICE: KindSpec(
        CuratedKind.PRACTICE,
        ("name", "description"),
        (
            CuratedLink(Relation.COMMITMENT, Rel.APPLIED_IN, Label.COMMITMENT),
            CuratedLink(Relation.JURISDICTION, Rel.PRACTISED_IN, Label.JURISDICTION),
            CuratedLink(Relation.STANDARD, Rel.USES_STANDARD, Label.STANDARD),
            CuratedLink(Relation.THEME, Rel.HAS_THEME, Label.THEME),
            CuratedLink(Relation.BODY, Rel.INVOLVED_IN, Label.BODY, outgoing=False),
        ),
    ),
}
