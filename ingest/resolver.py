"""One organisation, one node: every name the registers, plans and registry give, resolved to a body by a named rule.

Rules, tried in this order for each name (the first that finds a body wins):
1. `curated registry`: the name or an alias in seeds/bodies.csv (the registry's own entries).
2. `identifier <SCHEME>`: the entry carries an identifier (COPBT UID, GOV.UK slug, Wikidata, ...)
   a body already has.
3. `same name`: the same name once case, apostrophes and `&`/`and` are set aside.
4. `same words`: the same identifying words, in any order, once brackets, apostrophes,
   punctuation, filler words ("the", "of", "and", ...), legal forms ("Ltd", "Limited"), a final
   plural or possessive "s" and "Her Majesty's" (= HM) are set aside ("Crown Prosecution Service (CPS)",
   "National Archives, The", "Attorney Generals Office", "Land Registry, Her Majesty's").
5. `abbreviation`: a short all-capitals name that is the stated abbreviation of exactly one body
   (COPBT short name, GOV.UK abbreviation, a registry alias).
A department the Public Bodies Directory names as a sponsor and no register lists becomes a body
of its own (rule `first named`). A register's name in brackets of two words or more ("… (known as Historic England)") is tried
too, after the name itself (the rule then says `(bracketed name)`); not a plan's, where brackets
often name the body's parent ("Scottish Exchequer (Scottish Government)").
The local-authority register's official and short names join their council by GSS code.
Names are only joined within compatible jurisdictions: a body placed in one nation never absorbs
a body placed in another. Anything else is a new body.
"""

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.identifiers import IdentifierScheme
from graph.relationships import BODY_BASED_IN
from graph.vocabulary import BodyKind, Label
from graph.writes import GraphBatch, PropertyValue
from ingest.batches import slugify
from ingest.context import IngestContext
from ingest.duplicates import name_words
from ingest.files import TextFile
from ingest.kind import SourceKind
from ingest.names import normalise_name
from ingest.register_rows import (
    COPBT_FILE,
    GOVUK_FILE,
    ONS_FILE,
    SPONSORING_DEPARTMENT,
    WDTK_FILE,
    Entry,
    ParentClaim,
    copbt_entries,
    govuk_entries,
    ons_entries,
    wdtk_entries,
)
from ingest.registry import BODIES_FILE, Registry

NATIONS = frozenset({"england", "scotland", "wales", "northern-ireland"})
UK_PLACES = NATIONS | {"uk"}
ABBREVIATION = re.compile(r"^[A-Z][A-Za-z&]{1,9}$")
# Codes the ONS guide uses for sponsoring entities that no register gives as an abbreviation.
SPONSOR_NAMES = {
    "HO": "Home Office",
    "CO": "Cabinet Office",
    "AG": "Attorney General's Office",
    "TfL": "Transport for London",
    "SG": "Scottish Government",
    "SE": "Scottish Government",
    "WG": "Welsh Government",
    "NIA": "Northern Ireland Executive",
    "Northern Ireland Assembly": "Northern Ireland Executive",
}

READERS: dict[str, Callable[[TextFile], list[Entry]]] = {
    COPBT_FILE: copbt_entries,
    GOVUK_FILE: govuk_entries,
    WDTK_FILE: wdtk_entries,
    ONS_FILE: ons_entries,
}
# Plans and the OGP file: their bodies keep the ids those sources give them.
PLAN_FILES = (
    "uk-ogp-nap4-2019-2021.txt",
    "uk-nations-commitments.csv",
    "ogp-irm-commitments-2016.csv",
)

RULE_REGISTRY = "curated registry"
RULE_FIRST = "first named"
RULE_SAME_NAME = "same name"
RULE_SAME_WORDS = "same words"
RULE_ABBREVIATION = "abbreviation"


def rule_identifier(scheme: IdentifierScheme) -> str:
    return f"identifier {scheme.value}"


@dataclass
class Cluster:
    """One organisation: the entries resolved to it and the rule that joined each."""

    id: str
    entries: list[tuple[Entry, str]] = field(default_factory=list)
    nation: str | None = None
    owned: bool = False

    @property
    def first(self) -> Entry:
        return self.entries[0][0]

    def shared_properties(self) -> dict[str, PropertyValue]:
        """What every source naming this body writes alike: resolution; names and kind unless owned."""
        properties: dict[str, PropertyValue] = {
            "resolution": [
                json.dumps({"name": e.name, "source": e.source, "rule": rule}, sort_keys=True)
                for e, rule in self.entries
            ]
        }
        if self.owned:
            return properties
        name = self.first.name
        aliases = {
            e.name.casefold(): e.name
            for e, _ in self.entries
            if e.name.casefold() != name.casefold()
        }
        kind = next(
            (e.kind for e, _ in self.entries if e.kind != BodyKind.GOVERNMENT_BODY),
            BodyKind.GOVERNMENT_BODY,
        )
        return {**properties, "name": name, "kind": kind.value, "aliases": sorted(aliases.values())}


# Words of legal form that do not tell two organisations apart, and the honorific "Her Majesty's".
LEGAL_FORMS = frozenset({"ltd", "limited", "plc"})
HONORIFIC = re.compile(r"\bher majesty'?s\b")


def words_key(name: str) -> tuple[str, ...]:
    """Identifying words in any order, apostrophes, legal forms and "Her Majesty's" (HM) set aside.

    "Attorney General's Office" = "Attorney Generals Office"; "Land Registry, Her Majesty's" =
    "HM Land Registry"; "Student Loans Company Limited" = "Student Loans Company".
    """
    plain = HONORIFIC.sub("hm", name.replace("’", "'").casefold()).replace("'", "")
    return tuple(sorted(_singular(word) for word in name_words(plain) if word not in LEGAL_FORMS))


BRACKETED_NAME = re.compile(r"\((?:known as\s+)?([^()]+)\)")


def also_known_as(name: str) -> tuple[str, ...]:
    """Names a row gives in brackets, of two words or more: "… (known as Historic England)"."""
    return tuple(
        inner.strip()
        for inner in BRACKETED_NAME.findall(name)
        if len(inner.split()) >= 2 and inner.strip().casefold() != name.casefold()
    )


def _singular(word: str) -> str:
    """A word without a final plural or possessive s ("commissioners" = "commissioner's")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _compatible(cluster: Cluster, nation: str | None) -> bool:
    return cluster.nation is None or nation is None or cluster.nation == nation


@dataclass
class Resolution:
    """Every entry's body, and indexes to resolve further names against them."""

    clusters: list[Cluster] = field(default_factory=list)
    by_entry: dict[tuple[str, int, str], Cluster] = field(default_factory=dict)
    by_identifier: dict[tuple[IdentifierScheme, str], Cluster] = field(default_factory=dict)
    by_name: dict[tuple[str, ...], list[Cluster]] = field(default_factory=dict)
    by_words: dict[tuple[str, ...], list[Cluster]] = field(default_factory=dict)
    by_abbreviation: dict[str, list[Cluster]] = field(default_factory=dict)
    taken_ids: set[str] = field(default_factory=set)
    entries_by_source: dict[str, list[Entry]] = field(default_factory=dict)

    def match(
        self,
        name: str,
        nation: str | None = None,
        identifiers: Iterable[tuple[IdentifierScheme, str]] = (),
    ) -> tuple[Cluster, str] | None:
        """The body a name (with its identifiers) resolves to, and the rule; None if none does."""
        for scheme, value in identifiers:
            found = self.by_identifier.get((scheme, value))
            if found is not None:
                return found, rule_identifier(scheme)
        for index, key, rule in (
            (self.by_name, normalise_name(name), RULE_SAME_NAME),
            (self.by_words, words_key(name), RULE_SAME_WORDS),
        ):
            for cluster in index.get(key, []) if key else []:
                if _compatible(cluster, nation):
                    return cluster, rule
        if ABBREVIATION.match(name.strip()) and not name.strip().islower():
            candidates = [
                c
                for c in self.by_abbreviation.get(name.strip().casefold(), [])
                if _compatible(c, nation)
            ]
            if len({c.id for c in candidates}) == 1:
                return candidates[0], RULE_ABBREVIATION
        return None

    def add(self, entry: Entry, registry_rule: bool = False) -> Cluster:
        """Resolve an entry to a body (a new one if no rule finds it) and index it."""
        found = None if registry_rule else self.match(entry.name, entry.nation, entry.identifiers)
        bracketed = not (found or registry_rule or entry.owner_id)
        for other_name in also_known_as(entry.name) if bracketed else ():
            found = self.match(other_name, entry.nation)
            if found is not None:
                found = (found[0], f"{found[1]} (bracketed name)")
                break
        if found is None:
            cluster = Cluster(
                id=entry.owner_id or self._new_id(entry), owned=entry.owner_id is not None
            )
            self.clusters.append(cluster)
            rule = RULE_REGISTRY if registry_rule else RULE_FIRST
        else:
            cluster, rule = found
            if entry.owner_id is not None and not cluster.owned:
                cluster.id, cluster.owned = entry.owner_id, True
        cluster.entries.append((entry, rule))
        cluster.nation = cluster.nation or entry.nation
        self.entries_by_source.setdefault(entry.source, []).append(entry)
        self.by_entry[(entry.source, entry.line, entry.name)] = cluster
        self._index(cluster, entry)
        return cluster

    def _index(self, cluster: Cluster, entry: Entry) -> None:
        for scheme_value in entry.identifiers:
            self.by_identifier.setdefault(scheme_value, cluster)
        names = (entry.name,) if entry.owner_id else (entry.name, *also_known_as(entry.name))
        for name in names:
            for index, key in (
                (self.by_name, normalise_name(name)),
                (self.by_words, words_key(name)),
            ):
                if key and cluster not in index.setdefault(key, []):
                    index[key].append(cluster)
        for abbreviation in entry.abbreviations:
            listed = self.by_abbreviation.setdefault(abbreviation.casefold(), [])
            if cluster not in listed:
                listed.append(cluster)

    def _new_id(self, entry: Entry) -> str:
        base = f"uk-{slugify(entry.name)}"[:90].rstrip("-")
        candidates = [base, f"{base}-{entry.nation}" if entry.nation else None]
        candidates += [f"{base}-{slugify(value)}"[:100] for _, value in entry.identifiers]
        for candidate in candidates:
            if candidate and candidate not in self.taken_ids:
                self.taken_ids.add(candidate)
                return candidate
        number = 2
        while f"{base}-{number}" in self.taken_ids:
            number += 1
        self.taken_ids.add(f"{base}-{number}")
        return f"{base}-{number}"

    def cluster_of(self, entry: Entry) -> Cluster:
        return self.by_entry[(entry.source, entry.line, entry.name)]

    def parent_of(self, claim: ParentClaim, nation: str | None) -> Cluster | None:
        """The body a register names as another's parent (by identifier, name or code)."""
        if claim.identifier is not None:
            return self.by_identifier.get(claim.identifier)
        if claim.name is None:
            return None
        name = claim.name.strip()
        if name.upper().startswith("NIA:"):
            code = name.split(":", 1)[1].strip()
            found = self.match(code, "northern-ireland")
            name = code if found else "NIA"
        found = self.match(SPONSOR_NAMES.get(name, name), nation)
        return found[0] if found else None

    def resolve(self, source: str, name: str) -> tuple[str, str] | None:
        """The body id a source's name resolves to, and the rule (for tests and the quality bench)."""
        for (entry_source, _, entry_name), cluster in self.by_entry.items():
            if entry_source == source and entry_name == name:
                entry_rule = next(
                    r for e, r in cluster.entries if e.source == source and e.name == name
                )
                return cluster.id, entry_rule
        found = self.match(name)
        return (found[0].id, found[1]) if found else None


def registry_entries(registry: Registry) -> list[Entry]:
    """The curated registry's bodies, each name and alias an entry of its body."""
    entries: list[Entry] = []
    for line, body in enumerate(registry.bodies.values(), start=2):
        nation = body.jurisdiction_id if body.jurisdiction_id in NATIONS else None
        for name in (body.name, *body.aliases):
            abbreviation = (name,) if ABBREVIATION.match(name) and name.isupper() else ()
            entries.append(
                Entry(
                    BODIES_FILE,
                    line,
                    name,
                    body.kind,
                    nation,
                    abbreviations=abbreviation,
                    owner_id=body.id,
                )
            )
    return entries


def plan_entries(context: IngestContext, registry: Registry) -> list[Entry]:
    """UK bodies the plans and the OGP file name and no registry entry holds, with their ids."""
    from ingest.kinds import nation_commitments, ogp_commitments, plan_text

    builders = {
        PLAN_FILES[0]: plan_text.KIND,
        PLAN_FILES[1]: nation_commitments.KIND,
        PLAN_FILES[2]: ogp_commitments.KIND,
    }
    entries: list[Entry] = []
    for name, kind in builders.items():
        path = context.seeds_dir / name
        if not path.exists():
            continue
        batch = context.built(path, _builder(kind, context, path.name))
        places = {row.start_id: row.end_id for row in batch.relationship_rows(BODY_BASED_IN)}
        for node in batch.nodes.get(Label.BODY, {}).values():
            place = places.get(node.id)
            if node.id in registry.bodies or place not in UK_PLACES:
                continue
            line = int(node.location.split()[-1]) if node.location.split()[-1].isdigit() else 0
            aliases = node.properties.get("aliases") or []
            kind_value = str(node.properties.get("kind") or BodyKind.UNCLASSIFIED.value)
            for alias in (
                str(node.properties["name"]),
                *(aliases if isinstance(aliases, list) else []),
            ):
                entries.append(
                    Entry(
                        name, line, alias, BodyKind(kind_value),
                        place if place in NATIONS else None, owner_id=node.id,
                    )
                )  # fmt: skip
    return entries


def _builder(kind: SourceKind, context: IngestContext, name: str) -> Callable[[], GraphBatch]:
    return lambda: kind.build(context.seed_file(name), context)


def council_entries(context: IngestContext) -> list[Entry]:
    """Each current council's official and short names from the local-authority register, with its GSS code."""
    from ingest.kinds.local_authorities import read_local_authorities

    name = "uk-local-authorities.csv"
    if not (context.seeds_dir / name).exists():
        return []
    entries: list[Entry] = []
    for line, row in read_local_authorities(context.seed_file(name)):
        nation = row.nation.lower().replace(" ", "-")
        identifiers = ((IdentifierScheme.GSS, row.gss_code),) if row.gss_code else ()
        for council_name in dict.fromkeys((row.official_name, row.nice_name)):
            entries.append(
                Entry(
                    name, line, council_name, BodyKind.LOCAL_AUTHORITY,
                    nation if nation in NATIONS else None,
                    local_authority_gss=row.gss_code, identifiers=identifiers,
                )
            )  # fmt: skip
    return entries


def resolve_all(
    registry: Registry,
    registers: Sequence[list[Entry]],
    plans: list[Entry],
    councils: Sequence[Entry] = (),
) -> Resolution:
    """Resolve registry, registers (in the order given) and plan bodies into one set of bodies."""
    resolution = Resolution()
    resolution.taken_ids.update(registry.bodies)
    resolution.taken_ids.update(e.owner_id for e in plans if e.owner_id)
    for body in registry.bodies.values():
        cluster = Cluster(id=body.id, owned=True)
        resolution.clusters.append(cluster)
        cluster.nation = body.jurisdiction_id if body.jurisdiction_id in NATIONS else None
    registry_clusters = {c.id: c for c in resolution.clusters}
    for entry in registry_entries(registry):
        cluster = registry_clusters[entry.owner_id or ""]
        cluster.entries.append((entry, RULE_REGISTRY))
        resolution.by_entry[(entry.source, entry.line, entry.name)] = cluster
        resolution._index(cluster, entry)
    for entries in registers:
        for entry in entries:
            resolution.add(entry)
    for entries in registers:
        for entry in entries:
            for claim in entry.parents:
                named = claim.basis == SPONSORING_DEPARTMENT and claim.name is not None
                if named and resolution.parent_of(claim, entry.nation) is None:
                    # A department the directory names as sponsor and no register lists.
                    resolution.add(
                        Entry(entry.source, entry.line, claim.name or "", BodyKind.UK_DEPARTMENT)
                    )
    for entry in councils:
        resolution.add(entry)
    for entry in plans:
        if entry.owner_id in registry_clusters:
            continue
        resolution.add(entry)
    return resolution


Reader = Callable[[TextFile], list[Entry]]


def register_resolution(
    context: IngestContext, given: tuple[TextFile, Reader] | None = None
) -> Resolution:
    """The run's resolution over the seeds' registers, with a `given` file in place of its namesake.

    Each register is read and checked here: a bad row is refused naming its file, line and field.
    """
    files: dict[str, tuple[TextFile, Reader]] = {}
    for name, reader in READERS.items():
        if (context.seeds_dir / name).exists():
            files[name] = (context.seed_file(name), reader)
    if given is not None:
        files.pop(given[0].path.name, None)
        files = {given[0].path.name: given, **files}
        ordered = [name for name in READERS if name in files]
        ordered += [name for name in files if name not in READERS]
        files = {name: files[name] for name in ordered}
    key = "resolution:" + ",".join(f"{n}={f.checksum}" for n, (f, _) in files.items())

    def make() -> Resolution:
        registry = context.registry
        registers = [reader(file) for file, reader in files.values()]
        return resolve_all(
            registry, registers, plan_entries(context, registry), council_entries(context)
        )

    return context.memo(key, make)


def resolver_for_seeds(seeds_dir: Path) -> Resolution:
    """The resolution a full seed of `seeds_dir` computes (what the quality test measures)."""
    return register_resolution(IngestContext(seeds_dir))
