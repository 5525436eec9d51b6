"""The source kinds ogkg ingests, in the order files are tried against them: a new source is a module here and a line below."""

from ingest.kind import SourceKind
from ingest.kinds import (
    bodies,
    govuk_organisations,
    jurisdictions,
    lessons,
    local_authorities,
    nation_commitments,
    nation_lessons,
    nation_milestones,
    nation_plans,
    ogp_commitments,
    ons_classification,
    plan_text,
    practices,
    public_bodies_directory,
    redirects,
    standards,
    themes,
    whatdotheyknow,
)

SOURCE_KINDS: tuple[SourceKind, ...] = (
    govuk_organisations.KIND,  # before the plan text, which takes any file that is not a CSV
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
    public_bodies_directory.KIND,
    whatdotheyknow.KIND,
    ons_classification.KIND,
)
