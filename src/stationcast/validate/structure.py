"""Which elements may appear where, and how often: RSS 2.0's channel and item elements and the
itunes: tags (stationcast.spec.rss, stationcast.spec.apple.ITUNES_TAGS).

A tag that is misspelt (`<itunes:explict>`) or misplaced (`<enclosure>` in the channel,
`<itunes:email>` outside `<itunes:owner>`) is ignored by every app, so the value it carries is
silently lost; a single-valued element given twice (two `<guid>`, two `<itunes:explicit>`)
leaves each app to pick one. podcast: tags have their own table (podcast_ns.py).
"""

from __future__ import annotations

from lxml import etree

from stationcast.spec import apple, rss
from stationcast.spec._suggest import closest
from stationcast.spec.namespaces import ITUNES as NS_ITUNES

from .elements import Collector
from .text import quote

_I = f"{{{NS_ITUNES}}}"
_ALLOWED = {"channel": rss.CHANNEL_ELEMENTS, "item": rss.ITEM_ELEMENTS}
_OTHER = {"channel": "item", "item": "channel"}
#: itunes: elements with itunes: children, and the children they take.
_ITUNES_PARENTS = ("owner", "category")


def _hint(name: str, choices: frozenset[str] | list[str]) -> str:
    guess = closest(name, choices)
    return f" (did you mean <{guess}>?)" if guess and guess != name else ""


#: What check_children does with a (place, tag): bit flags, cached per pair (a feed has few).
_SINGLE, _NESTED, _PROBLEM = 1, 2, 4
_KIND: dict[tuple[str, str], int] = {}


def _kind(where: str, tag: str) -> int:
    if tag[:1] != "{":
        if tag not in _ALLOWED[where]:
            return _PROBLEM
        return 0 if tag in rss.REPEATED_ELEMENTS else _SINGLE
    if not tag.startswith(_I):
        return 0
    spec = apple.ITUNES_TAGS.get(tag[len(_I) :])
    if spec is None or where not in spec[0]:
        return _PROBLEM
    nested = _NESTED if tag[len(_I) :] in _ITUNES_PARENTS else 0
    return nested | (0 if spec[1] else _SINGLE)


def check_children(parent: etree._Element, where: str, c: Collector) -> None:
    """The children of a <channel> or <item>: each known there, single ones once."""
    seen: set[str] = set()
    for el in parent:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        kind = _KIND.get((where, tag))
        if kind is None:
            kind = _kind(where, tag)
            if len(_KIND) < 10000:
                _KIND[(where, tag)] = kind
        if not kind:
            continue
        if kind & _PROBLEM:
            _report(el, tag, where, c)
            continue
        if kind & _NESTED:
            _check_itunes_children(el, tag[len(_I) :], c)
        if kind & _SINGLE:
            if tag in seen:
                name = tag if tag[:1] != "{" else f"itunes:{tag[len(_I) :]}"
                c.add(
                    "rss.element.duplicate",
                    f"<{where}> has more than one <{name}>; apps differ in which they read",
                    el,
                )
            seen.add(tag)


def _report(el: etree._Element, tag: str, where: str, c: Collector) -> None:
    """An element that does not belong where it is: unknown, or in the wrong parent."""
    if tag[:1] != "{":
        other = _OTHER[where]
        if tag in _ALLOWED[other]:
            c.add(
                "rss.element.parent",
                f"<{quote(tag, 40)[1:-1]}> belongs in <{other}>, not in <{where}>",
                el,
            )
        else:
            c.add(
                "rss.element.unknown",
                f"<{quote(tag, 40)[1:-1]}> is not an RSS 2.0 element of <{where}>"
                + _hint(tag, _ALLOWED[where]),
                el,
            )
        return
    local = tag[len(_I) :]
    spec = apple.ITUNES_TAGS.get(local)
    if spec is None:
        guess = closest(local, list(apple.ITUNES_TAGS))
        hint = f" (did you mean <itunes:{guess}>?)" if guess else ""
        c.add(
            "apple.element.unknown",
            f"<itunes:{quote(local, 40)[1:-1]}> is not an itunes: tag{hint}",
            el,
        )
        return
    c.add(
        "apple.element.parent",
        f"<itunes:{local}> belongs in "
        + " or ".join(f"<{p}>" for p in sorted(spec[0]))
        + f", not in <{where}>",
        el,
    )


def _check_itunes_children(el: etree._Element, local: str, c: Collector) -> None:
    parent = f"itunes:{local}"
    seen: set[str] = set()
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if not tag.startswith(_I):
            if local == "owner":
                c.add(
                    "apple.element.unknown",
                    f"<{quote(tag, 40)[1:-1]}> in <itunes:owner>: write <itunes:name> and "
                    "<itunes:email>",
                    child,
                )
            continue
        clocal = tag[len(_I) :]
        spec = apple.ITUNES_TAGS.get(clocal)
        if spec is None or parent not in spec[0]:
            wanted = [n for n, (ps, _) in apple.ITUNES_TAGS.items() if parent in ps]
            c.add(
                "apple.element.parent",
                f"<itunes:{quote(clocal, 40)[1:-1]}> does not belong in <{parent}>; it takes "
                + ", ".join(f"<itunes:{n}>" for n in wanted),
                child,
            )
            continue
        if not spec[1]:
            if clocal in seen:
                c.add(
                    "rss.element.duplicate",
                    f"<{parent}> has more than one <itunes:{clocal}>",
                    child,
                )
            seen.add(clocal)
