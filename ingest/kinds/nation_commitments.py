"""uk-nations-commitments.csv as a source kind: commitments with their OGP IDs, leads, partners, themes.

Bodies are resolved as in the OGP/IRM import: against seeds/bodies.csv, then among the names met
in this file (a bracketed abbreviation joins "Foreign, Commonwealth and Development Office
(FCDO)" and "FCDO"); a new name becomes a body `uk-{name}` based in the UK. A lower-case entry
("third sector") describes a group, not an organisation: it is reported, never made a body.
Policy areas map onto themes by seeds/uk-nations-policy-areas.csv; areas it maps to no theme,
or does not list, are reported under the table and kept on the commitment as `policyAreas`.
"""

import re

from graph.models import Body, Source
from graph.relationships import (
    BODY_LEADS,
    BODY_PARTNERS_IN,
    COMMITMENT_HAS_THEME,
    PLAN_HAS_COMMITMENT,
)
from graph.vocabulary import Label, PartnerRole
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import add_body, line_location
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.identity import Located
from ingest.kind import SourceKind, has_columns
from ingest.names import NameIndex
from ingest.ogp_institutions import Institution, body_for, country_names
from ingest.ogp_rows import leading_integer
from ingest.primary_sources import PrimaryClaims, primary_claims
from ingest.registry import Registry
from ingest.themes import add_theme
from ingest.uk_nations import (
    PLANS_FILE,
    POLICY_AREAS_FILE,
    CommitmentRow,
    PolicyAreaRow,
    read_commitments,
    read_plans,
    split_list,
)

COUNTRY = "uk"
ABBREVIATED = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[A-Za-z&]{2,10})\)$")


def policy_area_themes(context: IngestContext) -> dict[str, str | None]:
    """The mapping table, checked against the taxonomy: policy area → theme id (None: no theme)."""
    file = context.seed_file(POLICY_AREAS_FILE)
    mapping: dict[str, str | None] = {}
    for line, row in read_rows(file, PolicyAreaRow):
        area = row.policy_area.casefold()
        if area in mapping:
            raise IngestError(file.path, f"{row.policy_area!r} is listed twice", line=line)
        if row.theme is not None and row.theme not in context.taxonomy.themes:
            raise IngestError(file.path, f"unknown theme {row.theme!r}", line=line, field="theme")
        mapping[area] = row.theme
    return mapping


def _institution(name: str, names: NameIndex) -> Institution:
    match = ABBREVIATED.match(name)
    short = match.group("short") if match and sum(c.isupper() for c in match["short"]) > 1 else None
    full = match.group("name") if short and match else name
    body_id = names.lookup(name) or names.lookup(full) or (names.lookup(short) if short else None)
    return Institution(full, body_id, short, civil_society=False)


def commitments_batch(
    file: TextFile,
    context: IngestContext,
    claims: PrimaryClaims,
    source: Source,
) -> GraphBatch:
    """Every commitment of the file; rows are read in an order of their own, never the file's."""
    registry, taxonomy = context.registry, context.taxonomy
    plans = {row.plan_id for _, row in read_plans(context.seed_file(PLANS_FILE))}
    themes = policy_area_themes(context)
    rows, ids = read_commitments(file)
    for item in rows:
        if item.row.plan_id not in plans:
            raise IngestError(
                file.path, f"unknown plan {item.row.plan_id!r}", line=item.line, field="plan_id"
            )
    ogp_lines: dict[str, int] = {}
    for item in sorted(rows, key=lambda item: item.line):
        if item.row.ogp_id and item.row.ogp_id in ogp_lines:
            raise IngestError(
                file.path,
                f"OGP ID {item.row.ogp_id} is already line {ogp_lines[item.row.ogp_id]}'s",
                line=item.line,
                field="ogp_id",
            )
        if item.row.ogp_id:
            ogp_lines[item.row.ogp_id] = item.line
    ordered = sorted(rows, key=lambda item: ids[item.line])
    batch = GraphBatch(source)
    names = country_names(registry, COUNTRY)
    discovered: dict[str, Body] = {}
    unmapped: dict[str, list[int]] = {}
    groups: dict[str, list[int]] = {}
    mentions = [
        (item, _institution(name, names), lead)
        for item in ordered
        for column, lead in (("lead_bodies", True), ("partner_bodies", False))
        for name in split_list(getattr(item.row, column))
    ]
    organisations = []
    for item, found, lead in mentions:
        if found.body_id is None and not (found.name[0].isupper() or found.name[0].isdigit()):
            groups.setdefault(found.name, []).append(item.line)
            continue
        # First pass: learn every name, so a body's name and aliases come out whole.
        body_for(registry, discovered, names, COUNTRY, found, lead=lead)
        organisations.append((item, found, lead))
    for item, found, lead in organisations:
        body = body_for(registry, discovered, names, COUNTRY, found, lead=lead)
        _add_link(batch, registry, claims, body, ids[item.line], lead=lead, line=item.line)
    for item in ordered:
        _add_commitment(batch, item, ids[item.line])
        for area in split_list(item.row.policy_areas):
            theme_id = themes.get(area.casefold())
            if theme_id is None:
                unmapped.setdefault(area, []).append(item.line)
                continue
            location = line_location(item.line)
            add_theme(batch, taxonomy, theme_id, location)
            batch.add_relationship(
                COMMITMENT_HAS_THEME,
                RelationshipRow(start_id=ids[item.line], end_id=theme_id, location=location),
            )
    claims.restrict(batch)
    batch.notes.extend(_report(file, "policy areas with no theme", unmapped))
    batch.notes.extend(_report(file, "groups, not organisations, so no body", groups))
    return batch


def _report(file: TextFile, what: str, found: dict[str, list[int]]) -> list[str]:
    """One note listing each name found and the lines it is on."""
    if not found:
        return []
    listed = "; ".join(
        f"{name} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, sorted(lines)))})"
        for name, lines in sorted(found.items(), key=lambda item: item[0].casefold())
    )
    return [f"{file.path.name}: {what}: {listed}"]


def _add_commitment(batch: GraphBatch, item: Located[CommitmentRow], commitment_id: str) -> None:
    row, location = item.row, line_location(item.line)
    properties = {
        "number": leading_integer(row.number) if row.number else None,
        "code": row.number,
        "ogpId": row.ogp_id,
        "title": row.title,
        "summary": row.summary,
        "policyAreas": split_list(row.policy_areas),
        "sourceUrl": row.source_url,
        "verified": row.verified,
    }
    batch.add_node(
        Label.COMMITMENT,
        NodeRow(
            id=commitment_id,
            properties=properties,
            location=location,
        ),
    )
    batch.add_relationship(
        PLAN_HAS_COMMITMENT,
        RelationshipRow(start_id=row.plan_id, end_id=commitment_id, location=location),
    )


def _add_link(
    batch: GraphBatch,
    registry: Registry,
    claims: PrimaryClaims,
    body: Body,
    commitment_id: str,
    *,
    lead: bool,
    line: int,
) -> None:
    """A lead or partner, unless a primary source already links the body to the commitment."""
    if claims.links(body.id, commitment_id):
        return
    location = line_location(line)
    add_body(batch, registry, body, location)
    if lead:
        batch.add_relationship(
            BODY_LEADS, RelationshipRow(start_id=body.id, end_id=commitment_id, location=location)
        )
        return
    role = PartnerRole.SUPPORTING.value
    batch.add_relationship(
        BODY_PARTNERS_IN,
        RelationshipRow(
            start_id=body.id,
            end_id=commitment_id,
            key=role,
            properties={"role": role},
            location=location,
        ),
    )


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "UK nations' commitments")
    return commitments_batch(file, context, primary_claims(context), source)


KIND = SourceKind("UK nations' commitments", has_columns(list(CommitmentRow.model_fields)), _build)
