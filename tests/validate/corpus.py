# ruff: noqa: E501 - test data: feed lines and XML snippets are clearer unbroken
"""The broken-feed corpus: one small feed per rule, each a single edit of feeds/clean.xml.

Each file in feeds/broken/ starts with `<!-- expect: rule.id [rule.id …] -->`: the exact set of
rules that must fire (and nothing else) when it is validated against the test site.

Regenerate after editing CASES:  uv run python -m tests.validate.corpus
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
CLEAN = HERE / "feeds" / "clean.xml"
BROKEN = HERE / "feeds" / "broken"

ITEM3_ENC = '<enclosure url="https://station.example/show/slow-storm/audio.mp3" length="3456" type="audio/mpeg"/>'
CH_EXPLICIT = "<itunes:explicit>false</itunes:explicit>\n    <itunes:type>"
CH_IMAGE = '<itunes:image href="https://station.example/show/artwork.jpg"/>'
FUNDING = '<podcast:funding url="https://station.example/donate">Support WUNC</podcast:funding>'
LONG = "x" * 4100

#: rule ids -> list of (old, new) replacements; old must occur exactly once in clean.xml.
#: A case whose edits are `None` replaces the whole document with the given text.
CASES: dict[str, tuple[tuple[str, ...], list[tuple[str, str]] | str]] = {
    "xml.empty": (("xml.empty",), ""),
    "xml.html": (
        ("xml.html",),
        "<!DOCTYPE html>\n<html><head><title>Show</title></head><body><p>hi<br></body></html>\n",
    ),
    "xml.doctype": (
        ("xml.doctype",),
        [
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n',
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/rss.dtd">\n',
            )
        ],
    ),
    "xml.encoding.utf8": (("xml.encoding.utf8",), [('encoding="UTF-8"', 'encoding="ISO-8859-1"')]),
    "xml.wellformed": (("xml.wellformed",), [("Society &amp; Culture", "Society & Culture")]),
    "xml.not-rss": (
        ("xml.not-rss",),
        '<?xml version="1.0"?>\n<rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
    ),
    "rss.atom": (
        ("rss.atom",),
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>x</title></feed>\n",
    ),
    "rss.version": (("rss.version",), [('<rss version="2.0"', '<rss version="0.91"')]),
    "rss.channel": (("rss.channel",), '<?xml version="1.0"?>\n<rss version="2.0"><item/></rss>\n'),
    "rss.namespace": (
        (
            "rss.namespace",
            "psp1.namespace",
            "apple.image.missing",
            "apple.category.missing",
            "apple.explicit.missing",
            "psp1.author.missing",
        ),
        [
            (
                'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
                'xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"',
            )
        ],
    ),
    "psp1.namespace": (
        ("psp1.namespace", "psp1.self.missing"),
        [
            ('xmlns:atom="http://www.w3.org/2005/Atom"', ""),
            (
                '<atom:link href="https://station.example/show/feed.xml" rel="self" type="application/rss+xml"/>',
                "",
            ),
        ],
    ),
    "rss.channel.title": (
        ("rss.channel.title",),
        [("<title>All Things Carolina</title>", "<title> </title>")],
    ),
    "rss.channel.link": (
        ("rss.channel.link",),
        [("<link>https://station.example/show/</link>", "<link>station.example/show</link>")],
    ),
    "rss.channel.description": (
        ("rss.channel.description",),
        [
            (
                "<description><![CDATA[<p>Interviews and reports from the WUNC newsroom, with a full "
                "transcript of every segment.</p>]]></description>",
                "",
            )
        ],
    ),
    "apple.description.length": (
        ("apple.description.length",),
        [("with a full transcript of every segment.", LONG)],
    ),
    "rss.channel.language": (("rss.channel.language",), [("<language>en-us</language>", "")]),
    "rss.language.code": (
        ("rss.language.code",),
        [("<language>en-us</language>", "<language>en_US</language>")],
    ),
    "apple.image.missing": (("apple.image.missing",), [(CH_IMAGE, "")]),
    "apple.image.url": (("apple.image.url",), [(CH_IMAGE, '<itunes:image href="artwork.jpg"/>')]),
    "apple.image.extension": (
        ("apple.image.extension",),
        [(CH_IMAGE, '<itunes:image href="https://cdn.example/art?id=7"/>')],
    ),
    "apple.image.format": (
        ("apple.image.format",),
        [(CH_IMAGE, '<itunes:image href="https://station.example/show/png-as.jpg"/>')],
    ),
    "apple.image.size": (
        ("apple.image.size",),
        [(CH_IMAGE, '<itunes:image href="https://station.example/show/small.jpg"/>')],
    ),
    "apple.image.colorspace": (
        ("apple.image.colorspace",),
        [(CH_IMAGE, '<itunes:image href="https://station.example/show/cmyk.jpg"/>')],
    ),
    "apple.category.missing": (
        ("apple.category.missing",),
        [
            (
                '<itunes:category text="News">\n      <itunes:category text="Daily News"/>\n    </itunes:category>',
                "",
            ),
            ('<itunes:category text="Society &amp; Culture"/>', ""),
        ],
    ),
    "apple.category.invalid": (
        ("apple.category.invalid",),
        [('text="News">', 'text="News &amp; Politics">')],
    ),
    "apple.category.nesting": (
        ("apple.category.nesting",),
        [('text="Daily News"', 'text="Comedy Interviews"')],
    ),
    "apple.explicit.missing": (("apple.explicit.missing",), [(CH_EXPLICIT, "<itunes:type>")]),
    "apple.explicit.value": (
        ("apple.explicit.value",),
        [(CH_EXPLICIT, "<itunes:explicit>no</itunes:explicit>\n    <itunes:type>")],
    ),
    "psp1.self.missing": (
        ("psp1.self.missing",),
        [
            (
                '<atom:link href="https://station.example/show/feed.xml" rel="self" type="application/rss+xml"/>',
                "",
            )
        ],
    ),
    "psp1.author.missing": (
        ("psp1.author.missing",),
        [("<itunes:author>WUNC North Carolina Public Radio</itunes:author>", "")],
    ),
    "psp1.locked.missing": (
        ("psp1.locked.missing",),
        [('<podcast:locked owner="podcasts@station.example">yes</podcast:locked>', "")],
    ),
    "psp1.guid.missing": (
        ("psp1.guid.missing",),
        [("<podcast:guid>6fc301e4-602f-5420-af64-dac2a6b0a25b</podcast:guid>", "")],
    ),
    "psp1.text.length": (
        ("psp1.text.length",),
        [
            (
                "<title>All Things Carolina</title>",
                "<title>" + ("All Things " * 30).strip() + "</title>",
            )
        ],
    ),
    "psp1.text.whitespace": (
        ("psp1.text.whitespace",),
        [
            (
                ">0e7c1a52-3f7e-4f43-9a57-6c4d1f0b2a11<",
                "> 0e7c1a52-3f7e-4f43-9a57-6c4d1f0b2a11\n      <",
            )
        ],
    ),
    "psp1.copyright": (("psp1.copyright",), [("<copyright>WUNC", "<copyright>© 2015 WUNC")]),
    "apple.owner": (
        ("apple.owner",),
        [
            (
                "<itunes:type>",
                "<itunes:owner><itunes:name>WUNC</itunes:name>"
                "<itunes:email>podcasts@station.example</itunes:email></itunes:owner>\n    <itunes:type>",
            )
        ],
    ),
    "apple.type.value": (
        ("apple.type.value",),
        [("<itunes:type>episodic</itunes:type>", "<itunes:type>Episodic</itunes:type>")],
    ),
    "apple.type.serial": (
        ("apple.type.serial",),
        [("<itunes:type>episodic</itunes:type>", "<itunes:type>serial</itunes:type>")],
    ),
    "apple.flag.value": (
        ("apple.flag.value",),
        [("<itunes:type>", "<itunes:block>true</itunes:block>\n    <itunes:type>")],
    ),
    "apple.new-feed-url": (
        ("apple.new-feed-url",),
        [
            (
                "<itunes:type>",
                "<itunes:new-feed-url>feed.xml</itunes:new-feed-url>\n    <itunes:type>",
            )
        ],
    ),
    "rss.item.title": (
        ("rss.item.title",),
        [("<title>Beach Towns Brace For A Slow Storm</title>", "")],
    ),
    "rss.item.enclosure": (("rss.item.enclosure",), [(ITEM3_ENC, "")]),
    "rss.enclosure.attributes": (
        ("rss.enclosure.attributes",),
        [(ITEM3_ENC, ITEM3_ENC.replace(' type="audio/mpeg"', ""))],
    ),
    "rss.enclosure.url": (
        ("rss.enclosure.url",),
        [(ITEM3_ENC, ITEM3_ENC.replace("https://station.example/show/", ""))],
    ),
    "apple.url.ascii": (
        ("apple.url.ascii",),
        [
            (
                ITEM3_ENC,
                ITEM3_ENC.replace(
                    "https://station.example/show/slow-storm", "https://cdn.example/slow storm"
                ),
            )
        ],
    ),
    "rss.enclosure.length": (
        ("rss.enclosure.length",),
        [(ITEM3_ENC, ITEM3_ENC.replace('"3456"', '"3.4 MB"'))],
    ),
    "rss.enclosure.length-zero": (
        ("rss.enclosure.length-zero", "apple.enclosure.size"),
        [(ITEM3_ENC, ITEM3_ENC.replace('"3456"', '"0"'))],
    ),
    "rss.enclosure.multiple": (
        ("rss.enclosure.multiple",),
        [
            (
                ITEM3_ENC,
                ITEM3_ENC
                + '\n      <enclosure url="https://cdn.example/storm.mp3" length="1" type="audio/mpeg"/>',
            )
        ],
    ),
    "apple.enclosure.type": (
        ("apple.enclosure.type",),
        [(ITEM3_ENC, ITEM3_ENC.replace("audio/mpeg", "audio/ogg"))],
    ),
    "apple.enclosure.type-alias": (
        ("apple.enclosure.type-alias",),
        [(ITEM3_ENC, ITEM3_ENC.replace("audio/mpeg", "audio/mp3"))],
    ),
    "apple.enclosure.extension": (
        ("apple.enclosure.extension",),
        [
            (
                ITEM3_ENC,
                ITEM3_ENC.replace(
                    "https://station.example/show/slow-storm/audio.mp3",
                    "https://cdn.example/storm.ogg",
                ),
            )
        ],
    ),
    "apple.enclosure.duplicate": (
        ("apple.enclosure.duplicate",),
        [
            (
                ITEM3_ENC,
                ITEM3_ENC.replace("slow-storm", "isis-defectors").replace('"3456"', '"12345"'),
            )
        ],
    ),
    "apple.enclosure.size": (
        ("apple.enclosure.size",),
        [(ITEM3_ENC, ITEM3_ENC.replace('"3456"', '"3457"'))],
    ),
    "local.file.missing": (
        ("local.file.missing",),
        [(ITEM3_ENC, ITEM3_ENC.replace("audio.mp3", "missing.mp3"))],
    ),
    "rss.item.guid": (
        ("rss.item.guid",),
        [('<guid isPermaLink="true">https://station.example/show/slow-storm/</guid>', "")],
    ),
    "rss.guid.duplicate": (
        ("rss.guid.duplicate",),
        [
            (
                ">https-station-example-flooded-library-2015<",
                ">0e7c1a52-3f7e-4f43-9a57-6c4d1f0b2a11<",
            )
        ],
    ),
    "rss.guid.permalink": (
        ("rss.guid.permalink",),
        [('<guid isPermaLink="false">https-station', "<guid>https-station")],
    ),
    "rss.date.format": (
        ("rss.date.format",),
        [("Tue, 06 Oct 2015 09:15:00 +0000", "2015-10-06T09:15:00Z")],
    ),
    "rss.date.obsolete": (
        ("rss.date.obsolete",),
        [("Tue, 06 Oct 2015 09:15:00 +0000", "tue, 06 oct 15 09:15:00 Z (UTC)")],
    ),
    "rss.date.future": (
        ("rss.date.future",),
        [("Tue, 06 Oct 2015 09:15:00 +0000", "Wed, 07 Oct 2015 18:00:00 +0000")],
    ),
    "psp1.pubdate.missing": (
        ("psp1.pubdate.missing",),
        [("<pubDate>Tue, 06 Oct 2015 09:15:00 +0000</pubDate>", "")],
    ),
    "apple.duration.format": (
        ("apple.duration.format",),
        [("<itunes:duration>95<", "<itunes:duration>1 min 35 s<")],
    ),
    "psp1.duration.seconds": (
        ("psp1.duration.seconds",),
        [("<itunes:duration>95<", "<itunes:duration>01:35<")],
    ),
    "apple.episode.value": (
        ("apple.episode.value",),
        [("<itunes:episode>3<", "<itunes:episode>0<")],
    ),
    "apple.season.value": (("apple.season.value",), [("<itunes:season>1<", "<itunes:season>one<")]),
    "apple.episodetype.value": (
        ("apple.episodetype.value",),
        [("<itunes:episodeType>full<", "<itunes:episodeType>Full<")],
    ),
    "apple.item.description.length": (
        ("apple.item.description.length",),
        [("Neighbours sort thousands of wet books by hand.", LONG)],
    ),
    "apple.description.html": (
        ("apple.description.html",),
        [
            (
                "Neighbours sort thousands of wet books by hand.",
                "&lt;p&gt;Neighbours &lt;img src=&quot;https://cdn.example/x.gif&quot;&gt; sort books.&lt;/p&gt;",
            )
        ],
    ),
    "apple.title.numbers": (
        ("apple.title.numbers",),
        [("<title>Beach Towns", "<title>Episode 12: Beach Towns")],
    ),
    "apple.title.show-name": (
        ("apple.title.show-name",),
        [("<title>Beach Towns", "<title>All Things Carolina: Beach Towns")],
    ),
    "podcast.https": (("podcast.https",), [(FUNDING, FUNDING.replace("https:", "http:"))]),
    "podcast.attribute.missing": (
        ("podcast.attribute.missing",),
        [(FUNDING, "<podcast:funding>Support WUNC</podcast:funding>")],
    ),
    "podcast.value.invalid": (
        ("podcast.value.invalid",),
        [('station.example">yes</podcast:locked>', 'station.example">true</podcast:locked>')],
    ),
    "podcast.image.purpose": (
        ("podcast.image.purpose",),
        [
            (
                FUNDING,
                FUNDING
                + '\n    <podcast:image href="https://station.example/show/artwork.jpg" purpose="artwork square-ish"/>',
            )
        ],
    ),
    "podcast.text.length": (
        ("podcast.text.length",),
        [(">Support WUNC<", ">" + ("Support WUNC " * 11).strip() + "<")],
    ),
    "podcast.text.empty": (
        ("podcast.text.empty",),
        [('kelly.jpg">Kelly McEvers<', 'kelly.jpg"> <')],
    ),
    "podcast.parent": (
        ("podcast.parent",),
        [
            (
                "<podcast:medium>",
                '<podcast:chapters url="https://station.example/show/c.json" type="application/json+chapters"/>\n    <podcast:medium>',
            )
        ],
    ),
    "podcast.count": (
        ("podcast.count",),
        [
            (
                "<podcast:medium>podcast</podcast:medium>",
                "<podcast:medium>podcast</podcast:medium>\n    <podcast:medium>podcast</podcast:medium>",
            )
        ],
    ),
    "podcast.children": (
        ("podcast.children",),
        [('<podcast:source uri="https://station.example/show/isis-defectors/audio.mp3"/>', "")],
    ),
    "podcast.unknown": (
        ("podcast.unknown",),
        [
            (
                "<podcast:medium>",
                "<podcast:previousUrl>https://old.example/feed</podcast:previousUrl>\n    <podcast:medium>",
            )
        ],
    ),
    "podcast.deprecated": (
        ("podcast.deprecated",),
        [
            (
                "<podcast:medium>",
                '<podcast:images srcset="https://station.example/show/artwork.jpg 1400w"/>\n    <podcast:medium>',
            )
        ],
    ),
    "podcast.transcript.type": (
        ("podcast.transcript.type",),
        [('transcript.srt" type="application/x-subrip"', 'transcript.srt" type="application/srt"')],
    ),
    "podcast.person.role": (
        ("podcast.person.role",),
        [('role="guest" group="cast"', 'role="guest star" group="cast"')],
    ),
    "podcast.person.host": (
        ("podcast.person.host",),
        [('<podcast:person role="host">Kelly McEvers</podcast:person>', "")],
    ),
    "podcast.chapters.type": (
        ("podcast.chapters.type",),
        [
            (
                'chapters.json" type="application/json+chapters"',
                'chapters.json" type="application/json"',
            )
        ],
    ),
    "podcast.chapters.json": (
        ("podcast.chapters.json",),
        [("isis-defectors/chapters.json", "bad-chapters.json")],
    ),
    "podcast.guid.format": (
        ("podcast.guid.format",),
        [("<podcast:guid>6fc301e4-602f-5420-af64-dac2a6b0a25b", "<podcast:guid>not-a-uuid")],
    ),
    "podcast.guid.version": (
        ("podcast.guid.version",),
        [
            (
                "<podcast:guid>6fc301e4-602f-5420-af64-dac2a6b0a25b",
                "<podcast:guid>0e7c1a52-3f7e-4f43-9a57-6c4d1f0b2a11",
            )
        ],
    ),
    "podcast.guid.url": (
        ("podcast.guid.url",),
        [
            (
                "<podcast:guid>6fc301e4-602f-5420-af64-dac2a6b0a25b",
                "<podcast:guid>9b024349-ccf0-5f69-a609-6b82873eab3c",
            )
        ],
    ),
    "podcast.transcript.vtt": (
        ("podcast.transcript.vtt",),
        [("flooded-library/transcript.vtt", "bad.vtt")],
    ),
    "podcast.transcript.srt": (
        ("podcast.transcript.srt",),
        [("isis-defectors/transcript.srt", "long.srt")],
    ),
    "podcast.transcript.json": (
        ("podcast.transcript.json",),
        [("isis-defectors/transcript.json", "bad-transcript.json")],
    ),
    # --- structure, characters, links, RSS 2.0 parts (tests/validate/test_structure.py has
    # the passing counterparts) ---
    "rss.element.duplicate": (
        ("rss.element.duplicate",),
        [
            (
                CH_EXPLICIT,
                "<itunes:explicit>false</itunes:explicit>\n    <itunes:explicit>true</itunes:explicit>\n    <itunes:type>",
            )
        ],
    ),
    "rss.element.unknown": (
        ("rss.element.unknown",),
        [
            (
                "<itunes:type>",
                "<pubdate>Tue, 06 Oct 2015 18:00:00 -0400</pubdate>" + "\n    <itunes:type>",
            )
        ],
    ),
    "rss.element.parent": (
        ("rss.element.parent",),
        [("<itunes:type>", '<guid isPermaLink="false">show-1</guid>' + "\n    <itunes:type>")],
    ),
    "apple.element.unknown": (
        ("apple.element.unknown",),
        [("<itunes:type>", "<itunes:explict>true</itunes:explict>" + "\n    <itunes:type>")],
    ),
    "apple.element.parent": (
        ("apple.element.parent",),
        [("<itunes:type>", "<itunes:duration>95</itunes:duration>" + "\n    <itunes:type>")],
    ),
    "rss.text.control": (
        ("rss.text.control",),
        [("Neighbours sort thousands", "Neighbours sort &#x93;thousands&#x94;")],
    ),
    "rss.text.mojibake": (
        ("rss.text.mojibake",),
        [("on the Outer Banks.", "on the Outer Banks â€” again.")],
    ),
    "rss.text.html": (
        ("rss.text.html",),
        [("A Flooded Library</title>", "A &lt;b&gt;Flooded&lt;/b&gt; Library</title>")],
    ),
    "apple.description.unsafe": (
        ("apple.description.unsafe",),
        [
            (
                "<p>What happens when you leave ISIS? <strong>",
                '<p onclick="steal()">What happens when you leave ISIS? <strong>',
            )
        ],
    ),
    "apple.text.length": (
        ("apple.text.length",),
        [
            (
                "<itunes:type>",
                "<itunes:subtitle>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</itunes:subtitle>"
                + "\n    <itunes:type>",
            )
        ],
    ),
    "rss.contact.email": (
        ("rss.contact.email",),
        [
            (
                "<itunes:type>",
                "<managingEditor>news@station (Newsroom)</managingEditor>" + "\n    <itunes:type>",
            )
        ],
    ),
    "rss.link.url": (
        ("rss.link.url",),
        [
            (
                "<link>https://station.example/show/slow-storm/</link>",
                "<link>/show/slow-storm/</link>",
            )
        ],
    ),
    "rss.guid.ispermalink": (
        ("rss.guid.ispermalink",),
        [('<guid isPermaLink="true">', '<guid isPermaLink="True">')],
    ),
    "rss.enclosure.length-absurd": (
        ("rss.enclosure.length-absurd", "apple.enclosure.size"),
        [(ITEM3_ENC, ITEM3_ENC.replace('length="3456"', 'length="95"'))],
    ),
    "rss.date.implausible": (
        ("rss.date.implausible",),
        [("Tue, 06 Oct 2015 18:00:00 -0400", "Fri, 06 Oct 1989 18:00:00 -0400")],
    ),
    "rss.image.parts": (
        ("rss.image.parts",),
        [
            (
                "<itunes:type>",
                "<image><url>https://station.example/show/artwork.jpg</url><title>All Things Carolina</title><width>200</width></image>"
                + "\n    <itunes:type>",
            )
        ],
    ),
    "rss.ttl": (("rss.ttl",), [("<itunes:type>", "<ttl>1h</ttl>" + "\n    <itunes:type>")]),
    "rss.cloud": (
        ("rss.cloud",),
        [
            (
                "<itunes:type>",
                '<cloud domain="rpc.station.example" port="80" path="/RPC2" protocol="xml-rpc"/>'
                + "\n    <itunes:type>",
            )
        ],
    ),
    "rss.skip": (
        ("rss.skip",),
        [("<itunes:type>", "<skipHours><hour>24</hour></skipHours>" + "\n    <itunes:type>")],
    ),
    "rss.textinput.parts": (
        ("rss.textinput.parts",),
        [
            (
                "<itunes:type>",
                "<textInput><title>Search</title><link>https://station.example/search</link></textInput>"
                + "\n    <itunes:type>",
            )
        ],
    ),
    "apple.hidden": (
        ("apple.hidden",),
        [("<itunes:type>", "<itunes:block>Yes</itunes:block>" + "\n    <itunes:type>")],
    ),
}

_EXPECT = re.compile(r"<!-- expect: ([^>]*?) -->\n")


def render(rule: str) -> bytes:
    expected, edits = CASES[rule]
    header = f"<!-- expect: {' '.join(expected)} -->\n"
    if isinstance(edits, str):
        if not edits:
            return b""
        if edits.startswith("<?xml"):
            decl, _, rest = edits.partition("\n")
            return (decl + "\n" + header + rest).encode("utf-8")
        return (header + edits).encode("utf-8")
    text = CLEAN.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"{rule}: {old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    decl, _, rest = text.partition("\n")
    return (decl + "\n" + header + rest).encode("utf-8")


def expected_of(data: bytes, name: str) -> set[str]:
    if not data:
        return {"xml.empty"}
    m = _EXPECT.search(data[:2000].decode("utf-8", "replace"))
    assert m, f"{name} has no '<!-- expect: … -->' line"
    return set(m.group(1).split())


def main() -> None:
    BROKEN.mkdir(parents=True, exist_ok=True)
    for old in BROKEN.glob("*.xml"):
        old.unlink()
    for rule in CASES:
        (BROKEN / f"{rule}.xml").write_bytes(render(rule))
    # Latin-1 bytes in a feed declared UTF-8 (reliability-and-security.md F8).
    latin1 = CLEAN.read_bytes().replace(b"Neighbours", b"Neighb\xe9urs")
    decl, _, rest = latin1.partition(b"\n")
    (BROKEN / "xml.encoding.invalid.xml").write_bytes(
        decl + b"\n<!-- expect: xml.encoding.invalid -->\n" + rest
    )
    print(f"wrote {len(CASES) + 1} feeds to {BROKEN}")


if __name__ == "__main__":
    main()
