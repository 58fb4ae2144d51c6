"""The rules on which elements appear where and how often, on the characters and markup of
texts, and on the RSS 2.0 parts podcasts rarely use (image, textInput, cloud, skip*).

Part of the catalogue that rules.py assembles; RULES.md is generated from it.
"""

from __future__ import annotations

from .rule_types import A1, PN, PSP1, RSS2, W3C, Rule

_CP1252 = "WHATWG Encoding, windows-1252 (encoding.spec.whatwg.org/#legacy-single-byte-encodings)"
_UNICODE_C1 = "Unicode, C1 Controls and Latin-1 Supplement (unicode.org/charts/PDF/U0080.pdf)"
_RFC5322 = "RFC 5322 section 3.4.1, addr-spec (rfc-editor.org/rfc/rfc5322)"

STRUCTURE_RULES: list[Rule] = [
    # --- where elements go, and how often ---------------------------------------------------
    Rule(
        "rss.element.duplicate",
        "error",
        ("rss",),
        "An element that may appear once (a <title>, <guid>, <pubDate>, <itunes:explicit>, "
        "<itunes:image>…) appears twice in the same channel or item; apps differ in which one "
        "they read.",
        "Keep one; if the two disagree, keep the right one.",
        f"{RSS2}; {A1}; {W3C} (DuplicateElement)",
    ),
    Rule(
        "rss.element.unknown",
        "warning",
        ("rss",),
        "An element without a namespace is not one RSS 2.0 defines for its place (a typo, or "
        "a tag from another namespace without its prefix); apps ignore it.",
        "Fix the spelling (names are case-sensitive: textInput, pubDate), or give the tag its "
        "namespace prefix.",
        f"{RSS2}; {W3C} (UndefinedElement)",
    ),
    Rule(
        "rss.element.parent",
        "warning",
        ("rss",),
        "An RSS 2.0 element is in the wrong place (an <enclosure> or <guid> in the channel, a "
        "<language> in an item); apps ignore it there.",
        "Move it into the element it belongs in.",
        f"{RSS2}; {W3C} (UndefinedElement)",
    ),
    Rule(
        "apple.element.unknown",
        "warning",
        ("apple", "psp1"),
        "An element in the itunes: namespace is not an itunes: tag (a typo such as "
        "<itunes:explict>); Apple ignores it, and the value it meant to give is lost.",
        "Fix the spelling; the message names the closest tag.",
        f"{A1}; {W3C} (UndefinedElement)",
    ),
    Rule(
        "apple.element.parent",
        "warning",
        ("apple", "psp1"),
        "An itunes: tag is in a place it does not belong (<itunes:category> in an item, "
        "<itunes:email> outside <itunes:owner>, <itunes:duration> in the channel).",
        "Move it where the message says.",
        f"{A1}; {W3C} (UndefinedElement)",
    ),
    # --- the characters and markup of texts -------------------------------------------------
    Rule(
        "rss.text.control",
        "warning",
        ("rss",),
        "A text holds C1 control characters (U+0080-U+009F): almost always Windows-1252 "
        "punctuation (curly quotes, dashes) decoded as Latin-1; apps show boxes or nothing.",
        "Decode the source text as Windows-1252 (the message shows the character meant), or "
        "retype the punctuation.",
        f"{_UNICODE_C1}; {_CP1252}; {W3C} (BadCharacters)",
    ),
    Rule(
        "rss.text.mojibake",
        "warning",
        ("rss",),
        "A text looks like UTF-8 read as Windows-1252 ('Ã©' for 'é', 'â€™' for '’'): it was "
        "decoded twice somewhere on the way into the feed.",
        "Fix the text at its source (the message shows what it most likely said).",
        f"{_CP1252}; {W3C} (BadCharacters)",
    ),
    Rule(
        "rss.text.html",
        "warning",
        ("rss", "apple"),
        "A plain-text field (a title, author, category, itunes:subtitle or itunes:keywords) "
        "contains HTML markup; apps show the tags as text.",
        "Remove the markup; only descriptions (and content:encoded) take HTML.",
        f"{A1}; {RSS2}; {W3C} (ContainsHTML)",
    ),
    Rule(
        "apple.description.unsafe",
        "error",
        ("apple", "psp1"),
        "Show notes (content:encoded) contain active content: <script>, <iframe>, <object>, "
        "<embed>, an on…= event attribute, a style attribute or a javascript: link; Apple and "
        "web players strip it or refuse the episode, and it is a cross-site scripting risk.",
        "Use only the tags Apple allows (<p> <ol> <ul> <li> <a>, plus <b> <i> <strong> <em> "
        "<br>) with http(s) or mailto links; stationcast's own notes are cleaned this way.",
        f"{A1}; {PSP1}; {W3C} (SecurityRisk, DangerousStyleAttr)",
    ),
    Rule(
        "apple.text.length",
        "warning",
        ("apple",),
        "An itunes: text is longer than validators allow: <itunes:subtitle> and "
        "<itunes:keywords> 255 characters, <itunes:summary> 4000.",
        "Shorten it; apps cut it off.",
        f"{A1}; {W3C} (TooLong)",
    ),
    Rule(
        "rss.contact.email",
        "error",
        ("rss", "apple", "podcastindex"),
        "A contact address (itunes:email, managingEditor, webMaster, item author, "
        "podcast:locked owner) is not a well-formed e-mail address; directories that verify "
        "ownership by mailing it cannot.",
        "Write 'name@example.com' (RSS 2.0 allows 'name@example.com (Full Name)').",
        f"{RSS2}; {A1}; {PN}; {_RFC5322}; {W3C} (InvalidContact)",
    ),
    # --- links, flags, dates and sizes --------------------------------------------------------
    Rule(
        "rss.link.url",
        "error",
        ("rss",),
        "An item <link>, <comments>, <docs>, <source url> or the atom:link self href is not an "
        "absolute http(s) URL.",
        "Write the full URL, e.g. https://station.example/show/episode/.",
        f"{RSS2}; {W3C} (InvalidLink, InvalidFullLink)",
    ),
    Rule(
        "rss.guid.ispermalink",
        "error",
        ("rss",),
        "<guid isPermaLink> is neither true nor false (the value is case-sensitive).",
        'Write isPermaLink="false" (or "true" when the GUID is the episode\'s URL).',
        f"{RSS2}; {W3C} (InvalidBooleanAttribute)",
    ),
    Rule(
        "rss.enclosure.length-absurd",
        "warning",
        ("rss",),
        "The enclosure length is implausible: more than 20 GB, or fewer than 1000 bytes for "
        "audio or video.",
        "Give the file's size in bytes (not kilobytes, not its duration).",
        f"{RSS2} (length is in bytes); {A1}",
    ),
    Rule(
        "rss.date.implausible",
        "warning",
        ("rss",),
        "A date is before 1995 (before podcasts and nearly before the web) or more than a year "
        "ahead.",
        "Check the year; an archive of older recordings should carry the date they were "
        "published as episodes.",
        f"{RSS2}; {W3C} (ImplausibleDate)",
    ),
    Rule(
        "rss.image.parts",
        "error",
        ("rss",),
        "The channel <image> lacks its required <url>, <title> or <link>, gives one twice, or "
        "has a width over 144 or a height over 400 pixels.",
        "Give <url>, <title> and <link>; width at most 144 and height at most 400 (or none).",
        f"{RSS2} (<image> sub-element of <channel>); {W3C} (InvalidWidth, InvalidHeight)",
    ),
    Rule(
        "rss.ttl",
        "error",
        ("rss",),
        "<ttl> is not a whole number of minutes.",
        "Write e.g. <ttl>60</ttl>, or remove it.",
        f"{RSS2}; {W3C} (InvalidInteger)",
    ),
    Rule(
        "rss.cloud",
        "error",
        ("rss",),
        "<cloud> lacks one of its five attributes (domain, port, path, registerProcedure, "
        "protocol), or its port or protocol is not valid.",
        "Give all five, with a port between 1 and 65535 and protocol xml-rpc, soap or "
        "http-post; or remove it.",
        f"{RSS2}; {W3C} (MissingAttribute, InvalidIntegerAttribute)",
    ),
    Rule(
        "rss.skip",
        "error",
        ("rss",),
        "<skipHours>/<skipDays> hold a value other than an hour 0-23 or an English day name, "
        "or one twice.",
        "Write <hour>0</hour>…<hour>23</hour> and <day>Monday</day>…<day>Sunday</day>, each once.",
        f"{RSS2}; {W3C} (InvalidHour, InvalidDay, DuplicateValue)",
    ),
    Rule(
        "rss.textinput.parts",
        "warning",
        ("rss",),
        "<textInput> lacks one of <title>, <description>, <name>, <link> (apps ignore the "
        "element anyway).",
        "Give all four, or remove <textInput>.",
        f"{RSS2}; {W3C} (MissingElement)",
    ),
    Rule(
        "apple.hidden",
        "info",
        ("apple", "podcastindex"),
        "<itunes:block>Yes</itunes:block>, <itunes:complete>Yes</itunes:complete> or "
        "<podcast:block>yes</podcast:block> hides the show or an episode from directories, or "
        "stops new episodes.",
        "Nothing to fix if that is meant.",
        f"{A1}; {PN} (docs/tags/block.md)",
    ),
]
