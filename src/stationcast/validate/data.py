"""Lookup tables the rules use, built from the facts in stationcast.spec (sources in RULES.md).

Nothing here is a fact of its own: every value comes from stationcast.spec, arranged the way
the checks look things up.
"""

from __future__ import annotations

from stationcast.spec import apple, namespaces, podcast, rss
from stationcast.spec.taxonomy import roles_by_group


def normalise_ns(uri: str) -> str:
    """A loose form of a namespace URI, for spotting near misses."""
    u = uri.strip().lower()
    for prefix in ("https://", "http://"):
        if u.startswith(prefix):
            u = u[len(prefix) :]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


#: Well-known namespaces by their loose form: a feed that binds a URI which differs from one
#: of these only in case, scheme or a trailing slash has made a typo, and the platform ignores
#: those tags.
LOOSE_NAMESPACES = {normalise_ns(uri): uri for uri in namespaces.KNOWN.values()}
LOOSE_NAMESPACES[normalise_ns(namespaces.PODCAST_GITHUB)] = namespaces.PODCAST_GITHUB

#: HTML elements allowed in descriptions: Apple's, PSP-1's, and the Podcasting 2.0
#: namespace's (br).
DESCRIPTION_HTML_TAGS = (
    apple.DESCRIPTION_TAGS | rss.PSP1_DESCRIPTION_TAGS | podcast.DESCRIPTION_TAGS
)

#: The Podcast Taxonomy, lower-cased: group -> roles, and every role.
PERSON_TAXONOMY = roles_by_group()
PERSON_ROLES = frozenset(r for roles in PERSON_TAXONOMY.values() for r in roles)
