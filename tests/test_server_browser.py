"""The query page in headless Chromium (Playwright, Debian's /usr/bin/chromium): it loads
with no request leaving the server and no console error, a click on a named query shows its
rows, the editor and the question box work, and a label carrying HTML stays text."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from support import serving

from tf_graph.build.loading import load_graph
from tf_graph.server.app import create_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
XSS = '<img src=x onerror="document.body.dataset.pwned=1">'
ESCAPED_XSS = XSS.replace('"', '\\"')
EXTRA = f"""\
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/agency/xss> a tf:Agency ; rdfs:label "{ESCAPED_XSS}"@en .
"""


def _need_browser():
    reason = None
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        reason = "playwright is not installed"
    if reason is None and not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        reason = f"{CHROMIUM} not found (apt-get install chromium)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI=true")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    extra = tmp_path_factory.mktemp("data") / "xss.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    # one worker, one for short queries, no spare (nothing is stopped here): 2 graph loads
    app = create_app(functools.partial(load_graph, (extra,)), workers=1, timeout=20, spares=0)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(base, tmp_path_factory):
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        context = browser.new_context()
        page = context.new_page()
        page.requests_seen = []
        page.errors_seen = []
        page.on("request", lambda request: page.requests_seen.append(request.url))
        page.on(
            "console",
            lambda msg: page.errors_seen.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda err: page.errors_seen.append(str(err)))
        page.goto(f"{base}/")
        page.wait_for_selector("#queries li button.run")
        yield page
        out = Path(os.environ.get("TF_GRAPH_ARTEFACTS", tmp_path_factory.getbasetemp()))
        page.screenshot(path=str(out / "query-page.png"), full_page=True)
        browser.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_page_loads_with_every_named_query_and_nothing_from_elsewhere(page, base):
    from tf_graph.questions.catalogue import list_queries

    names = page.eval_on_selector_all("#queries li", "els => els.map(e => e.dataset.name)")
    assert names == [spec.name for spec in list_queries()]
    assert page.requests_seen and all(url.startswith(base) for url in page.requests_seen)
    assert page.errors_seen == []


def test_click_on_a_named_query_shows_its_rows(page, base):
    from tf_graph.questions.run import run_query

    expected = run_query(load_graph(), "agencies-by-topic")
    page.click('button[data-query="agencies-by-topic"]')
    expect(page.locator("#results-title")).to_have_text(expected.spec.title)
    rows = page.locator("#results-table tbody tr")
    expect(rows).to_have_count(len(expected.rows))
    headers = page.eval_on_selector_all("#results-table th", "els => els.map(e => e.textContent)")
    assert headers == expected.vars
    first_agency = rows.nth(0).locator("td").nth(0)
    link = first_agency.locator("a")
    agency = str(expected.rows[0]["agency"])  # the graph's IRIs open their page here
    assert link.get_attribute("href") == "/id/" + agency.removeprefix(
        "https://w3id.org/tf-graph/id/"
    )
    assert link.get_attribute("title") == agency
    assert link.text_content() == expected.labels.get(str(expected.rows[0]["agency"]))
    assert all(url.startswith(base) for url in page.requests_seen)


def test_parameter_field_changes_the_answer(page):
    item = page.locator('#queries li[data-name="agencies-by-topic"]')
    item.locator('input[name="topic"]').fill("sex trafficking")
    from tf_graph.questions.run import run_query

    expected = run_query(load_graph(), "agencies-by-topic", {"topic": "sex trafficking"})
    item.locator("button.run").click()
    count = len(expected.rows)
    expect(page.locator("#status")).to_have_text(f"{count} row{'' if count == 1 else 's'}")
    expect(page.locator("#results-table tbody tr")).to_have_count(len(expected.rows))
    item.locator('input[name="topic"]').fill("no such topic at all")
    before = len(page.errors_seen)
    item.locator("button.run").click()
    expect(page.locator("#status.error")).to_contain_text("unknown topic")
    # the browser logs the refused request itself; nothing else may go wrong
    assert page.errors_seen[before:] == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    del page.errors_seen[before:]


def test_editor_runs_a_query_and_html_in_data_stays_text(page):
    page.fill(
        "#editor",
        "PREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?agency ?label WHERE { ?agency a tf:Agency ; rdfs:label ?label } ORDER BY ?label",
    )
    page.click("#editor-form button[type=submit]")
    expect(page.locator("#results-title")).to_have_text("Results")
    expect(page.locator("#results-table th").first).to_have_text("agency")
    cells = page.eval_on_selector_all(
        "#results-table tbody td:nth-child(2)", "els => els.map(e => e.textContent)"
    )
    assert XSS in cells
    assert page.locator("#results img").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None


def test_question_box_answers(page):
    page.fill("#ask-input", "Which agencies touch forced labor?")
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector("#answer-summary")
    summary = page.locator("#answer-summary").text_content()
    assert "Department of Homeland Security" in summary
    assert page.errors_seen == []


def test_network_page_is_served_and_draws_offline(page, base):
    pytest.importorskip("tf_graph.viz.visualisation")
    before = len(page.requests_seen)
    page.goto(f"{base}/graph")
    page.wait_for_selector("canvas", timeout=30_000)
    assert all(url.startswith(base) for url in page.requests_seen[before:])
    assert page.errors_seen == []
    page.goto(f"{base}/")
