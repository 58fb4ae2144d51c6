"""The facts stationcast takes from specifications, each written down once.

The ground floor of the package: these modules import nothing else of stationcast, and
everything else (the manifest models, the feed writers, the validator, publish and serve)
reads its facts from here, so they cannot disagree.

- ``namespaces``: XML namespace URIs.
- ``podcast``: the Podcasting 2.0 namespace: the ``podcast:`` tag table, its value lists and
  limits, the https rule and ``podcast_guid``.
- ``apple``: Apple Podcasts: categories, artwork, enclosure types, description limits, dates.
- ``taxonomy``: the Podcast Taxonomy of ``podcast:person`` roles and groups.
- ``media``: media and transcript types: extension, MIME type, HTTP Content-Type.
- ``rss``: RSS 2.0 and the PSP-1 profile: language codes, description HTML.
- ``xml``: lexical facts: XML 1.0 characters, UUIDs, URI schemes.

The rule for this package: facts only, each with the source it comes from (a comment or
docstring naming the specification and section). Checks live here only where a fact is a
rule (``check_category``, ``artwork_faults``): the manifest models and the validator then call
the same function, and each phrases the result for its own reader.
"""
