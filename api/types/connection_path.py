"""The GraphQL `ConnectionPath` type: how two entities are linked, step by step."""

from typing import Self

import strawberry

from graph import connections


@strawberry.type(description="An entity on a path.")
class ConnectionStep:
    id: strawberry.ID = strawberry.field(description="The entity's id.")
    label: str = strawberry.field(description="The entity's type, e.g. Body or Commitment.")
    name: str = strawberry.field(
        description="What the entity is called: its short title, name, title or statement "
        "(whichever it has first), else its id."
    )


@strawberry.type(description="The relationship between a step and the next.")
class ConnectionLink:
    type: str = strawberry.field(
        description="The relationship's type in the graph, e.g. LEADS, PART_OF or HAS_THEME."
    )
    forward: bool = strawberry.field(description="True if it points from this step to the next.")


@strawberry.type(description="One shortest path between two entities.")
class ConnectionPath:
    steps: list[ConnectionStep] = strawberry.field(
        description="The entities along the path, from the first to the last."
    )
    links: list[ConnectionLink] = strawberry.field(
        description="The relationship between each step and the next, one fewer than the steps."
    )

    @classmethod
    def from_model(cls, path: connections.Path) -> Self:
        return cls(
            steps=[
                ConnectionStep(id=strawberry.ID(s.id), label=s.label, name=s.name)
                for s in path.steps
            ],
            links=[ConnectionLink(type=link.type, forward=link.forward) for link in path.links],
        )
