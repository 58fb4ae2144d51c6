"""The one XML parser configuration stationcast uses for XML it did not write.

Feeds fetched for `validate`, `import feed` and `publish` are untrusted: no DTD is loaded,
no entity is expanded (no XXE, no "billion laughs"), nothing is fetched from the network,
and libxml2's limits for huge documents stay on. Callers add their own checks on top
(refusing a DOCTYPE that declares entities before parsing, size caps).
"""

from __future__ import annotations

from lxml import etree


def hardened_parser(*, remove_comments: bool = False) -> etree.XMLParser:
    """A fresh lxml parser for untrusted XML (parsers are not thread-safe; make one per use)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=remove_comments,
    )
