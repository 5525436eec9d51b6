"""The graphql-http server audit (npm `graphql-http`) against the running API: no failures, no warnings."""

import subprocess

from ogkg.settings import PROJECT_ROOT
from tests.conftest import GraphForTests

AUDIT = PROJECT_ROOT / "conformance" / "audit.mjs"


def test_graphql_over_http_audit_passes_without_failures_or_warnings(
    graph: GraphForTests, api_url: str
) -> None:
    result = subprocess.run(
        ["node", str(AUDIT), f"{api_url}/graphql"],
        cwd=AUDIT.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary.endswith(" ok, 0 warnings, 0 MUST failures"), result.stdout
    passed = int(summary.split()[0])
    assert passed >= 50  # the audit ran its checks, not none of them
