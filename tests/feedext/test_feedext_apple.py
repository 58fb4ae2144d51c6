"""Tests for stationcast.feed.itunes: the iTunes tags feedgen 1.0.0 writes wrongly or not at all."""

from __future__ import annotations

import io

import feedparser
import podcastparser
import pytest
from feedgen.feed import FeedGenerator

from feedext.helpers import ITUNES, NS, add_item, new_feed, parse
from stationcast.feed.itunes import AppleEntryExtension, AppleExtension, register_apple


def _feed() -> FeedGenerator:
    fg = new_feed()
    register_apple(fg)
    return fg


@pytest.mark.parametrize(
    ("value", "text"), [(True, "true"), (False, "false"), ("TRUE", "true"), ("false", "false")]
)
def test_channel_explicit_true_false(value: object, text: str) -> None:
    """Channel itunes:explicit is written as Apple's true/false."""
    fg = _feed()
    fg.apple.itunes_explicit(value)
    assert parse(fg).xpath("/rss/channel/itunes:explicit/text()", namespaces=NS) == [text]


@pytest.mark.parametrize(("value", "text"), [(True, "true"), (False, "false")])
def test_item_explicit_true_false(value: bool, text: str) -> None:
    """Item itunes:explicit is written as Apple's true/false."""
    fg = _feed()
    add_item(fg).apple.itunes_explicit(value)
    assert parse(fg).xpath("//item/itunes:explicit/text()", namespaces=NS) == [text]


@pytest.mark.parametrize("value", ["yes", "clean", "", 1])
def test_explicit_rejects_other_values(value: object) -> None:
    """Only true/false are accepted: yes/no/clean are pre-2019 values."""
    fg = _feed()
    with pytest.raises(
        ValueError, match=rf"^itunes:explicit must be true or false, got {value!r}$"
    ):
        fg.apple.itunes_explicit(value)


def test_explicit_replaces_feedgen_value_once() -> None:
    """When feedgen's extension also set explicit, only this extension's tag is written."""
    fg = _feed()
    fg.podcast.itunes_explicit("yes")
    fg.apple.itunes_explicit(False)
    fe = add_item(fg)
    fe.podcast.itunes_explicit("clean")
    fe.apple.itunes_explicit(True)
    root = parse(fg)
    assert root.xpath("/rss/channel/itunes:explicit/text()", namespaces=NS) == ["false"]
    assert root.xpath("//item/itunes:explicit/text()", namespaces=NS) == ["true"]


def test_itunes_namespace_declared_once() -> None:
    """Both extensions share the itunes prefix and URI: one declaration on <rss>."""
    fg = _feed()
    fg.podcast.itunes_author("WXYZ Public Radio")
    fg.apple.itunes_explicit(False)
    xml = fg.rss_str().decode()
    assert xml.count(f'xmlns:itunes="{ITUNES}"') == 1
    assert parse(fg).nsmap["itunes"] == ITUNES


def test_no_itunes_tag_appears_twice() -> None:
    """Setting every overlapping tag through both extensions still yields each tag once."""
    fg = _feed()
    fg.podcast.itunes_explicit("no")
    fg.podcast.itunes_image("https://radio.example.org/art.png")
    fg.podcast.itunes_block(True)
    fg.podcast.itunes_complete("yes")
    fg.podcast.itunes_category([{"cat": "Arts", "sub": "Design"}])
    fg.apple.itunes_explicit(False)
    fg.apple.itunes_image("https://radio.example.org/art.jpeg")
    fg.apple.itunes_block(True)
    fg.apple.itunes_complete(True)
    fg.apple.itunes_category("News", "Daily News")
    fe = add_item(fg)
    fe.podcast.itunes_image("https://radio.example.org/1.jpg")
    fe.podcast.itunes_explicit("no")
    fe.apple.itunes_image("https://radio.example.org/1.jpeg")
    fe.apple.itunes_explicit(False)
    root = parse(fg)
    for parent in root.xpath("/rss/channel | //item"):
        names = [child.tag for child in parent if child.tag.startswith(f"{{{ITUNES}}}")]
        top = [n for n in names if not n.endswith("}category")]
        assert len(top) == len(set(top)), names
    assert root.xpath("/rss/channel/itunes:category/@text", namespaces=NS) == ["News"]


def test_channel_image_jpeg_is_written() -> None:
    """A .jpeg artwork URL (dropped by feedgen) is written to itunes:image href."""
    fg = _feed()
    fg.apple.itunes_image("https://radio.example.org/art.JPEG?v=2")
    assert parse(fg).xpath("/rss/channel/itunes:image/@href", namespaces=NS) == [
        "https://radio.example.org/art.JPEG?v=2"
    ]


def test_item_image_is_written() -> None:
    """Item itunes:image accepts .jpeg too."""
    fg = _feed()
    add_item(fg).apple.itunes_image("https://radio.example.org/1.jpeg")
    assert parse(fg).xpath("//item/itunes:image/@href", namespaces=NS) == [
        "https://radio.example.org/1.jpeg"
    ]


@pytest.mark.parametrize(
    "url", ["https://radio.example.org/art.gif", "https://radio.example.org/art"]
)
def test_image_rejects_other_formats(url: str) -> None:
    """Non-JPEG/PNG artwork raises instead of vanishing silently as in feedgen."""
    fg = _feed()
    with pytest.raises(
        ValueError,
        match=(
            r"^itunes:image URL must end in \.jpg, \.jpeg or \.png \(Apple accepts"
            r" JPEG or PNG artwork with a matching file extension\), got "
        ),
    ):
        fg.apple.itunes_image(url)


def test_image_rejects_empty_url() -> None:
    """An empty artwork URL is refused."""
    with pytest.raises(ValueError, match=r"^itunes:image needs a URL, got ''$"):
        AppleExtension().itunes_image("")


def test_categories_nest_subcategories() -> None:
    """Subcategories nest inside one element per category, in the order given."""
    fg = _feed()
    fg.apple.itunes_category("News", "Daily News")
    fg.apple.itunes_category("News", "Politics")
    fg.apple.itunes_category("Kids & Family")
    fg.apple.itunes_category("News", "Daily News")  # duplicate ignored
    root = parse(fg)
    top = root.xpath("/rss/channel/itunes:category", namespaces=NS)
    assert [c.get("text") for c in top] == ["News", "Kids & Family"]
    assert [c.get("text") for c in top[0]] == ["Daily News", "Politics"]
    assert len(top[1]) == 0
    assert b'text="Kids &amp; Family"' in fg.rss_str()


def test_category_replace_drops_earlier_ones() -> None:
    """replace=True starts the list again."""
    ext = AppleExtension()
    ext.itunes_category("News")
    assert ext.itunes_category("Science", "Physics", replace=True) == [("Science", "Physics")]


def test_category_is_checked_against_apple_list() -> None:
    """Unknown categories raise with the closest valid one."""
    with pytest.raises(
        ValueError,
        match=r"^unknown Apple Podcasts category 'News & Politics'; did you mean 'News'\?",
    ):
        AppleExtension().itunes_category("News & Politics")


def test_subcategory_without_category_is_refused() -> None:
    """A subcategory alone is meaningless and raises."""
    with pytest.raises(ValueError, match=r"^itunes:category: a subcategory needs its category$"):
        AppleExtension().itunes_category(sub="Daily News")


@pytest.mark.parametrize(("value", "expected"), [(True, ["Yes"]), (False, [])])
def test_block_written_only_when_true(value: bool, expected: list[str]) -> None:
    """itunes:block is Yes when set, absent otherwise (Apple ignores other values)."""
    fg = _feed()
    fg.podcast.itunes_block("no")  # feedgen would write "yes" for this string
    fg.apple.itunes_block(value)
    assert parse(fg).xpath("/rss/channel/itunes:block/text()", namespaces=NS) == expected


@pytest.mark.parametrize(("value", "expected"), [(True, ["Yes"]), (False, [])])
def test_complete_written_only_when_true(value: bool, expected: list[str]) -> None:
    """itunes:complete is Yes when set, absent otherwise."""
    fg = _feed()
    fg.apple.itunes_complete(value)
    assert parse(fg).xpath("/rss/channel/itunes:complete/text()", namespaces=NS) == expected


def test_item_block() -> None:
    """Item-level itunes:block is written as Yes."""
    fg = _feed()
    add_item(fg).apple.itunes_block(True)
    assert parse(fg).xpath("//item/itunes:block/text()", namespaces=NS) == ["Yes"]


def test_block_rejects_non_boolean() -> None:
    """itunes:block takes a bool, not yes/no strings."""
    with pytest.raises(ValueError, match=r"^itunes:block must be true or false, got 'no'$"):
        AppleEntryExtension().itunes_block("no")


def test_complete_rejects_non_boolean() -> None:
    """itunes:complete takes a bool."""
    with pytest.raises(ValueError, match=r"^itunes:complete must be true or false, got 'yes'$"):
        AppleExtension().itunes_complete("yes")


def test_register_apple_loads_feedgen_itunes_first() -> None:
    """register_apple works on a bare FeedGenerator and leaves fg.podcast usable."""
    fg = FeedGenerator()
    register_apple(fg)
    assert hasattr(fg, "podcast") and hasattr(fg, "apple")


def test_register_apple_keeps_existing_feedgen_extension() -> None:
    """When feedgen's extension is already loaded, it is not loaded again."""
    fg = FeedGenerator()
    fg.load_extension("podcast")
    register_apple(fg)
    assert hasattr(fg, "apple")


def test_feedparser_reads_categories() -> None:
    """feedparser reads the category and its nested subcategory back.

    (feedparser 6 maps itunes:explicit to True only for "yes", so it cannot read Apple's
    "true"; podcastparser can, see the next test.)
    """
    fg = _feed()
    fg.apple.itunes_category("News", "Daily News")
    fg.apple.itunes_category("Kids & Family")
    parsed = feedparser.parse(fg.rss_str())
    assert [tag.term for tag in parsed.feed.tags] == ["News", "Daily News", "Kids & Family"]


def test_podcastparser_reads_explicit() -> None:
    """gPodder's podcastparser reads explicit true/false on channel and item."""
    fg = _feed()
    fg.apple.itunes_explicit(True)
    fe = add_item(fg)
    fe.apple.itunes_explicit(False)
    parsed = podcastparser.parse(
        "https://radio.example.org/stories/feed.xml", io.BytesIO(fg.rss_str())
    )
    assert parsed["explicit"] is True
    assert parsed["episodes"][0]["explicit"] is False


# --- canaries: the feedgen 1.0.0 behaviour this module works around --------------------
# If one of these starts failing, feedgen has changed and the workaround may be removable.


def test_canary_feedgen_rejects_explicit_true() -> None:
    """feedgen's own extension refuses Apple's 'true' (why AppleExtension exists)."""
    fg = new_feed()
    fg.load_extension("podcast")
    with pytest.raises(ValueError, match="Invalid value for explicit tag"):
        fg.podcast.itunes_explicit("true")


def test_canary_feedgen_drops_jpeg_channel_image_silently() -> None:
    """feedgen's channel itunes_image ignores a .jpeg URL without raising."""
    fg = new_feed()
    fg.load_extension("podcast")
    fg.podcast.itunes_image("https://radio.example.org/art.jpeg")
    assert fg.podcast.itunes_image() is None
    assert parse(fg).find(f"channel/{{{ITUNES}}}image") is None


def test_canary_feedgen_block_string_no_means_yes() -> None:
    """feedgen writes itunes:block 'yes' for the string 'no' (any truthy value)."""
    fg = new_feed()
    fg.load_extension("podcast")
    fg.podcast.itunes_block("no")
    assert parse(fg).xpath("/rss/channel/itunes:block/text()", namespaces=NS) == ["yes"]
