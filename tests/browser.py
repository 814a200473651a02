"""A real browser for the static site's tests: Debian's chromium driven by Playwright's Python
package, pages opened from ``file://`` with every console message, page error and network request
recorded, and axe-core's accessibility check run in the page.

Playwright never downloads a browser here (no ``playwright install``): it launches
``/usr/bin/chromium`` (installed by .ci/system-deps, as is axe-core from npm), headless and without
the sandbox, which a root user cannot have. Requests that do not go to ``file://`` are aborted and
recorded, so a page that would reach the network fails its test instead of quietly depending on it.

Test modules take the fixtures by assignment (``browser = harness.browser``) so pytest finds them by
name and ruff sees no unused import.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Headless, sandbox-less (root), and quiet: nothing of chromium's own reaches for the network."""
VIEWPORT = {"width": 1280, "height": 900}
SERIOUS = ("serious", "critical")
"""The axe impacts a page must not have."""


@functools.cache
def axe_script() -> Path | None:
    """axe-core's ``axe.min.js`` in npm's global root, or None when npm or axe-core is missing."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False).stdout.strip()
    script = Path(root) / "axe-core" / "axe.min.js"
    return script if root and script.is_file() else None


def missing() -> str:
    """Why the browser tests cannot run here ("" when they can)."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (.ci/system-deps installs Debian's chromium)"
    if axe_script() is None:
        return "axe-core is not installed in npm's global root (.ci/system-deps installs it)"
    return ""


needs_browser = pytest.mark.skipif(bool(missing()), reason=missing() or "chromium and axe-core are installed")


@contextmanager
def launched() -> Iterator[Browser]:
    """Debian's chromium, started by Playwright for the duration of the block."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """One page opened from disk and everything it did that a static page must not do."""

    page: Page
    console: list[str] = field(default_factory=list)
    """Every console message as ``"<type>: <text>"``, in order."""
    page_errors: list[str] = field(default_factory=list)
    """Uncaught exceptions in the page's scripts."""
    requests: list[str] = field(default_factory=list)
    """Every requested URL that is not ``file://`` (each one was aborted)."""
    missing: list[str] = field(default_factory=list)
    """``file://`` URLs that did not load (a broken relative link to a stylesheet, script, image),
    with chromium's reason: the console only says "Failed to load resource", not which."""

    def problems(self) -> list[str]:
        """Console errors, page errors, network requests and files that did not load, one line each."""
        errors = [f"console {line}" for line in self.console if line.startswith("error: ")]
        return (
            errors
            + [f"page error: {message}" for message in self.page_errors]
            + [f"network request: {url}" for url in self.requests]
            + [f"not loaded: {url}" for url in self.missing]
        )


def visit(context: BrowserContext, path: Path | str) -> Visit:
    """Open ``path`` (a file, or the URL of a page on a local web server) in a new page of
    ``context`` and wait for its load event. Requests anywhere but the page's own origin (files
    for a file, that server for a URL) are recorded and aborted (the route is set per page, so it
    is in place before the first)."""
    page = context.new_page()
    seen = Visit(page)
    address = path if isinstance(path, str) else path.resolve().as_uri()
    local = "file://" if address.startswith("file://") else urljoin(address, "/")

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(local):
            route.continue_()
        else:
            seen.requests.append(url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        seen.console.append(f"{message.type}: {message.text}")

    def failed(request: Request) -> None:
        if request.url.startswith(local):
            seen.missing.append(f"{request.url} ({request.failure})")

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("requestfailed", failed)
    page.on("websocket", lambda socket: seen.requests.append(socket.url))
    page.goto(address, wait_until="load")
    return seen


@dataclass(frozen=True)
class Violation:
    """One axe rule a page breaks: the rule, how bad, its summary and the elements (CSS selectors)."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.impact} {self.rule}: {self.help} at {', '.join(self.targets)}"


_AXE_RUN = """() => axe.run(document, {resultTypes: ['violations'], preload: false}).then(result =>
    result.violations.map(v => ({rule: v.id, impact: v.impact || '', help: v.help,
                                 targets: v.nodes.map(node => node.target.join(' '))})))"""


def axe(page: Page) -> list[Violation]:
    """axe-core's violations on ``page`` as it is now, sorted by rule.

    axe.min.js is evaluated through the DevTools protocol rather than added as a ``<script>``
    element, so a page with a Content-Security-Policy that forbids inline scripts (a good policy for
    a static site) is still checked, and the injection itself leaves nothing in the console.
    ``preload: false`` because axe otherwise re-fetches the page's stylesheets with XMLHttpRequest,
    which a ``file://`` page may not do: the refusal would land in the console as an error.
    """
    script = axe_script()
    assert script is not None, missing()
    page.evaluate("source => { (0, eval)(source); }", script.read_text("utf-8"))
    found = page.evaluate(_AXE_RUN)
    violations = [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found]
    return sorted(violations, key=lambda violation: violation.rule)


def serious(violations: list[Violation]) -> list[Violation]:
    """The violations a page must not have: serious or critical impact."""
    return [violation for violation in violations if violation.impact in SERIOUS]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium for the whole module: starting it is most of a page test's time."""
    with launched() as started:
        yield started


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[Path | str], Visit]]:
    """``open_page(path) -> Visit`` in a fresh context (no cookies or storage shared between
    tests) with a 1280×900 viewport; the contexts close when the test ends."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)  # a missing element fails in seconds, not Playwright's 30
    try:
        yield functools.partial(visit, context)
    finally:
        context.close()
