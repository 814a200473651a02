"""Where eventsec lives on the web: one place for every address the tool writes into its output.

The repository is planned at ``github.com/eventsec/eventsec``; it is not yet published, so these
addresses are the intended home, kept in one module (and in ``pyproject.toml``'s
``[project.urls]``, which a test holds equal) so that moving the project changes one line.
"""

from __future__ import annotations

REPOSITORY_URL = "https://github.com/eventsec/eventsec"
"""The source repository (``informationUri`` in SARIF, ``Repository`` in the package metadata)."""

DOCS_URL = f"{REPOSITORY_URL}/blob/main/docs"
"""The documentation folder as the repository host shows it."""

ISSUES_URL = f"{REPOSITORY_URL}/issues"
"""Where users report bugs."""


def rule_help_url(rule_id: str) -> str:
    """The address of ``rule_id``'s section in docs/rules.md (its heading's anchor is the id)."""
    return f"{DOCS_URL}/rules.md#{rule_id}"
