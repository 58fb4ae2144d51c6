"""The tables of stationcast.spec: Apple categories, the Podcast Taxonomy and podcast:guid."""

from __future__ import annotations

import re

import pytest

from stationcast.spec.apple import (
    apple_categories,
    check_category,
    current_category,
    retired_categories,
)
from stationcast.spec.podcast import GUID_NAMESPACE as PODCAST_GUID_NAMESPACE
from stationcast.spec.podcast import podcast_guid
from stationcast.spec.taxonomy import check_person, taxonomy, taxonomy_groups

# --- podcast:guid (docs/tags/guid.md) -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
    ],
)
def test_podcast_guid_known_answers(url: str, expected: str) -> None:
    """The spec's two worked examples give the spec's GUIDs."""
    assert podcast_guid(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://podnews.net/rss",
        "http://podnews.net/rss",
        "https://podnews.net/rss/",
        "https://podnews.net/rss//",
        "  https://podnews.net/rss  ",
    ],
)
def test_podcast_guid_strips_scheme_and_trailing_slashes(url: str) -> None:
    """Scheme, trailing slashes and surrounding blanks do not change the GUID."""
    assert podcast_guid(url) == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_podcast_guid_is_a_uuid5_string() -> None:
    """The GUID matches the spec's regex and is version 5 in the podcast namespace."""
    guid = podcast_guid("https://radio.example.org/stories/feed.xml")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", guid)
    assert str(PODCAST_GUID_NAMESPACE) == "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"


def test_podcast_guid_rejects_empty_url() -> None:
    """A URL that is nothing but a scheme has no seed and is refused."""
    with pytest.raises(ValueError, match=r"cannot derive a podcast:guid from feed URL 'https://'"):
        podcast_guid("https://")


# --- Apple categories -----------------------------------------------------------------


def test_apple_categories_table_is_the_2019_list() -> None:
    """19 top-level categories, with the spellings Apple uses (&, Stand-Up, TV & Film)."""
    table = apple_categories()
    assert len(table) == 19
    assert "Stand-Up" in table["Comedy"]
    assert table["News"] == (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    )
    assert table["Technology"] == ()
    assert "Kids & Family" in table and "TV & Film" in table


def test_apple_categories_table_is_read_only() -> None:
    """Callers cannot change the shared table by accident."""
    with pytest.raises(TypeError):
        apple_categories()["Made Up"] = ()  # type: ignore[index]


@pytest.mark.parametrize(
    ("category", "sub"),
    [
        ("News", None),
        ("News", "Daily News"),
        ("Comedy", "Stand-Up"),
        ("Kids & Family", None),
        ("TV & Film", "After Shows"),
        ("True Crime", None),
    ],
)
def test_check_category_accepts_apple_names(category: str, sub: str | None) -> None:
    """Exact Apple names pass without error."""
    check_category(category, sub)


def test_check_category_suggests_case_fix() -> None:
    """Wrong case is an error (Apple is case-sensitive) that names the right spelling."""
    with pytest.raises(
        ValueError,
        match=(
            r"^unknown Apple Podcasts category 'news'; did you mean 'News'\? Valid"
            r" categories: 'Arts', "
        ),
    ):
        check_category("news")


def test_check_category_suggests_close_spelling() -> None:
    """A misspelling gets difflib's closest category."""
    with pytest.raises(ValueError, match=r"'Newz'; did you mean 'News'\?"):
        check_category("Newz")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("News & Politics", "News"),
        ("Science & Medicine", "Science"),
        ("Health", "Health & Fitness"),
    ],
)
def test_check_category_maps_pre_2019_names(old: str, new: str) -> None:
    """Pre-2019 names (still in feedgen's table) suggest their 2019 successor."""
    with pytest.raises(ValueError, match=rf"did you mean '{re.escape(new)}'\?"):
        check_category(old)


def test_retired_categories_are_retired_and_map_to_current_ones() -> None:
    """Every category of the 2019 rename table is one Apple no longer lists, and maps to one
    it does; every pre-2019 top-level category that Apple renamed is in it."""
    table = retired_categories()
    assert len(table) == 41
    for (old, old_sub), (new, new_sub) in table.items():
        with pytest.raises(ValueError):
            check_category(old, old_sub)
        check_category(new, new_sub)
    renamed = {old for (old, sub) in table if sub is None}
    assert renamed == {
        "Games & Hobbies",
        "Government & Organizations",
        "Health",
        "News & Politics",
        "Science & Medicine",
        "Sports & Recreation",
    }


@pytest.mark.parametrize(
    ("given", "current"),
    [
        (("Leisure", "Video Games"), ("Leisure", "Video Games")),
        (("Games & Hobbies", "Video Games"), ("Leisure", "Video Games")),
        (("Games & Hobbies", None), ("Leisure", None)),
        (("Science & Medicine", "Medicine"), ("Health & Fitness", "Medicine")),
        (("Society & Culture", "History"), ("History", None)),
        (("Technology", "Podcasting"), ("Technology", None)),
        (("News", "Made Up"), ("News", None)),  # a subcategory Apple never had: the parent
        (("Sports & Recreation", "Soccer"), ("Sports", "Soccer")),  # renamed parent, valid sub
        (("Made Up", None), None),
        (("Made Up", "Video Games"), None),
    ],
)
def test_current_category(
    given: tuple[str, str | None], current: tuple[str, str | None] | None
) -> None:
    assert current_category(*given) == current


def test_check_category_lists_categories_when_nothing_is_close() -> None:
    """With no close match the message still lists every valid category."""
    with pytest.raises(ValueError) as info:
        check_category("Zzzz")
    assert str(info.value).startswith("unknown Apple Podcasts category 'Zzzz'. Valid categories:")
    assert "'TV & Film'" in str(info.value)


def test_check_category_subcategory_used_as_category() -> None:
    """A subcategory given as a category says which category it belongs under."""
    with pytest.raises(
        ValueError,
        match=(
            r"^'Politics' is a subcategory of 'News', not a category; use category"
            r" 'News' with subcategory 'Politics'$"
        ),
    ):
        check_category("Politics")


def test_check_category_unknown_subcategory() -> None:
    """A misspelt subcategory names the closest one and lists the category's subcategories."""
    with pytest.raises(
        ValueError,
        match=(
            r"^unknown subcategory 'Stand-up' of Apple Podcasts category 'Comedy';"
            r" did you mean 'Stand-Up'\? Valid subcategories of 'Comedy':"
            r" 'Comedy Interviews', 'Improv', 'Stand-Up'$"
        ),
    ):
        check_category("Comedy", "Stand-up")


def test_check_category_subcategory_of_leaf_category() -> None:
    """Categories without subcategories refuse one."""
    with pytest.raises(
        ValueError,
        match=r"^Apple Podcasts category 'Technology' has no subcategories, got 'Gadgets'$",
    ):
        check_category("Technology", "Gadgets")


# --- Podcast Taxonomy -----------------------------------------------------------------


def test_taxonomy_table_has_every_role() -> None:
    """63 role/group pairs in 11 groups, lower-case, from the spec's taxonomy file."""
    pairs = taxonomy()
    assert len(pairs) == 63
    assert len(taxonomy_groups()) == 11
    assert ("host", "cast") in pairs
    assert ("translator", "writing") in pairs  # taxonomy.json misspells it "Translater"
    assert all(r == r.lower() and g == g.lower() and r == r.strip() for r, g in pairs)


@pytest.mark.parametrize(
    ("role", "group", "expected"),
    [
        ("Host", None, ("host", "cast")),
        ("REPORTER", None, ("reporter", "cast")),
        ("audio engineer", None, ("audio engineer", "audio production")),
        ("Cover Art Designer", "Visuals", ("cover art designer", "visuals")),
        ("Editor", "Writing", ("editor", "writing")),
        ("editor", "video post-production", ("editor", "video post-production")),
        (" transcriber ", None, ("transcriber", "writing")),
    ],
)
def test_check_person_returns_canonical_pair(
    role: str, group: str | None, expected: tuple[str, str]
) -> None:
    """Case-insensitive matching; the role alone decides the group when it is unique."""
    assert check_person(role, group) == expected


def test_check_person_unknown_role_suggests_closest() -> None:
    """A misspelt role names the closest valid role and lists the roles."""
    with pytest.raises(
        ValueError,
        match=(
            r"^unknown podcast:person role 'hots'; did you mean 'host'\? Valid roles"
            r" \(Podcast Taxonomy\): 'director', "
        ),
    ):
        check_person("hots")


def test_check_person_unknown_role_without_close_match() -> None:
    """An unrelated word still gets the list of roles."""
    with pytest.raises(ValueError, match=r"^unknown podcast:person role 'zzz'\. Valid roles"):
        check_person("zzz")


def test_check_person_ambiguous_role_needs_group() -> None:
    """'editor' is in two groups, so the group must be given."""
    with pytest.raises(
        ValueError,
        match=(
            r"^podcast:person role 'editor' belongs to more than one group"
            r" \('writing', 'video post-production'\); give the group as well$"
        ),
    ):
        check_person("Editor")


def test_check_person_unknown_group_suggests_closest() -> None:
    """A misspelt group names the closest valid group."""
    with pytest.raises(
        ValueError,
        match=r"^unknown podcast:person group 'wrting'; did you mean 'writing'\? Valid groups",
    ):
        check_person("writer", "wrting")


def test_check_person_role_in_wrong_group() -> None:
    """A valid role in a group it does not belong to says where it belongs."""
    with pytest.raises(
        ValueError,
        match=r"^podcast:person role 'guest' is not in group 'writing'; it belongs to 'cast'$",
    ):
        check_person("guest", "writing")
