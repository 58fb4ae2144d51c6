"""RSS 2.0 and the standards it leans on (ISO 639, BCP 47, RFC 2822), and the PSP-1 profile.

RSS 2.0: www.rssboard.org/rss-specification. PSP-1, the Podcast Standards Project's RSS
profile: github.com/Podcast-Standards-Project/PSP-1-Podcast-RSS-Specification.
"""

from __future__ import annotations

import re

#: RSS 2.0 <language>: "the language the channel is written in", as ISO 639 codes with an
#: optional region (RFC 5646 / BCP 47 language tags: a 2-3 letter primary subtag, then
#: subtags of 1-8 letters or digits). Use ``fullmatch``; group 1 is the primary subtag.
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:-[A-Za-z0-9]{1,8})*")

#: ISO 639-1 two-letter language codes (the primary subtag of a two-letter language tag).
ISO_639_1 = frozenset(
    [
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be",
        "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs",
        "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu",
        "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha",
        "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik",
        "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn",
        "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt",
        "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
        "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os",
        "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd",
        "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv",
        "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw",
        "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za",
        "zh", "zu",
    ]
)  # fmt: skip


def unknown_language(tag: str) -> bool:
    """True when *tag*'s primary subtag has two letters that are not an ISO 639-1 code.

    Three-letter primary subtags (ISO 639-2/3) are not listed here and pass.
    """
    match = LANGUAGE_TAG.fullmatch(tag)
    primary = match.group(1).lower() if match else ""
    return len(primary) == 2 and primary not in ISO_639_1


#: RFC 2822 section 3.3 (the dates RSS 2.0 uses): "the year is any numeric year 1900 or later".
MIN_YEAR = 1900

#: RFC 822 section 5.1 / RFC 2822 section 4.3: the named zones and their UTC offsets in hours.
DATE_ZONES = {
    "UT": 0,
    "GMT": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
#: RFC 822 section 5.1's one-letter military zones (A-I, K-Z; no J). RFC 2822 section 4.3:
#: RFC 822 gave their signs backwards, so their meaning is unknown and they are read as
#: -0000 (UTC, source zone unknown), except "Z", which is UTC.
MILITARY_ZONES = frozenset("ABCDEFGHIKLMNOPQRSTUVWXYZ")

#: PSP-1 <description>: besides Apple's tags (spec.apple.DESCRIPTION_TAGS), "b", "i",
#: "strong" and "em" may be used.
PSP1_DESCRIPTION_TAGS = frozenset({"b", "i", "strong", "em"})

# --- RSS 2.0 elements (rssboard.org/rss-specification) ------------------------------------
#: "Required channel elements" and "Optional channel elements". Each appears once at most,
#: except <category> and <item>.
CHANNEL_ELEMENTS = frozenset(
    {
        "title", "link", "description", "language", "copyright", "managingEditor",
        "webMaster", "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud",
        "ttl", "image", "rating", "textInput", "skipHours", "skipDays", "item",
    }
)  # fmt: skip
#: "Elements of <item>". Each appears once at most, except <category>; a second <enclosure>
#: is its own finding (the spec does not say, and apps read only one).
ITEM_ELEMENTS = frozenset(
    {
        "title", "link", "description", "author", "category", "comments", "enclosure",
        "guid", "pubDate", "source",
    }
)  # fmt: skip
REPEATED_ELEMENTS = frozenset({"category", "item", "enclosure"})
#: "<image> sub-element of <channel>": url, title and link are required; "Maximum value for
#: width is 144, default value is 88. Maximum value for height is 400, default value is 31."
IMAGE_ELEMENTS = frozenset({"url", "title", "link", "width", "height", "description"})
IMAGE_REQUIRED = ("url", "title", "link")
IMAGE_MAX_WIDTH = 144
IMAGE_MAX_HEIGHT = 400
#: "<textInput> sub-element of <channel>": all four are required.
TEXTINPUT_ELEMENTS = ("title", "description", "name", "link")
#: "<cloud> sub-element of <channel>": its five attributes.
CLOUD_ATTRIBUTES = ("domain", "port", "path", "registerProcedure", "protocol")
#: The Userland RSS <cloud> interface's protocols (cyber.harvard.edu/rss/soapMeetsRss.html).
CLOUD_PROTOCOLS = frozenset({"xml-rpc", "soap", "http-post"})
#: skipDays: "Monday, Tuesday, Wednesday, Thursday, Friday, Saturday or Sunday"; skipHours:
#: "a number between 0 and 23". Each at most 7 and 24 times, no value twice.
SKIP_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SKIP_HOURS = range(24)
#: <guid isPermaLink>: "If the guid element has an attribute named isPermaLink with a value of
#: true"… the values are true and false.
PERMALINK_VALUES = ("true", "false")
