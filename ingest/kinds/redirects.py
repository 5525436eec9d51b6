"""Read seeds/redirects.csv: ids that were published once and now answer with another entity."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from graph.models import Source
from graph.redirects import redirect_key, redirect_properties
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow
from ingest.batches import line_location
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns

REDIRECTS_FILE = "redirects.csv"

Id = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9.-]*$")]
# Entities that can be looked up by id; sources and redirects themselves never move.
REDIRECTABLE = frozenset(Label) - {Label.SOURCE, Label.REDIRECT}


class RedirectRow(BaseModel):
    """A row of seeds/redirects.csv: `from_id` of `label` now answers with `to_id`."""

    model_config = ConfigDict(extra="forbid")

    label: Label
    from_id: Id
    to_id: Id
    reason: str = Field(min_length=3)


def redirects_batch(file: TextFile, source: Source) -> GraphBatch:
    """A `Redirect` node per row; a retired id redirected twice, or to itself, is refused."""
    batch = GraphBatch(source)
    first_line: dict[str, int] = {}
    for line, row in read_rows(file, RedirectRow):
        if row.label not in REDIRECTABLE:
            raise IngestError(
                file.path, f"{row.label.value} ids never move", line=line, field="label"
            )
        if row.from_id == row.to_id:
            raise IngestError(
                file.path, "an id cannot redirect to itself", line=line, field="to_id"
            )
        key = redirect_key(row.label, row.from_id)
        if key in first_line:
            raise IngestError(
                file.path,
                f"{row.from_id!r} is already redirected on line {first_line[key]}",
                line=line,
                field="from_id",
            )
        first_line[key] = line
        batch.add_node(
            Label.REDIRECT,
            NodeRow(
                id=key,
                properties=redirect_properties(row.label, row.from_id, row.to_id, row.reason),
                location=line_location(line),
            ),
        )
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return redirects_batch(file, context.source(file, "redirects"))


KIND = SourceKind("redirects", has_columns(list(RedirectRow.model_fields)), _build)
