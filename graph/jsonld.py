"""The JSON-LD export's vocabulary: its @context (schema.org, W3C ORG, SKOS, PROV-O, Dublin Core) and each record as a JSON-LD node object."""

from typing import Any

from graph.exports import NodeRecord, RelationshipRecord, SourceStatement, camel_case, iri_safe
from graph.vocabulary import BodyKind, Label, Rel

CONTEXT_FILE = "context.jsonld"
# ogkg's own terms and ids; an IRI needs no server behind it, and these claim no domain.
VOCABULARY = "urn:ogkg:vocabulary:"
ENTITY = "urn:ogkg:entity:"

PREFIXES = {
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ogkg": VOCABULARY,
}

# Each label's types; ogkg's own where no established vocabulary has the notion.
TYPES: dict[Label, tuple[str, ...]] = {
    Label.BODY: ("org:Organization", "schema:Organization"),
    Label.JURISDICTION: ("schema:Place", "schema:AdministrativeArea"),
    Label.THEME: ("skos:Concept",),
    Label.THEME_SCHEME: ("skos:ConceptScheme",),
    Label.SOURCE: ("prov:Entity", "schema:Dataset"),
    Label.STANDARD: ("dcterms:Standard",),
}
# Kinds of body that are part of government: schema:GovernmentOrganization.
GOVERNMENT_KINDS = frozenset(
    {
        BodyKind.UK_DEPARTMENT,
        BodyKind.GOVERNMENT_BODY,
        BodyKind.DEVOLVED_GOVERNMENT,
        BodyKind.GOVERNMENT_UNIT,
        BodyKind.REGULATOR,
        BodyKind.LOCAL_AUTHORITY,
    }
)

# A property's JSON key where it differs from the property's name, per label (None: any label).
PROPERTY_KEYS: dict[tuple[Label | None, str], str] = {
    (Label.THEME, "name"): "prefLabel",
    (Label.THEME_SCHEME, "name"): "prefLabel",
    (Label.BODY, "aliases"): "alternateName",
    (Label.JURISDICTION, "aliases"): "alternateName",
}
# A relationship's JSON key, by type and the label it starts at (None: any label).
RELATIONSHIP_KEYS: dict[tuple[Rel, Label | None], str] = {
    (Rel.PART_OF, Label.BODY): "subOrganizationOf",
    (Rel.PART_OF, Label.JURISDICTION): "containedInPlace",
    (Rel.BROADER, None): "broader",
    (Rel.IN_SCHEME, None): "inScheme",
    (Rel.HAS_THEME, None): "subject",
    (Rel.BASED_IN, None): "location",
}

# Terms from the established vocabularies; any other key is an ogkg term (@vocab).
TERMS: dict[str, str | dict[str, str]] = {
    "name": "schema:name",
    "alternateName": "schema:alternateName",
    "title": "dcterms:title",
    "description": "schema:description",
    "url": {"@id": "schema:url", "@type": "@id"},
    "publisher": "dcterms:publisher",
    "licence": "dcterms:license",
    "prefLabel": "skos:prefLabel",
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "subject": {"@id": "dcterms:subject", "@type": "@id"},
    "subOrganizationOf": {"@id": "org:subOrganizationOf", "@type": "@id"},
    "containedInPlace": {"@id": "schema:containedInPlace", "@type": "@id"},
    "location": {"@id": "schema:location", "@type": "@id"},
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
    "qualifiedDerivation": "prov:qualifiedDerivation",
    "entity": {"@id": "prov:entity", "@type": "@id"},
    "atLocation": "prov:atLocation",
}


def context_document() -> dict[str, Any]:
    """The @context file every JSON-LD export document refers to."""
    return {"@context": {"@version": 1.1, "@vocab": VOCABULARY, **PREFIXES, **TERMS}}


def entity_iri(label: Label, entity_id: str) -> str:
    return f"{ENTITY}{label.value}:{iri_safe(entity_id)}"


def _derivations(sources: tuple[SourceStatement, ...]) -> dict[str, Any]:
    """PROV-O: the sources a record was derived from, where in each, and each one's licence."""
    if not sources:
        return {}
    return {
        "wasDerivedFrom": sorted({entity_iri(Label.SOURCE, s.source_id) for s in sources}),
        "qualifiedDerivation": [
            {
                "@type": "prov:Derivation",
                "entity": entity_iri(Label.SOURCE, source.source_id),
                "atLocation": source.location,
                **({"licence": source.licence} if source.licence else {}),
            }
            for source in sources
        ],
    }


def _types(record: NodeRecord) -> list[str]:
    types = list(TYPES.get(record.label, (f"ogkg:{record.label.value}",)))
    if record.label == Label.BODY and record.properties.get("kind") in GOVERNMENT_KINDS:
        types.append("schema:GovernmentOrganization")
    return types


def node_object(record: NodeRecord) -> dict[str, Any]:
    properties = {
        PROPERTY_KEYS.get((record.label, key), PROPERTY_KEYS.get((None, key), key)): value
        for key, value in sorted(record.properties.items())
        if value is not None and value != []
    }
    return {
        "@id": entity_iri(record.label, record.id),
        "@type": _types(record),
        "identifier": record.id,
        **properties,
        **_derivations(record.sources),
    }


def relationship_key(rel: Rel, start: Label) -> str:
    return RELATIONSHIP_KEYS.get(
        (rel, start), RELATIONSHIP_KEYS.get((rel, None), camel_case(rel.value.lower()))
    )


def relationship_object(record: RelationshipRecord) -> dict[str, Any]:
    """The link from the start node to the end node (its properties and sources: CSV, NDJSON)."""
    spec = record.spec
    return {
        "@id": entity_iri(spec.start, record.start_id),
        relationship_key(spec.type, spec.start): {
            "@id": entity_iri(spec.end, record.end_id),
        },
    }


def source_object(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "@id": entity_iri(Label.SOURCE, str(row["id"])),
        "@type": list(TYPES[Label.SOURCE]),
        "identifier": row["id"],
        **{key: value for key, value in sorted(row.items()) if key != "id" and value is not None},
    }
