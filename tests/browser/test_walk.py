"""Every page of every role, in Dutch and English, on a phone (390×844) and a laptop
(1366×900), in Chromium with axe-core.

The pages are those the access MATRIX lets each visitor read (``tests/pages.py``), on its
world, plus the customer's public form and status page. Each test walks one visitor in
one language and reports every problem it finds, not the first:

- at 390 px no page scrolls sideways, and no element scrolls or clips its content
  sideways (code blocks aside); every header control is on screen unless it is in the
  closed menu; chart labels are at least 10 px high;
- at 1366 px, and at 1260 px (the narrowest full header), the header is one row high
  and its controls neither overlap nor leave the window;
- axe-core finds no critical or serious violation (at either width).

One server, one browser, one context per visitor and language; each page is loaded once
and resized, so the whole walk stays around a minute.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from storyboard.db import db
from storyboard.models import Language, SeededChannel
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import PASSWORD, copy_database, make_app
from tests.factories import add_answers
from tests.pages import AGENT, ANON, EMAIL_OF, MANAGER, WHO, Page, pages_of, seed_world
from tests.web.test_access import MATRIX

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
# The narrowest window with the full header (below it the menu button takes over): if
# the header fits here, it fits at every wider width.
NARROWEST_WIDE = {"width": 1260, "height": 900}
LANGUAGES = ("nl", "en")
# Where axe-core runs for each language: Dutch (the longer words) on the phone, English
# on the laptop, so every page is checked at both widths and in both languages.
AXE_WIDTH = {"nl": PHONE, "en": LAPTOP}
# Every role: the MATRIX's "agent" is the author's colleague in the same role, whose
# pages are the author's minus their draft and its sharing page, so the author walks
# the agent's pages.
WALKERS = tuple(who for who in WHO if who != AGENT)

# What a page must show at each width, measured in the page. Elements that scroll or clip
# sideways while their content is wider than their box; code blocks may scroll, and the
# visually-hidden pattern (a 1 px clipped box) is not something anyone reads.
OVERFLOW_SCRIPT = """() => {
  const problems = [];
  const root = document.scrollingElement;
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    return text;
  };
  if (root.scrollWidth > root.clientWidth) {
    // Name the innermost elements that reach past the window's right edge.
    const past = [...document.querySelectorAll('body *')].filter(
      (el) => el.getBoundingClientRect().right > root.clientWidth + 1);
    const innermost = past.filter((el) => !past.some((o) => o !== el && el.contains(o)));
    problems.push(`the page scrolls sideways (${root.scrollWidth} px in ${root.clientWidth} px): ` +
                  innermost.slice(0, 3).map(name).join(', '));
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('pre, code')) continue;
    // A text field scrolls its own text, as every text field does.
    if (el.matches('input, textarea, select')) continue;
    if (el.clientWidth <= 1) continue;
    const style = getComputedStyle(el);
    if (!['scroll', 'auto', 'hidden', 'clip'].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} ${style.overflowX}s its content sideways ` +
                    `(${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  // A chart scales with its box: its labels must stay readable (about 9 px and more).
  for (const el of document.querySelectorAll('svg text')) {
    const box = el.getBoundingClientRect();
    if (el.getClientRects().length && box.height < 10) {
      problems.push(`chart label "${el.textContent}" is drawn ${box.height.toFixed(1)} px high`);
    }
  }
  const width = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll(
      '.site-header :is(a, button, summary, input:not([type=hidden]), select)')) {
    const closed = el.closest('details:not([open])');
    if (closed && el.parentElement !== closed) continue;  // inside the closed menu
    if (el.getClientRects().length === 0) continue;  // not rendered at this width
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.left < 0 || box.right > width + 0.5) {
      problems.push(`header control "${el.textContent.trim() || name(el)}" is off screen ` +
                    `(${Math.round(box.left)}–${Math.round(box.right)} of ${width} px)`);
    }
  }
  return problems;
}"""

# The header is one row when its controls span no more than one control's height (a nav
# link's, or the brand's when there is no nav) and a little; and the row really holds
# them: none overlaps another or leaves the window.
HEADER_SCRIPT = """() => {
  // The portal's header, or the customers' pages' own (the organisation's name, no nav).
  const header = document.querySelector('.site-header .header-inner') ||
                 document.querySelector('.public-header .public-header-inner');
  const one = document.querySelector('.site-header .main-nav a') ||
              document.querySelector('.site-header .brand') || header.firstElementChild;
  const controls = [...header.querySelectorAll('a, button, summary')].filter((el) => {
    const closed = el.closest('details:not([open])');
    return !(closed && el.parentElement !== closed) && el.getClientRects().length > 0;
  });
  const boxes = controls.map((el) => [el, el.getBoundingClientRect()]);
  const label = (el) => el.textContent.trim() || el.getAttribute('aria-label');
  const problems = [];
  const width = document.documentElement.clientWidth;
  for (const [i, [el, box]] of boxes.entries()) {
    if (box.left < 0 || box.right > width + 0.5) {
      problems.push(`header control "${label(el)}" is off screen`);
    }
    for (const [other, otherBox] of boxes.slice(i + 1)) {
      if (el.contains(other) || other.contains(el)) continue;
      if (box.left < otherBox.right - 1 && otherBox.left < box.right - 1 &&
          box.top < otherBox.bottom - 1 && otherBox.top < box.bottom - 1) {
        problems.push(`header controls "${label(el)}" and "${label(other)}" overlap`);
      }
    }
  }
  const tops = boxes.map(([, box]) => box.top);
  const bottoms = boxes.map(([, box]) => box.bottom);
  return {
    header: header.getBoundingClientRect().height,
    row: one.getBoundingClientRect().height,
    spread: boxes.length ? Math.max(...bottoms) - Math.min(...tops) : 0,
    problems: problems,
  };
}"""


def axe_script() -> str:
    """axe-core as the axe-playwright-python package ships it (no network)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `axe ${v.impact} ${v.id}: ${v.help} — ` +
                v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; '));
}"""


class QuietHandler(WSGIRequestHandler):
    """No access log line for each of the walk's thousand requests."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


ANSWERS = [
    (
        10,
        "Retail",
        SeededChannel.PHONE,
        "Snel en vriendelijk geholpen, de monteur kwam dezelfde dag",
    ),
    (9, "Retail", SeededChannel.CHAT, "Quick and kind"),
    (7, "Zakelijk en Overheid", SeededChannel.EMAIL, ""),
    (
        3,
        "Zakelijk en Overheid",
        SeededChannel.PHONE,
        "Drie keer doorverbonden voordat iemand kon helpen",
    ),
    (0, "Retail", None, "https://example.nl/a/very/long/address/that/does/not/break/anywhere"),
]


@dataclass(frozen=True)
class Walk:
    """The walk's server and the pages each visitor reads there."""

    url: str
    pages: dict[str, list[Page]]


@pytest.fixture(scope="module")
def walk(
    tmp_path_factory: pytest.TempPathFactory, migrated_db: Path, empty_index: Path
) -> Iterator[Walk]:
    """The MATRIX's world served on loopback, plus one customer's pending story (the
    status page needs its private link; the moderation queue then has a row)."""
    from storyboard.customers.service import CustomerInput, submit

    instance = tmp_path_factory.mktemp("walk")
    copy_database(migrated_db, instance / "storyboard.db")
    # The stylesheet and icon cached, as a browser keeps them between pages.
    app = make_app(instance, DEFAULT_LOCALE="nl", SEND_FILE_MAX_AGE_DEFAULT=3600)
    shutil.copytree(empty_index, app.config["INDEX_DIR"])
    with app.app_context():
        ids = seed_world()
        receipt = submit(
            CustomerInput(
                title="De monteur kwam op zondag",
                body="Mijn verwarming deed het niet en hij kwam meteen.",
                channel=SeededChannel.PHONE,
                language=Language.NL,
            )
        )
        db.session.commit()
        status = f"/share/status/{receipt.token}"
        submission_id = receipt.submission.id
    # Twelve weeks of answers in two teams and three channels: the dashboard's chart and
    # tables, the digest and the answers list have rows to lay out.
    now = datetime.now(UTC)
    add_answers(
        app,
        [
            (now - timedelta(days=7 * week + day), score, team, channel, comment)
            for week in range(12)
            for day, (score, team, channel, comment) in enumerate(ANSWERS)
        ],
    )
    pages = {who: pages_of(MATRIX, who, ids) for who in WHO}
    pages[ANON].append(Page(status, "/share/status/{token}"))
    # The MATRIX reaches the moderation page with an unknown id only (404); the walk has
    # a real pending story, so the manager reads its review page too.
    pages[MANAGER].append(Page(f"/moderation/{submission_id}", "/moderation/{submission}"))

    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="walk-server", daemon=True)
    thread.start()
    try:
        yield Walk(f"http://127.0.0.1:{server.server_port}", pages)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def open_as(browser: Any, walk: Walk, who: str, language: str) -> Any:
    """A phone-sized page in a context of its own, signed in as ``who`` (through the
    form) and switched to ``language`` with the footer's switch."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(axe_script())
    page = context.new_page()
    page.goto(walk.url + "/auth/login")
    page.locator(f"footer button[name=locale][value={language}]").click()
    page.wait_for_url("**/auth/login*")
    if who != ANON:
        page.locator("input[name=email]").fill(EMAIL_OF[who])
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url(lambda url: "/auth/login" not in url)
    return page


def check_page(page: Any, url: str, axe_at: dict[str, int]) -> list[str]:
    """Every problem of one page at both widths; the page is loaded once and resized.
    axe-core runs at ``axe_at`` only: it costs as much as loading the page, and the
    walk's two languages between them give it both widths (see ``AXE_WIDTH``)."""
    problems: list[str] = []
    page.set_viewport_size(PHONE)
    # The deferred script in every page runs after the stylesheet has loaded, so the
    # layout is final at DOMContentLoaded (the icon has its size in the markup).
    response = page.goto(url, wait_until="domcontentloaded")
    if response is None or response.status != 200:
        return [f"answers {response.status if response else 'nothing'}, not 200"]
    problems += [f"390×844: {p}" for p in page.evaluate(OVERFLOW_SCRIPT)]
    if axe_at is PHONE:
        problems += [f"390×844: {p}" for p in page.evaluate(AXE_RUN)]
    for size in (NARROWEST_WIDE, LAPTOP):
        page.set_viewport_size(size)
        width = f"{size['width']}×{size['height']}"
        header = page.evaluate(HEADER_SCRIPT)
        # One row: every control's top and bottom within one control's height and a bit.
        if header["spread"] > header["row"] * 1.5:
            problems.append(
                f"{width}: the header is more than one row ({header['header']:.0f} px high, "
                f"its controls span {header['spread']:.0f} px; one row is {header['row']:.0f} px)"
            )
        problems += [f"{width}: {p}" for p in header["problems"]]
    if axe_at is LAPTOP:
        problems += [f"1366×900: {p}" for p in page.evaluate(AXE_RUN)]
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", WALKERS)
def test_every_page_fits_a_phone_and_a_laptop_and_passes_axe(
    browser: Any, walk: Walk, who: str, language: str
) -> None:
    page = open_as(browser, walk, who, language)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failures: list[str] = []
    try:
        for item in walk.pages[who]:
            for problem in check_page(page, walk.url + item.path, AXE_WIDTH[language]):
                failures.append(f"{item.path} as {who} in {language}: {problem}")
    finally:
        page.context.close()
    failures += [f"script error as {who} in {language}: {e}" for e in errors]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


@pytest.mark.parametrize("java_script", [True, False], ids=["with-js", "without-js"])
def test_the_menu_button_opens_the_menu_with_the_profile_on_a_phone(
    browser: Any, walk: Walk, java_script: bool
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale="en-US", java_script_enabled=java_script)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(walk.url + "/auth/login")
        page.get_by_label("E-mail").fill(EMAIL_OF["manager"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        header = page.locator(".site-header")
        # Closed: the profile, "Sign out" and the navigation wait behind the button.
        expect(header.get_by_role("link", name="Your profile")).to_be_hidden()
        expect(header.get_by_role("button", name="Sign out")).to_be_hidden()
        header.get_by_text("Menu").click()
        profile = header.get_by_role("link", name="Your profile")
        expect(profile).to_be_visible()
        expect(profile).to_be_in_viewport()
        expect(header.get_by_role("button", name="Sign out")).to_be_in_viewport()
        expect(header.get_by_role("button", name="Nederlands")).to_be_visible()
        expect(header.get_by_role("link", name="Survey answers")).to_be_visible()
        profile.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
        if java_script:
            # Escape closes the menu again and leaves the focus on its button.
            header.get_by_text("Menu").click()
            page.keyboard.press("Escape")
            expect(header.get_by_role("button", name="Sign out")).to_be_hidden()
            expect(page.locator(".site-menu > summary")).to_be_focused()
    finally:
        context.close()


def test_on_a_phone_search_results_come_before_the_folded_facets(browser: Any, walk: Walk) -> None:
    from playwright.sync_api import expect

    page = open_as(browser, walk, "agent", "en")
    try:
        page.goto(walk.url + "/search")
        result = page.locator(".results .story-card").first
        panel = page.locator("aside.facets")
        expect(result).to_be_in_viewport()
        result_box, panel_box = result.bounding_box(), panel.bounding_box()
        assert result_box and panel_box and result_box["y"] < panel_box["y"]
        facet = panel.get_by_role("link", name="Retail")
        expect(facet).to_be_hidden()
        panel.get_by_text("Refine").click()
        expect(facet).to_be_visible()
        # On a laptop the facets sit beside the results, always open.
        page.set_viewport_size(LAPTOP)
        page.reload()
        expect(panel.get_by_role("link", name="Retail")).to_be_visible()
        panel_box, result_box = panel.bounding_box(), result.bounding_box()
        assert panel_box and result_box and panel_box["x"] < result_box["x"]
    finally:
        page.context.close()
