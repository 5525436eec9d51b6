"""Benchmark: the explorer's time to first paint and to search results in Debian's Chromium, p50 over 20 loads.

Serves the real app with uvicorn in a process of its own (as `ogkg serve` does) against the Neo4j
at `--neo4j-uri` (default: NEO4J_URI, else the local one of `make neo4j-start`; seed it first:
`ogkg seed`), and for each load opens a fresh browser context (nothing cached) and measures:

- home: the search page's first contentful paint (its facets come from two GraphQL documents);
- results: a results page's first contentful paint (`/?q=participatory budgeting&jurisdiction=scotland`);
- submit: from pressing Enter in the search box to the result count on screen (the form's round trip);
- commitment: a commitment page's first contentful paint (its record, leads, lessons, `similar`).

Prints p50 and p95 of each, and each page's server time (`responseStart`) beside it.

    .venv/bin/python -m bench.explorer_paint --neo4j-uri bolt://127.0.0.1:7687
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench.api_latency import api_server

CHROMIUM = Path("/usr/bin/chromium")
WORDS = "participatory budgeting"
RESULTS = "/?q=participatory+budgeting&jurisdiction=scotland"
COMMITMENT = "/commitments/scotland-ogp-2016-2017-c4"
WARM_UP = 2
# The first contentful paint and the server's answer time of the page just loaded, in ms.
PAINT = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const navigation = performance.getEntriesByType("navigation")[0];
  return [paint ? paint.startTime : NaN, navigation.responseStart];
}"""


def paint_of(page: Page, url: str) -> tuple[float, float]:
    """Open `url` and wait for its first contentful paint; (paint, server) in ms."""
    page.goto(url)
    deadline = time.monotonic() + 30
    # Polled from here: the page's policy refuses the string evaluation `wait_for_function` uses.
    while (found := page.evaluate(PAINT))[0] != found[0]:  # NaN until painted
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not paint")
        time.sleep(0.01)
    return float(found[0]), float(found[1])


def submit(page: Page, origin: str) -> tuple[float, float]:
    """Type the words on the home page, press Enter; ms until the result count is on screen."""
    page.goto(f"{origin}/")
    page.get_by_label("Words to look for").fill(WORDS)
    started = time.perf_counter()
    page.get_by_label("Words to look for").press("Enter")
    page.locator("#result-count").wait_for()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, float(page.evaluate(PAINT)[1])


def measure(
    browser: Browser, loads: int, load: Callable[[Page], tuple[float, float]]
) -> tuple[list[float], list[float]]:
    """`loads` timings of `load`, each in a fresh browser context, after a warm-up."""
    paints, servers = [], []
    for attempt in range(WARM_UP + loads):
        context = browser.new_context()
        try:
            paint, server = load(context.new_page())
        finally:
            context.close()
        if attempt >= WARM_UP:
            paints.append(paint)
            servers.append(server)
    return paints, servers


def cuts(samples: list[float]) -> str:
    quantiles = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {quantiles[49]:7.1f} ms  p95 {quantiles[94]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neo4j-uri", default=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    parser.add_argument("--loads", type=int, default=20)
    arguments = parser.parse_args()
    with api_server(arguments.neo4j_uri) as graphql_url, sync_playwright() as playwright:
        origin = graphql_url.removesuffix("/graphql")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        cases: dict[str, Callable[[Page], tuple[float, float]]] = {
            "home (first paint)": lambda page: paint_of(page, f"{origin}/"),
            "results (first paint)": lambda page: paint_of(page, f"{origin}{RESULTS}"),
            "submit → results": lambda page: submit(page, origin),
            "commitment (first paint)": lambda page: paint_of(page, f"{origin}{COMMITMENT}"),
        }
        print(f"{arguments.loads} loads each, a fresh browser context per load")
        for name, load in cases.items():
            paints, servers = measure(browser, arguments.loads, load)
            print(f"  {name:<26} {cuts(paints)}   server answer {cuts(servers)}")
        browser.close()


if __name__ == "__main__":
    main()
