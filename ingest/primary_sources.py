"""What the seeds' primary sources state, so a secondary source adds to it and never contradicts it.

The primary sources are the action plans' own texts and the OGP/IRM file. A node they state
keeps their values: a secondary source (the UK nations' files) writes only the properties they do
not state (of plans, commitments and bodies), and no second `PARTNERS_IN`/`LEADS` for a body they already link to the commitment.
Without this, two sources giving one plan two titles would overwrite each other on every seed.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.relationships import BODY_LEADS, BODY_PARTNERS_IN
from graph.vocabulary import Label
from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import read_text_file
from ingest.kind import SourceKind
from ingest.kinds import ogp_commitments, plan_text

OGP_COMMITMENTS_FILE = "ogp-irm-commitments-2016.csv"


@dataclass
class PrimaryClaims:
    """Property keys the primary sources state per node, and the bodies they link to commitments."""

    keys: dict[tuple[Label, str], frozenset[str]] = field(default_factory=dict)
    linked: set[tuple[str, str]] = field(default_factory=set)

    def unclaimed(self, label: Label, node_id: str, properties: dict[str, Any]) -> dict[str, Any]:
        claimed = self.keys.get((label, node_id), frozenset())
        return {key: value for key, value in properties.items() if key not in claimed}

    def restrict(self, batch: GraphBatch) -> None:
        """Drop from `batch` every property a primary source states for the same node."""
        for label, rows in batch.nodes.items():
            for node_id, row in rows.items():
                if (label, node_id) in self.keys:
                    properties = self.unclaimed(label, node_id, row.properties)
                    rows[node_id] = row.model_copy(update={"properties": properties})

    def links(self, body_id: str, commitment_id: str) -> bool:
        return (body_id, commitment_id) in self.linked


def primary_claims(context: IngestContext) -> PrimaryClaims:
    return context.memo("primary-claims", lambda: _read_claims(context))


def _read_claims(context: IngestContext) -> PrimaryClaims:
    claims = PrimaryClaims()
    batches = [
        _built(context, path, plan_text.KIND) for path in sorted(context.seeds_dir.glob("*.txt"))
    ]
    ogp = context.seeds_dir / OGP_COMMITMENTS_FILE
    if ogp.exists():
        batches.append(_built(context, ogp, ogp_commitments.KIND))
    for batch in batches:
        for label in (Label.ACTION_PLAN, Label.COMMITMENT, Label.BODY):
            for node_id, row in batch.nodes.get(label, {}).items():
                stated = frozenset(k for k, v in row.properties.items() if v is not None)
                claims.keys[(label, node_id)] = (
                    claims.keys.get((label, node_id), frozenset()) | stated
                )
        for spec in (BODY_LEADS, BODY_PARTNERS_IN):
            claims.linked.update((r.start_id, r.end_id) for r in batch.relationship_rows(spec))
    return claims


def _built(context: IngestContext, path: Path, kind: SourceKind) -> GraphBatch:
    return context.built(path, lambda: kind.build(read_text_file(path), context))
