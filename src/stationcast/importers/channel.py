"""`stationcast import feed`, the show: a feed's channel -> show.yaml.

One step per group of fields, in the order show.yaml lists them: what the show is (title,
description, language), where it will be published (base_url), who makes it, its artwork and
categories, its podcast:guid, the Podcasting 2.0 channel tags the model takes, and the station.
Tags show.yaml has no field for are listed in a comment at its end and in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stationcast.manifest.write import (
    TODO,
    Block,
    Comment,
    Entry,
    ManifestText,
    accepted,
    manifest_text,
    refusal,
)
from stationcast.models import Show
from stationcast.scaffold import slugify
from stationcast.spec.apple import check_category, current_category
from stationcast.spec.namespaces import ATOM
from stationcast.spec.podcast import podcast_guid

from .feedvalues import credit, describe_node, explicit, location, short_tag, url
from .htmltext import html_to_text
from .page import ImportReport
from .rss import Feed, FeedItem, Node, itunes_tag, podcast_tag

# Channel tags the show's manifest is made from (or that `stationcast build` writes anew).
_HANDLED = {
    "title",
    "description",
    "language",
    "link",
    "copyright",
    "image",
    "item",
    "lastBuildDate",
    "pubDate",
    "generator",
    "docs",
    "ttl",
    itunes_tag("summary"),
    itunes_tag("author"),
    itunes_tag("owner"),
    itunes_tag("image"),
    itunes_tag("explicit"),
    itunes_tag("category"),
    itunes_tag("type"),
    *podcast_tag("guid"),
}


@dataclass
class _Channel:
    """The channel being read into show.yaml: the entries so far and the tags they used."""

    feed: Feed
    where: str
    report: ImportReport
    entries: list[Entry | Comment] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)
    extra: list[Node] = field(default_factory=list)  # elements of consumed tags not carried

    @property
    def node(self) -> FeedItem:
        return self.feed.channel

    def carry(
        self,
        tags: tuple[str, ...],
        names: tuple[str, ...],
        candidates: list[Any],
        comment: str = "",
    ) -> bool:
        """Write the first candidate a field of `names` takes, and count `tags` as used."""
        got = accepted(Show, names, candidates) if candidates else None
        if got:
            self.entries.append(Entry(got[0], got[1], comment=comment))
            self.consumed.update(tags)
        return got is not None


def show_yaml(
    feed: Feed,
    where: str,
    self_url: str,
    report: ImportReport,
    archive_items: int | None = None,
    unnumbered: int = 0,
) -> ManifestText:
    """show.yaml from the channel of `feed` (read from `where`, published at `self_url`).

    archive_items: the number of items on the old feed's first page, when its older items
    came from RFC 5005 archive pages (the new feed pages the same way).
    unnumbered: how many of the items (on every page) have no episode number.
    """
    ch = _Channel(feed, where, report)
    title = _identity(ch)
    _base_url(ch, self_url, title)
    author = _makers(ch)
    _artwork(ch)
    ch.entries.append(Entry("explicit", bool(explicit(ch.node.text(itunes_tag("explicit"))))))
    _categories(ch)
    _show_type(ch, unnumbered)
    _podcast_guid(ch, self_url)
    _ownership(ch)
    _links(ch)
    if archive_items:
        ch.entries.append(
            Entry(
                "archive",
                Block([Entry("feed_items", archive_items)]),
                comment="The old feed kept its older episodes on RFC 5005 archive pages; so does"
                " this one",
            )
        )
    _podcasting20(ch)
    _live(ch)
    donate = _funding(ch)
    leftovers = _leftovers(ch)
    ch.entries.append(Entry("station", _station(author or title, donate)))
    if leftovers:
        ch.entries.append(
            Comment(
                "Not carried over from the old feed's channel (show.yaml has no field for these"
                " yet):"
            )
        )
        ch.entries.extend(Comment(f"  {text}", wrap=False) for text in leftovers)
    return manifest_text(
        Show,
        ch.entries,
        header=[
            f"Written by `stationcast import feed` from {where}.",
            f"Fields marked {TODO} are not in the feed; the values there are placeholders.",
        ],
    )


def _show_type(ch: _Channel, unnumbered: int) -> None:
    """itunes:type; a serial show whose items are not all numbered is written as episodic with
    a TODO (Apple orders a serial show by episode number, and the build refuses it without)."""
    show_type = ch.node.text(itunes_tag("type")).lower()
    if show_type == "serial" and unnumbered:
        ch.entries.append(
            Entry(
                "type",
                "episodic",
                todo=f"the old feed is a serial show, but {unnumbered} of its items have no"
                " itunes:episode number; give every episode its `episode:` number, then write"
                " `type: serial`",
            )
        )
    elif show_type in ("episodic", "serial"):
        ch.entries.append(Entry("type", show_type))


def _identity(ch: _Channel) -> str:
    """title, description and language; returns the title."""
    title = ch.node.text("title")
    ch.entries.append(Entry("title", title, todo="" if title else "the feed has no title"))
    description = html_to_text(ch.node.text(itunes_tag("summary")) or ch.node.text("description"))
    todo = ""
    if not description:
        todo, description = "the feed has no description; write one", title
    ch.entries.append(Entry("description", description, todo=todo))
    language = ch.node.text("language").lower()
    todo = ""
    if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", language):
        todo = (
            f"the feed's language {language!r} is not an ISO 639 code; en is a placeholder"
            if language
            else "the feed gives no language; en is a placeholder"
        )
        language = "en"
    ch.entries.append(Entry("language", language, todo=todo))
    return title


def _base_url(ch: _Channel, self_url: str, title: str) -> None:
    """The old feed's folder when it ended in /feed.xml (the new feed replaces it), else a
    placeholder; a TODO either way."""
    parent = self_url.rsplit("/", 1)[0] + "/" if self_url.endswith("/feed.xml") else ""
    if parent and url(parent):
        ch.entries.append(
            Entry(
                "base_url",
                parent,
                todo="where feeds/ will be published; this is the old feed's folder, so the new"
                f" feed.xml replaces {self_url} (check, or redirect the old URL)",
            )
        )
        return
    old = (
        f"; the old feed was {self_url}: redirect it to the new feed.xml, or set"
        " <itunes:new-feed-url> there"
        if self_url
        else ""
    )
    ch.entries.append(
        Entry(
            "base_url",
            f"https://podcasts.example.org/{slugify(title) if title else 'show'}/",
            todo=f"where feeds/ will be published (the value is a placeholder){old}",
        )
    )


def _makers(ch: _Channel) -> str:
    """link, author and copyright; returns the author."""
    link = ch.node.text("link")
    if link and url(link):
        ch.entries.append(Entry("link", link))
    author = ch.node.text(itunes_tag("author")) or ch.feed.owner.get("name", "")
    if author:
        ch.entries.append(Entry("author", author))
    if ch.node.text("copyright"):
        ch.entries.append(Entry("copyright", ch.node.text("copyright")))
    return author


def _artwork(ch: _Channel) -> None:
    image = ch.node.first(itunes_tag("image"))
    image_url = (image.attrs.get("href", "") if image is not None else "") or ch.node.text("image")
    shown = f" ({image_url.strip()})" if image_url.strip() else ""
    ch.entries.append(
        Entry(
            "artwork",
            "artwork.jpg",
            todo=f"download the show's artwork{shown} into this folder under this name (square"
            " JPEG or PNG, 1400-3000 px)",
        )
    )


def _categories(ch: _Channel) -> None:
    """The feed's categories as Apple lists them now: one Apple retired in 2019 becomes the
    category that replaced it, and a subcategory Apple does not list keeps its valid parent
    (each with a note); one with no current equivalent at all is a note."""
    categories: list[str] = []
    for category, sub in ch.feed.categories:
        given = f"{category}{' > ' + sub if sub else ''}"
        current = current_category(category, sub)
        if current is None:
            reason = "Apple Podcasts has no such category"
            try:
                check_category(category, sub)
            except ValueError as exc:
                reason = str(exc).split(" Valid ")[0]
            ch.report.notes.append(
                f"{ch.where}: itunes:category {given} not carried over: {reason}"
            )
            continue
        text = f"{current[0]} > {current[1]}" if current[1] else current[0]
        if text != given:
            ch.report.notes.append(
                f"{ch.where}: itunes:category {given} is not in Apple's current list; imported"
                f" as {text}"
                + (
                    " (its successor since Apple's 2019 revision)"
                    if current[0] != category or current[1] is not None
                    else " (its parent)"
                )
            )
        if text not in categories:
            categories.append(text)
    todo = ""
    if not categories:
        todo = "the feed has no valid Apple Podcasts category; News is a placeholder"
        categories = ["News"]
    ch.entries.append(Entry("categories", categories, todo=todo))


def _podcast_guid(ch: _Channel, self_url: str) -> None:
    """podcast:guid as the feed gives it, else computed from the old feed's URL, else a TODO."""
    guid = ch.node.text(*podcast_tag("guid"))
    guid_from = "kept from the old feed"
    if not guid and self_url:
        try:
            guid, guid_from = podcast_guid(self_url), f"computed from the old feed URL {self_url}"
        except ValueError:
            guid = ""
    if not guid:
        ch.entries.append(
            Entry(
                "podcast_guid",
                "...",
                todo="the feed has no podcast:guid and its old URL is unknown (no atom:link"
                " rel=self); import again with --feed-url OLD-URL (or from the URL), or set"
                " base_url and let `stationcast build` give the line",
                commented_out=True,
            )
        )
        return
    got = accepted(Show, ("podcast_guid", "guid"), [guid])
    if got:
        ch.entries.append(
            Entry(
                got[0],
                got[1],
                comment=f"podcast:guid, {guid_from}: it identifies the show across feed moves."
                " Never change it.",
            )
        )
        return
    ch.entries.append(
        Comment(
            f"podcast:guid: {guid} ({guid_from}). show.yaml has no field for it yet: keep this"
            " line, and add it when it does."
        )
    )
    ch.report.notes.append(
        f"show.yaml: podcast:guid {guid} ({guid_from}) kept as a comment: the show model"
        " has no field for it yet"
    )


def _ownership(ch: _Channel) -> None:
    """itunes:owner, podcast:locked, itunes:block and itunes:complete."""
    if ch.feed.owner.get("email"):
        owner = {k: v for k, v in ch.feed.owner.items() if v}
        if ch.carry((itunes_tag("owner"),), ("owner",), [owner]):
            ch.feed.owner.pop("email")
            ch.entries.append(
                Entry(
                    "itunes_owner",
                    True,
                    comment="the old feed had itunes:owner: directories verify ownership by its"
                    " e-mail",
                )
            )
    locked = ch.node.first(*podcast_tag("locked"))
    if locked is not None:
        ch.carry(
            podcast_tag("locked"),
            ("locked",),
            [locked.text.strip().lower() == "yes"],
            "podcast:locked: other hosts must refuse to import this feed",
        )
    for name in ("block", "complete"):
        node = ch.node.first(itunes_tag(name))
        if node is not None:
            ch.carry((itunes_tag(name),), (name,), [node.text.strip().lower() == "yes"])


# RFC 5005 and RFC 5023 paging: the import follows the archive pages, and the build writes
# its own links.
_PAGING = {"first", "last", "next", "previous", "prev", "prev-archive", "next-archive", "current"}


def _links(ch: _Channel) -> None:
    """atom:link: `self` and paging links are the build's to write, `hub` (WebSub) is
    websub_hubs; any other is listed."""
    hubs: list[str] = []
    hub_nodes: list[Node] = []
    for node in ch.node.all(f"{{{ATOM}}}link"):
        rel = (node.attrs.get("rel") or "alternate").strip().lower()
        if rel == "hub" and node.attrs.get("href", "").strip():
            hubs.append(node.attrs["href"].strip())
            hub_nodes.append(node)
        elif rel != "self" and rel not in _PAGING:
            ch.extra.append(node)
    if hubs and not ch.carry((), ("websub_hubs",), [hubs]):
        ch.extra.extend(hub_nodes)
    ch.consumed.add(f"{{{ATOM}}}link")


# What a podcast:liveItem's children become; the others are listed.
_LIVE_CHILDREN = {"title", "guid", "enclosure", "link", "description"}


def _live(ch: _Channel) -> None:
    """podcast:liveItem as `live:` programs (stream, type and page from its enclosure and
    link); one the model refuses, and children it has no field for, are listed."""
    programs: list[dict[str, Any]] = []
    for live in ch.feed.live:
        enclosure = live.first("enclosure")
        program: dict[str, Any] = {
            "title": live.text("title"),
            "guid": live.text("guid"),
            **{
                key: live.attrs[key].strip()
                for key in ("start", "end", "status")
                if live.attrs.get(key, "").strip()
            },
        }
        if "status" in program:
            program["status"] = program["status"].lower()
        description = html_to_text(live.text("description"))
        if description:
            program["description"] = description
        if enclosure is not None and enclosure.attrs.get("url", "").strip():
            program["stream"] = enclosure.attrs["url"].strip()
            if enclosure.attrs.get("type", "").strip():
                program["type"] = enclosure.attrs["type"].strip()
        if live.text("link").startswith("https://"):
            program["page"] = live.text("link")
        why = refusal(Show, "live", [program])
        if why is None and not program.get("stream", "https://").startswith("https://"):
            why = f"its stream {program['stream']!r} is not https (podcast:source requires https)"
        if why is not None:
            ch.report.notes.append(
                f"{ch.where}:{live.line}: podcast:liveItem {program['title']!r} not carried over:"
                f" {why}"
            )
            ch.extra.append(Node("podcast:liveItem", {"guid": program["guid"]}, "", live.line))
            continue
        programs.append(program)
        for tag, nodes in live.fields.items():
            if tag not in _LIVE_CHILDREN:
                ch.extra.extend(
                    Node(f"podcast:liveItem/{short_tag(tag)}", n.attrs, n.text, n.line)
                    for n in nodes
                )
    if programs:
        ch.entries.append(Entry("live", programs))
    ch.consumed.update(podcast_tag("liveItem"))


def _podcasting20(ch: _Channel) -> None:
    """podcast:medium, license, person (the hosts), location, txt, updateFrequency, podroll."""
    node = ch.node
    medium = node.text(*podcast_tag("medium")).lower()
    if medium:
        ch.carry(podcast_tag("medium"), ("medium",), [medium])
    license_node = node.first(*podcast_tag("license"))
    if license_node is not None and license_node.text.strip():
        value = {"identifier": license_node.text.strip()}
        if license_node.attrs.get("url"):
            value["url"] = license_node.attrs["url"]
        ch.carry(podcast_tag("license"), ("license",), [value])
    people = node.all(podcast_tag("person")[0]) + node.all(podcast_tag("person")[1])
    found = (credit(n, ch.where, ch.report.notes, ch.report.dropped) for n in people)
    hosts = [c for c in found if c]
    if hosts:
        ch.carry(podcast_tag("person"), ("hosts",), [hosts])
    place = location(node)
    if place:
        ch.carry(
            podcast_tag("location"),
            ("location",),
            [{**place, "rel": place.get("rel", "creator")}, place],
        )
    txts = [
        {
            "text": " ".join(n.text.split()),
            **({"purpose": n.attrs["purpose"]} if n.attrs.get("purpose") else {}),
        }
        for tag in podcast_tag("txt")
        for n in node.all(tag)
    ]
    if txts:
        ch.carry(podcast_tag("txt"), ("txt",), [txts])
    _update_frequency(ch)
    _podroll(ch)


def _update_frequency(ch: _Channel) -> None:
    frequency = ch.node.first(*podcast_tag("updateFrequency"))
    if frequency is None or not frequency.text.strip():
        return
    value: dict[str, Any] = {"text": frequency.text.strip()}
    for attr, key in (("rrule", "rrule"), ("dtstart", "dtstart")):
        if frequency.attrs.get(attr):
            value[key] = frequency.attrs[attr]
    if frequency.attrs.get("complete"):
        value["complete"] = frequency.attrs["complete"].lower() == "true"
    ch.carry(podcast_tag("updateFrequency"), ("update_frequency",), [value])


def _podroll(ch: _Channel) -> None:
    podroll = ch.node.first(*podcast_tag("podroll"))
    if podroll is None:
        return
    remotes = [
        {
            "feed_guid": a.get("feedGuid", "").strip(),
            **{
                key: a[attr].strip()
                for attr, key in (("feedUrl", "feed_url"), ("title", "title"), ("medium", "medium"))
                if a.get(attr, "").strip()
            },
        }
        for tag, a in podroll.children
        if tag.endswith("}remoteItem")
    ]
    if remotes and not ch.carry(podcast_tag("podroll"), ("podroll",), [remotes]):
        # One the model refuses (no feedGuid, an http feedUrl) must not take the rest along.
        kept = [r for r in remotes if refusal(Show, "podroll", [r]) is None]
        if kept:
            ch.carry(podcast_tag("podroll"), ("podroll",), [kept])
        for remote in remotes:
            why = refusal(Show, "podroll", [remote])
            if why is not None:
                ch.report.notes.append(
                    f"show.yaml: podcast:podroll remoteItem {remote} not carried over: {why}"
                )
                ch.extra.append(Node("podcast:remoteItem", remote, "", podroll.line))


def _funding(ch: _Channel) -> str:
    """podcast:funding with an https URL: its text as funding_text; returns the URL (or "")."""
    funding = ch.node.first(*podcast_tag("funding"))
    if (
        funding is None
        or not funding.attrs.get("url", "").strip().startswith("https://")
        or not url(funding.attrs["url"])
    ):
        return ""
    if funding.text.strip():
        ch.carry((), ("funding_text",), [" ".join(funding.text.split())])
    ch.consumed.update(podcast_tag("funding"))
    return funding.attrs["url"].strip()


def _leftovers(ch: _Channel) -> list[str]:
    """The channel's tags show.yaml does not take, each also a note of the report."""
    leftovers: list[str] = []
    unused = [
        (short_tag(tag), node)
        for tag, nodes in ch.node.fields.items()
        if tag not in _HANDLED and tag not in ch.consumed
        for node in nodes
    ]
    for short, node in unused + [(short_tag(n.tag), n) for n in ch.extra]:
        detail = describe_node(node)
        leftovers.append(f"{short} {detail}".rstrip())
        ch.report.dropped[f"channel {short}"] += 1
        ch.report.notes.append(
            f"show.yaml: {short} not carried over (no show.yaml field yet): {detail}".rstrip(": ")
        )
    if ch.feed.owner.get("email"):
        ch.report.notes.append(
            f"show.yaml: itunes:owner email {ch.feed.owner['email']} not carried over (no"
            " show.yaml field)"
        )
    return leftovers


def _station(name: str, donate: str) -> Block:
    entries = [
        Entry(
            "name",
            name,
            todo="a podcast feed has no station details; the author's name is a placeholder:"
            " add slogan, address, phones",
        )
    ]
    if donate:
        entries.append(Entry("donate", donate))
    return Block(entries)
