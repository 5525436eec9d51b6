"""Import mySociety's register of UK local authorities: every current one as a jurisdiction."""

import csv
import io
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.models import Source
from graph.relationships import JURISDICTION_PART_OF
from graph.vocabulary import JurisdictionLevel, Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import add_jurisdiction, line_location
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.identity import Located, distinct_ids, without_repeats
from ingest.kind import Candidate, SourceKind
from ingest.registry import Registry

LOCAL_AUTHORITIES_FILE = "uk-local-authorities.csv"

# Columns that identify this file; everything else in the register is ignored.
SIGNATURE_COLUMNS = frozenset(
    {"local-authority-code", "gss-code", "nation", "local-authority-type"}
)

Text = Annotated[str, Field(min_length=1)]


class LocalAuthorityRow(BaseModel):
    """The columns ogkg reads from the register, by their names in the file."""

    model_config = ConfigDict(extra="ignore", populate_by_name=False)

    code: Text = Field(alias="local-authority-code", pattern=r"^[A-Z0-9][A-Z0-9-]{1,9}$")
    official_name: Text = Field(alias="official-name")
    nice_name: Text = Field(alias="nice-name")
    gss_code: str | None = Field(default=None, alias="gss-code", pattern=r"^[ENSWK]\d{8}$")
    start_date: str | None = Field(default=None, alias="start-date")
    end_date: str | None = Field(default=None, alias="end-date")
    nation: Text
    region: str | None = None
    type_code: Text = Field(alias="local-authority-type")
    type_name: Text = Field(alias="local-authority-type-name")
    county: str | None = Field(default=None, alias="county-la")
    combined_authority: str | None = Field(default=None, alias="combined-authority")
    alt_names: str | None = Field(default=None, alias="alt-names")


def is_local_authority_register(header: list[str]) -> bool:
    return set(header) >= SIGNATURE_COLUMNS


def jurisdiction_id(code: str) -> str:
    return f"la-{code.lower()}"


def _aliases(row: LocalAuthorityRow) -> list[str]:
    """The official name and the register's capitalised alternative names.

    The register's lower-case alternatives are matching variants, misspellings included.
    """
    candidates = [row.official_name, *(row.alt_names or "").split(",")]
    aliases: dict[str, str] = {}
    for candidate in (name.strip() for name in candidates):
        if (
            candidate
            and candidate != candidate.lower()
            and candidate.casefold() != row.nice_name.casefold()
        ):
            aliases.setdefault(candidate.casefold(), candidate)
    return sorted(aliases.values())


def read_local_authorities(file: TextFile) -> list[tuple[int, LocalAuthorityRow]]:
    """Every current authority (no end date), validated; errors name file, line and column.

    A row the register states twice, word for word, is ingested once (and reported by the batch);
    two different rows for one code are refused, naming both lines.
    """
    reader = csv.DictReader(io.StringIO(file.text, newline=""))
    header = reader.fieldnames or []
    rows: list[tuple[int, LocalAuthorityRow]] = []
    for record in reader:
        line = reader.line_num
        if None in record or None in record.values():
            cells = len(header) + len(record.get(None) or []) - list(record.values()).count(None)
            raise IngestError(
                file.path, f"{cells} cells where the header has {len(header)}", line=line
            )
        values = {
            key: value.strip() for key, value in record.items() if key and value and value.strip()
        }
        try:
            row = LocalAuthorityRow.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else None
            raise IngestError(file.path, first["msg"], line=line, field=column) from None
        if row.end_date is None:
            rows.append((line, row))
    if not rows:
        raise IngestError(file.path, "no current local authorities in the register")
    return rows


def local_authorities_batch(file: TextFile, registry: Registry, source: Source) -> GraphBatch:
    """Each current authority, keyed by the register's own code (`la-{code}`)."""
    located, repeats = without_repeats(
        [Located(line, row) for line, row in read_local_authorities(file)],
        lambda row: row.model_dump_json(),
    )
    distinct_ids(file.path, located, lambda row: jurisdiction_id(row.code), (), "jurisdiction")
    rows = [(item.line, item.row) for item in located]
    batch = GraphBatch(source)
    batch.notes.extend(repeat.note(file.path) for repeat in repeats)
    current = {row.code for _, row in rows}
    for line, row in rows:
        location = line_location(line)
        nation_id = registry.jurisdiction_names.lookup(row.nation)
        if nation_id is None:
            raise IngestError(
                file.path, f"unknown nation {row.nation!r}", line=line, field="nation"
            )
        add_jurisdiction(batch, registry, nation_id, location)
        node_id = jurisdiction_id(row.code)
        batch.add_node(
            Label.JURISDICTION,
            NodeRow(
                id=node_id,
                properties={
                    "name": row.nice_name,
                    "level": JurisdictionLevel.LOCAL_AUTHORITY.value,
                    "aliases": _aliases(row),
                    "gssCode": row.gss_code,
                    "localAuthorityCode": row.code,
                    "authorityType": row.type_name,
                    "authorityTypeCode": row.type_code,
                    "region": row.region,
                    "startDate": row.start_date,
                },
                location=location,
            ),
        )
        parents = [nation_id]
        for parent_code in (row.county, row.combined_authority):
            if parent_code and parent_code in current and parent_code != row.code:
                parents.append(jurisdiction_id(parent_code))
        for parent_id in parents:
            batch.add_relationship(
                JURISDICTION_PART_OF,
                RelationshipRow(start_id=node_id, end_id=parent_id, location=location),
            )
    return batch


def _recognises(candidate: Candidate) -> bool:
    return candidate.is_csv and is_local_authority_register(candidate.header)


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "local authorities")
    return local_authorities_batch(file, context.registry, source)


KIND = SourceKind("local-authority register", _recognises, _build)
