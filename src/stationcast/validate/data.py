"""Reference tables the rules check against (facts from the sources named in RULES.md)."""

from __future__ import annotations

# Namespace URIs, exactly as the specifications spell them.
NS_ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
NS_PODCAST = "https://podcastindex.org/namespace/1.0"
NS_PODCAST_ALT = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
NS_ATOM = "http://www.w3.org/2005/Atom"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"

#: Well-known namespaces: a feed that binds a URI which differs from one of these only in
#: case, scheme or a trailing slash has made a typo, and the platform ignores those tags.
KNOWN_NAMESPACES = {
    "itunes": NS_ITUNES,
    "podcast": NS_PODCAST,
    "atom": NS_ATOM,
    "content": NS_CONTENT,
}


def normalise_ns(uri: str) -> str:
    """A loose form of a namespace URI, for spotting near misses."""
    u = uri.strip().lower()
    for prefix in ("https://", "http://"):
        if u.startswith(prefix):
            u = u[len(prefix) :]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


LOOSE_NAMESPACES = {normalise_ns(uri): uri for uri in KNOWN_NAMESPACES.values()}
LOOSE_NAMESPACES[normalise_ns(NS_PODCAST_ALT)] = NS_PODCAST_ALT

# Apple Podcasts categories (2019 revision): top level -> subcategories, exact spelling.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# ISO 639-1 two-letter language codes.
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

# Enclosure MIME types Apple lists, and the file extensions that go with them.
APPLE_ENCLOSURE_TYPES = {
    "audio/x-m4a": ("m4a",),
    "audio/mpeg": ("mp3",),
    "video/quicktime": ("mov",),
    "video/mp4": ("mp4",),
    "video/x-m4v": ("m4v",),
    "application/pdf": ("pdf",),
}
#: Types apps commonly accept for the same files, but that are not Apple's spelling.
ENCLOSURE_TYPE_ALIASES = {
    "audio/mp4": "audio/x-m4a",
    "audio/m4a": "audio/x-m4a",
    "audio/x-mp4": "audio/x-m4a",
    "audio/aac": "audio/x-m4a",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "video/m4v": "video/x-m4v",
}
APPLE_ENCLOSURE_EXTENSIONS = frozenset(
    ext for exts in APPLE_ENCLOSURE_TYPES.values() for ext in exts
)

# podcast:transcript types named by the Podcasting 2.0 spec.
TRANSCRIPT_TYPES = frozenset(
    {"text/plain", "text/html", "text/vtt", "application/json", "application/x-subrip"}
)
#: Spellings seen in the wild for the same formats; accepted by some apps only.
TRANSCRIPT_TYPE_ALIASES = {
    "application/srt": "application/x-subrip",
    "text/srt": "application/x-subrip",
    "application/x-srt": "application/x-subrip",
    "text/x-subrip": "application/x-subrip",
    "text/webvtt": "text/vtt",
}

CHAPTERS_TYPE = "application/json+chapters"

# podcast:medium values (plus their "L" list variants and "mixed").
_MEDIUMS = (
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
)
MEDIUMS = frozenset(_MEDIUMS) | frozenset(m + "L" for m in _MEDIUMS) | {"mixed"}

# Podcast Taxonomy (podcast:person role and group), lower-cased: group -> roles.
PERSON_TAXONOMY: dict[str, tuple[str, ...]] = {
    "creative direction": (
        "director",
        "assistant director",
        "executive producer",
        "senior producer",
        "producer",
        "associate producer",
        "development producer",
        "creative director",
    ),
    "cast": (
        "host",
        "co-host",
        "guest host",
        "guest",
        "voice actor",
        "narrator",
        "announcer",
        "reporter",
    ),
    "writing": (
        "author",
        "editorial director",
        "co-writer",
        "writer",
        "songwriter",
        "guest writer",
        "story editor",
        "managing editor",
        "script editor",
        "script coordinator",
        "researcher",
        "editor",
        "fact checker",
        "translator",
        "transcriber",
        "logger",
    ),
    "audio production": (
        "studio coordinator",
        "technical director",
        "technical manager",
        "audio engineer",
        "remote recording engineer",
        "post production engineer",
    ),
    "audio post-production": (
        "audio editor",
        "sound designer",
        "foley artist",
        "composer",
        "theme music",
        "music production",
        "music contributor",
    ),
    "administration": (
        "production coordinator",
        "booking coordinator",
        "production assistant",
        "content manager",
        "marketing manager",
        "sales representative",
        "sales manager",
    ),
    "visuals": ("graphic designer", "cover art designer"),
    "community": ("social media manager",),
    "misc.": ("consultant", "intern"),
    "video production": (
        "camera operator",
        "lighting designer",
        "camera grip",
        "assistant camera",
    ),
    "video post-production": ("editor", "assistant editor"),
}
PERSON_ROLES = frozenset(r for roles in PERSON_TAXONOMY.values() for r in roles)

# Namespace UUID for podcast:guid (UUIDv5 of the feed URL without scheme and trailing slash).
PODCAST_GUID_NAMESPACE = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"

# HTML elements allowed in descriptions: Apple (p ol ul li a) plus PSP-1 (b i strong em),
# plus br, which Podcasting 2.0's other-recommendations lists as typically supported.
DESCRIPTION_HTML_TAGS = frozenset({"p", "ol", "ul", "li", "a", "b", "i", "strong", "em", "br"})
