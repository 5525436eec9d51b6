"""Undo what scraping a web page did to its text: glossary tooltips spliced into words."""

import re

# A glossary tooltip starts with a capital right after a word's last lower-case letter
# ("contractingA transparent procurement ...") and ends at the first "..." (plus an optional
# " More"); it never crosses a table cell. A fourth dot before a comma is the tooltip's own.
TOOLTIP = re.compile(r"(?<=[a-z])[A-Z][^|]{20,400}?\.\.\.(?:\.(?=,))?(?: More\b)?")
SPACES = re.compile(r"[ \t\u00a0]+")


def remove_tooltips(text: str) -> str:
    """`text` without spliced tooltip text: "Open contractingA transparent ... More data" -> "Open contracting data"."""
    return SPACES.sub(" ", TOOLTIP.sub("", text))
