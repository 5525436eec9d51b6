"""Read a curated CSV file into validated pydantic rows, naming file, line and field on error; check its ids."""

import csv
import io
from collections.abc import Container
from typing import Annotated, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from graph.writes import GraphBatch, RelationshipRow, RelationshipSpec
from ingest.errors import IngestError
from ingest.files import TextFile

RowModel = TypeVar("RowModel", bound=BaseModel)


def read_rows(file: TextFile, model: type[RowModel]) -> list[tuple[int, RowModel]]:
    """Each data row as (line number, validated model); empty cells are passed as missing."""
    reader = csv.DictReader(io.StringIO(file.text, newline=""), strict=True)
    expected = [name for name in model.model_fields]
    header = reader.fieldnames or []
    missing = [name for name in expected if name not in header]
    if missing:
        raise IngestError(file.path, f"missing column(s): {', '.join(missing)}", line=1)
    unknown = [name for name in header if name not in expected]
    if unknown:
        raise IngestError(file.path, f"unknown column(s): {', '.join(unknown)}", line=1)
    rows: list[tuple[int, RowModel]] = []
    line = 1
    try:
        for record in reader:
            line = reader.line_num
            if None in record:
                raise IngestError(file.path, "more cells than columns", line=line)
            values = {
                key: value.strip() for key, value in record.items() if value and value.strip()
            }
            try:
                rows.append((line, model.model_validate(values)))
            except ValidationError as error:
                first = error.errors()[0]
                field = ".".join(str(part) for part in first["loc"]) or None
                raise IngestError(file.path, first["msg"], line=line, field=field) from None
    except csv.Error as error:
        raise IngestError(file.path, f"malformed CSV: {error}", line=reader.line_num) from None
    if not rows:
        raise IngestError(file.path, "no data rows")
    return rows


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


Ids = Annotated[
    tuple[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")], ...], BeforeValidator(_split_ids)
]


def check_known(
    file: TextFile,
    line: int,
    column: str,
    ids: tuple[str, ...],
    known: Container[str],
) -> None:
    for item in ids:
        if item not in known:
            raise IngestError(file.path, f"unknown id {item!r}", line=line, field=column)


def link(
    batch: GraphBatch,
    spec: RelationshipSpec,
    start_id: str,
    end_ids: tuple[str, ...],
    location: str,
) -> None:
    """Relate one curated node to each of the ids a list column names."""
    for end_id in end_ids:
        batch.add_relationship(
            spec, RelationshipRow(start_id=start_id, end_id=end_id, location=location)
        )
