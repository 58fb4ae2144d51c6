"""The manifest writer (stationcast.manifest.write): commented YAML that reads back as written,
checked through the models."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from stationcast.errors import Problem
from stationcast.manifest import read_document
from stationcast.manifest.write import (
    Block,
    Comment,
    Draft,
    Entry,
    Todo,
    manifest_text,
    model_entries,
)
from stationcast.models import Episode, Show
from stationcast.spec.media import TRANSCRIPT_TYPES

# A complete, valid episode, as the fixed part of the cases below.
EPISODE = [
    Entry("title", "Night markets"),
    Entry("guid", "ep-1"),
    Entry("published", "2024-03-14T16:20:00-04:00"),
    Entry("summary", "Tucson's night markets are back."),
    Entry("audio", "audio.mp3"),
]


def _read(text: str) -> Any:
    """What stationcast's manifest reader makes of `text`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "episode.yaml"
        path.write_text(text, encoding="utf-8")
        problems: list[Problem] = []
        doc = read_document(path, problems)
    assert doc is not None, (problems, text)
    return doc.data


# -- how values are written ----------------------------------------------------------------------

# (value, how it is written): each must read back as the same value.
SCALAR_CASES: list[tuple[Any, str]] = [
    ("plain words", "plain words"),
    ("", '""'),
    ("yes", '"yes"'),
    ("null", '"null"'),
    ("~", '"~"'),
    ("1.5", '"1.5"'),
    ("0x1F", '"0x1F"'),
    ("2024-03-14T16:20:00-04:00", "2024-03-14T16:20:00-04:00"),  # dates stay text when read
    ("a: b", '"a: b"'),
    ("a #b", '"a #b"'),
    ("- a", '"- a"'),
    ("? a", '"? a"'),
    ("'quoted'", "\"'quoted'\""),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("two\nlines", '"two\\nlines"'),
    ("line\u2028separator", '"line\\u2028separator"'),
    ("next\x85line", '"next\\x85line"'),
    ("\ufeffbom", '"\\ufeffbom"'),
    (" padded ", '" padded "'),
    ("<<", '"<<"'),
    ("=", '"="'),
    (True, "true"),
    (None, "null"),
    (12, "12"),
    (75.0, "75"),
    (1.5, "1.5"),
    (1e-05, "1.0e-05"),  # YAML 1.1 reads 1e-05 as text
    ([], "[]"),
    ({}, "{}"),
    (["a", "b, c"], '[a, "b, c"]'),
]


@pytest.mark.parametrize(("value", "written"), SCALAR_CASES)
def test_value_is_written_so_it_reads_back(value: Any, written: str) -> None:
    """Each value is written plain when YAML reads that back as the same value, else quoted
    (with escapes); reading the manifest gives the value unchanged."""
    out = manifest_text(Episode, [*EPISODE, Entry("notes", value, placeholder=True)])
    assert out.text.splitlines()[-1] == f"notes: {written}"
    assert _read(out.text)["notes"] == value


def test_long_text_is_folded_and_reads_back() -> None:
    """Text longer than a line is folded (`>-`) within 88 columns and reads back unchanged."""
    summary = "The state cut this year's whitefish season by three weeks, " * 4
    out = manifest_text(Episode, [*EPISODE[:3], Entry("summary", summary.strip()), EPISODE[4]])
    lines = out.text.splitlines()
    assert "summary: >-" in lines
    assert max(len(line) for line in lines) <= 88
    assert _read(out.text)["summary"] == summary.strip()


def test_keys_that_are_not_plain_are_quoted() -> None:
    """A mapping's keys (show.yaml's subscribe names) are quoted when YAML would misread them,
    and one too long for a YAML key is written as an explicit `? key`."""
    long_name = "Very long service name " * 50
    subscribe = {
        "Apple Podcasts": "https://e.org/a",
        "yes": "https://e.org/b",
        long_name: "https://e.org/c",
    }
    out = manifest_text(
        Episode, [*EPISODE, Entry("notes", {"subscribe": subscribe}, placeholder=True)]
    )
    assert '    "yes": https://e.org/b' in out.text.splitlines()
    assert f'    ? "{long_name}"' in out.text.splitlines()
    assert _read(out.text)["notes"] == {"subscribe": subscribe}


# -- comments, TODOs and drafts ------------------------------------------------------------------


def test_todo_is_listed_at_the_line_of_its_field() -> None:
    """A TODO note is written above its field (after the field's own comment goes the field)
    and listed with the line of the field's key and the field's full path."""
    credits = [
        Block([Entry("name", "Peter Neumann"), Entry("role", "guest")]),
        Block([Entry("name", "", todo="give the host's full name"), Entry("role", "host")]),
    ]
    out = manifest_text(
        Episode,
        [
            Entry("title", "Defectors"),
            Entry("guid", "ep 1", todo="decide on a guid", comment="Never change it."),
            *EPISODE[2:],
            Entry("credits", credits),
        ],
        header=["Imported for a test."],
        draft=Draft(),
    )
    lines = out.text.splitlines()
    assert out.todos == (
        Todo(lines.index("guid: ep 1") + 1, "guid", "decide on a guid"),
        Todo(lines.index('  - name: ""') + 1, "credits.1.name", "give the host's full name"),
    )
    assert lines[:6] == [
        "# Imported for a test.",
        "draft: true",
        "title: Defectors",
        "# TODO(import): guid: decide on a guid",
        "# Never change it.",
        "guid: ep 1",
    ]
    assert "  # TODO(import): credits.1.name: give the host's full name" in lines
    assert _read(out.text) == out.data


def test_value_the_model_refuses_becomes_a_todo() -> None:
    """A value the model refuses, not marked as left for the producer, gets a TODO with the
    message the build would give; with `only_with_todos` the episode becomes a draft."""
    out = manifest_text(
        Episode,
        [Entry("title", "\u200b"), *EPISODE[1:]],
        draft=Draft("Fill in the TODOs.", only_with_todos=True),
    )
    message = (
        "is empty (only invisible characters, such as U+200B ZERO WIDTH SPACE); write the text"
    )
    lines = out.text.splitlines()
    assert out.todos == (Todo(lines.index("title: \u200b") + 1, "title", message),)
    assert lines[:3] == [
        "# Fill in the TODOs.",
        "draft: true",
        "# TODO(import): title: is empty (only invisible characters, such as U+200B ZERO WIDTH",
    ]
    assert out.draft


def test_refused_value_inside_a_mapping_is_named_by_its_path() -> None:
    """A mapping missing a required key gets one TODO at its field, naming the key."""
    audio = {"url": "https://media.example.org/a.mp3", "length": 100}
    out = manifest_text(Episode, [*EPISODE[:4], Entry("audio", audio)])
    assert [(t.field, t.message) for t in out.todos] == [
        ("audio", "type: required field is missing; add a line `type: ...` under audio")
    ]


def test_marked_values_are_not_marked_again() -> None:
    """Placeholders and TODO fields the model refuses are the producer's to fill: no second note,
    and `only_with_todos` counts only real TODOs."""
    entries = [
        *EPISODE[:3],
        Entry("summary", "", placeholder=True),
        Entry("audio", "", todo="give the audio file"),
    ]
    out = manifest_text(Episode, entries, draft=Draft(only_with_todos=True))
    assert [t.field for t in out.todos] == ["audio"]
    assert out.text.count("TODO(import)") == 1
    quiet = manifest_text(
        Episode, [*EPISODE[:3], entries[3], EPISODE[4]], draft=Draft(only_with_todos=True)
    )
    assert not quiet.draft and "draft" not in quiet.text


def test_commented_out_field_shows_where_it_goes() -> None:
    """A commented-out field is a `# key: value` line (its TODO points at it) and no value."""
    out = manifest_text(
        Show,
        [
            Entry("title", "Show"),
            Entry("description", "About it."),
            Entry("language", "en"),
            Entry("base_url", "https://e.org/"),
            Entry("artwork", "artwork.jpg"),
            Entry("categories", ["News"]),
            Entry("podcast_guid", "...", todo="add it once base_url is right", commented_out=True),
            Comment("A comment between fields."),
            Entry("station", Block([Entry("name", "WXYZ")])),
        ],
    )
    lines = out.text.splitlines()
    assert lines[6:9] == [
        "# TODO(import): podcast_guid: add it once base_url is right",
        "# podcast_guid: ...",
        "# A comment between fields.",
    ]
    assert out.todos[0].line == 8
    assert "podcast_guid" not in _read(out.text)


def test_comments_never_carry_line_breaks_or_controls() -> None:
    """Text quoted in a comment (labels, URLs from a page) cannot end the comment: line and
    paragraph separators and control characters are shown escaped."""
    out = manifest_text(Episode, [Comment("a\u2028b\x85c\x0bd"), *EPISODE])
    assert out.text.splitlines()[0] == "# a\\u2028b\\x85c\\x0bd"
    assert _read(out.text) == out.data


# -- mistakes of the caller ----------------------------------------------------------------------

# (what, entries, message of the ValueError)
MISTAKE_CASES = [
    ("unknown field", [*EPISODE, Entry("sumary", "x")], "Episode has no field sumary"),
    (
        "unknown nested field",
        [*EPISODE, Entry("credits", [Block([Entry("nam", "x")])])],
        "Credit has no field credits.0.nam",
    ),
    ("field given twice", [*EPISODE, Entry("title", "again")], "title is given twice"),
    (
        "required field left out",
        EPISODE[:4],
        "Episode: audio: required field is missing; add a line `audio: ...`",
    ),
    (
        "a Block where the model has no mapping",
        [*EPISODE, Entry("notes", Block([Entry("x", 1)]))],
        "notes is not a mapping of fields",
    ),
]


@pytest.mark.parametrize(
    ("what", "entries", "message"), MISTAKE_CASES, ids=[c[0] for c in MISTAKE_CASES]
)
def test_caller_mistakes_are_refused(what: str, entries: list[Entry], message: str) -> None:
    """A key the model does not have, or a required field left out, is a programming mistake:
    ValueError naming the field, nothing written."""
    with pytest.raises(ValueError) as caught:
        manifest_text(Episode, entries)
    assert str(caught.value) == message


def test_draft_flag_only_where_the_model_has_one() -> None:
    """show.yaml has no draft flag: asking for one is a mistake."""
    with pytest.raises(ValueError, match="a draft flag does not belong here"):
        manifest_text(Show, [], draft=Draft())


# -- round trips ---------------------------------------------------------------------------------

# Characters XML 1.0 forbids, which the models refuse in every text field.
_XML_ILLEGAL = "".join(chr(c) for c in (*range(9), 0x0B, 0x0C, *range(0x0E, 0x20))) + "\ufffe\uffff"
_TRICKY = st.sampled_from(
    [
        "yes", "No", "null", "~", "1", "-1.5", "0o17", "1e3", "12:30", "2024-01-01", "- x", "? x",
        "a: b", "a #b", "#x", "'q'", '"q"', "[x]", "{x: y}", "&a", "*a", "!t", "|", ">", "%x",
        "@x", "`x", "...", "---", "<<", "=", "a\tb", "a\r\nb", "\\", "é", "日本語", "\U0001f399",
        "\u2028", "\x85", "\x7f", "\ufeffx",
    ]
)  # fmt: skip
_SHORT = st.one_of(
    _TRICKY,
    st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters=_XML_ILLEGAL),
        min_size=1,
        max_size=40,
    ),
)
_TEXT = st.one_of(
    _SHORT,
    st.lists(_SHORT, min_size=1, max_size=30).map(" ".join),
    st.lists(st.text("abcdefghij", min_size=1, max_size=12), min_size=8, max_size=40).map(" ".join),
)
_HTTPS = st.from_regex(r"https://[a-z]{1,12}\.example/[A-Za-z0-9_.~%/-]{0,30}", fullmatch=True)
_FILE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}\.(mp3|m4a)", fullmatch=True)
_IMAGE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}\.jpg", fullmatch=True)
_WHEN = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=-4)), timezone(timedelta(hours=5, minutes=30))]
    ),
)
_SECONDS = st.floats(min_value=0, max_value=7 * 24 * 3600, allow_nan=False)
_CREDIT = st.fixed_dictionaries(
    {"name": _TEXT},
    optional={
        "role": st.sampled_from(["host", "guest", "reporter", "Producer"]),
        "speaker": st.one_of(_SHORT, st.lists(_SHORT, max_size=3)),
        "title": _TEXT,
        "href": _HTTPS,
    },
)
_EPISODE_DATA = st.fixed_dictionaries(
    {
        "title": _TEXT,
        "guid": st.one_of(st.uuids().map(str), st.from_regex(r"[!-~]{1,40}", fullmatch=True)),
        "published": _WHEN,
        "summary": _TEXT,
        "audio": st.one_of(
            _FILE,
            st.fixed_dictionaries(
                {
                    "url": _HTTPS,
                    "length": st.integers(1, 10**12),
                    "type": st.sampled_from(["audio/mpeg", "audio/mp4"]),
                },
                optional={"duration": st.floats(min_value=0.001, max_value=604800)},
            ),
        ),
    },
    optional={
        "draft": st.booleans(),
        "notes": _TEXT,
        "explicit": st.booleans(),
        "episode": st.integers(1, 2**31 - 1),
        "season": st.integers(1, 2**31 - 1),
        "season_name": _SHORT,
        "episode_type": st.sampled_from(["full", "trailer", "bonus"]),
        "transcript": st.fixed_dictionaries({"file": _FILE}, optional={"credit": _TEXT}),
        "credits": st.lists(_CREDIT, max_size=3),
        "chapters": st.lists(st.tuples(_SECONDS, _SHORT), max_size=3).map(
            lambda cs: [{"start": s, "title": t} for s, t in sorted(cs)]
        ),
        "soundbites": st.lists(
            st.fixed_dictionaries(
                {"start": _SECONDS, "duration": st.floats(min_value=0.5, max_value=120)},
                optional={"title": _SHORT},
            ),
            max_size=2,
        ),
        "location": st.fixed_dictionaries(
            {"name": _SHORT},
            optional={"geo": st.just("geo:35.9049,-79.0469"), "country": st.just("us")},
        ),
        "license": st.one_of(_SHORT, st.fixed_dictionaries({"identifier": _SHORT, "url": _HTTPS})),
        "transcripts": st.lists(
            st.fixed_dictionaries(
                {"url": _HTTPS, "type": st.sampled_from(TRANSCRIPT_TYPES)},
                optional={"language": st.just("es-MX"), "rel": st.just("captions")},
            ),
            max_size=2,
        ),
        "alternates": st.lists(
            st.fixed_dictionaries(
                {"url": _HTTPS, "type": st.just("audio/opus"), "length": st.integers(1, 10**9)},
                optional={"title": st.text("abc ", min_size=1, max_size=30)},
            ),
            max_size=2,
        ),
        "image": st.one_of(_IMAGE, st.fixed_dictionaries({"file": _IMAGE, "alt": _TEXT})),
        "station": st.fixed_dictionaries(
            {}, optional={"name": _SHORT, "phones": st.lists(_SHORT, max_size=2)}
        ),
    },
)
_SHOW_DATA = st.fixed_dictionaries(
    {
        "title": _TEXT,
        "description": _TEXT,
        "language": st.sampled_from(["en", "en-US", "es-mx", "fr"]),
        "base_url": _HTTPS,
        "artwork": _IMAGE,
        "categories": st.lists(
            st.sampled_from(["News", "News > Politics", "Society & Culture", "Arts > Books"]),
            min_size=1,
            max_size=3,
        ),
        "station": st.fixed_dictionaries(
            {"name": _TEXT},
            optional={
                "slogan": _TEXT,
                "address": st.fixed_dictionaries(
                    {"street": _SHORT, "locality": _SHORT}, optional={"postal_code": _SHORT}
                ),
                "phones": st.lists(_SHORT, max_size=3),
                "website": _HTTPS,
                "donate": _HTTPS,
            },
        ),
    },
    optional={
        "link": _HTTPS,
        "author": _TEXT,
        "copyright": _TEXT,
        "explicit": st.booleans(),
        "type": st.sampled_from(["episodic", "serial"]),
        "subscribe": st.dictionaries(
            st.one_of(_SHORT, st.just("Very long service name " * 50)), _HTTPS, max_size=3
        ),
        "podcast_guid": st.uuids().map(str),
        "owner": st.fixed_dictionaries(
            {"email": st.just("podcasts@example.org")}, optional={"name": _SHORT}
        ),
        "locked": st.booleans(),
        "medium": st.sampled_from(["podcast", "music", "audiobook"]),
        "hosts": st.lists(_CREDIT, max_size=2),
        "funding_text": _SHORT,
        "txt": st.lists(
            st.fixed_dictionaries({"text": _TEXT}, optional={"purpose": _SHORT}), max_size=2
        ),
        "podroll": st.lists(st.fixed_dictionaries({"feed_guid": st.uuids().map(str)}), max_size=2),
        "update_frequency": st.fixed_dictionaries(
            {"text": _SHORT}, optional={"rrule": st.just("FREQ=WEEKLY;BYDAY=MO"), "dtstart": _WHEN}
        ),
        "live": st.lists(
            st.fixed_dictionaries(
                {"title": _TEXT, "guid": _SHORT, "start": _WHEN},
                optional={"status": st.sampled_from(["pending", "live", "ended"])},
            ),
            max_size=2,
        ),
        "archive": st.fixed_dictionaries({"feed_items": st.integers(1, 500)}),
    },
)


def _valid(model: type[BaseModel]) -> Any:
    def make(data: dict[str, Any]) -> BaseModel | None:
        try:
            return model.model_validate(data)
        except ValidationError:
            return None

    return make


_ROUND_TRIP = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@given(_EPISODE_DATA.map(_valid(Episode)).filter(lambda m: m is not None))
@_ROUND_TRIP
def test_an_episode_reads_back_as_the_same_model(episode: Episode) -> None:
    """Any valid episode, written from its model, reads back as the same model, with no TODO."""
    out = manifest_text(Episode, model_entries(episode))
    data = _read(out.text)
    assert data == out.data
    assert Episode.model_validate(data) == episode
    assert out.todos == ()


@given(_SHOW_DATA.map(_valid(Show)).filter(lambda m: m is not None))
@_ROUND_TRIP
def test_a_show_reads_back_as_the_same_model(show: Show) -> None:
    """Any valid show, written from its model, reads back as the same model, with no TODO."""
    out = manifest_text(Show, model_entries(show))
    data = _read(out.text)
    assert data == out.data
    assert Show.model_validate(data) == show
    assert out.todos == ()
