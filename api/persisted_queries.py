"""The optional allow-list of operations: only listed ones run, sent as text or by their hash."""

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class NotAllowedError(Exception):
    """A request for an operation the allow-list does not hold."""


class AllowListError(Exception):
    """An allow-list file that cannot be used; the message names the file and the problem."""


def document_hash(text: str) -> str:
    """The id of an operation: the SHA-256 of its text, as in Apollo's persisted queries."""
    return hashlib.sha256(text.encode()).hexdigest()


class PersistedQueries:
    """Operations by hash.

    A request names one by `extensions.persistedQuery.sha256Hash`, or sends its exact text.
    """

    def __init__(self, documents: Mapping[str, str]) -> None:
        self.documents = dict(documents)

    @classmethod
    def load(cls, path: Path) -> "PersistedQueries":
        """Read `{"<sha256>": "<operation text>", ...}`; each key must be the hash of its text."""
        try:
            loaded: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, ValueError) as error:
            raise AllowListError(f"{path}: cannot read the persisted queries: {error}") from error
        if not isinstance(loaded, dict) or not loaded:
            raise AllowListError(f"{path}: expected a JSON object of sha256 hash -> operation text")
        for key, text in loaded.items():
            if not isinstance(text, str) or document_hash(text) != key:
                raise AllowListError(
                    f"{path}: the entry {key!r} is not the sha256 of its operation text"
                )
        return cls(loaded)

    def resolve(self, query: str | None, extensions: Mapping[str, Any] | None) -> str:
        """The text to run for a request, or `NotAllowedError` with what was wrong."""
        persisted = (extensions or {}).get("persistedQuery")
        if isinstance(persisted, Mapping) and persisted.get("sha256Hash") is not None:
            key = str(persisted["sha256Hash"])
            if key not in self.documents:
                raise NotAllowedError(f"no persisted query has the hash {key!r}")
            if query is not None and query != self.documents[key]:
                raise NotAllowedError("the query text does not match its persisted hash")
            return self.documents[key]
        if query is not None and document_hash(query) in self.documents:
            return query
        raise NotAllowedError(
            "this server runs persisted queries only: send a listed operation's text, or its "
            "sha256 as extensions.persistedQuery.sha256Hash"
        )
