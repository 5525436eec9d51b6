"""Build a register's batch from the run's resolution: each row's body, its identifiers, base and parents."""

from graph.identifiers import IDENTIFIER_STORAGE
from graph.relationships import BODY_BASED_IN, BODY_PART_OF
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, PropertyValue, RelationshipRow
from ingest.batches import add_jurisdiction, line_location
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kinds.local_authorities import jurisdiction_id, read_local_authorities
from ingest.resolver import Cluster, Reader, register_resolution

LOCAL_AUTHORITIES_FILE = "uk-local-authorities.csv"


def local_authorities_by_gss(context: IngestContext) -> dict[str, str]:
    """Current local-authority jurisdictions by GSS code, from the seeds' register."""

    def make() -> dict[str, str]:
        if not (context.seeds_dir / LOCAL_AUTHORITIES_FILE).exists():
            return {}
        rows = read_local_authorities(context.seed_file(LOCAL_AUTHORITIES_FILE))
        return {row.gss_code: jurisdiction_id(row.code) for _, row in rows if row.gss_code}

    return context.memo("local-authorities-by-gss", make)


def base_of(cluster: Cluster, authorities: dict[str, str]) -> str:
    """Where a body is based: its council's area, else the nation a register places it in, else the UK."""
    for entry, _ in cluster.entries:
        if entry.local_authority_gss in authorities:
            return authorities[entry.local_authority_gss or ""]
    return cluster.nation or "uk"


def register_batch(
    file: TextFile, context: IngestContext, reader: Reader, title: str
) -> GraphBatch:
    """Every row of a register as the body it resolves to, with what this register says of it.

    Properties every register writes alike (name, kind, aliases, resolution, base) come from the
    body's cluster, so several registers confirm one node without overwriting each other; the
    rest (identifiers, classification, accountability) are this register's own.
    """
    resolution = register_resolution(context, (file, reader))
    authorities = local_authorities_by_gss(context)
    registry = context.registry
    batch = GraphBatch(context.source(file, title))
    properties: dict[str, dict[str, PropertyValue]] = {}
    locations: dict[str, str] = {}
    unresolved: list[str] = []

    def include(cluster: Cluster, location: str) -> None:
        if cluster.id in properties:
            return
        properties[cluster.id] = cluster.shared_properties()
        locations[cluster.id] = location
        if cluster.owned:
            return
        base = base_of(cluster, authorities)
        add_jurisdiction(batch, registry, base, location)
        batch.add_relationship(
            BODY_BASED_IN, RelationshipRow(start_id=cluster.id, end_id=base, location=location)
        )

    for entry in resolution.entries_by_source.get(file.path.name, []):
        cluster = resolution.cluster_of(entry)
        location = line_location(entry.line)
        include(cluster, location)
        own = {**entry.properties}
        for scheme, value in entry.identifiers:
            storage = IDENTIFIER_STORAGE[scheme]
            if storage.label == Label.BODY:
                own[storage.property] = value
        properties[cluster.id].update(own)
        for claim in entry.parents:
            parent = resolution.parent_of(claim, entry.nation)
            if parent is None:
                unresolved.append(claim.name or (claim.identifier or ("", ""))[1])
                continue
            if parent.id == cluster.id:
                continue
            include(parent, location)
            batch.add_relationship(
                BODY_PART_OF,
                RelationshipRow(
                    start_id=cluster.id, end_id=parent.id, key=claim.basis, location=location
                ),
            )
    for body_id, values in properties.items():
        batch.add_node(
            Label.BODY, NodeRow(id=body_id, properties=values, location=locations[body_id])
        )
    if unresolved:
        batch.notes.append(
            f"{file.path}: {len(unresolved)} parent name(s) match no body "
            f"(e.g. {', '.join(sorted(set(unresolved))[:5])})"
        )
    return batch
