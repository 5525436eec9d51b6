"""The one configuration object, read from `NEO4J_*` and `OGKG_*` environment variables."""

from pathlib import Path
from typing import Annotated, Literal

import limits
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Neo4jSettings(BaseSettings):
    """Where the graph lives. `NEO4J_URI` set means: use that server and start nothing."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = Field(default=None, description="Bolt or neo4j:// URI of an existing server.")
    user: str = "neo4j"
    password: str | None = None
    database: str = "neo4j"
    connection_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to open a connection."
    )
    retry_time: float = Field(
        default=3.0, ge=0, description="Seconds a transaction is retried on transient errors."
    )


class LocalNeo4jSettings(BaseSettings):
    """The Neo4j Community server that ogkg runs itself when `NEO4J_URI` is not set."""

    model_config = SettingsConfigDict(env_prefix="OGKG_NEO4J_", extra="ignore")

    version: str = "5.26.30"
    host: str = "127.0.0.1"
    port: int = Field(default=7687, ge=1, le=65535)
    heap: str = Field(default="1g", pattern=r"^\d+[mg]$", description="JVM heap, e.g. 1g.")
    page_cache_mb: int = Field(default=512, ge=16)
    transaction_memory_mb: int = Field(default=512, ge=16)
    start_timeout: float = Field(default=180.0, gt=0)
    runtime_dir: Path | None = Field(
        default=None,
        description="Folder for this server's data, log and pid file (default: OGKG_HOME/neo4j/run).",
    )

    @property
    def uri(self) -> str:
        return f"bolt://{self.host}:{self.port}"


class Settings(BaseSettings):
    """Everything ogkg reads from its environment, built once and passed down."""

    model_config = SettingsConfigDict(env_prefix="OGKG_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    home: Path = Field(
        default=PROJECT_ROOT / ".ogkg",
        description="Folder for the local Neo4j's jars, data and logs.",
    )
    seeds_dir: Path = Field(default=PROJECT_ROOT / "seeds", description="Curated data files.")
    log_level: str = "info"
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="`json`: one JSON object per log line, with the request id; `text`: time, "
        "level and message; `auto`: text on a terminal, else JSON.",
    )
    warm_up: bool = Field(
        default=True,
        description="Before answering, read the graph's statistics, fill Neo4j's page cache and "
        "plan the explorer's own queries, so the first request is as quick as the tenth.",
    )
    tracing: Literal["off", "console", "otlp"] = Field(
        default="off",
        description="OpenTelemetry tracing: `otlp` sends spans to OTEL_EXPORTER_OTLP_ENDPOINT, "
        "`console` prints them, `off` records none.",
    )
    startup_timeout: float = Field(
        default=120.0, gt=0, description="Seconds `serve` waits for Neo4j before giving up."
    )
    max_query_depth: int = Field(
        default=10, ge=2, description="Deepest selection a query may nest."
    )
    max_aliases: int = Field(default=30, ge=1, description="Most aliases one request may use.")
    max_tokens: int = Field(
        default=2000, ge=100, description="Largest GraphQL document, in tokens."
    )
    max_query_cost: int = Field(
        default=25_000,
        ge=1,
        description="Most objects one operation may build, as estimated from the graph's own "
        "statistics before it runs.",
    )
    max_response_bytes: int = Field(
        default=8_000_000,
        ge=1024,
        description="Largest answer one operation may build, in bytes, as estimated before it runs.",
    )
    statistics_ttl: float = Field(
        default=10.0,
        ge=0,
        description="Seconds the graph's statistics (for the cost estimate) are used before their "
        "counts are checked again; a changed count remeasures them.",
    )
    request_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds one GraphQL request may run, and each of its Neo4j reads (the "
        "transaction timeout); past it the request ends with error code TIMEOUT.",
    )
    export_timeout: float = Field(
        default=900.0,
        gt=0,
        description="Seconds one `/export` download may take, however slowly it is read; past it "
        "Neo4j ends its transaction and the download is cut short.",
    )
    max_exports: int = Field(
        default=4,
        ge=1,
        description="`/export` downloads one process streams at once, each holding a Neo4j "
        "connection; one more is answered 503 with Retry-After.",
    )
    compiled_reads: bool = Field(
        default=True,
        description="Answer a query whose every root field is compilable with one Cypher "
        "statement per root field (off: every field through its resolver).",
    )
    persisted_queries: Path | None = Field(
        default=None,
        description="A JSON file of allowed operations, {sha256 of the text: text}; when set, "
        "only those run.",
    )
    signing_key: Path | None = Field(
        default=None,
        description="PEM private key (Ed25519, EC P-256 or RSA) that signs and checks local tokens "
        "(default: OGKG_HOME/keys/signing-key.pem, created on first use).",
    )
    oidc_issuer: str | None = Field(
        default=None, description="Issuer (`iss`) of the OIDC provider's tokens."
    )
    oidc_audience: str | None = Field(
        default=None, description="Audience (`aud`) the OIDC provider's tokens must name."
    )
    jwks_url: str | None = Field(
        default=None,
        description="The OIDC provider's JWKS; when set, only its tokens count, not local ones.",
    )
    roles_claim: str = Field(default="roles", description="Token claim that lists the roles.")
    jwks_cache_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="Seconds a fetched JWKS is used before it is fetched again.",
    )
    jwks_min_refresh_seconds: float = Field(
        default=60.0,
        ge=0,
        description="Least seconds between JWKS fetches prompted by an unknown key id.",
    )
    require_sign_in_to_read: bool = Field(
        default=False, description="Refuse GraphQL requests without a valid token."
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body, in bytes; a larger one is refused (413) before it is "
        "read whole.",
    )
    max_query_string_bytes: int = Field(
        default=32_768,
        ge=256,
        description="Longest query string (a GET's `?query=...`), in bytes; longer is refused (414).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins that may call the API from their pages: comma-separated; "
        "`*` lets any other origin read without credentials.",
    )
    compress_min_bytes: int = Field(
        default=1024,
        ge=0,
        description="Smallest response body compressed (zstd, br or gzip, as the client accepts).",
    )
    rate_limit: str = Field(
        default="600/minute",
        description="GraphQL requests one client may send (`N/second|minute|hour`, or `off`).",
    )
    mutation_rate_limit: str = Field(
        default="60/minute",
        description="Mutations one client may send, counted besides `rate_limit` (or `off`).",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where request counts live: `memory://` (each worker its own) or a shared "
        "store such as `redis://host:6379`.",
    )
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)
    local_neo4j: LocalNeo4jSettings = Field(default_factory=LocalNeo4jSettings)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins_from_text(cls, value: object) -> object:
        """`https://a.example, https://b.example` or `*` from the environment: a list."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin != "*" and (
                not origin.startswith(("https://", "http://")) or origin.count("/") != 2
            ):
                raise ValueError(
                    f"{origin!r} is not an origin: scheme and host (and port), no path, "
                    "like https://dashboard.example.org"
                )
        return origins

    @field_validator("rate_limit", "mutation_rate_limit")
    @classmethod
    def _rate_is_understood(cls, rate: str) -> str:
        if rate.strip().lower() != "off":
            try:
                limits.parse(rate)
            except ValueError as error:
                raise ValueError(
                    f"{rate!r} is not a rate: write it like 600/minute, 10/second, or off"
                ) from error
        return rate

    @property
    def uses_local_neo4j(self) -> bool:
        return self.neo4j.uri is None

    @property
    def neo4j_uri(self) -> str:
        return self.neo4j.uri if self.neo4j.uri is not None else self.local_neo4j.uri
