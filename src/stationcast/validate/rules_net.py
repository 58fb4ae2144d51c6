"""The rules on linked files, HTTP and the previous build.

Part of the catalogue that rules.py assembles; RULES.md is generated from it.
"""

from __future__ import annotations

from .rule_types import (
    A1,
    A2,
    A3,
    HTTP,
    PN_OTHER,
    PN_TR,
    PSP1,
    RFC5005,
    RSS2,
    SPOTIFY_DELETE,
    SSRF,
    STATE,
    Rule,
    _pn,
)

NET_RULES: list[Rule] = [
    # --- files and HTTP ----------------------------------------------------------------------
    Rule(
        "local.file.missing",
        "error",
        ("rss",),
        "A URL under the feed's own address points to a file that is not in the output folder.",
        "Publish the file, or fix the URL.",
        "stationcast, README.md 'Output' (the files of feeds/ and their URLs)",
    ),
    Rule(
        "http.fetch",
        "error",
        ("rss",),
        "The feed could not be downloaded.",
        "Check the URL, the server and your network; the message says what failed.",
        HTTP,
    ),
    Rule(
        "http.address",
        "error",
        ("rss",),
        "A URL points to a private, loopback or link-local address; refused.",
        "Podcast apps fetch from the internet, so check the feed at its public URL. Other "
        "addresses are refused so that a URL in a feed cannot make the check reach into your "
        "network.",
        SSRF,
    ),
    Rule(
        "http.scheme",
        "error",
        ("rss",),
        "A URL uses a scheme other than http/https, or a redirect downgraded https to http.",
        "Only http:// and https:// URLs are fetched; keep redirects on https.",
        SSRF,
    ),
    Rule(
        "http.redirects",
        "error",
        ("rss",),
        "Too many redirects (more than 5), or a redirect loop.",
        "Link the final URL directly.",
        f"{SSRF}; {HTTP} §15.4 (redirects)",
    ),
    Rule(
        "http.redirect.temporary",
        "warning",
        ("rss", "apple", "spotify", "podcastindex"),
        "The feed URL redirects temporarily (302, 303 or 307): apps keep asking the old URL.",
        "To move a feed for good, answer 301 or 308 (and keep the redirect for months); podcast "
        "apps and directories update a subscription only after a permanent redirect.",
        f"{HTTP} §15.4.2-15.4.9 (permanent and temporary redirects); Spotify, moving a "
        "podcast with a 301 redirect (support.spotify.com/podcasters/article/switching-away-from"
        "-spotify-for-podcasters-with-a-301-redirect); gPodder feed guidelines (a permanent "
        "redirect to the one canonical URL)",
    ),
    Rule(
        "http.fetch.summary",
        "info",
        ("rss",),
        "How the feed was fetched (with --remote): each redirect with its status, the time "
        "and the size.",
        "Link the final URL where you can: every redirect is another request for every app.",
        f"{HTTP} §15.4 (redirects)",
    ),
    Rule(
        "http.feed.content-type",
        "error",
        ("rss",),
        "The URL serves media, not a feed.",
        "Give the feed URL, not an episode or image URL.",
        f"{HTTP} §8.3 (Content-Type); {RSS2}",
    ),
    Rule(
        "http.unreachable",
        "error",
        ("rss", "apple", "spotify", "psp1", "podcastindex"),
        "A file the feed links to does not answer with a success status.",
        "Upload the file or fix the URL; the status is in the message.",
        f"{A2}; {HTTP}",
    ),
    Rule(
        "http.head",
        "error",
        ("apple", "psp1"),
        "The server does not answer HTTP HEAD requests.",
        "Apple requires HEAD support for the feed, artwork and media; configure the host or CDN.",
        f"{A2}; {PSP1}",
    ),
    Rule(
        "http.range",
        "error",
        ("apple", "psp1"),
        "The server does not answer 'Range: bytes=0-1' with 206 Partial Content.",
        "Enable byte-range requests on the host (Apple needs them for streaming and artwork).",
        f"{A2}; Podbase; Cast Feed Validator",
    ),
    Rule(
        "http.conditional",
        "warning",
        ("apple",),
        "The feed is served without ETag or Last-Modified.",
        "Let the server send ETag or Last-Modified so Apple's crawler can use conditional GET.",
        A3,
    ),
    Rule(
        "http.enclosure.content-type",
        "warning",
        ("apple", "rss"),
        "The media file is served with a Content-Type other than the enclosure type.",
        "Configure the server's MIME types (e.g. .m4a → audio/x-m4a, .mp3 → audio/mpeg).",
        f"{A1}; {HTTP}",
    ),
    Rule(
        "http.transcript.content-type",
        "error",
        ("podcastindex",),
        "A transcript is served with a Content-Type other than its declared type.",
        "Serve .vtt as text/vtt, .srt as application/x-subrip, .json as application/json, "
        ".html as text/html.",
        f"{_pn('transcript')}; {PN_TR}",
    ),
    Rule(
        "http.cors",
        "warning",
        ("podcastindex",),
        "A transcript or chapters file has no Access-Control-Allow-Origin header.",
        "Send 'Access-Control-Allow-Origin: *' so web players can load it.",
        f"{PN_TR} ('CORS headers are required')",
    ),
    # --- against the previous build -----------------------------------------------------
    Rule(
        "state.guid.changed",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "A published episode's GUID changed; apps will show it as a new episode.",
        "Restore the old GUID: it must never change, even if the title or audio does.",
        f"{STATE}; {A1}",
    ),
    Rule(
        "state.episode.vanished",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "A published episode is missing from the feed; directories will delete it.",
        "Put it back, or unpublish it explicitly.",
        f"{SPOTIFY_DELETE}; {PN_OTHER} and {RFC5005} (page a long feed, do not drop items)",
    ),
    Rule(
        "state.enclosure.changed",
        "warning",
        ("rss", "apple"),
        "A published episode's enclosure URL changed; some apps download it again.",
        "Keep enclosure URLs stable unless the audio really changed.",
        f"{A1} (the enclosure URL identifies an episode without a GUID); {A2}",
    ),
    Rule(
        "state.podcast-guid.changed",
        "error",
        ("podcastindex", "psp1"),
        "<podcast:guid> differs from the published one.",
        "The podcast GUID is assigned once and follows the show forever.",
        _pn("guid"),
    ),
    Rule(
        "state.unreadable",
        "error",
        ("rss",),
        "The previous-state file cannot be read.",
        "Point --state to the build's state JSON file, or leave it out.",
        "stationcast, src/stationcast/build/state.py (the build's state file)",
    ),
    # --- validate --audio: the enclosure files themselves ----------------------------------
    Rule(
        "audio.type",
        "error",
        ("rss", "apple", "spotify", "podcastindex"),
        "An enclosure file is another format than its declared type (with --audio; over the "
        "network, by its first bytes): an M4A announced as audio/mpeg, an MP3 as audio/x-m4a.",
        "Give the type the file is (audio/mpeg for MP3, audio/x-m4a for M4A/AAC): apps choose "
        "their decoder by it, and some refuse a file that is not what the feed says.",
        f"{A2}; {RSS2} (enclosure type)",
    ),
    Rule(
        "audio.duration",
        "warning",
        ("rss", "apple", "spotify", "podcastindex"),
        "<itunes:duration> differs from the enclosure's real length by more than a second "
        "(or 1% of a long file) (with --audio; over the network, measured through Range "
        "requests for the few blocks the probe reads).",
        "Give the audio's own length: players show the feed's figure, and transcripts, "
        "chapters and soundbites are timed against the audio.",
        f"{A1} (itunes:duration)",
    ),
    Rule(
        "audio.unreadable",
        "error",
        ("rss", "apple", "spotify", "podcastindex"),
        "An enclosure file is not audio stationcast can read, or looks truncated (with --audio).",
        "Export the audio again (MP3 or M4A); the message says what is wrong with the file.",
        f"{A2}",
    ),
    # --- validate --apps: the feed as podcast apps' parsers read it -------------------------
    Rule(
        "apps.summary",
        "info",
        ("rss", "apple", "spotify", "psp1", "podcastindex"),
        "What a podcast app's feed parser sees (with --apps): items, and for each kind of "
        "link or detail the feed has, on how many items the parser sees it as the feed says.",
        "Nothing to do: the line shows the feed as a listener's app gets it.",
        "feedparser (feedparser.readthedocs.io); podcastparser, gPodder's parser "
        "(github.com/gpodder/podcastparser)",
    ),
    Rule(
        "apps.differs",
        "warning",
        ("rss", "apple", "spotify", "psp1", "podcastindex"),
        "A podcast app's feed parser sees less than, or other than, what the feed says (with "
        "--apps), for no reason known to be the parser's: items it does not list, another "
        "enclosure or duration, or it fails on the feed.",
        "Check the item the message names: apps built on that parser show their listeners "
        "what the parser sees.",
        "feedparser (feedparser.readthedocs.io); podcastparser, gPodder's parser "
        "(github.com/gpodder/podcastparser)",
    ),
    Rule(
        "apps.limit",
        "info",
        ("rss", "apple", "spotify", "psp1", "podcastindex"),
        "A podcast app's feed parser sees less than the feed says because of a known limit of "
        "the parser (with --apps): podcastparser reads podcast: tags only under the old GitHub "
        "namespace URI; feedparser keeps one podcast:transcript and no podcast:person name.",
        "Nothing in the feed to fix: listeners of apps built on that parser do not get it.",
        "feedparser (feedparser.readthedocs.io); podcastparser, gPodder's parser "
        "(github.com/gpodder/podcastparser)",
    ),
    Rule(
        "apps.unavailable",
        "info",
        ("rss", "apple", "spotify", "psp1", "podcastindex"),
        "An app's feed parser is not installed, so --apps could not read the feed with it.",
        "pip install 'stationcast[apps]' (feedparser and podcastparser).",
        "stationcast, pyproject.toml `[project.optional-dependencies] apps` "
        "(feedparser.readthedocs.io, github.com/gpodder/podcastparser)",
    ),
]
