"""The rules on the Podcasting 2.0 namespace.

Part of the catalogue that rules.py assembles; RULES.md is generated from it.
"""

from __future__ import annotations

from .rule_types import _PN_REPO, A4, PN, PN_CH, PN_TR, Rule, _pn

PODCAST_RULES: list[Rule] = [
    # --- Podcasting 2.0 ---------------------------------------------------------------------
    Rule(
        "podcast.https",
        "error",
        ("podcastindex", "psp1"),
        "A URL in a podcast: tag uses http:, not https:.",
        "Serve the resource over https and link it with https://.",
        PN,
    ),
    Rule(
        "podcast.publisher.feeds",
        "error",
        ("podcastindex",),
        "A publisher feed (podcast:medium publisher) lists no feed.",
        'Add a <podcast:remoteItem feedGuid="..." feedUrl="..." medium="podcast"/> in <channel>'
        " for each of the publisher's shows.",
        f"{PN}; publishers/publishers.md ('One or more <podcast:remoteItem> tags that link to"
        " podcast feeds')",
    ),
    Rule(
        "podcast.attribute.missing",
        "error",
        ("podcastindex",),
        "A podcast: tag lacks a required attribute.",
        "All attributes are required unless the spec marks them optional.",
        f"{PN} ('All attributes are required unless explicitly specified as optional'); "
        "docs/tags/*.md",
    ),
    Rule(
        "podcast.value.invalid",
        "error",
        ("podcastindex",),
        "A podcast: tag has a value outside what its spec allows.",
        "See the tag's page in the Podcasting 2.0 namespace for the allowed values.",
        f"{PN}; docs/tags/*.md",
    ),
    Rule(
        "podcast.image.purpose",
        "info",
        ("podcastindex",),
        "A <podcast:image purpose> token is not one the spec lists; apps that do not know it "
        "ignore it.",
        "Nothing to fix if the token is meant for an app that knows it; otherwise use a token "
        "the tag's page lists.",
        _pn("image"),
    ),
    Rule(
        "podcast.text.length",
        "warning",
        ("podcastindex",),
        "A podcast: value is longer than its spec's limit (128 characters for most).",
        "Shorten it; aggregators may truncate it.",
        f"Podcasting 2.0 namespace, docs/tags/*.md ({_PN_REPO})",
    ),
    Rule(
        "podcast.text.empty",
        "error",
        ("podcastindex",),
        "A podcast: tag whose value is required is empty.",
        "Give the tag its text (a name, a place, a number…).",
        "docs/tags/*.md",
    ),
    Rule(
        "podcast.parent",
        "warning",
        ("podcastindex",),
        "A podcast: tag is in a place its spec does not allow.",
        "Move it to its parent element (channel or item) as the spec says.",
        "docs/tags/*.md (Parent)",
    ),
    Rule(
        "podcast.count",
        "warning",
        ("podcastindex",),
        "A podcast: tag that may appear only once appears more than once.",
        "Keep one.",
        "docs/tags/*.md (Count)",
    ),
    Rule(
        "podcast.children",
        "error",
        ("podcastindex",),
        "A podcast: tag lacks the child elements its spec requires.",
        "e.g. podcast:alternateEnclosure needs a podcast:source; podcast:liveItem needs "
        "podcast:contentLink.",
        "docs/tags/*.md (Node value)",
    ),
    Rule(
        "podcast.unknown",
        "info",
        ("podcastindex",),
        "An element in the podcast namespace is not in the spec (a typo?).",
        "Check the spelling against docs/1.0.md; tag names are case-sensitive.",
        PN,
    ),
    Rule(
        "podcast.deprecated",
        "warning",
        ("podcastindex",),
        "<podcast:images> is deprecated.",
        "Use <podcast:image> instead.",
        _pn("images"),
    ),
    Rule(
        "podcast.transcript.type",
        "error",
        ("podcastindex", "psp1"),
        "<podcast:transcript type> is not a transcript format the spec names.",
        "Use text/vtt, text/html, application/json, application/x-subrip or text/plain.",
        f"{_pn('transcript')}",
    ),
    Rule(
        "podcast.person.role",
        "warning",
        ("podcastindex",),
        "A podcast:person role or group is not in the Podcast Taxonomy.",
        "Use a role/group from taxonomy.json (e.g. host, guest, reporter, producer; group cast, "
        "writing…); the role must belong to the group.",
        f"{_pn('person')}; taxonomy-en.json",
    ),
    Rule(
        "podcast.person.host",
        "info",
        ("podcastindex",),
        "Item-level podcast:person tags replace the channel's, and this item drops the host.",
        "Re-state the channel's host on items that add guests.",
        f"{_pn('person')}",
    ),
    Rule(
        "podcast.chapters.type",
        "warning",
        ("podcastindex",),
        "<podcast:chapters type> is not application/json+chapters.",
        'Publish JSON chapters and declare type="application/json+chapters".',
        f"{_pn('chapters')}; {PN_CH}",
    ),
    Rule(
        "podcast.chapters.json",
        "error",
        ("podcastindex",),
        "The chapters file is not valid JSON chapters.",
        'It needs {"version": "1.2.0", "chapters": [{"startTime": 0, …}]} with ascending '
        "numeric startTime.",
        PN_CH,
    ),
    Rule(
        "podcast.guid.format",
        "error",
        ("podcastindex", "psp1"),
        "<podcast:guid> is not a UUID.",
        "Write the UUIDv5 of the feed URL without scheme, e.g. "
        "917393e3-1b1e-5cef-ace4-edaa54e1f810.",
        f"{_pn('guid')}",
    ),
    Rule(
        "podcast.guid.version",
        "warning",
        ("podcastindex", "psp1"),
        "<podcast:guid> is a UUID but not a version 5 UUID.",
        "Derive it once with UUIDv5 (namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6) from the "
        "feed URL.",
        f"{_pn('guid')}",
    ),
    Rule(
        "podcast.guid.url",
        "info",
        ("podcastindex",),
        "<podcast:guid> is not derived from the current self URL.",
        "Fine if the feed moved (the GUID must stay); otherwise check how it was computed.",
        f"{_pn('guid')}",
    ),
    Rule(
        "podcast.transcript.vtt",
        "warning",
        ("podcastindex", "apple"),
        "A WebVTT transcript is malformed or hard to read.",
        "Start with WEBVTT, give every cue a 'start --> end' line, mark speakers with <v Name>, "
        "keep lines under 65 characters.",
        f"{PN_TR}; {A4}",
    ),
    Rule(
        "podcast.transcript.srt",
        "warning",
        ("podcastindex",),
        "An SRT transcript is malformed or breaks the caption layout limits.",
        "Number every cue, give it a 'start --> end' line, at most 2 lines of 32 characters.",
        PN_TR,
    ),
    Rule(
        "podcast.transcript.json",
        "warning",
        ("podcastindex",),
        "A JSON transcript does not follow the Podcasting 2.0 transcript format.",
        'It needs {"version": "1.0.0", "segments": [{"startTime", "endTime", "body"…}]}.',
        PN_TR,
    ),
]
