"""The UK nations' plans files (seeds/uk-nations-*.csv): their rows, file names and the ids they share.

Ids come from the file's own identifiers: a plan is its `plan_id`; a commitment is
`{plan_id}-c{number}` (the number slugged, `2.1` → `c2-1`), or `{plan_id}-{ogp_id}` where the
position was not published, or `{plan_id}-{title's first words}` where neither was. So the UK's
4th plan (`uk-nap4`) and its commitments `uk-nap4-c{n}` are the nodes the plan's own text
makes, and a UK plan's commitment `{plan}-c{number}` is the node the OGP/IRM file makes for the
same plan and number (`Comm No`). OGP IDs (`UK0063`) are recorded as `ogpId`; the OGP/IRM file
carries none, and no id is derived from one where the number is known.
"""

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from graph.vocabulary import LessonKind, OgpMembership
from ingest.batches import slugify
from ingest.curated_csv import read_rows
from ingest.files import TextFile
from ingest.identity import Located, distinct_ids, text_hash, words_slug
from ingest.registry import Slug

PLANS_FILE = "uk-nations-plans.csv"
COMMITMENTS_FILE = "uk-nations-commitments.csv"
MILESTONES_FILE = "uk-nations-milestones.csv"
LESSONS_FILE = "uk-nations-lessons.csv"
POLICY_AREAS_FILE = "uk-nations-policy-areas.csv"

Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
Number = Annotated[str, Field(pattern=r"^\d+(\.\d+)*$")]
OgpId = Annotated[str, Field(pattern=r"^[A-Z]{2,5}\d{4}$")]
Year = Annotated[int, Field(ge=1990, le=2100)]


def split_list(cell: str | None) -> list[str]:
    """A multi-valued cell's values (the file separates them with `; `)."""
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


class PlanRow(BaseModel):
    """A row of uk-nations-plans.csv."""

    model_config = ConfigDict(extra="forbid")

    plan_id: Slug
    jurisdiction: str
    title: str
    period_start: Year
    period_end: Year
    ogp_membership: OgpMembership
    source_url: Url


class CommitmentRow(BaseModel):
    """A row of uk-nations-commitments.csv; body and policy-area cells hold `; `-separated lists."""

    model_config = ConfigDict(extra="forbid")

    plan_id: Slug
    number: Number | None = None
    ogp_id: OgpId | None = None
    title: str
    summary: str | None = None
    lead_bodies: str | None = None
    partner_bodies: str | None = None
    policy_areas: str | None = None
    source_url: Url
    verified: Annotated[str, Field(pattern=r"^(yes|partial)$")]


class MilestoneRow(BaseModel):
    """A row of uk-nations-milestones.csv: a milestone of a commitment in a year."""

    model_config = ConfigDict(extra="forbid")

    plan_id: Slug
    commitment_number: Number
    year: Year
    milestone: Annotated[str, Field(min_length=5)]
    status: str | None = None
    source_url: Url


class LessonRow(BaseModel):
    """A row of uk-nations-lessons.csv: `about` is a plan id, optionally followed by a number."""

    model_config = ConfigDict(extra="forbid")

    lesson_id: Annotated[str, Field(pattern=r"^L\d+$")]
    statement: Annotated[str, Field(min_length=20)]
    about: Annotated[str, Field(pattern=r"^[a-z0-9-]+( \d+(\.\d+)*)?$")]
    evidence_url: Url
    evidence_locator: str
    kind: LessonKind


class PolicyAreaRow(BaseModel):
    """A row of uk-nations-policy-areas.csv: a policy area and the theme it maps onto (or none)."""

    model_config = ConfigDict(extra="forbid")

    policy_area: str
    theme: Slug | None = None


def numbered_commitment_id(plan_id: str, number: str) -> str:
    return f"{plan_id}-c{slugify(number)}"


def commitment_ids(path: Path, rows: Sequence[Located[CommitmentRow]]) -> dict[int, str]:
    """Each row's commitment id, by line (see the module's docstring); clashes are refused."""

    def base(row: CommitmentRow) -> str:
        if row.number:
            return numbered_commitment_id(row.plan_id, row.number)
        if row.ogp_id:
            return f"{row.plan_id}-{row.ogp_id.lower()}"
        return f"{row.plan_id}-{words_slug(row.title)}"

    return distinct_ids(
        path,
        rows,
        base,
        (lambda row: words_slug(row.title), lambda row: text_hash(row.summary)),
        "commitment",
    )


def read_commitments(file: TextFile) -> tuple[list[Located[CommitmentRow]], dict[int, str]]:
    rows = [Located(line, row) for line, row in read_rows(file, CommitmentRow)]
    return rows, commitment_ids(file.path, rows)


def read_plans(file: TextFile) -> list[tuple[int, PlanRow]]:
    return read_rows(file, PlanRow)


def plan_number(plan_id: str) -> int | None:
    """A national plan's number, as its id gives it (`uk-nap4` → 4); none for other plans."""
    match = re.fullmatch(r"[a-z-]+-nap(\d+)", plan_id)
    return int(match.group(1)) if match else None
