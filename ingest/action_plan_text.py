"""Parse a national action plan scraped as text: the plan, its commitments table, leads and partners."""

import re
from dataclasses import dataclass

from graph.vocabulary import PartnerRole
from ingest.actors import Mention, split_actors
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.registry import Registry
from ingest.scraped_text import remove_tooltips

TITLE = re.compile(
    r"^(?P<country>.+?)\s+(?:National\s+)?Action Plan\s+(?P<start>\d{4})\s*[-–]\s*(?P<end>\d{4})\s*$"
)
ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
PLAN_NUMBER = re.compile(
    r"\b(?P<ordinal>" + "|".join(ORDINALS) + r")\s+(?:UK\s+)?National Action Plan\b", re.IGNORECASE
)
TABLE_RULE = re.compile(r"^\s*\|?\s*-{3,}\s*(\|\s*-{3,}\s*)+\|?\s*$")
NUMBERED_TITLE = re.compile(r"^(?P<number>\d+)\s*\.\s*(?P<title>.*)$")

# Table columns, recognised by words in their header; the first column holds "N. Title".
SUMMARY_COLUMN = "summary"
LEAD_COLUMN = "lead"
GOVERNMENT_COLUMN = "government"
CIVIL_SOCIETY_COLUMN = "civil_society"
COLUMN_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SUMMARY_COLUMN, ("summary",)),
    (LEAD_COLUMN, ("lead",)),
    (CIVIL_SOCIETY_COLUMN, ("cso", "civil society", "private sector")),
    (GOVERNMENT_COLUMN, ("government",)),
)
PARTNER_COLUMNS: tuple[tuple[str, PartnerRole], ...] = (
    (GOVERNMENT_COLUMN, PartnerRole.GOVERNMENT),
    (CIVIL_SOCIETY_COLUMN, PartnerRole.CIVIL_SOCIETY),
)


@dataclass(frozen=True)
class ParsedPartner:
    mention: Mention
    role: PartnerRole


@dataclass(frozen=True)
class ParsedCommitment:
    line: int
    number: int
    title: str
    summary: str | None
    leads: tuple[Mention, ...]
    partners: tuple[ParsedPartner, ...]


@dataclass(frozen=True)
class ParsedActionPlan:
    title: str
    title_line: int
    jurisdiction_id: str
    number: int
    period_start: int
    period_end: int
    commitments: tuple[ParsedCommitment, ...]


def parse_action_plan(file: TextFile, registry: Registry) -> ParsedActionPlan:
    """The plan in `file`, with every body resolved against `registry`; `IngestError` if malformed."""
    lines = [remove_tooltips(line).strip() for line in file.lines]
    title_line, title = next(((i + 1, text) for i, text in enumerate(lines) if text), (1, ""))
    title_match = TITLE.match(title)
    if title_match is None:
        raise IngestError(
            file.path,
            f"the first line should read '<Country> Action Plan YYYY-YYYY', not {title[:80]!r}",
            line=title_line,
            field="title",
        )
    jurisdiction_id = registry.jurisdiction_names.lookup(title_match["country"])
    if jurisdiction_id is None:
        raise IngestError(
            file.path,
            f"unknown jurisdiction {title_match['country']!r} (add it to seeds/jurisdictions.csv)",
            line=title_line,
            field="jurisdiction",
        )
    number_match = PLAN_NUMBER.search("\n".join(lines))
    if number_match is None:
        raise IngestError(
            file.path, "the text never says which plan this is (e.g. 'fourth National Action Plan')"
        )
    commitments = _parse_table(file, lines, registry)
    return ParsedActionPlan(
        title=title,
        title_line=title_line,
        jurisdiction_id=jurisdiction_id,
        number=ORDINALS.index(number_match["ordinal"].lower()) + 1,
        period_start=int(title_match["start"]),
        period_end=int(title_match["end"]),
        commitments=commitments,
    )


def _parse_table(
    file: TextFile, lines: list[str], registry: Registry
) -> tuple[ParsedCommitment, ...]:
    rule_index = next((i for i, text in enumerate(lines) if TABLE_RULE.match(text)), None)
    if rule_index is None or rule_index == 0 or "|" not in lines[rule_index - 1]:
        raise IngestError(
            file.path, "no commitments table (a '|' header row above a '---|---' row)"
        )
    header_line = rule_index  # 1-based line number of the header row
    columns = _column_positions(file, header_line, _cells(lines[rule_index - 1]))
    commitments: list[ParsedCommitment] = []
    seen_numbers: dict[int, int] = {}
    for index in range(rule_index + 1, len(lines)):
        text = lines[index]
        if "|" not in text:
            break
        line = index + 1
        commitment = _parse_row(file, line, _cells(text), columns, registry)
        if commitment.number in seen_numbers:
            raise IngestError(
                file.path,
                f"commitment {commitment.number} already given on line {seen_numbers[commitment.number]}",
                line=line,
                field="number",
            )
        seen_numbers[commitment.number] = line
        commitments.append(commitment)
    if not commitments:
        raise IngestError(file.path, "the commitments table has no rows", line=header_line)
    return tuple(commitments)


def _cells(row: str) -> list[str]:
    cells = [cell.strip() for cell in row.split("|")]
    if row.rstrip().endswith("|"):
        cells.pop()
    return cells


def _column_positions(file: TextFile, line: int, headers: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, header in enumerate(headers[1:], start=1):
        lowered = header.lower()
        for column, words in COLUMN_HEADERS:
            if column not in positions and any(word in lowered for word in words):
                positions[column] = index
                break
    for required in (SUMMARY_COLUMN, LEAD_COLUMN):
        if required not in positions:
            raise IngestError(file.path, f"the table has no {required} column", line=line)
    return positions


def _parse_row(
    file: TextFile, line: int, cells: list[str], columns: dict[str, int], registry: Registry
) -> ParsedCommitment:
    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    numbered = NUMBERED_TITLE.match(cells[0])
    if numbered is None:
        raise IngestError(
            file.path, "the row does not start with a commitment number ('N. Title')", line=line,
            field="number",
        )  # fmt: skip
    title = numbered["title"].strip()
    if not title:
        raise IngestError(file.path, "the commitment has no title", line=line, field="title")
    leads = split_actors(cell(LEAD_COLUMN), registry.body_names).mentions
    if not leads:
        raise IngestError(
            file.path, "the commitment has no lead organisation", line=line, field="lead"
        )
    partners: list[ParsedPartner] = []
    for column, role in PARTNER_COLUMNS:
        actors = split_actors(cell(column), registry.body_names)
        cell_role = PartnerRole.DELIVERY if actors.delivery_consortium else role
        partners.extend(ParsedPartner(mention, cell_role) for mention in actors.mentions)
    return ParsedCommitment(
        line=line,
        number=int(numbered["number"]),
        title=title,
        summary=cell(SUMMARY_COLUMN) or None,
        leads=leads,
        partners=tuple(partners),
    )
