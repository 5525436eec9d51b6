"""GraphiQL's page with its scripts and styles served by the app itself, so it works offline and behind firewalls.

Strawberry's page names pinned builds on a CDN, each with subresource integrity. The same files,
byte for byte, are in `api/static/graphiql/` (see its README); the page is rewritten to load them
from `ASSETS_PATH`, and the integrity hashes still hold.
"""

import re
from pathlib import Path

ASSETS_DIR = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/static/graphiql"

# A package file as strawberry's page names it on its CDN → the file in ASSETS_DIR with its bytes.
PACKAGE_FILES: dict[str, str] = {
    "react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
}
EXTERNAL_REFERENCE = re.compile(r"""((?:src|href)=")https?://[^/"]+/([^"]+)(")""")


class UnknownAssetError(RuntimeError):
    """Strawberry's page names an asset the app does not serve (strawberry was upgraded)."""


def page_with_local_assets(page: str) -> str:
    """Strawberry's GraphiQL page, loading every asset from the app.

    Raises `UnknownAssetError` if the page still names an outside address: a page that would
    stay blank offline is refused at start-up, not served.
    """

    def local(reference: re.Match[str]) -> str:
        attribute, package_file, quote = reference.groups()
        if package_file not in PACKAGE_FILES:
            raise UnknownAssetError(
                f"GraphiQL's page loads {package_file}; add it to api/static/graphiql/"
            )
        return f"{attribute}{ASSETS_PATH}/{PACKAGE_FILES[package_file]}{quote}"

    return EXTERNAL_REFERENCE.sub(local, page)
