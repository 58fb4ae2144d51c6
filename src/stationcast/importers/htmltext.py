"""A feed's HTML descriptions as the plain text or Markdown a manifest holds."""

from __future__ import annotations

import re
from typing import Any

import lxml.html

from .pagehtml import text_lines


def html_to_text(html: str) -> str:
    """A description's HTML as plain paragraphs; a link's address follows its text in brackets."""
    if "<" not in html and "&" not in html:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", html.strip()) if p.strip())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        text = " ".join(a.text_content().split())
        if (
            href.startswith(("http://", "https://", "mailto:"))
            and href.removeprefix("mailto:") != text
            and href != text
        ):
            a.tail = f" ({href})" + (a.tail or "")
    for bad in list(root.iter("script", "style")):
        bad.getparent().remove(bad)
    return _paragraphs(root)


def html_to_markdown(html: str) -> str:
    """Show notes: paragraphs, and links as Markdown `[text](url)`."""
    if "<" not in html:
        return html_to_text(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        text = " ".join(a.text_content().split())
        if href.startswith(("http://", "https://", "mailto:")) and text:
            a.clear()
            a.text = f"[{text}]({href})"
    for b in root.iter("b", "strong"):
        if b.text and len(b) == 0:
            b.text = f"**{b.text}**"
    for i in root.iter("i", "em"):
        if i.text and len(i) == 0:
            i.text = f"*{i.text}*"
    return _paragraphs(root)


def _paragraphs(root: Any) -> str:
    """The element's text lines as paragraphs, separated by blank lines."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in text_lines(root):
        if line:
            block.append(line)
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    if block:
        paragraphs.append("\n".join(block))
    return "\n\n".join(paragraphs)
