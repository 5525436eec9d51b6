"""The source kinds ogkg ingests, in the order files are tried against them: a new source is a module here and a line below."""

from ingest.kind import SourceKind
from ingest.kinds import (
    bodies,
    jurisdictions,
    lessons,
    local_authorities,
    nation_commitments,
    nation_lessons,
    nation_milestones,
    nation_plans,
    ogp_commitments,
    participedia_cases,
    plan_text,
    practices,
    redirects,
    standards,
    themes,
)

SOURCE_KINDS: tuple[SourceKind, ...] = (
    plan_text.KIND,
    jurisdictions.KIND,
    bodies.KIND,
    themes.KIND,
    standards.KIND,
    practices.KIND,
    lessons.KIND,
    redirects.KIND,
    local_authorities.KIND,
    ogp_commitments.KIND,
    nation_plans.KIND,
    nation_commitments.KIND,
    nation_milestones.KIND,
    nation_lessons.KIND,
    participedia_cases.KIND,
)
