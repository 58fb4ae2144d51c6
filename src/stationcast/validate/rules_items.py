"""The rules on items.

Part of the catalogue that rules.py assembles; RULES.md is generated from it.
"""

from __future__ import annotations

from .rule_types import A1, A2, A3, PN_OTHER, PSP1, RSS2, SPOT, W3C, Rule, _pn

ITEM_RULES: list[Rule] = [
    # --- items -------------------------------------------------------------------------------
    Rule(
        "rss.item.title",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "An item has no <title>.",
        "Give every episode a title.",
        f"{A1}; {PSP1}; {SPOT}",
    ),
    Rule(
        "rss.item.enclosure",
        "error",
        ("apple", "spotify", "psp1"),
        "An item has no <enclosure>.",
        "Every episode needs <enclosure url length type>.",
        f"{A1}; {A2}; {PSP1}",
    ),
    Rule(
        "rss.enclosure.attributes",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "An <enclosure> lacks url, length or type.",
        'Write all three: <enclosure url="https://…/ep.mp3" length="BYTES" type="audio/mpeg"/>.',
        f"{RSS2}; {A1}",
    ),
    Rule(
        "rss.enclosure.url",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "The enclosure URL is not an absolute http(s) URL.",
        "Use the full https:// URL.",
        f"{RSS2}; {A1}",
    ),
    Rule(
        "apple.url.ascii",
        "error",
        ("apple",),
        "A media or artwork URL contains spaces or non-ASCII characters.",
        "Use only a-z, A-Z, 0-9, '-', '_', '.' in file names, or percent-encode the URL.",
        A2,
    ),
    Rule(
        "rss.enclosure.length",
        "error",
        ("rss", "apple", "psp1"),
        "The enclosure length is not a whole number of bytes.",
        'Write the file size in bytes, e.g. length="24986239".',
        f"{RSS2}; {A1}",
    ),
    Rule(
        "rss.enclosure.length-zero",
        "warning",
        ("rss", "apple"),
        "The enclosure length is 0.",
        "Write the real file size in bytes; 0 is only for a size that cannot be known.",
        f"{RSS2} best practices",
    ),
    Rule(
        "rss.enclosure.multiple",
        "warning",
        ("rss", "apple"),
        "An item has more than one <enclosure>; apps use only one.",
        "Keep one enclosure per item; offer other formats with podcast:alternateEnclosure.",
        f"{RSS2} best practices; {_pn('alternateEnclosure')}",
    ),
    Rule(
        "apple.enclosure.type",
        "error",
        ("apple", "psp1"),
        "The enclosure type is not one Apple supports.",
        "Use audio/mpeg (MP3), audio/x-m4a (M4A), video/mp4, video/x-m4v, video/quicktime or "
        "application/pdf.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.enclosure.type-alias",
        "warning",
        ("apple",),
        "The enclosure type is a non-standard spelling of a supported type.",
        "Write the type as Apple lists it (e.g. audio/x-m4a for .m4a, audio/mpeg for .mp3).",
        A1,
    ),
    Rule(
        "apple.enclosure.extension",
        "error",
        ("apple",),
        "The enclosure URL's file extension is unsupported or does not match its type.",
        "Apple decides by the extension in the URL: .mp3, .m4a, .mp4, .m4v, .mov or .pdf, "
        "matching the type.",
        f"{A1}; {W3C} UnsupportedItunesFormat",
    ),
    Rule(
        "analytics.prefix.target",
        "error",
        ("rss",),
        "The enclosure URL starts with a prefix analytics service's prefix, but what follows it"
        " is not a media URL (a host and a path ending in the file's extension).",
        "Write the service's prefix followed by the full media URL without its https://, as the"
        " service's set-up instructions show (https://op3.dev/e/media.example.org/ep1.mp3).",
        "the prefix services' set-up instructions: OP3's README (github.com/skymethod/op3),"
        " the others in src/stationcast/spec/analytics.py",
    ),
    Rule(
        "analytics.prefix.scheme",
        "warning",
        ("rss",),
        "The media URL after a prefix analytics service's prefix keeps its https:// (or"
        " http://), which that service does not expect.",
        "Drop the scheme after the prefix (https://dts.podtrac.com/redirect.mp3/"
        "media.example.org/ep1.mp3).",
        "the prefix services' set-up instructions: OP3's README (github.com/skymethod/op3),"
        " the others in src/stationcast/spec/analytics.py",
    ),
    Rule(
        "apple.enclosure.duplicate",
        "error",
        ("apple", "spotify", "psp1"),
        "Two items share an enclosure URL; Apple ignores the duplicates.",
        "Give every episode its own media file URL.",
        f"{A2}; {W3C} DuplicateEnclosure",
    ),
    Rule(
        "apple.enclosure.size",
        "error",
        ("apple", "spotify", "psp1"),
        "The enclosure length differs from the real size of the file.",
        "Write the exact byte size of the published file in length=.",
        f"{A1}; {RSS2}",
    ),
    Rule(
        "rss.item.guid",
        "error",
        ("apple", "spotify", "psp1"),
        "An item has no <guid> (or an empty one).",
        'Give every episode a permanent unique <guid isPermaLink="false">; never change it.',
        f"{A2}; {A3} (required since 2023); {PSP1}",
    ),
    Rule(
        "rss.guid.duplicate",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "Two items share a <guid>; apps merge or drop them.",
        "Each episode needs its own GUID (GUIDs are case-sensitive).",
        f"{A3}; {PN_OTHER}",
    ),
    Rule(
        "rss.guid.permalink",
        "warning",
        ("rss",),
        "The <guid> is not a URL but isPermaLink is true (the RSS default).",
        'Add isPermaLink="false" to GUIDs that are not web addresses.',
        f"{RSS2}; {W3C}",
    ),
    Rule(
        "rss.date.format",
        "error",
        ("rss", "apple", "psp1"),
        "A date is not in RFC 2822 form with a time zone.",
        "Write e.g. 'Tue, 22 Sep 2015 17:35:00 -0400' (English day and month, 24 h time, zone).",
        f"{RSS2}; {A1}; {PSP1}",
    ),
    Rule(
        "rss.date.obsolete",
        "warning",
        ("rss", "apple", "psp1"),
        "A date uses a form RFC 822 allows and RFC 2822 calls obsolete (a two-digit year, "
        "names in another letter case, a comment, a military zone, odd spacing); it is valid "
        "RSS 2.0, but some apps misread it.",
        "Write the modern form, e.g. 'Tue, 22 Sep 2015 17:35:00 -0400' (the message gives it).",
        f"{RSS2} (RFC 822 dates); RFC 2822 section 4.3 (rfc-editor.org/rfc/rfc2822); {W3C} "
        "(ProblematicalRFC822Date)",
    ),
    Rule(
        "rss.date.future",
        "error",
        ("apple", "psp1"),
        "An episode's <pubDate> is in the future.",
        "Check the time zone of the date; publish scheduled episodes when they are due.",
        f"{A1}; stationcast issue #6",
    ),
    Rule(
        "psp1.pubdate.missing",
        "warning",
        ("psp1",),
        "An item has no <pubDate>.",
        "Give every episode its publication date.",
        f"{PSP1} (recommended); {A1}",
    ),
    Rule(
        "apple.duration.format",
        "warning",
        ("apple", "psp1"),
        "<itunes:duration> is not seconds or [[HH:]MM:]SS.",
        "Write the duration in whole seconds, e.g. <itunes:duration>1832</itunes:duration>.",
        f"{A1}; {W3C} validators.py duration",
    ),
    Rule(
        "psp1.duration.seconds",
        "info",
        ("psp1",),
        "<itunes:duration> is in HH:MM:SS form; PSP-1 asks for seconds.",
        "Write the duration as a number of seconds.",
        PSP1,
    ),
    Rule(
        "apple.episode.value",
        "error",
        ("apple", "psp1"),
        "<itunes:episode> is not a positive whole number.",
        "Write e.g. <itunes:episode>12</itunes:episode>.",
        f"{A1}; {W3C}",
    ),
    Rule(
        "apple.season.value",
        "error",
        ("apple", "psp1"),
        "<itunes:season> is not a positive whole number.",
        "Write e.g. <itunes:season>2</itunes:season>.",
        f"{A1}; {W3C}",
    ),
    Rule(
        "apple.episodetype.value",
        "error",
        ("apple", "psp1"),
        "<itunes:episodeType> must be full, trailer or bonus.",
        "Write full, trailer or bonus.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.item.description.length",
        "warning",
        ("apple", "psp1"),
        "An episode description is longer than 4000 bytes.",
        "Shorten the show notes to at most 4000 bytes; link to the transcript page for more.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.description.html",
        "warning",
        ("apple", "psp1"),
        "A description uses HTML that apps strip or refuse.",
        "Use only <p> <ol> <ul> <li> <a> <b> <i> <strong> <em> <br>, and http(s)/mailto links.",
        f"{A1}; {PSP1}; {PN_OTHER}",
    ),
    Rule(
        "apple.title.numbers",
        "warning",
        ("apple", "psp1"),
        "An episode title contains an episode or season number.",
        "Put numbers in <itunes:episode>/<itunes:season>; keep the title to the story.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.title.show-name",
        "warning",
        ("apple",),
        "An episode title repeats the show's name.",
        "Drop the show name from episode titles.",
        A1,
    ),
]
