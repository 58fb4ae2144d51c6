"""Show notes: Markdown from a manifest -> the small, safe HTML subset podcast apps accept.

Apple allows `<p> <ol> <ul> <li> <a>` in episode descriptions and PSP-1 adds `<b> <i>
<strong> <em>`; that is all we emit. Manifests are untrusted text, so:

* markdown-it-py renders CommonMark with raw HTML switched off (a `<script>` in the notes
  is shown as text, never passed through);
* only absolute http, https and mailto links become links (a `javascript:` or relative
  link stays as plain text);
* nh3 (the ammonia sanitiser) then keeps only the allowed tags, only `href` on links, and
  only http, https and mailto URLs, as a second line of defence;
* headings become paragraphs, and anything else outside the subset (images, code, tables)
  keeps its text and loses its markup.

The result is deterministic: the same Markdown always gives the same bytes.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

from stationcast.spec.apple import DESCRIPTION_TAGS
from stationcast.spec.rss import PSP1_DESCRIPTION_TAGS

ALLOWED_TAGS = DESCRIPTION_TAGS | PSP1_DESCRIPTION_TAGS
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

__all__ = ["ALLOWED_SCHEMES", "ALLOWED_TAGS", "render_notes"]


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": False})
    # Only absolute http, https and mailto links become links; anything else (relative links,
    # javascript:, data:, obfuscated schemes) stays as the text the producer wrote.
    md.validateLink = _absolute_link  # type: ignore[method-assign]
    return md


def _absolute_link(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "mailto:"))


def render_notes(markdown: str) -> str:
    """The HTML for `markdown`, restricted to ALLOWED_TAGS; "" for blank notes."""
    if not markdown.strip():
        return ""
    md = _parser()
    tokens = md.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "p"  # a heading is a paragraph in the subset
        for child in token.children or ():
            if child.type == "image":  # no images in notes: keep the alt text
                child.type, child.children = "text", None
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # Tidy the whitespace markdown-it leaves between blocks; keep one newline per block.
    lines = [line.rstrip() for line in clean.strip().splitlines()]
    return "\n".join(line for line in lines if line)
