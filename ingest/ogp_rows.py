"""Read the OGP/IRM commitments CSV: the columns ogkg reads, validated, IRM labels as enums."""

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from graph.vocabulary import (
    Completion,
    CompletionChange,
    OpenedGovernment,
    PotentialImpact,
    Specificity,
)
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.themes import Taxonomy

HEADER_LINE = 2  # The first line is a column index; the header is the second.
SIGNATURE_COLUMNS = frozenset({"Country", "Action Plan Number", "Comm No", "Commitment Title"})
# Personal data: never read, never stored.
CONTACT_COLUMNS = frozenset(
    {"Contact Name", "Contact Position", "Contact Email", "Contact Telephone"}
)
NO_VALUE = frozenset({"NR", "ND", "NA", "N/A", ""})
# Cell values that name no institution.
LEADING_NUMBER = re.compile(r"^\s*[\dA-Za-z]{0,3}(?:\.\d+)*\s*[.)]\s+(?=\S)")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")


def _no_value(value: object) -> object:
    if isinstance(value, str) and value.strip() in NO_VALUE:
        return None
    return value.strip() if isinstance(value, str) else value


def _enum(mapping: Mapping[str, StrEnum]) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if value is None:
            return None
        key = str(value).strip().lower()
        if key not in mapping:
            raise ValueError(f"unexpected value {value!r} (expected one of {sorted(set(mapping))})")
        return mapping[key]

    return convert


def _flag(value: object) -> object:
    if value is None:
        return None
    if value in ("0", "1"):
        return value == "1"
    raise ValueError(f"expected 0 or 1, not {value!r}")


Optional = Annotated[str | None, BeforeValidator(_no_value)]
Flag = Annotated[bool | None, BeforeValidator(_flag), BeforeValidator(_no_value)]
Year = Annotated[Annotated[int, Field(ge=1990, le=2100)] | None, BeforeValidator(_no_value)]
# The file's labels for each IRM rating, matched without regard to case.
COMPLETION_LABELS: dict[str, Completion] = {
    "a. not started": Completion.NOT_STARTED, "b. limited": Completion.LIMITED,
    "c. substantial": Completion.SUBSTANTIAL, "d. complete": Completion.COMPLETE,
    "withdrawn": Completion.WITHDRAWN, "unclear": Completion.UNCLEAR,
}  # fmt: skip
SPECIFICITY_LABELS: dict[str, Specificity] = {
    "none": Specificity.NONE, "a. low": Specificity.LOW,
    "b. medium": Specificity.MEDIUM, "c. high": Specificity.HIGH,
}  # fmt: skip
IMPACT_LABELS: dict[str, PotentialImpact] = {impact.value: impact for impact in PotentialImpact}
CHANGE_LABELS: dict[str, CompletionChange] = {
    "no change": CompletionChange.NO_CHANGE, "increase": CompletionChange.INCREASE,
    "decrease": CompletionChange.DECREASE,
}  # fmt: skip
OPENED_LABELS: dict[str, OpenedGovernment] = {
    "a. worsened": OpenedGovernment.WORSENED, "b. none": OpenedGovernment.DID_NOT_CHANGE,
    "c. marginal": OpenedGovernment.MARGINAL, "d. major": OpenedGovernment.MAJOR,
    "e. outstanding": OpenedGovernment.OUTSTANDING,
}  # fmt: skip

CompletionCell = Annotated[
    Completion | None, BeforeValidator(_enum(COMPLETION_LABELS)), BeforeValidator(_no_value)
]
SpecificityCell = Annotated[
    Specificity | None, BeforeValidator(_enum(SPECIFICITY_LABELS)), BeforeValidator(_no_value)
]
ImpactCell = Annotated[
    PotentialImpact | None, BeforeValidator(_enum(IMPACT_LABELS)), BeforeValidator(_no_value)
]
ChangeCell = Annotated[
    CompletionChange | None, BeforeValidator(_enum(CHANGE_LABELS)), BeforeValidator(_no_value)
]
OpenedCell = Annotated[
    OpenedGovernment | None, BeforeValidator(_enum(OPENED_LABELS)), BeforeValidator(_no_value)
]


class CommitmentRow(BaseModel):
    """The columns ogkg reads from one row, by their names in the file (contact columns excluded)."""

    model_config = ConfigDict(extra="forbid")

    country: str = Field(alias="Country", min_length=1)
    plan_number: int = Field(alias="Action Plan Number", ge=1, le=20)
    theme: Optional = Field(alias="Theme")
    code: Optional = Field(alias="Comm No")
    title: str = Field(alias="Commitment Title", min_length=1)
    short_title: Optional = Field(alias="Short Title")
    full_text: Optional = Field(alias="Full Text")
    start_date: Optional = Field(alias="Start Date")
    end_date: Optional = Field(alias="End Date")
    lead: Optional = Field(alias="Lead Institution")
    supporting: Optional = Field(alias="Supporting Institution(s)")
    specificity: SpecificityCell = Field(alias="Specificity")
    relevant: Flag = Field(alias="_Relevant")
    potential_impact: ImpactCell = Field(alias="Potential impact")
    completion_progress: CompletionCell = Field(alias="Completion (progress report)")
    starred_pre_2014: Flag = Field(alias="Starred (pre-June 2014 assessments)")
    starred_2015: Flag = Field(alias="Starred (2015 only)")
    starred_progress: Flag = Field(alias="Starred (current formula) progress report")
    irm_assessed: Flag = Field(alias="IRM Assessed (Y/N)?")
    year_of_submission: Year = Field(alias="Year of submission")
    progress_report_year: Year = Field(alias="Report publication year (progress report)")
    end_of_term_report_year: Year = Field(alias="Report publication year (end of term)")
    completion_end_of_term: CompletionCell = Field(alias="Completion (end of term)")
    completion_change: ChangeCell = Field(alias="Change in completion")
    opened_government: OpenedCell = Field(alias="Did it open government (end of term only)")
    starred_end_of_term: Flag = Field(alias="Starred (current formula) end of term")
    tags: dict[str, bool] = Field(default_factory=dict)


READ_COLUMNS = frozenset(
    info.alias for name, info in CommitmentRow.model_fields.items() if info.alias is not None
)


def is_ogp_commitments(first_rows: list[list[str]]) -> bool:
    return len(first_rows) >= HEADER_LINE and set(first_rows[HEADER_LINE - 1]) >= SIGNATURE_COLUMNS


def read_commitment_rows(file: TextFile, taxonomy: Taxonomy) -> Iterator[tuple[int, CommitmentRow]]:
    """Validated rows with their line numbers; the first bad cell raises, naming its column."""
    reader = csv.reader(io.StringIO(file.text, newline=""))
    next(reader, None)
    header = next(reader, None) or []
    tag_columns = taxonomy.theme_for_column()
    wanted = (READ_COLUMNS | set(tag_columns)) - CONTACT_COLUMNS
    missing = sorted(column for column in wanted if column not in header)
    if missing:
        raise IngestError(file.path, f"missing column(s): {', '.join(missing)}", line=HEADER_LINE)
    positions = {column: header.index(column) for column in wanted}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise IngestError(
                file.path, f"{len(cells)} cells where the header has {len(header)}", line=line
            )
        values: dict[str, Any] = {
            column: cells[index] for column, index in positions.items() if column in READ_COLUMNS
        }
        tags: dict[str, bool] = {}
        for column, theme_id in tag_columns.items():
            raw = cells[positions[column]].strip()
            if raw not in ("0", "1") and raw not in NO_VALUE:
                raise IngestError(
                    file.path, f"expected 0, 1 or no value, not {raw!r}", line=line, field=column
                )
            tags[theme_id] = raw == "1"
        values["tags"] = tags
        try:
            yield line, CommitmentRow.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            raise IngestError(
                file.path, first["msg"], line=line, field=_column_of(first["loc"])
            ) from None


def _column_of(location: tuple[int | str, ...]) -> str | None:
    if not location:
        return None
    info = CommitmentRow.model_fields.get(str(location[0]))
    return info.alias if info is not None and info.alias else str(location[0])


def strip_number(title: str) -> str:
    return LEADING_NUMBER.sub("", title, count=1).strip()


def leading_integer(code: str) -> int | None:
    match = re.match(r"\s*(\d+)", code)
    return int(match.group(1)) if match else None


def _year(text: str | None) -> int | None:
    match = YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _value(rating: StrEnum | None) -> str | None:
    return rating.value if rating is not None else None


def commitment_properties(row: CommitmentRow) -> dict[str, Any]:
    return {
        "number": leading_integer(row.code or ""),
        "code": row.code,
        "title": strip_number(row.title) or row.title,
        "shortTitle": strip_number(row.short_title) if row.short_title else None,
        "fullText": row.full_text,
        "startDateText": row.start_date,
        "endDateText": row.end_date,
        "startYear": _year(row.start_date),
        "endYear": _year(row.end_date),
        "irmAssessed": row.irm_assessed,
        "specificity": _value(row.specificity),
        "relevantToOgpValues": row.relevant,
        "potentialImpact": _value(row.potential_impact),
        "completionProgressReport": _value(row.completion_progress),
        "completionEndOfTerm": _value(row.completion_end_of_term),
        "completionChange": _value(row.completion_change),
        "openedGovernment": _value(row.opened_government),
        "starredPreJune2014": row.starred_pre_2014,
        "starred2015": row.starred_2015,
        "starredProgressReport": row.starred_progress,
        "starredEndOfTerm": row.starred_end_of_term,
        "yearOfSubmission": row.year_of_submission,
        "progressReportYear": row.progress_report_year,
        "endOfTermReportYear": row.end_of_term_report_year,
    }


def countries_named(file: TextFile) -> set[str]:
    """The countries the OGP file's rows name (its `Country` column), as written."""
    reader = csv.reader(io.StringIO(file.text, newline=""))
    next(reader, None)
    header = next(reader, None) or []
    if "Country" not in header:
        raise IngestError(file.path, "missing column(s): Country", line=HEADER_LINE)
    column = header.index("Country")
    return {
        cells[column].strip() for cells in reader if len(cells) > column and cells[column].strip()
    }
