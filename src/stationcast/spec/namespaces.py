"""XML namespace URIs, exactly as the specifications spell them."""

from __future__ import annotations

from types import MappingProxyType

#: Apple, "A Podcaster's Guide to RSS" (help.apple.com/itc/podcasts_connect/#/itcb54353390).
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: Podcastindex-org/podcast-namespace docs/1.0.md.
PODCAST = "https://podcastindex.org/namespace/1.0"
#: docs/1.0.md: clients "must also recognize" this older URI as identical. gPodder's
#: podcastparser 0.6.11 recognises only this one.
PODCAST_GITHUB = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
#: RFC 4287 (Atom), used in RSS for atom:link.
ATOM = "http://www.w3.org/2005/Atom"
#: RSS 1.0 content module (content:encoded).
CONTENT = "http://purl.org/rss/1.0/modules/content/"
#: RFC 5005 (Feed Paging and Archiving), fh:archive.
HISTORY = "http://purl.org/syndication/history/1.0"

#: The conventional prefix of each well-known namespace.
KNOWN = MappingProxyType({"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "content": CONTENT})
#: Prefix by URI, both podcast URIs included.
PREFIXES = MappingProxyType(
    {
        ITUNES: "itunes",
        PODCAST: "podcast",
        PODCAST_GITHUB: "podcast",
        ATOM: "atom",
        CONTENT: "content",
    }
)
