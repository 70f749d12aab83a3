"""Markdown to safe HTML: Python-Markdown renders, nh3 keeps only an allowlist, and
images that would make a reader's browser call a third party become links.

Used for every story body on save (the result is stored) and for the live preview, so
what an author previews is exactly what readers get.

Image policy: an image from the portal itself (a path such as ``/static/...``) stays an
image; an ``https`` image from a host in ``image_hosts`` (``STORYBOARD_IMAGE_HOSTS`` for
colleagues' stories, none for customers') stays an image; every other image becomes a
link showing its alt text and host, so it loads only if a reader chooses to open it.
The Content-Security-Policy allows exactly the same sources, so HTML stored before this
policy cannot load anything else either.
"""

from __future__ import annotations

import html as html_module
import re
import signal
import subprocess
import sys
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3
from flask import current_app, has_app_context
from flask_babel import gettext as _

# Far above any real story (~5,000 words); keeps hostile bodies from costing seconds.
MAX_MARKDOWN_CHARS = 100_000
# Python-Markdown parses nested quotes and lists recursively: deep nesting is flattened
# before parsing so a body of 10,000 ">" cannot exhaust the stack.
MAX_NESTING = 12

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Python-Markdown finds a link's closing bracket by scanning to the end of the block, once
# per "[": quadratic. A block with more brackets than any real paragraph has them escaped.
MAX_BRACKETS_PER_BLOCK = 32
_BLOCK_SPLIT = re.compile(r"(\n[ \t]*\n)")

_DEEP_QUOTE = re.compile(rf"^([ \t]*(?:>[ \t]*){{{MAX_NESTING + 1},}})", re.MULTILINE)
_DEEP_INDENT = re.compile(rf"^([ \t]{{{4 * MAX_NESTING + 1},}})", re.MULTILINE)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# Python-Markdown has quadratic corners (unclosed "<a ", stacked setext headings) that no
# pre-pass can list exhaustively. Bodies up to this size cost well under a second even
# at their worst and render in-process; larger ones render in a child process that may
# use RENDER_CPU_SECONDS of CPU (the kernel stops it past that: a busy server refuses no
# honest story for waiting its turn) and is killed after RENDER_TIMEOUT_SECONDS of wall
# time whatever happens.
IN_PROCESS_LIMIT = 8_000
RENDER_CPU_SECONDS = 3
RENDER_TIMEOUT_SECONDS = 20.0


class MarkdownTooComplex(ValueError):
    """Rendering would take too long: the body is refused with a clear message."""


class MarkdownTooLong(ValueError):
    """The body is longer than ``MAX_MARKDOWN_CHARS``; it is refused, not rendered."""

    def __init__(self, length: int) -> None:
        super().__init__(f"{length} characters; the limit is {MAX_MARKDOWN_CHARS}")
        self.length = length


def _defuse_hostile_structure(text: str) -> str:
    """Bound the parser's work: flatten deep nesting, escape bracket floods."""
    text = _DEEP_QUOTE.sub("> " * MAX_NESTING, text)
    text = _DEEP_INDENT.sub(" " * (4 * MAX_NESTING), text)
    blocks = _BLOCK_SPLIT.split(text)
    return "".join(
        block.replace("[", "\\[") if block.count("[") > MAX_BRACKETS_PER_BLOCK else block
        for block in blocks
    )


def _markdown_to_html(text: str) -> str:
    return markdown.markdown(
        text,
        extensions=["tables", "fenced_code", "sane_lists"],
        # Column alignment as ``align`` (allowlisted), not ``style`` (stripped by nh3).
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )


def sanitize_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; links get a safe ``rel``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
        strip_comments=True,
    )


def render_markdown(text: str, *, image_hosts: Collection[str] | None = None) -> str:
    """Render a story body to sanitized HTML.

    ``image_hosts``: hosts whose ``https`` images stay images (see the module docstring);
    ``None`` means the app's ``IMAGE_HOSTS`` setting (none outside an app). Customer
    stories pass an empty collection.

    Raises ``MarkdownTooLong`` for bodies over the limit so callers can show a size
    message instead of spending time on them.
    """
    if image_hosts is None:
        image_hosts = configured_image_hosts()
    if len(text) > MAX_MARKDOWN_CHARS:
        raise MarkdownTooLong(len(text))
    # A lone surrogate (possible from a JSON "\\ud800" escape) cannot be encoded for nh3
    # or the child process; it becomes the replacement character like other bad bytes.
    text = _LONE_SURROGATE.sub("\ufffd", text)
    text = _defuse_hostile_structure(text)
    if len(text) <= IN_PROCESS_LIMIT:
        try:
            html = _markdown_to_html(text)
        except RecursionError as exc:
            # Chained list markers ("- * + - * + …") nest without any indentation, so no
            # pre-pass flattens them; the child process already reports this the same way.
            raise MarkdownTooComplex("the body nests too deeply") from exc
    else:
        html = _markdown_to_html_in_child(text)
    return images_as_links(sanitize_html(html), image_hosts)


def configured_image_hosts() -> tuple[str, ...]:
    """``STORYBOARD_IMAGE_HOSTS`` of the current app; none outside an app."""
    return tuple(current_app.config.get("IMAGE_HOSTS", ())) if has_app_context() else ()


# Only on nh3's output, which is canonical: attribute values are always double-quoted,
# with '"', '<' and '>' escaped, so neither pattern can match inside a value or in text.
_LINK_OR_IMAGE = re.compile(r"<(/?)(a|img)\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([^\s=]+)="([^"]*)"')
# What a browser drops from a URL before parsing it (WHATWG URL: tab and newline anywhere,
# C0 controls and space at the ends).
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_EDGES = "".join(chr(c) for c in range(0x21))
# A path on the portal itself; "//host" and "/\\host" are other hosts to a browser.
_OWN_PATH = re.compile(r"^/(?![/\\])[^\\]*$")
MAX_LINK_LABEL_HOST = 80


def image_may_load(src: str, image_hosts: Collection[str]) -> bool:
    """Whether an image at ``src`` (as stored in HTML, unescaped) may load in readers'
    browsers: a path on the portal, or ``https`` on the default port of an allowed host."""
    url = _URL_NOISE.sub("", src).strip(_URL_EDGES)
    if _OWN_PATH.match(url):
        return True
    if "\\" in url:
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme.lower() == "https"
        and port in (None, 443)
        and parts.hostname is not None
        and parts.hostname in image_hosts
    )


def _image_label(attributes: dict[str, str]) -> str:
    src = attributes.get("src", "")
    alt = " ".join(attributes.get("alt", "").split())
    try:
        where = urlsplit(_URL_NOISE.sub("", src).strip(_URL_EDGES)).hostname or ""
    except ValueError:
        where = ""
    where = (where or src)[:MAX_LINK_LABEL_HOST]
    if alt:
        return _("%(alt)s (image: %(host)s)", alt=alt, host=where)
    return _("image: %(host)s", host=where)


def images_as_links(html: str, image_hosts: Collection[str]) -> str:
    """Turn every image of sanitized ``html`` that may not load into a link to it (or,
    inside a link, into its label), so the reader's browser fetches nothing from it."""
    hosts = {host.lower() for host in image_hosts}
    link_depth = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal link_depth
        closing, tag, rest = match.groups()
        if tag == "a":
            link_depth = max(0, link_depth + (-1 if closing else 1))
            return match.group(0)
        attributes = {name: html_module.unescape(value) for name, value in _ATTRIBUTE.findall(rest)}
        src = attributes.get("src")
        if not src or image_may_load(src, hosts):  # no source loads nothing
            return match.group(0)
        label = html_module.escape(_image_label(attributes))
        if link_depth:  # no nested links: the outer one stays clickable
            return label
        return (
            f'<a href="{html_module.escape(src, quote=True)}" rel="noopener nofollow">{label}</a>'
        )

    return _LINK_OR_IMAGE.sub(replace, html)


def _markdown_to_html_in_child(text: str) -> str:
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "storyboard.rendering", str(RENDER_CPU_SECONDS)],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            cwd=Path(__file__).resolve().parent.parent,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise MarkdownTooComplex("rendering took too long") from exc
    if completed.returncode == -signal.SIGXCPU:
        raise MarkdownTooComplex("rendering took too long")
    if completed.returncode != 0:
        raise MarkdownTooComplex("the renderer could not parse this body")
    return completed.stdout.decode("utf-8")


def html_to_text(html: str) -> str:
    """Plain text of rendered HTML (for search and excerpts), without any markup."""
    return _plain(nh3.clean(html, tags=set()))


def html_pieces_to_text(html: str, mark: str) -> list[str]:
    """``html_to_text`` of each piece of ``html`` between ``mark``s, in one sanitizer
    pass (a pass per piece costs the parser's start-up each time)."""
    return [_plain(piece) for piece in nh3.clean(html, tags=set()).split(mark)]


def _plain(cleaned: str) -> str:
    """Entities unescaped, each run of whitespace one space (``str.split`` splits where
    ``\\s+`` matches), no space at either end."""
    return " ".join(html_module.unescape(cleaned).split())


if __name__ == "__main__":  # the child process of _markdown_to_html_in_child
    import resource

    # The CPU budget the parent passed; past it the kernel sends SIGXCPU, which ends us.
    cpu_seconds = int(sys.argv[1]) if len(sys.argv) > 1 else RENDER_CPU_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # Bytes, not sys.stdout.write: a non-UTF-8 locale must not break emoji in the output.
    sys.stdout.buffer.write(_markdown_to_html(sys.stdin.buffer.read().decode("utf-8")).encode())


_HEADING = re.compile(r"<h[1-6][^>]*>.*?</h[1-6]>", re.DOTALL | re.IGNORECASE)


@lru_cache(maxsize=1024)
def excerpt(html: str, length: int = 220) -> str:
    """The first words of a rendered story, cut at a word boundary. Headings are left
    out: in a story-frame story they are the frame ("What I did"), not the story.
    Remembered per text (a pure function of it): lists and dashboards show the same
    stories to everyone, and sanitizing a story's HTML to text costs more than
    looking it up."""
    text = html_to_text(_HEADING.sub(" ", html))
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
