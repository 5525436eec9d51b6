"""Every relationship ingest writes, declared once: its type, the labels it joins and its key."""

from graph.vocabulary import Label, Rel
from graph.writes import RelationshipSpec

JURISDICTION_PART_OF = RelationshipSpec(Rel.PART_OF, Label.JURISDICTION, Label.JURISDICTION)
BODY_BASED_IN = RelationshipSpec(Rel.BASED_IN, Label.BODY, Label.JURISDICTION)
PLAN_FOR_JURISDICTION = RelationshipSpec(
    Rel.FOR_JURISDICTION, Label.ACTION_PLAN, Label.JURISDICTION
)
PLAN_HAS_COMMITMENT = RelationshipSpec(Rel.HAS_COMMITMENT, Label.ACTION_PLAN, Label.COMMITMENT)
BODY_LEADS = RelationshipSpec(Rel.LEADS, Label.BODY, Label.COMMITMENT)
BODY_PARTNERS_IN = RelationshipSpec(Rel.PARTNERS_IN, Label.BODY, Label.COMMITMENT, "role")
COMMITMENT_HAS_THEME = RelationshipSpec(Rel.HAS_THEME, Label.COMMITMENT, Label.THEME)
THEME_IN_SCHEME = RelationshipSpec(Rel.IN_SCHEME, Label.THEME, Label.THEME_SCHEME)
THEME_BROADER = RelationshipSpec(Rel.BROADER, Label.THEME, Label.THEME)
PRACTICE_APPLIED_IN = RelationshipSpec(Rel.APPLIED_IN, Label.PRACTICE, Label.COMMITMENT)
PRACTICE_PRACTISED_IN = RelationshipSpec(Rel.PRACTISED_IN, Label.PRACTICE, Label.JURISDICTION)
BODY_INVOLVED_IN = RelationshipSpec(Rel.INVOLVED_IN, Label.BODY, Label.PRACTICE)
PRACTICE_USES_STANDARD = RelationshipSpec(Rel.USES_STANDARD, Label.PRACTICE, Label.STANDARD)
PRACTICE_HAS_THEME = RelationshipSpec(Rel.HAS_THEME, Label.PRACTICE, Label.THEME)
LESSON_ABOUT_COMMITMENT = RelationshipSpec(Rel.ABOUT, Label.LESSON, Label.COMMITMENT)
LESSON_ABOUT_PRACTICE = RelationshipSpec(Rel.ABOUT, Label.LESSON, Label.PRACTICE)
LESSON_HAS_THEME = RelationshipSpec(Rel.HAS_THEME, Label.LESSON, Label.THEME)
LESSON_APPLIES_TO = RelationshipSpec(Rel.APPLIES_TO, Label.LESSON, Label.JURISDICTION)
LESSON_EVIDENCED_BY = RelationshipSpec(Rel.EVIDENCED_BY, Label.LESSON, Label.SOURCE)
PLAN_CHAPTER_OF = RelationshipSpec(Rel.CHAPTER_OF, Label.ACTION_PLAN, Label.ACTION_PLAN)
COMMITMENT_HAS_MILESTONE = RelationshipSpec(Rel.HAS_MILESTONE, Label.COMMITMENT, Label.MILESTONE)
LESSON_ABOUT_PLAN = RelationshipSpec(Rel.ABOUT, Label.LESSON, Label.ACTION_PLAN)
# A commitment that followed on from an earlier one, where a source says so (seeds/lineage.csv).
COMMITMENT_ADAPTED_FROM = RelationshipSpec(Rel.ADAPTED_FROM, Label.COMMITMENT, Label.COMMITMENT)
# A body's parent, as a register states it; `basis` says how ("sponsoring department",
# "parent organisation", "subsidiary of", "sponsoring entity"), one relationship per basis.
BODY_PART_OF = RelationshipSpec(Rel.PART_OF, Label.BODY, Label.BODY, "basis")
