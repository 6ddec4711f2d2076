"""Guideline Markdown to safe HTML.

markdown-it-py renders CommonMark with raw HTML switched off (any tag in the text is shown as
text) and refuses javascript: and data: links; nh3 then keeps only an allow-list of tags and
attributes, so that even a bug in the renderer cannot put a script or an event handler on the page.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "hr", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown written by comms) as sanitised HTML, safe to put on a page."""
    html = _markdown.render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )
    # The HTML is sanitised above by an allow-list; nothing else reaches the page unescaped.
    return mark_safe(cleaned)  # noqa: S308
