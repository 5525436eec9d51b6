"""An OIDC provider's signing keys (JWKS): fetched, cached, refetched for an unknown key id at most so often."""

import asyncio
import logging
import time

import httpx
from jwt import PyJWK, PyJWKSet
from jwt.exceptions import PyJWKSetError

logger = logging.getLogger("ogkg.api")

ASYMMETRIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})  # never a shared secret ("oct")
SIGNATURE_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
FETCH_TIMEOUT = 5.0


class KeySetUnavailableError(Exception):
    """The JWKS could not be fetched and none is cached: no token can be checked for now."""


class Jwks:
    """The keys at `url` by key id.

    Fetched on first use and again after `max_age` seconds; a token naming a key id not in the
    set prompts a refetch (a provider's key rotation), but not sooner than `min_refresh` seconds
    after the last fetch, so made-up key ids cannot make the API hammer the provider.
    """

    def __init__(self, url: str, *, max_age: float, min_refresh: float) -> None:
        self.url = url
        self.max_age = max_age
        self.min_refresh = min_refresh
        self._attempts = 0
        self._keys: dict[str | None, PyJWK] | None = None
        self._fetched_at = 0.0  # time.monotonic() of the last fetch that gave keys
        self._tried_at = 0.0  # ... and of the last attempt
        self._lock = asyncio.Lock()

    async def key(self, key_id: str | None) -> PyJWK | None:
        """The key with this id (a set of one key also answers for no id), or None."""
        if self._due(key_id):
            async with self._lock:
                if self._due(key_id):  # another request may have fetched meanwhile
                    await self._fetch()
        if self._keys is None:
            raise KeySetUnavailableError(f"cannot fetch the signing keys from {self.url}")
        found = self._keys.get(key_id)
        if found is None and key_id is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return found

    def _due(self, key_id: str | None) -> bool:
        now = time.monotonic()
        if self._attempts and now - self._tried_at < self.min_refresh:
            return False  # asked the provider moments ago
        if self._keys is None or now - self._fetched_at >= self.max_age:
            return True
        return key_id is not None and key_id not in self._keys

    async def _fetch(self) -> None:
        self._tried_at = time.monotonic()
        self._attempts += 1
        try:
            async with httpx.AsyncClient(timeout=FETCH_TIMEOUT) as client:
                response = await client.get(self.url, headers={"accept": "application/json"})
                response.raise_for_status()
                document = response.json()
            keys = PyJWKSet.from_dict(
                {
                    "keys": [
                        key
                        for key in document.get("keys", [])
                        if isinstance(key, dict)
                        and key.get("kty") in ASYMMETRIC_KEY_TYPES
                        and key.get("use", "sig") == "sig"
                    ]
                }
            ).keys
        except (httpx.HTTPError, ValueError, AttributeError, PyJWKSetError) as error:
            logger.warning("cannot fetch the JWKS at %s: %s", self.url, error)
            return  # keep the keys we had, if any
        self._keys = {key.key_id: key for key in keys if key.algorithm_name in SIGNATURE_ALGORITHMS}
        self._fetched_at = self._tried_at
