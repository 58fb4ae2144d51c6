"""Helpers for the feed tests: edit the example show, build it, read the feed back."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

PODCAST = "https://podcastindex.org/namespace/1.0"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS = {"podcast": PODCAST, "itunes": ITUNES, "atom": ATOM, "content": CONTENT}
BASE = "https://podcasts.example.org/wunc/"
SLUG = "islamic-state-defectors"
GUID = "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909"
SHOW_GUID = "d490e970-ce05-5115-8dd9-fdca9f82feda"
MANIFEST = f"episodes/{SLUG}/episode.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(path.read_bytes(), parser)


def parse_bytes(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)
