"""Who sent a request: the `Role`s a token may grant and the signed-in `Principal` (never an email)."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a signed-in person may do; each role includes the ones before it."""

    CONTRIBUTOR = "contributor"  # proposes changes
    COORDINATOR = "coordinator"  # edits, reviews, merges and reverts
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


def roles_from_claim(value: object) -> frozenset[Role]:
    """The known roles in a token's roles claim (a list, or a space-separated string).

    Names ogkg does not know (a provider's own roles) are left out.
    """
    if isinstance(value, str):
        names: list[object] = list(value.split())
    elif isinstance(value, list):
        names = value
    else:
        return frozenset()
    known = {role.value for role in Role}
    return frozenset(Role(name) for name in names if isinstance(name, str) and name in known)


@dataclass(frozen=True)
class Principal:
    """A signed-in person as a verified token names them: subject, display name and roles.

    Deliberately no email: a token's `email` claim is never read.
    """

    subject: str
    display_name: str | None
    roles: frozenset[Role]

    def has(self, role: Role) -> bool:
        """Whether one of this principal's roles is `role` or includes it (admin ⊃ coordinator ⊃ contributor)."""
        return any(held.rank >= role.rank for held in self.roles)
