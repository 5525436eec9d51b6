"""The peer benchmark's @neo4j/graphql type definitions mirror the graph ogkg writes."""

from graphql import (
    ArgumentNode,
    ConstDirectiveNode,
    DocumentNode,
    FieldDefinitionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    StringValueNode,
    TypeNode,
    parse,
)
from graphql.language import ListTypeNode, NamedTypeNode, NonNullTypeNode

from graph import relationships
from graph.vocabulary import Label, Rel
from graph.writes import RelationshipSpec
from ogkg.settings import PROJECT_ROOT

TYPE_DEFINITIONS = PROJECT_ROOT / "bench" / "peer" / "schema.graphql"


def written_relationships() -> set[tuple[Rel, Label, Label]]:
    specs = [spec for spec in vars(relationships).values() if isinstance(spec, RelationshipSpec)]
    return {(spec.type, spec.start, spec.end) for spec in specs}


def key_properties() -> dict[tuple[Rel, Label, Label], str]:
    """The key property of each relationship that has one, by type and the labels it joins."""
    specs = [spec for spec in vars(relationships).values() if isinstance(spec, RelationshipSpec)]
    return {
        (spec.type, spec.start, spec.end): spec.key_property for spec in specs if spec.key_property
    }


def directive(
    node: ObjectTypeDefinitionNode | FieldDefinitionNode, name: str
) -> ConstDirectiveNode | None:
    return next((d for d in node.directives or () if d.name.value == name), None)


def argument(node: ConstDirectiveNode, name: str) -> ArgumentNode:
    return next(a for a in node.arguments or () if a.name.value == name)


def named(type_node: TypeNode) -> str:
    while isinstance(type_node, NonNullTypeNode | ListTypeNode):
        type_node = type_node.type
    assert isinstance(type_node, NamedTypeNode)
    return type_node.name.value


def object_types(document: DocumentNode) -> list[ObjectTypeDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, ObjectTypeDefinitionNode)]


def node_labels(document: DocumentNode) -> dict[str, str]:
    """Each @node type's name and the one label it reads."""
    labels = {}
    for definition in object_types(document):
        node = directive(definition, "node")
        if node is None:
            continue
        value = argument(node, "labels").value
        assert isinstance(value, ListValueNode) and len(value.values) == 1
        assert isinstance(value.values[0], StringValueNode)
        labels[definition.name.value] = value.values[0].value
    return labels


def test_each_node_type_reads_a_label_of_the_vocabulary() -> None:
    labels = node_labels(parse(TYPE_DEFINITIONS.read_text(encoding="utf-8")))
    assert {Label.COMMITMENT, Label.ACTION_PLAN, Label.BODY, Label.JURISDICTION} <= set(
        labels.values()
    )
    assert set(labels.values()) <= {label.value for label in Label}


def test_each_relationship_field_follows_a_relationship_ingest_writes_in_its_direction() -> None:
    document = parse(TYPE_DEFINITIONS.read_text(encoding="utf-8"))
    labels = node_labels(document)
    properties = {
        d.name.value: {f.name.value for f in d.fields or ()}
        for d in object_types(document)
        if directive(d, "relationshipProperties")
    }
    written, keyed = written_relationships(), key_properties()
    checked = []
    for definition in object_types(document):
        for field in definition.fields or ():
            found = directive(field, "relationship")
            if found is None:
                continue
            type_value = argument(found, "type").value
            assert isinstance(type_value, StringValueNode)
            rel = Rel(type_value.value)
            here, there = Label(labels[definition.name.value]), Label(labels[named(field.type)])
            direction = getattr(argument(found, "direction").value, "value", None)
            start, end = (here, there) if direction == "OUT" else (there, here)
            assert direction in {"OUT", "IN"}
            assert (rel, start, end) in written, f"{definition.name.value}.{field.name.value}"
            if (rel, start, end) in keyed:  # its key property is readable on the edge
                edge = argument(found, "properties").value
                assert isinstance(edge, StringValueNode)
                assert keyed[rel, start, end] in properties[edge.value]
            checked.append(rel)
    assert {Rel.HAS_COMMITMENT, Rel.LEADS, Rel.PARTNERS_IN, Rel.HAS_THEME, Rel.BASED_IN} <= set(
        checked
    )
