"""The browser harness catches what the site's browser tests rely on it to catch: a console error,
an uncaught script error, a request to the network, serious accessibility violations — and finds
nothing on a clean page that loads its stylesheet, script and image from disk."""

from __future__ import annotations

from tests import browser as harness
from tests.conftest import FIXTURES

PAGES = FIXTURES / "browser"

browser = harness.browser
open_page = harness.open_page
pytestmark = harness.needs_browser


def test_clean_page_has_no_problem_and_no_violation(open_page) -> None:
    visit = open_page(PAGES / "clean.html")
    assert visit.problems() == []
    assert visit.page.text_content("#script-ran") == "Script ran."
    assert visit.console == ["info: page.js loaded"]
    assert visit.page.evaluate("document.images[0].naturalWidth") == 8, "the image from disk loaded"
    assert harness.axe(visit.page) == []
    assert visit.problems() == [], "running axe leaves nothing in the console"


def test_console_error_is_a_problem(open_page) -> None:
    visit = open_page(PAGES / "console-error.html")
    assert visit.problems() == ["console error: filter state lost"]


def test_uncaught_script_error_is_a_problem(open_page) -> None:
    visit = open_page(PAGES / "page-error.html")
    assert visit.page_errors, "the TypeError reached the page-error list"
    assert "null" in visit.page_errors[0]
    assert f"page error: {visit.page_errors[0]}" in visit.problems()


def test_network_request_is_recorded_and_aborted(open_page) -> None:
    visit = open_page(PAGES / "network.html")
    assert visit.requests == ["https://example.com/x.png"]
    assert "network request: https://example.com/x.png" in visit.problems()
    assert visit.page.evaluate("document.images[0].naturalWidth") == 0, "the request was aborted"


def test_axe_reports_missing_alt_and_label_as_serious(open_page) -> None:
    visit = open_page(PAGES / "inaccessible.html")
    found = harness.serious(harness.axe(visit.page))
    rules = {violation.rule: violation for violation in found}
    assert {"image-alt", "label"} <= set(rules), [str(violation) for violation in found]
    assert rules["image-alt"].targets == ("img",)
    assert rules["label"].targets == ("#owner",)
    assert rules["image-alt"].impact == "critical"
    assert "critical image-alt" in str(rules["image-alt"])


def test_missing_file_is_named(open_page) -> None:
    visit = open_page(PAGES / "missing-file.html")
    url = (PAGES / "assets" / "site.css").as_uri()
    assert visit.missing == [f"{url} (net::ERR_FILE_NOT_FOUND)"]
    assert f"not loaded: {url} (net::ERR_FILE_NOT_FOUND)" in visit.problems()


def test_axe_runs_on_a_page_that_forbids_inline_scripts(open_page) -> None:
    visit = open_page(PAGES / "csp.html")
    assert visit.page.text_content("#script-ran") == "Script ran.", "the page's own script file is allowed"
    assert harness.axe(visit.page) == []
    assert visit.page.evaluate("typeof axe") == "object"
    assert visit.problems() == [], "the policy refused nothing"
