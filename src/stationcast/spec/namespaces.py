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

#: Namespaces other feeds carry and stationcast does not write, by the prefix their
#: specifications use, so an element can be named the way its feed names it (dc:creator,
#: media:content): Dublin Core (DCMI), Media RSS (Yahoo's and the RSS Advisory Board's URIs),
#: FeedBurner, Google Play, RSS 1.0 syndication, Creative Commons RSS, RFC 5005.
FOREIGN_PREFIXES = MappingProxyType(
    {
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/terms/": "dcterms",
        "http://search.yahoo.com/mrss/": "media",
        "http://www.rssboard.org/media-rss": "media",
        "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
        "http://www.google.com/schemas/play-podcasts/1.0": "googleplay",
        "http://purl.org/rss/1.0/modules/syndication/": "sy",
        "http://backend.userland.com/creativeCommonsRssModule": "creativeCommons",
        HISTORY: "fh",
    }
)
