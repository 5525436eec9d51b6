"""OpenTelemetry tracing, switched by `OGKG_TRACING`: a span per HTTP request, and strawberry's spans per operation and resolver."""

from collections.abc import Callable

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from strawberry.extensions import SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

from ogkg.settings import Settings

SERVICE_NAME = "ogkg"


def tracer_provider(settings: Settings) -> TracerProvider | None:
    """A tracer provider of the app's own (never the global one), or None when tracing is off.

    `otlp` sends spans over OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (OpenTelemetry's own
    variables configure the exporter); `console` prints each span as JSON on stdout.
    """
    processor: SpanProcessor
    match settings.tracing:
        case "off":
            return None
        case "console":
            processor = SimpleSpanProcessor(ConsoleSpanExporter())
        case "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            processor = BatchSpanProcessor(OTLPSpanExporter())
    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    provider.add_span_processor(processor)
    return provider


def tracing_extensions(provider: TracerProvider | None) -> list[Callable[[], SchemaExtension]]:
    """Strawberry's OpenTelemetry extension on `provider`, or nothing when tracing is off."""
    if provider is None:
        return []
    return [lambda: OpenTelemetryExtension(tracer_provider=provider)]
