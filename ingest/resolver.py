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
6. `equivalent words`: the same words once the equivalences of seeds/word-equivalences.csv are
   applied ("NI" = "Northern Ireland").
7. `NHS board`: "NHS X Board" (the ONS guide's name of a health board) = "NHS X".
8. `council name`: a local authority's official, short or other name (local-authority register)
   followed by a council type ("Council", "City Council", "Metropolitan Borough Council", ...)
   is that authority's council, in its nation ("Kingston upon Hull City Council").
9. `same letters`: the same letters once spaces and punctuation are set aside ("VisitScotland").
A department the Public Bodies Directory names as a sponsor and no register lists becomes a body
of its own (rule `first named`). A register's name in brackets of two words or more ("… (known as Historic England)") is tried
too, after the name itself (the rule then says `(bracketed name)`); not a plan's, where brackets
often name the body's parent ("Scottish Exchequer (Scottish Government)").
The local-authority register's official and short names join their council by GSS code.
Names are only joined within compatible jurisdictions: a body placed in one nation never absorbs
a body placed in another. Anything else is a new body.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from graph.duplicates import name_words
from graph.identifiers import IdentifierScheme
from graph.relationships import BODY_BASED_IN
from graph.vocabulary import BodyKind, Label
from graph.writes import GraphBatch, PropertyValue
from ingest.batches import slugify
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
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
RULE_EQUIVALENT_WORDS = "equivalent words"
RULE_NHS_BOARD = "NHS board"
RULE_COUNCIL_NAME = "council name"
RULE_SAME_LETTERS = "same letters"
WORD_EQUIVALENCES_FILE = "word-equivalences.csv"
# The council types that follow an authority's name in a council's name, longest first.
COUNCIL_TYPES = (
    "metropolitan borough council",
    "county borough council",
    "district council",
    "borough council",
    "county council",
    "city council",
    "council",
)
NHS_BOARD = re.compile(r"^\s*(NHS\b.*?)\s+Board\s*$", re.IGNORECASE)


class WordEquivalenceRow(BaseModel):
    """A row of seeds/word-equivalences.csv: words body names write, the words they stand for."""

    model_config = ConfigDict(extra="forbid")

    words: str
    same_as: str
    why: str


# Word sequences (as name_words gives them) and the word sequence each stands for.
Equivalences = dict[tuple[str, ...], tuple[str, ...]]


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


def equivalent_words_key(name: str, equivalences: Equivalences) -> tuple[str, ...]:
    """`words_key` once each equivalent word sequence is replaced by the one it stands for."""
    words = list(
        name_words(HONORIFIC.sub("hm", name.replace("’", "'").casefold()).replace("'", ""))
    )
    replaced: list[str] = []
    position = 0
    while position < len(words):
        for phrase, same_as in equivalences.items():
            if tuple(words[position : position + len(phrase)]) == phrase:
                replaced.extend(same_as)
                position += len(phrase)
                break
        else:
            replaced.append(words[position])
            position += 1
    return tuple(sorted(_singular(word) for word in replaced if word not in LEGAL_FORMS))


def nhs_board_key(name: str) -> tuple[str, ...]:
    """The words of an NHS name without a final "Board"; () for a name that is not NHS."""
    found = NHS_BOARD.match(name)
    if found is not None:
        return words_key(found.group(1))
    return words_key(name) if name.strip().upper().startswith("NHS ") else ()


def letters_key(name: str) -> tuple[str, ...]:
    """The name's identifying letters with spaces set aside ("Visit Scotland" = "VisitScotland")."""
    letters = "".join(name_words(name.replace("’", "'").replace("'", "")))
    return (letters,) if len(letters) >= 6 else ()


def council_authority_name(name: str) -> str | None:
    """The authority's name in a council's name ("Cardiff" of "Cardiff Council"); None if no council type ends it."""
    plain = " ".join(name.split())
    for council_type in COUNCIL_TYPES:
        if plain.casefold().endswith(" " + council_type):
            return plain[: -len(council_type) - 1]
    return None


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
    equivalences: Equivalences = field(default_factory=dict)
    by_equivalent_words: dict[tuple[str, ...], list[Cluster]] = field(default_factory=dict)
    by_nhs_board: dict[tuple[str, ...], list[Cluster]] = field(default_factory=dict)
    by_letters: dict[tuple[str, ...], list[Cluster]] = field(default_factory=dict)
    # Each local authority's names (official, short, other) by words: (GSS code, nation).
    authorities: dict[tuple[str, ...], set[tuple[str, str | None]]] = field(default_factory=dict)
    # The words of the names of councils the register says have ended ("Dorset County Council"):
    # such a name is never read as its successor's ("Dorset Council").
    ended_councils: set[tuple[str, ...]] = field(default_factory=set)
    # The words of the local-authority register's council names (these join by `same words`).
    council_names: set[tuple[str, ...]] = field(default_factory=set)

    def council_gss(self, name: str, nation: str | None) -> tuple[str, str | None] | None:
        """The GSS code and nation of the one authority whose council the name names, if one."""
        authority = council_authority_name(name)
        if authority is None or words_key(name) in self.ended_councils:
            return None
        found = {
            (gss, place)
            for gss, place in self.authorities.get(words_key(authority), set())
            if nation is None or place is None or place == nation
        }
        return next(iter(found)) if len(found) == 1 else None

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
        for index, key, rule in (
            (
                self.by_equivalent_words,
                equivalent_words_key(name, self.equivalences),
                RULE_EQUIVALENT_WORDS,
            ),
            (self.by_nhs_board, nhs_board_key(name), RULE_NHS_BOARD),
        ):
            for cluster in index.get(key, []) if key else []:
                if _compatible(cluster, nation):
                    return cluster, rule
        council = self.council_gss(name, nation)
        if council is not None:
            found = self.by_identifier.get((IdentifierScheme.GSS, council[0]))
            if found is not None and _compatible(found, council[1]):
                return found, RULE_COUNCIL_NAME
        key = letters_key(name)
        for cluster in self.by_letters.get(key, []) if key else []:
            if _compatible(cluster, nation):
                return cluster, RULE_SAME_LETTERS
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
                (self.by_equivalent_words, equivalent_words_key(name, self.equivalences)),
                (self.by_nhs_board, nhs_board_key(name)),
                (self.by_letters, letters_key(name)),
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

    def waits_for_its_council(self, entry: Entry) -> bool:
        """Whether a register's council name names an authority whose council is not resolved yet."""
        if entry.owner_id is not None:
            return False
        council = self.council_gss(entry.name, entry.nation)
        return (
            council is not None
            and words_key(entry.name) not in self.council_names
            and (IdentifierScheme.GSS, council[0]) not in self.by_identifier
            and self.match(entry.name, entry.nation, entry.identifiers) is None
        )

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


def word_equivalences(context: IngestContext) -> Equivalences:
    """seeds/word-equivalences.csv as word sequences; a row whose words give no words is refused."""
    path = context.seeds_dir / WORD_EQUIVALENCES_FILE
    if not path.exists():
        return {}
    file = context.seed_file(WORD_EQUIVALENCES_FILE)
    equivalences: Equivalences = {}
    for line, row in read_rows(file, WordEquivalenceRow):
        for column, value in (("words", row.words), ("same_as", row.same_as)):
            if not name_words(value.casefold()):
                raise IngestError(file.path, "no identifying words", line=line, field=column)
        equivalences[name_words(row.words.casefold())] = name_words(row.same_as.casefold())
    return equivalences


def authority_names(context: IngestContext) -> list[tuple[str, str, str | None]]:
    """Every current local authority's official, short and other names, with its GSS code and nation."""
    from ingest.kinds.local_authorities import read_local_authorities

    name = "uk-local-authorities.csv"
    if not (context.seeds_dir / name).exists():
        return []
    names: list[tuple[str, str, str | None]] = []
    for _, row in read_local_authorities(context.seed_file(name)):
        if not row.gss_code:
            continue
        nation = row.nation.lower().replace(" ", "-")
        others = [other.strip() for other in (row.alt_names or "").split(",") if other.strip()]
        for authority in dict.fromkeys((row.official_name, row.nice_name, *others)):
            names.append((authority, row.gss_code, nation if nation in NATIONS else None))
    return names


def ended_council_names(context: IngestContext) -> list[str]:
    """The official and other names of the authorities the local-authority register says have ended."""
    name = "uk-local-authorities.csv"
    if not (context.seeds_dir / name).exists():
        return []
    reader = csv.DictReader(io.StringIO(context.seed_file(name).text, newline=""))
    names: list[str] = []
    for record in reader:
        if (record.get("end-date") or "").strip():
            others = (record.get("alt-names") or "").split(",")
            names += [n.strip() for n in (record.get("official-name") or "", *others) if n.strip()]
    return names


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
    *,
    equivalences: Equivalences | None = None,
    authority_names: Sequence[tuple[str, str, str | None]] = (),
    ended_councils: Iterable[str] = (),
) -> Resolution:
    """Resolve registry, registers (in the order given) and plan bodies into one set of bodies.

    `authority_names` are (name, GSS code, nation) of every current local authority, and
    `ended_councils` the names of ended ones, for `council name`.
    """
    resolution = Resolution(equivalences=dict(equivalences or {}))
    for authority, gss, nation in authority_names:
        key = words_key(authority)
        if key:
            resolution.authorities.setdefault(key, set()).add((gss, nation))
    resolution.ended_councils.update(words_key(name) for name in ended_councils)
    resolution.council_names.update(words_key(entry.name) for entry in councils)
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
    # A register's council name waits for the local-authority register, so that the council keeps
    # the id and first name it has without the register and the name joins it by `council name`.
    waiting: list[Entry] = []
    for entries in registers:
        for entry in entries:
            if resolution.waits_for_its_council(entry):
                waiting.append(entry)
            else:
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
    for entry in (*councils, *waiting):
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
            registry,
            registers,
            plan_entries(context, registry),
            council_entries(context),
            equivalences=word_equivalences(context),
            authority_names=authority_names(context),
            ended_councils=ended_council_names(context),
        )

    return context.memo(key, make)


def resolver_for_seeds(seeds_dir: Path) -> Resolution:
    """The resolution a full seed of `seeds_dir` computes (what the quality test measures)."""
    return register_resolution(IngestContext(seeds_dir))
