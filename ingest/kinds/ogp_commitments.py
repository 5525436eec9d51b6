"""The OGP/IRM commitments CSV as a source kind: countries, plans, commitments, bodies, themes."""

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.models import Body, Source
from graph.relationships import (
    BODY_LEADS,
    BODY_PARTNERS_IN,
    COMMITMENT_HAS_THEME,
    PLAN_FOR_JURISDICTION,
    PLAN_HAS_COMMITMENT,
    THEME_IN_SCHEME,
)
from graph.vocabulary import JurisdictionLevel, Label, PartnerRole
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import action_plan_id, add_body, add_jurisdiction, line_location, slugify
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.identity import Located, distinct_ids, text_hash, without_repeats, words_slug
from ingest.kind import Candidate, SourceKind
from ingest.ogp_institutions import (
    Institution,
    body_for,
    country_names,
    discover,
    institutions,
)
from ingest.ogp_rows import (
    CommitmentRow,
    commitment_properties,
    is_ogp_commitments,
    read_commitment_rows,
    strip_number,
)
from ingest.registry import Registry
from ingest.themes import PLAN_THEMES_SCHEME, Taxonomy, add_scheme, add_theme


@dataclass
class ParsedRow:
    line: int
    row: CommitmentRow
    leads: list[Institution] = field(default_factory=list)
    supporters: list[Institution] = field(default_factory=list)


def commitments_batch(
    file: TextFile, registry: Registry, taxonomy: Taxonomy, source: Source
) -> GraphBatch:
    """Parse every row (so one bad row refuses the file), then build the batch from the whole file.

    Rows are taken in an order of their own content, not the file's, so entity resolution, ids and
    every property come out the same however the file is ordered; only locations follow the rows.
    """
    located = [Located(line, row) for line, row in read_commitment_rows(file, taxonomy)]
    if not located:
        raise IngestError(file.path, "no commitment rows")
    rows, repeats = without_repeats(located, row_content)
    ids = commitment_ids(file.path, registry, rows)
    batch = GraphBatch(source)
    batch.notes.extend(repeat.note(file.path) for repeat in repeats)
    by_country: dict[str, list[ParsedRow]] = {}
    for item in sorted(rows, key=lambda item: reading_order(item.row)):
        by_country.setdefault(item.row.country, []).append(ParsedRow(item.line, item.row))
    for country, items in sorted(by_country.items()):
        _add_country(batch, registry, taxonomy, country, items, ids=ids)
    return batch


def reading_order(row: CommitmentRow) -> tuple[str, int, tuple[tuple[int, str], ...], str]:
    """The order rows are read in, whatever their order in the file: plan, then code, then content.

    Names learned from one row help read the next (see `_add_country`), so the order matters;
    taking the rows by plan and code reads them as the plans list them.
    """
    code = tuple(
        (int(part), "") if part.isdigit() else (0, part)
        for part in re.findall(r"\d+|[^\d\W]+", row.code or "")
    )
    return row.country, row.plan_number, code, row_content(row)


def row_content(row: CommitmentRow) -> str:
    """Everything ogkg reads from a row, as one comparable value."""
    return row.model_dump_json()


def commitment_ids(
    path: Path, registry: Registry, rows: Sequence[Located[CommitmentRow]]
) -> dict[int, str]:
    """Each row's commitment id, by line: its plan and code, qualified only where codes repeat.

    `{plan}-c{code}` where the code is the plan's only one of its kind; where a plan has no code
    for a commitment or gives one code to several, the title's first words are added, then (while
    still needed) the short title's, the full text's, and a digest of the full text. Rows still
    alike after that are refused.
    """
    by_plan: dict[str, list[Located[CommitmentRow]]] = {}
    for located in rows:
        plan_id = action_plan_id(
            ogp_country_id(registry, located.row.country), located.row.plan_number
        )
        by_plan.setdefault(plan_id, []).append(located)
    ids: dict[int, str] = {}
    for plan_id, plan_rows in by_plan.items():

        def base(row: CommitmentRow, plan_id: str = plan_id) -> str:
            if row.code:
                return f"{plan_id}-c{slugify(row.code)}"
            return f"{plan_id}-{words_slug(strip_number(row.title))}"

        ids.update(
            distinct_ids(
                path,
                plan_rows,
                base,
                (
                    lambda row: words_slug(strip_number(row.title)) if row.code else "",
                    lambda row: words_slug(strip_number(row.short_title or "")),
                    lambda row: words_slug(row.full_text),
                    lambda row: text_hash(row.full_text) if row.full_text else "",
                ),
                "commitment",
            )
        )
    return ids


def ogp_country_id(registry: Registry, country: str) -> str:
    """The jurisdiction id of a country the OGP file names: the registry's, else its name's slug."""
    return registry.jurisdiction_names.lookup(country) or slugify(country)


def _add_country(
    batch: GraphBatch,
    registry: Registry,
    taxonomy: Taxonomy,
    country: str,
    items: list[ParsedRow],
    *,
    ids: Mapping[int, str],
) -> None:
    country_id = ogp_country_id(registry, country)
    first_location = line_location(items[0].line)
    if country_id in registry.jurisdictions:
        add_jurisdiction(batch, registry, country_id, first_location)
    elif not batch.has_node(Label.JURISDICTION, country_id):
        batch.add_node(
            Label.JURISDICTION,
            NodeRow(
                id=country_id,
                properties={
                    "name": country,
                    "level": JurisdictionLevel.COUNTRY.value,
                    "aliases": [],
                },
                location=first_location,
            ),
        )
    names = country_names(registry, country_id)
    # First pass: learn "Full Name (ABBR)" pairs so a bare "ABBR" elsewhere resolves to the same body.
    discovered: dict[str, Body] = {}
    for item in items:
        for cell, lead in ((item.row.lead, True), (item.row.supporting, False)):
            for found in institutions(cell, names):
                if found.body_id is None:
                    discover(discovered, names, country_id, found, lead)
    for item in items:
        item.leads = institutions(item.row.lead, names)
        item.supporters = institutions(item.row.supporting, names)
    plan_years: dict[int, Counter[int]] = {}
    for item in items:
        row, location = item.row, line_location(item.line)
        plan_id = action_plan_id(country_id, row.plan_number)
        if not batch.has_node(Label.ACTION_PLAN, plan_id):
            batch.add_node(
                Label.ACTION_PLAN,
                NodeRow(
                    id=plan_id,
                    properties={
                        "number": row.plan_number,
                        "title": f"{registry.jurisdictions[country_id].name if country_id in registry.jurisdictions else country} OGP action plan {row.plan_number}",
                    },
                    location=location,
                ),
            )
            batch.add_relationship(
                PLAN_FOR_JURISDICTION,
                RelationshipRow(start_id=plan_id, end_id=country_id, location=location),
            )
        if row.year_of_submission is not None:
            plan_years.setdefault(row.plan_number, Counter())[row.year_of_submission] += 1
        commitment_id = ids[item.line]
        batch.add_node(
            Label.COMMITMENT,
            NodeRow(id=commitment_id, properties=commitment_properties(row), location=location),
        )
        batch.add_relationship(
            PLAN_HAS_COMMITMENT,
            RelationshipRow(start_id=plan_id, end_id=commitment_id, location=location),
        )
        for found in item.leads:
            body = body_for(registry, discovered, names, country_id, found, lead=True)
            add_body(batch, registry, body, location)
            batch.add_relationship(
                BODY_LEADS,
                RelationshipRow(start_id=body.id, end_id=commitment_id, location=location),
            )
        for found in item.supporters:
            body = body_for(registry, discovered, names, country_id, found, lead=False)
            add_body(batch, registry, body, location)
            role = PartnerRole.CIVIL_SOCIETY if found.civil_society else PartnerRole.SUPPORTING
            batch.add_relationship(
                BODY_PARTNERS_IN,
                RelationshipRow(
                    start_id=body.id,
                    end_id=commitment_id,
                    key=role.value,
                    properties={"role": role.value},
                    location=location,
                ),
            )
        for theme_id, tagged in row.tags.items():
            if tagged:
                add_theme(batch, taxonomy, theme_id, location)
                batch.add_relationship(
                    COMMITMENT_HAS_THEME,
                    RelationshipRow(start_id=commitment_id, end_id=theme_id, location=location),
                )
        if row.theme:
            theme_id = _add_plan_theme(batch, taxonomy, country_id, row.theme, location)
            batch.add_relationship(
                COMMITMENT_HAS_THEME,
                RelationshipRow(start_id=commitment_id, end_id=theme_id, location=location),
            )
    for number, years in plan_years.items():
        plan = batch.nodes[Label.ACTION_PLAN][action_plan_id(country_id, number)]
        plan.properties["periodStart"] = min(years)
        # The year most rows give; on a tie, the earliest.
        plan.properties["yearOfSubmission"] = min(years, key=lambda year: (-years[year], year))


def _add_plan_theme(
    batch: GraphBatch, taxonomy: Taxonomy, country_id: str, heading: str, location: str
) -> str:
    name = strip_number(heading) or heading
    theme_id = f"{country_id}-plan-theme-{slugify(name)}"[:100]
    if not batch.has_node(Label.THEME, theme_id):
        add_scheme(batch, taxonomy.schemes[PLAN_THEMES_SCHEME], location)
        batch.add_node(
            Label.THEME,
            NodeRow(
                id=theme_id,
                properties={"name": name, "scheme": PLAN_THEMES_SCHEME},
                location=location,
            ),
        )
        batch.add_relationship(
            THEME_IN_SCHEME,
            RelationshipRow(start_id=theme_id, end_id=PLAN_THEMES_SCHEME, location=location),
        )
    return theme_id


def _recognises(candidate: Candidate) -> bool:
    return candidate.is_csv and is_ogp_commitments(candidate.rows)


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "OGP/IRM commitments")
    return commitments_batch(file, context.registry, context.taxonomy, source)


KIND = SourceKind("OGP/IRM commitments", _recognises, _build)
