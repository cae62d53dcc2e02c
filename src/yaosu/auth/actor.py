"""Who is acting: a user of a party with that party's roles, or the local system."""

from __future__ import annotations

from dataclasses import dataclass

from yaosu.auth.roles import Role


@dataclass(frozen=True)
class Actor:
    """The authenticated principal every service action receives."""

    party_id: str
    user_id: str | None
    roles: frozenset[Role]
    name: str = ""
    is_system: bool = False

    def has(self, *roles: Role) -> bool:
        """True if the actor holds any of `roles`."""
        return bool(self.roles.intersection(roles))

    @property
    def is_operator(self) -> bool:
        return Role.OPERATOR in self.roles

    @property
    def oversees(self) -> bool:
        """Operator and regulator see every party's records (supervision)."""
        return self.has(Role.OPERATOR, Role.REGULATOR)

    @property
    def is_anonymous(self) -> bool:
        return not self.roles and self.user_id is None and not self.is_system

    @classmethod
    def anonymous(cls) -> Actor:
        """A visitor who has not logged in: may call only actions registered as public."""
        return cls(party_id="", user_id=None, roles=frozenset(), name="anonymous")

    @classmethod
    def system(cls, operator_party_id: str) -> Actor:
        """The local administrator (CLI, scheduled jobs), acting for the exchange operator."""
        return cls(party_id=operator_party_id, user_id=None, roles=frozenset({Role.OPERATOR}),
                   name="system", is_system=True)
