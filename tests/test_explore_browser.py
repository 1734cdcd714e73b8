"""Exploring in headless Chromium (Playwright, Debian's chromium), offline: the network page
opens on the overview and expands on click, search reaches folded nodes; a new user clicks
through the static site from the index to DHS, a task force, its initiative and the law behind
it; the served network page links to entity pages; the query page shows the answer beside the
question. Skips, saying why, without Chromium or Playwright (fails under CI=true)."""

from __future__ import annotations

import functools

import pytest
from support import serving
from test_viz_browser import ARTIFACTS, OfflinePage, browser, make_page  # noqa: F401

from tf_graph.build.loading import load_graph
from tf_graph.viz.overview import build_overview
from tf_graph.viz.visualisation import network_of

pytestmark = pytest.mark.browser

TFR = "https://w3id.org/tf-graph/id/"
DHS = f"{TFR}agency/dhs"
CBP = f"{TFR}agency/cbp"
HARRIS = f"{TFR}person/kamala-harris"
SEAFOOD = f"{TFR}initiative/doc-seafood-coordination-group"


@pytest.fixture(scope="module")
def projection(graph):
    """The network the page draws."""
    return network_of(graph)


def click_node(page: OfflinePage, node: str) -> None:
    """A real mouse click on a node where the network draws it."""
    pos = page.js(
        "(() => { const n = window.tfGraph.network;"
        f" const p = n.getPositions(['{node}'])['{node}']; return n.canvasToDOM(p); }})()"
    )
    box = page.page.locator("#tf-network").bounding_box()
    page.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def test_overview_expands_on_click_and_search_reaches_folded_nodes(
    browser,  # noqa: F811
    run,
    tmp_path,
    projection,
):
    overview = build_overview(projection)
    page = OfflinePage(browser, make_page(run, tmp_path / "graph.html"))
    try:
        assert page.visible_ids() == set(overview.nodes)
        assert len(overview.nodes) == 42
        assert page.page.text_content("#tf-status").startswith(
            f"42 of {projection.number_of_nodes()} nodes"
        )
        # physics settles, then stops (a state, not a fixed time: a busy machine is slower)
        page.page.wait_for_function("window.tfGraph.settled()", timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "explore-overview.png"))

        # a click on DHS draws its component and its initiatives, with their real links
        click_node(page, DHS)
        page.page.wait_for_function(
            f"window.tfGraph.network.getSelectedNodes()[0] === '{DHS}'", timeout=10_000
        )
        shown = page.visible_ids()
        neighbours = set(projection.successors(DHS)) | set(projection.predecessors(DHS))
        cbp = set(projection.successors(CBP)) | set(projection.predecessors(CBP))
        assert shown == set(overview.nodes) | {CBP} | neighbours | cbp
        assert set(overview.initiatives[DHS]) <= shown
        assert page.page.text_content("#tf-details h3") == "Department of Homeland Security"
        assert "1 component, 8 initiatives" in page.page.text_content("#tf-details")
        # an overview link is drawn only while some node it stands for is not
        stale = page.js(
            "window.tfGraph.edges.get({filter: e => e.overview}).filter(e =>"
            " window.tfGraph.data.overview.links.find(l => l.id === e.id).via"
            ".every(v => window.tfGraph.nodes.get(v) !== null)).length"
        )
        assert stale == 0
        page.page.screenshot(path=str(ARTIFACTS / "explore-dhs-expanded.png"))

        # search finds a node folded away (an initiative of Commerce) and draws it
        assert SEAFOOD not in shown
        page.page.fill("#tf-search", "Commerce launches a coordination group")
        page.page.press("#tf-search", "Enter")
        assert page.js("window.tfGraph.network.getSelectedNodes()") == [SEAFOOD]
        assert SEAFOOD in page.visible_ids()
        assert page.page.text_content("#tf-details blockquote").startswith(
            "Last year, the Department of Commerce"
        )

        # the one unlinked resource is explained, and shown on request
        assert "Kamala Harris (Person): Vice President" in page.page.text_content("#tf-unlinked")
        page.page.click("#tf-unlinked a")
        assert HARRIS in page.visible_ids()
        assert page.page.text_content("#tf-details h3") == "Kamala Harris"

        page.page.click("#tf-all")
        assert page.visible_ids() == set(projection.nodes)
        page.page.click("#tf-overview")
        assert page.visible_ids() == set(overview.nodes)
        assert page.errors == [] and page.dialogs == [] and page.outside == []
    finally:
        page.close()


def test_a_new_user_clicks_through_the_site_to_the_words_of_a_law(browser, run, tmp_path):  # noqa: F811
    out = tmp_path / "site"
    assert run("site", "-o", str(out)).exit_code == 0
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((out / "index.html").as_uri())
        page.click("text=Department of Homeland Security")
        assert page.text_content("h1") == "Department of Homeland Security"
        assert page.locator("svg.tf-neighbourhood a").count() >= 8
        page.locator(".tf-group", has_text="chairs").locator(
            "a", has_text="Forced Labor Enforcement Task Force"
        ).first.click()
        assert page.text_content("h1") == "Forced Labor Enforcement Task Force"
        page.locator(".tf-group a", has_text="FLETF will develop a strategy").first.click()
        assert page.text_content("h1") == (
            "FLETF will develop a strategy to implement the UFLPA and support enforcement of"
            " section 307"
        )
        page.locator(".tf-group", has_text="implements").locator(
            "a", has_text="Section 307 of the Tariff Act of 1930"
        ).click()
        assert page.text_content("h1") == "Section 307 of the Tariff Act of 1930"
        page.locator(".tf-group", has_text="codified at").locator(
            "a", has_text="19 U.S.C. 1307"
        ).click()
        assert page.url == (out / "id" / "law" / "usc" / "19" / "1307.html").as_uri()
        # the law's words, as data/sources/law/19-usc-1307.md has them
        assert page.text_content(".tf-text").startswith(
            "All goods, wares, articles, and merchandise mined, produced, or manufactured wholly"
            " or in part in any foreign country by convict labor or/and forced labor or/and"
            " indentured labor under penal sanctions shall not be entitled to entry"
        )
        page.screenshot(path=str(ARTIFACTS / "explore-site-19-usc-1307.png"), full_page=True)
        # and back up: the section's page shows its words too
        page.goto((out / "id" / "law" / "usc" / "19" / "4681.html").as_uri())
        assert "The Task Force shall be chaired by the Secretary of Homeland Security" in (
            page.text_content(".tf-law")
        )

        # the site's network opens on the overview, and its details link to the pages
        page.goto((out / "network.html").as_uri())
        page.wait_for_function("window.tfGraphReady === true", timeout=60_000)
        page.evaluate(f"window.tfGraph.select('{DHS}')")
        page.click("a.tf-page-link")
        assert page.text_content("h1") == "Department of Homeland Security"
        assert errors == [] and outside == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def served():
    from tf_graph.server.app import create_app

    # no spare worker (nothing is stopped here): 2 graph loads, not 3
    app = create_app(functools.partial(load_graph, ()), workers=1, timeout=20, spares=0)
    with serving(app) as url:
        yield url


def test_served_network_links_to_entity_pages(browser, served):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"{served}/graph")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)  # (no eval under CSP)
        page.evaluate(f"window.tfGraph.select('{DHS}')")
        link = page.locator("a.tf-page-link")
        assert link.get_attribute("href") == "/id/agency/dhs"
        # the way to the page is in view at once (it was below the legend, off the screen)
        where = link.bounding_box()
        assert where["y"] + where["height"] <= 800
        link.click()
        assert page.text_content("h1") == "Department of Homeland Security"
        page.click("text=All entities")
        assert page.url == f"{served}/id/"
        assert errors == []  # the pages keep to their content security policy
    finally:
        context.close()


def test_query_page_answers_beside_the_question(browser, served):  # noqa: F811
    from playwright.sync_api import expect

    from tf_graph.questions.catalogue import list_queries

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"{served}/")
        page.wait_for_selector("#queries li button.run")
        page.fill("#ask-input", "Which agencies touch forced labor?")
        page.click("#ask-form button[type=submit]")
        page.wait_for_selector("#answer-summary")
        assert page.text_content("#results-title") == "Which agencies touch forced labor?"
        summary = page.text_content("#answer-summary")
        assert summary.startswith("8 answers: Department of Commerce (DOC);")
        assert "Department of Homeland Security (DHS)" in summary
        assert page.locator("#answer-evidence > li").count() == 8
        first_quote = page.locator("#answer-evidence blockquote").first.text_content()
        assert first_quote.startswith("Last year, the Department of Commerce (DOC)")
        question = page.locator("#ask-input").bounding_box()
        answer = page.locator("#answer-box").bounding_box()
        assert answer["x"] > question["x"] + question["width"]  # beside the question
        assert answer["y"] < 800 / 3  # in view without scrolling
        page.screenshot(path=str(ARTIFACTS / "explore-query-page.png"))

        spec = next(s for s in list_queries() if s.name == "initiatives-by-agency")
        page.click('button[data-query="initiatives-by-agency"]')
        expect(page.locator("#results-table th").first).to_have_text("initiative")
        assert page.text_content("#results-title") == spec.title
        assert page.text_content("#results-description") == spec.description
        assert page.title() == f"{spec.title} – tf-graph"
        assert page.locator("#answer-box").is_hidden()
        table = page.locator("#results-table").bounding_box()
        assert table["y"] < 800 and table["x"] > question["x"] + question["width"]
        link = page.locator("#results-table tbody a").first
        assert link.get_attribute("href").startswith("/id/initiative/")
        assert link.get_attribute("title").startswith(TFR + "initiative/")
        assert errors == []
    finally:
        context.close()
