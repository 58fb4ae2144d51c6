"""The RSS 2.0 channel parts podcasts seldom use: <image>, <ttl>, <cloud>, <skipHours>,
<skipDays> and <textInput> (stationcast.spec.rss; rssboard.org/rss-specification)."""

from __future__ import annotations

from lxml import etree

from stationcast.spec import rss

from .elements import Collector
from .text import quote
from .values import check_plain_text, check_url


def _children(el: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(child.tag, []).append(child)
    return out


def _text(els: list[etree._Element] | None) -> str:
    return (els[0].text or "").strip() if els else ""


def check_image(el: etree._Element, c: Collector) -> None:
    parts = _children(el)
    for name in rss.IMAGE_REQUIRED:
        if not _text(parts.get(name)):
            said = "has no" if name not in parts else "has an empty"
            c.add("rss.image.parts", f"<image> {said} <{name}>", el)
    for name, found in parts.items():
        if name in rss.IMAGE_ELEMENTS and len(found) > 1:
            c.add("rss.image.parts", f"<image> has more than one <{name}>", found[1])
    if "url" in parts:
        check_url(parts["url"][0].text, parts["url"][0], c, "<image> <url>")
    if "link" in parts:
        check_url(parts["link"][0].text, parts["link"][0], c, "<image> <link>")
    if "title" in parts:
        check_plain_text(parts["title"][0], c)
    for name, limit in (("width", rss.IMAGE_MAX_WIDTH), ("height", rss.IMAGE_MAX_HEIGHT)):
        if name not in parts:
            continue
        v = _text(parts[name])
        if not v.isdigit() or not 0 < int(v) <= limit:
            c.add(
                "rss.image.parts",
                f"<image> <{name}> is {quote(v)}; it must be a whole number from 1 to {limit}",
                parts[name][0],
            )


def check_ttl(el: etree._Element, c: Collector) -> None:
    v = (el.text or "").strip()
    if not v.isdigit():
        c.add("rss.ttl", f"<ttl> is {quote(v)}, not a whole number of minutes", el)


def check_cloud(el: etree._Element, c: Collector) -> None:
    missing = [a for a in rss.CLOUD_ATTRIBUTES if not (el.get(a) or "").strip()]
    if missing:
        c.add("rss.cloud", "<cloud> has no " + ", ".join(f"{a}=" for a in missing), el)
    port = (el.get("port") or "").strip()
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        c.add("rss.cloud", f"<cloud port> is {quote(port)}, not a port number", el)
    protocol = (el.get("protocol") or "").strip()
    if protocol and protocol not in rss.CLOUD_PROTOCOLS:
        c.add(
            "rss.cloud",
            f"<cloud protocol> is {quote(protocol)}; expected "
            + ", ".join(sorted(rss.CLOUD_PROTOCOLS)),
            el,
        )


def check_skip(el: etree._Element, c: Collector, kind: str) -> None:
    child = "hour" if kind == "skipHours" else "day"
    allowed = [str(h) for h in rss.SKIP_HOURS] if child == "hour" else list(rss.SKIP_DAYS)
    seen: set[str] = set()
    values = 0
    for sub in el:
        if not isinstance(sub.tag, str):
            continue
        if sub.tag != child:
            c.add("rss.skip", f"<{kind}> holds <{quote(sub.tag, 30)[1:-1]}>, not <{child}>", sub)
            continue
        values += 1
        v = (sub.text or "").strip()
        if v not in allowed:
            c.add(
                "rss.skip",
                f"<{kind}> <{child}> {quote(v)} is not one of {allowed[0]}…{allowed[-1]}",
                sub,
            )
        elif v in seen:
            c.add("rss.skip", f"<{kind}> gives {quote(v)} twice", sub)
        seen.add(v)
    if not values:
        c.add("rss.skip", f"<{kind}> has no <{child}>", el)


def check_textinput(el: etree._Element, c: Collector) -> None:
    parts = _children(el)
    missing = [n for n in rss.TEXTINPUT_ELEMENTS if n not in parts]
    if missing:
        c.add(
            "rss.textinput.parts", "<textInput> has no " + ", ".join(f"<{n}>" for n in missing), el
        )
    for name, found in parts.items():
        if len(found) > 1:
            c.add("rss.element.duplicate", f"<textInput> has more than one <{name}>", found[1])
    if "link" in parts:
        check_url(parts["link"][0].text, parts["link"][0], c, "<textInput> <link>")


def check_channel_parts(ch: dict[str, list[etree._Element]], c: Collector) -> None:
    """The parts above, for a channel whose children are grouped by tag."""
    for el in ch.get("image", [])[:1]:
        check_image(el, c)
    for el in ch.get("ttl", [])[:1]:
        check_ttl(el, c)
    for el in ch.get("cloud", [])[:1]:
        check_cloud(el, c)
    for kind in ("skipHours", "skipDays"):
        for el in ch.get(kind, [])[:1]:
            check_skip(el, c, kind)
    for el in ch.get("textInput", [])[:1]:
        check_textinput(el, c)
    for el in ch.get("docs", [])[:1]:
        check_url(el.text, el, c, "<docs>")
