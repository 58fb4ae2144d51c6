"""The rule catalogue and the result types: Rule, Finding, Report.

Every check in this package reports through a rule id listed in RULES; RULES.md is generated
from this table (`python -m stationcast.validate.rules > src/stationcast/validate/RULES.md`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: Which platforms each --profile covers. "rss" rules (XML, RSS 2.0, HTTP basics) are in all.
PROFILES: dict[str, frozenset[str]] = {
    "apple": frozenset({"rss", "apple"}),
    "spotify": frozenset({"rss", "spotify"}),
    "psp1": frozenset({"rss", "psp1", "podcastindex"}),
    "all": frozenset({"rss", "apple", "spotify", "psp1", "podcastindex"}),
}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    platforms: tuple[str, ...]
    summary: str
    hint: str
    source: str


@dataclass(frozen=True)
class Finding:
    """One rule that fired: where (line, element) and what exactly was wrong (message).

    `message` is safe to print: untrusted text in it has control characters escaped.
    """

    rule: Rule
    message: str
    line: int | None = None
    element: str | None = None

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.rule.id}: {self.message}"


@dataclass
class Report:
    findings: list[Finding]
    location: str
    profile: str = "all"
    items: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.severity == "info"]

    def ok(self, strict: bool = False) -> bool:
        """No errors (and, when strict, no warnings either)."""
        if strict:
            return not any(f.rule.severity in ("error", "warning") for f in self.findings)
        return not any(f.rule.severity == "error" for f in self.findings)

    def describe(self, finding: Finding) -> str:
        """GNU-style one-liner: `feed.xml:12: apple.image.size: message`."""
        where = f"{self.location}:{finding.line}" if finding.line else self.location
        return f"{where}: {finding.rule.id}: {finding.message}"

    def rule_ids(self) -> set[str]:
        return {f.rule.id for f in self.findings}

    def to_dict(self) -> dict[str, object]:
        return {
            "location": self.location,
            "profile": self.profile,
            "items": self.items,
            "ok": self.ok(),
            "counts": {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES},
            "findings": [
                {
                    "rule": f.rule.id,
                    "severity": f.rule.severity,
                    "platforms": list(f.rule.platforms),
                    "message": f.message,
                    "line": f.line,
                    "element": f.element,
                    "hint": f.rule.hint,
                }
                for f in self.findings
            ],
        }


# Sources, cited by every rule: the specifications, platform documents and repositories
# themselves (each with its URL or repository path), so RULES.md can be checked against them.
_PN_REPO = "github.com/Podcastindex-org/podcast-namespace"
A1 = "Apple, A Podcaster's Guide to RSS (help.apple.com/itc/podcasts_connect/#/itcb54353390)"
A2 = "Apple, Podcast RSS feed requirements (podcasters.apple.com/support/823-podcast-requirements)"
A3 = "Apple, Technical updates for hosting providers, 2022 (podcasters.apple.com/4115)"
A4 = "Apple, Transcripts on Apple Podcasts (podcasters.apple.com/support/5316)"
PSP1 = (
    "PSP-1 The Podcast RSS Standard "
    "(github.com/Podcast-Standards-Project/PSP-1-Podcast-RSS-Specification)"
)
RSS2 = "RSS 2.0 specification (rssboard.org/rss-specification)"
XML10 = "XML 1.0 (w3.org/TR/xml)"
W3C = "W3C Feed Validator (github.com/w3c/feedvalidator)"
SPOT = "Spotify reads the iTunes RSS format (support.spotify.com podcast-specification-doc)"
LXML = "lxml FAQ, using lxml safely with untrusted input (github.com/lxml/lxml doc/FAQ.txt)"
LIBXML2 = (
    "libxml2 parser limits XML_MAX_TEXT_LENGTH and xmlParserMaxDepth, lifted only by "
    "XML_PARSE_HUGE (gitlab.gnome.org/GNOME/libxml2 include/libxml/parserInternals.h)"
)
HTTP = "RFC 9110 HTTP semantics (rfc-editor.org/rfc/rfc9110)"
RFC5005 = "RFC 5005 Feed Paging and Archiving (rfc-editor.org/rfc/rfc5005)"
SSRF = (
    "Stringer advisory GHSA-496x-437q-h35q: scheme allow-list and the connected address "
    "checked on every redirect (github.com/stringer-rss/stringer/pull/1548)"
)
HTML_ALT = (
    "WHATWG HTML, rel=alternate feed discovery "
    "(html.spec.whatwg.org/multipage/links.html#rel-alternate)"
)
SPOTIFY_DELETE = (
    "Spotify, Deleting an episode: removing an item from the RSS feed removes it downstream "
    "(support.spotify.com/podcasters/article/deleting-an-episode/)"
)


def _pn(tag: str) -> str:
    return f"Podcasting 2.0 namespace, docs/tags/{tag}.md ({_PN_REPO})"


PN = f"Podcasting 2.0 namespace, docs/1.0.md ({_PN_REPO})"
PN_TR = f"Podcasting 2.0 namespace, docs/examples/transcripts/transcripts.md ({_PN_REPO})"
PN_CH = f"Podcasting 2.0 namespace, docs/examples/chapters/jsonChapters.md, v1.2 ({_PN_REPO})"
PN_OTHER = f"Podcasting 2.0 namespace, docs/other-recommendations.md ({_PN_REPO})"
STATE = f"{PN_OTHER}: a GUID never changes"

ALL_DIRS = ("apple", "spotify", "psp1", "podcastindex")

_R: list[Rule] = [
    # --- the document itself -------------------------------------------------------------
    Rule(
        "xml.empty",
        "error",
        ("rss",),
        "The feed is empty.",
        "Check that the URL or file is the feed itself and that it was written completely.",
        XML10,
    ),
    Rule(
        "xml.too-large",
        "error",
        ("rss",),
        "The feed, or one text, attribute or nesting in it, is larger than a size limit.",
        "Split the archive with RFC 5005 paging and keep each text (descriptions, show notes) "
        "well under 10 MB; raise the feed size limit (max_bytes) only for a trusted feed.",
        f"{LIBXML2}; {LXML}",
    ),
    Rule(
        "xml.html",
        "error",
        ("rss",),
        "This is an HTML page, not an RSS feed.",
        'Give the URL of the feed (often linked as <link rel="alternate" '
        'type="application/rss+xml"> in the page), not of the web page.',
        f"{RSS2}; {HTML_ALT}",
    ),
    Rule(
        "xml.doctype.entities",
        "error",
        ("rss",),
        "The DOCTYPE declares entities; feeds never need them and they are refused unread.",
        "Remove the <!DOCTYPE …> block; write characters directly (UTF-8) instead of entities.",
        f"{LXML} (XXE, billion laughs, quadratic blowup); {XML10} §4.2",
    ),
    Rule(
        "xml.doctype",
        "warning",
        ("rss",),
        "The feed has a DOCTYPE; it is ignored (no DTD is loaded).",
        "Remove the <!DOCTYPE …> line; RSS 2.0 has no DTD.",
        f"{LXML}; {RSS2} (RSS 2.0 has no DTD)",
    ),
    Rule(
        "xml.encoding.invalid",
        "error",
        ("rss",),
        "The bytes are not valid in the encoding the feed declares.",
        "Save the feed as UTF-8 (a Latin-1 or Windows-1252 file declared as UTF-8 is the usual "
        "cause).",
        f"{XML10} §4.3.3",
    ),
    Rule(
        "xml.encoding.utf8",
        "error",
        ("apple", "psp1"),
        "The feed is not encoded in UTF-8.",
        'Write the feed as UTF-8 and declare encoding="UTF-8" (or none).',
        f"{A1}; {PSP1}; {XML10} §4.3.3",
    ),
    Rule(
        "xml.wellformed",
        "error",
        ("rss",),
        "The feed is not well-formed XML.",
        "Escape & as &amp; and < as &lt; in text (e.g. 'Kids &amp; Family'); HTML entities such "
        "as &nbsp; do not exist in XML; close every element.",
        f"{XML10}; {A2}",
    ),
    Rule(
        "xml.not-rss",
        "error",
        ("rss",),
        "The root element is not <rss>.",
        'A podcast feed is an RSS 2.0 document: <rss version="2.0"><channel>…',
        RSS2,
    ),
    Rule(
        "rss.atom",
        "error",
        ("rss", "apple"),
        "This is an Atom feed; Apple no longer accepts Atom.",
        "Publish an RSS 2.0 feed.",
        A3,
    ),
    Rule(
        "rss.version",
        "error",
        ("rss",),
        '<rss> must have version="2.0".',
        'Write <rss version="2.0" …>.',
        f"{RSS2}; {A2}",
    ),
    Rule(
        "rss.channel",
        "error",
        ("rss",),
        "<rss> has no <channel>.",
        "Put the show's metadata and items inside one <channel>.",
        RSS2,
    ),
    Rule(
        "rss.namespace",
        "error",
        ("rss", "apple", "podcastindex"),
        "A namespace URI is misspelt, so apps ignore every tag in it.",
        "Namespace URIs are case-sensitive and exact: itunes = "
        "http://www.itunes.com/dtds/podcast-1.0.dtd, podcast = "
        "https://podcastindex.org/namespace/1.0, atom = http://www.w3.org/2005/Atom.",
        f"{A1}; {PN}",
    ),
    Rule(
        "psp1.namespace",
        "error",
        ("psp1",),
        "PSP-1 requires the itunes, podcast and atom namespaces.",
        "Declare xmlns:itunes, xmlns:podcast and xmlns:atom on <rss> and use them.",
        PSP1,
    ),
    Rule(
        "rss.feed.size",
        "warning",
        ("rss", "podcastindex"),
        "The feed is large; some apps and readers refuse feeds above a few MB.",
        "Page the archive with RFC 5005 (atom:link rel=next/prev), keeping recent episodes "
        "in the main feed.",
        f"{PN_OTHER}; {RFC5005}; reader caps: goread 2 MiB "
        "(github.com/madelynnblue/goread/issues/343), CommaFeed 5 MiB "
        "(github.com/Athou/commafeed/issues/1580)",
    ),
    # --- channel ---------------------------------------------------------------------------
    Rule(
        "rss.channel.title",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "The channel has no <title>.",
        "Add the show's name as <title>.",
        f"{RSS2}; {A1}; {PSP1}; {SPOT}",
    ),
    Rule(
        "rss.channel.link",
        "error",
        ("rss", "apple", "psp1"),
        "The channel <link> is missing or is not an absolute http(s) URL.",
        "Link to the show's web page, e.g. <link>https://station.example/show/</link>.",
        f"{RSS2}; {PSP1}",
    ),
    Rule(
        "rss.channel.description",
        "error",
        ("rss", "apple", "spotify", "psp1"),
        "The channel has no <description>.",
        "Describe the show in <description>.",
        f"{RSS2}; {A1}; {PSP1}; {SPOT}",
    ),
    Rule(
        "apple.description.length",
        "error",
        ("apple", "psp1"),
        "The channel description is longer than 4000 bytes.",
        "Shorten the show description to at most 4000 bytes (UTF-8).",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "rss.channel.language",
        "error",
        ("apple", "spotify", "psp1"),
        "The channel has no <language>.",
        "Add e.g. <language>en-us</language>.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "rss.language.code",
        "error",
        ("rss", "apple", "psp1"),
        "<language> is not an ISO 639 language code.",
        "Use a two-letter ISO 639-1 code, optionally with a region: en, en-us, fr-ca "
        "(a hyphen, not an underscore).",
        f"{A1}; {RSS2}; {W3C} InvalidLanguage",
    ),
    Rule(
        "apple.image.missing",
        "error",
        ("apple", "spotify", "psp1"),
        "The channel has no <itunes:image href>.",
        'Add <itunes:image href="https://…/artwork.jpg"/> (1400-3000 px square JPEG or PNG).',
        f"{A1}; {PSP1}; {SPOT}",
    ),
    Rule(
        "apple.image.url",
        "error",
        ("apple", "psp1"),
        "The artwork URL is not an absolute http(s) URL.",
        "Use the full https:// URL of the image file.",
        f"{A1}; {W3C} itunes.py",
    ),
    Rule(
        "apple.image.extension",
        "error",
        ("apple", "psp1"),
        "The artwork URL does not end in .jpg, .jpeg or .png.",
        "Apple reads the type from the extension: name the file .jpg or .png to match its bytes.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.image.format",
        "error",
        ("apple", "spotify", "psp1"),
        "The artwork is not a JPEG or PNG, or its bytes do not match its extension.",
        "Export the artwork as JPEG (.jpg) or PNG (.png) and name it accordingly.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.image.size",
        "error",
        ("apple", "spotify", "psp1"),
        "The artwork is not square between 1400×1400 and 3000×3000 pixels.",
        "Export square artwork, 3000×3000 px is best; change the file name when the art changes.",
        f"{A1}; {PSP1}; Podbase",
    ),
    Rule(
        "apple.image.colorspace",
        "error",
        ("apple", "psp1"),
        "The artwork is not in the RGB colour space, or has an alpha channel.",
        "Convert CMYK, greyscale or palette (indexed-colour) images to RGB, without "
        "transparency, before export.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.category.missing",
        "error",
        ("apple", "psp1"),
        "The channel has no <itunes:category>.",
        'Add e.g. <itunes:category text="News"><itunes:category text="Daily News"/>'
        "</itunes:category>.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.category.invalid",
        "error",
        ("apple", "psp1"),
        "An <itunes:category> is not in Apple's category list (spelling and case must match).",
        "Use a category from Apple's list exactly as written, e.g. 'Kids & Family', 'TV & Film'.",
        f"{A1}; {A2}; {W3C} InvalidItunesCategory",
    ),
    Rule(
        "apple.category.nesting",
        "error",
        ("apple", "psp1"),
        "A subcategory is not under its parent category (or categories nest too deeply).",
        "Nest a subcategory directly inside its own top-level category, one level deep.",
        A1,
    ),
    Rule(
        "apple.explicit.missing",
        "error",
        ("apple", "psp1"),
        "The channel has no <itunes:explicit>.",
        "Add <itunes:explicit>false</itunes:explicit> (or true).",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.explicit.value",
        "error",
        ("apple", "psp1"),
        "<itunes:explicit> must be 'true' or 'false'.",
        "Apple dropped yes/no/clean: write true or false.",
        f"{A1}; {PSP1}; {W3C} InvalidTrueFalse",
    ),
    Rule(
        "psp1.self.missing",
        "error",
        ("psp1",),
        'The channel has no <atom:link rel="self"> with the feed\'s own URL.',
        'Add <atom:link href="https://…/feed.xml" rel="self" type="application/rss+xml"/>.',
        f"{PSP1}; {W3C} MissingSelf",
    ),
    Rule(
        "psp1.self.mismatch",
        "error",
        ("psp1",),
        '<atom:link rel="self"> differs from the URL the feed was fetched from.',
        "Make the self link the feed's canonical public URL.",
        f"{PSP1}; {W3C} SelfDoesntMatchLocation",
    ),
    Rule(
        "psp1.author.missing",
        "warning",
        ("psp1",),
        "The channel has no <itunes:author>.",
        "Name the station or network in <itunes:author>.",
        f"{PSP1} (recommended); {A1}",
    ),
    Rule(
        "psp1.locked.missing",
        "warning",
        ("psp1",),
        "The channel has no <podcast:locked>.",
        "Add <podcast:locked>yes</podcast:locked> so other hosts refuse unauthorised imports.",
        f"{PSP1} (recommended); {_pn('locked')}",
    ),
    Rule(
        "psp1.guid.missing",
        "warning",
        ("psp1",),
        "The channel has no <podcast:guid>.",
        "Add <podcast:guid> with the UUIDv5 of the feed URL; keep it forever, even when the URL "
        "changes.",
        f"{PSP1} (recommended); {_pn('guid')}",
    ),
    Rule(
        "psp1.text.length",
        "warning",
        ("psp1",),
        "A text value is longer than 255 characters.",
        "Keep titles and names short; PSP-1 limits node values to 255 characters.",
        PSP1,
    ),
    Rule(
        "psp1.text.whitespace",
        "warning",
        ("psp1",),
        "A value has leading or trailing whitespace.",
        "Trim the value; apps may compare it byte for byte (GUIDs, URLs).",
        PSP1,
    ),
    Rule(
        "psp1.copyright",
        "info",
        ("psp1",),
        "<copyright> contains the word 'Copyright', © or a year.",
        "PSP-1 suggests the holder's name only (Apple's own example includes them; both work).",
        PSP1,
    ),
    Rule(
        "apple.owner",
        "info",
        ("apple",),
        "<itunes:owner> is no longer used by Apple.",
        "Keep it only if another directory needs the e-mail for ownership checks.",
        f"{A3}; {W3C} MissingItunesEmail is obsolete",
    ),
    Rule(
        "apple.type.value",
        "error",
        ("apple", "psp1"),
        "<itunes:type> must be 'episodic' or 'serial'.",
        "Write episodic (default) or serial.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.type.serial",
        "error",
        ("apple", "psp1"),
        "A serial show has a full episode without <itunes:episode>.",
        "Number every full episode of a serial show with <itunes:episode>.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.flag.value",
        "warning",
        ("apple", "psp1"),
        "<itunes:block>/<itunes:complete> has a value other than 'Yes'; it has no effect.",
        "Write Yes, or remove the tag.",
        f"{A1}; {PSP1}",
    ),
    Rule(
        "apple.new-feed-url",
        "error",
        ("apple",),
        "<itunes:new-feed-url> is not an absolute http(s) URL.",
        "Give the full URL of the new feed.",
        A1,
    ),
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
]

RULES: dict[str, Rule] = {r.id: r for r in _R}
assert len(RULES) == len(_R), "duplicate rule id"


def rules_for_profile(profile: str) -> list[Rule]:
    platforms = PROFILES[profile]
    return [r for r in RULES.values() if platforms.intersection(r.platforms)]


def rules_markdown() -> str:
    """The rule catalogue as Markdown (RULES.md)."""
    lines = [
        "# `stationcast validate` rules",
        "",
        "Generated from `src/stationcast/validate/rules.py` by "
        "`python -m stationcast.validate.rules > src/stationcast/validate/RULES.md`; "
        "edit the table there, not this file.",
        "",
        "## Usage",
        "",
        "```",
        "stationcast validate [FEED]            # a file or an http(s) URL; default feeds/feed.xml",
        "  --profile apple|spotify|psp1|all     # which platforms' rules (default all)",
        "  --format text|json|github|junit      # readable report, machines, CI annotations",
        "  --strict                             # warnings fail too",
        "  --remote/--no-remote                 # HTTP checks of linked files (default: URLs only)",
        "  --allow-private                      # the host given may be private (127.0.0.1, …)",
        "  --state PATH                         # the build's state file: GUIDs must not change",
        "  --local-root DIR                     # files under the feed's URL (default: its folder)",
        "  --remote-items N                     # items checked over HTTP (default: the first 5)",
        "  --timeout SECONDS                    # per HTTP request, in all (default 20)",
        "  --list-rules                         # this catalogue",
        "```",
        "",
        "Exit status: 0 no errors (with `--strict`: no warnings either), 1 errors, "
        "2 usage problem. "
        "A feed file's folder is its local root: URLs under the directory of the feed's "
        '`atom:link rel="self"` map to files there, so artwork bytes, enclosure sizes, '
        "transcripts and chapters are checked offline. Untrusted input is handled safely: no "
        "DTDs or entities (a DOCTYPE declaring entities is refused unread), a 64 MB cap (also "
        "after gzip), http/https only, at most 5 redirects each re-checked (a loop is "
        "reported at once), and control characters from the feed escaped in every report.",
        "",
        "Network limits (the same client as `stationcast import`, `stationcast/net.py`): "
        "`--timeout` is one deadline for the whole request — looking up the host, connecting, "
        "TLS, headers, body and redirects together — so a server that sends a byte a second "
        "is cut off when it is up; each of the remote checks (HEAD, Range, GET of artwork, "
        "enclosures, transcripts, chapters; 8 at a time) gets its own. Each hop's host is "
        "resolved once, every address it resolves to is checked, and the connection goes to "
        "the checked address (TLS still verifies the host name). Loopback, private, "
        "link-local, shared (CGNAT), multicast, reserved and unspecified addresses are "
        "refused in every spelling (IPv4-mapped, 6to4, NAT64 too). `--allow-private` allows "
        "them for one host: the host of the URL given (for a file with `--remote`, the host "
        'of its `atom:link rel="self"`). A redirect or a link to *another* private host is '
        "still refused, and cloud metadata addresses (169.254.169.254, …) always are: you "
        "vouch for the server you named, not for where it or its feed sends the checker, so "
        "a feed on your network cannot make `validate` reach the rest of it. A gzip or "
        "deflate body is capped after decoding (a gzip bomb stops at the cap); a body shorter "
        "than its Content-Length, a truncated gzip stream or an encoding not asked for is a "
        "`http.fetch` error.",
        "",
        "Library: `stationcast.validate.validate_bytes(data, location=…, profile=…, "
        "local_root=…, previous_state=…, remote=False, allow_private=False)` and "
        "`validate_source(path_or_url, …)` return a `Report` (`findings`, `errors`, "
        "`warnings`, `ok(strict=False)`); each `Finding` has `rule`, `message`, `line`, "
        "`element`.",
        "",
        "## Rules",
        "",
        f"{len(RULES)} rules. Severity: **error** fails validation (exit 1, and `build` refuses "
        "the feed); **warning** fails only with `--strict`; **info** never fails. "
        "`--profile` selects rules by platform: "
        + "; ".join(f"`{p}` = {', '.join(sorted(v))}" for p, v in PROFILES.items())
        + ". Each source is the specification, platform document or repository itself.",
        "",
        "| id | severity | platforms | what it checks | how to fix | source |",
        "|---|---|---|---|---|---|",
    ]

    def cell(s: str) -> str:
        return html.escape(s, quote=False).replace("|", "\\|")

    for r in RULES.values():
        lines.append(
            f"| `{r.id}` | {r.severity} | {', '.join(r.platforms)} | {cell(r.summary)} "
            f"| {cell(r.hint)} | {cell(r.source)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")


__all__ = ["PROFILES", "RULES", "Finding", "Report", "Rule", "Severity", "rules_markdown"]
