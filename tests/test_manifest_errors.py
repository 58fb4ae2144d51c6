"""Manifest problems are reported where the producer made them, with the right explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationcast.errors import ManifestError, Problem
from stationcast.manifest import inside_show, load_show, read_document
from support import EXAMPLE_SLUG


def _problems(path: Path) -> list[Problem]:
    problems: list[Problem] = []
    assert read_document(path, problems) is None
    return problems


def _load_fails(show: Path) -> list[Problem]:
    with pytest.raises(ManifestError) as caught:
        load_show(show)
    return caught.value.problems


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unterminated_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    """A quote never closed is located at the opening quote, not at the end of the file."""
    path = tmp_path / "episode.yaml"
    path.write_text('title: "Report\nguid: abc\nsummary: x\n', encoding="utf-8")
    [problem] = _problems(path)
    assert (problem.line, problem.column) == (1, 8)
    assert problem.message == (
        "YAML syntax error: the quoted text opened here is never closed"
        " (reached the end of the file); add the closing quote"
    )


def test_unclosed_flow_mapping_is_reported_where_it_opens(tmp_path: Path) -> None:
    """An unclosed `{` is located at the brace, naming the line where the parser gave up."""
    path = tmp_path / "episode.yaml"
    text = "title: x\naudio: {url: https://example.org/a.mp3\nlength: 3\n"
    path.write_text(text, encoding="utf-8")
    [problem] = _problems(path)
    assert (problem.line, problem.column) == (2, 8)
    assert problem.message.startswith(
        "YAML syntax error: the flow mapping opened here with '{' is never closed with '}'"
        " (found ': 3' on line 3, column 7 where ',' or '}' was expected)"
    )


def test_error_on_one_line_keeps_the_problem_position(tmp_path: Path) -> None:
    """Errors without an opening construct on another line keep PyYAML's own position."""
    path = tmp_path / "episode.yaml"
    path.write_text("title: a\n  summary: b\n", encoding="utf-8")
    [problem] = _problems(path)
    assert (problem.line, problem.column) == (2, 10)
    assert problem.message == (
        "YAML syntax error: this key is indented more than the line above, so YAML reads it as"
        " part of that line's value; line it up with the other keys (or quote the value above"
        " if it holds ': ')"
    )


def _messages(problems: list[Problem]) -> list[str]:
    return [f"{p.line}:{p.column}: {p.field}: {p.message}" for p in problems]


def test_union_reports_only_the_file_name_member_for_text(show: Path) -> None:
    """`audio: ../x.mp3` is a file name gone wrong; the mapping member's complaint is left out."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "audio: audio.mp3", "audio: ../x.mp3")
    assert _messages(_load_fails(show)) == [
        "13:8: audio: expected the name of a file in the episode's folder (like audio.mp3),"
        " got '../x.mp3'; paths are not allowed"
    ]


def test_union_reports_only_the_mapping_member_for_a_mapping(show: Path) -> None:
    """Remote audio without `length` gets only the missing field, not "expected text"."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "audio: audio.mp3",
        "audio: {url: https://cdn.example.org/a.mp3, type: audio/mpeg}",
    )
    assert _messages(_load_fails(show)) == [
        "13:1: audio.length: required field is missing; add a line `length: ...` under audio"
    ]


def test_union_of_the_wrong_kind_is_one_problem(show: Path) -> None:
    """A value neither member takes (a list) is one problem naming both kinds."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "audio: audio.mp3", "audio: [audio.mp3]")
    assert _messages(_load_fails(show)) == [
        "13:8: audio: expected text or a mapping of fields (key: value lines), got a list"
    ]


@pytest.mark.parametrize(
    ("published", "message"),
    [
        (
            "2015-02-30T17:35:00-04:00",
            "day is out of range for month: 2015-02-30 does not exist (February 2015 has 28 days)",
        ),
        ("2015-13-01T17:35:00-04:00", "month must be in 1..12, got '2015-13-01T17:35:00-04:00'"),
        ("2015-09-22T24:35:00-04:00", "hour must be in 0..23, got '2015-09-22T24:35:00-04:00'"),
        (
            "2015-09-22T17:35:00+25:00",
            (
                "the UTC offset must be less than 24 hours (like -04:00),"
                " got '2015-09-22T17:35:00+25:00'"
            ),
        ),
    ],
)
def test_impossible_date_says_it_does_not_exist(show: Path, published: str, message: str) -> None:
    """A well-formed date-time naming no real moment is reported as such, not as bad form."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "2015-09-22T17:35:00-04:00", published)
    assert _messages(_load_fails(show)) == [f"4:12: published: {message}"]


def test_each_bad_category_is_reported_at_its_own_line(show: Path) -> None:
    """Two bad categories are two problems, each at its own list item, good ones pass."""
    _edit(
        show / "show.yaml",
        "  - News > Daily News\n",
        "  - News > Daily Newz\n  - Sports\n  - Comedy > Stand Up\n",
    )
    problems = _load_fails(show)
    assert [(p.line, p.column, p.field) for p in problems] == [
        (17, 5, "categories.0"),
        (19, 5, "categories.2"),
    ]
    assert "did you mean 'Daily News'" in problems[0].message
    assert "did you mean 'Stand-Up'" in problems[1].message


def _add_episode(show: Path, slug: str, published: str, extra: str = "") -> None:
    source = (show / EXAMPLE_SLUG / "episode.yaml").read_text(encoding="utf-8")
    folder = show / slug
    folder.mkdir()
    for name in ("audio.mp3", "transcript.txt"):
        (folder / name).write_bytes((show / EXAMPLE_SLUG / name).read_bytes())
    text = source.replace("1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909", f"guid-of-{slug}")
    text = text.replace("2015-09-22T17:35:00-04:00", published)
    (folder / "episode.yaml").write_text(text + extra, encoding="utf-8")


def test_serial_show_needs_every_full_episode_numbered(show: Path) -> None:
    """`type: serial` makes a missing `episode:` a manifest problem for each full episode."""
    _edit(show / "show.yaml", "categories:", "type: serial\ncategories:")
    _add_episode(show, "part-two", "2015-09-29T17:35:00-04:00")
    _add_episode(show, "bonus", "2015-09-30T17:35:00-04:00", "episode_type: bonus\n")
    _add_episode(show, "part-three", "2015-10-06T17:35:00-04:00", "episode: 3\n")
    problems = _load_fails(show)
    assert [(Path(p.file).parent.name, p.field, p.message) for p in problems] == [
        (
            EXAMPLE_SLUG,
            "episode",
            "show.yaml says `type: serial`, so every full episode needs its number;"
            " add a line `episode: 1` (its place in the series)",
        ),
        (
            "part-two",
            "episode",
            "show.yaml says `type: serial`, so every full episode needs its number;"
            " add a line `episode: 2` (its place in the series)",
        ),
    ]


def test_episodic_show_needs_no_numbers(show: Path) -> None:
    """An episodic show loads without episode numbers."""
    _add_episode(show, "part-two", "2015-09-29T17:35:00-04:00")
    assert len(load_show(show).episodes) == 2


OUT_OF_SHOW = "is a symbolic link out of the episodes folder; copy the file into it instead"


def test_show_yaml_linked_from_outside_is_refused(show: Path, tmp_path: Path) -> None:
    """A show.yaml that is a symbolic link to a file outside the show is not read."""
    outside = tmp_path / "elsewhere.yaml"
    (show / "show.yaml").rename(outside)
    (show / "show.yaml").symlink_to(outside)
    problems = _load_fails(show)
    assert [(Path(p.file).name, p.message) for p in problems] == [("show.yaml", OUT_OF_SHOW)]


def test_episode_yaml_linked_from_outside_is_refused(show: Path, tmp_path: Path) -> None:
    """An episode.yaml that is a symbolic link out of the show is refused, like its folder."""
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    outside = tmp_path / "elsewhere.yaml"
    manifest.rename(outside)
    manifest.symlink_to(outside)
    problems = _load_fails(show)
    assert [(Path(p.file).parent.name, p.message) for p in problems] == [
        (EXAMPLE_SLUG, OUT_OF_SHOW)
    ]


def test_links_within_the_show_are_fine(show: Path) -> None:
    """A manifest linked to a file inside the show folder loads."""
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    kept = show / "_shared" / "episode.yaml"
    kept.parent.mkdir()
    manifest.rename(kept)
    manifest.symlink_to(Path("..") / "_shared" / "episode.yaml")
    assert [e.slug for e in load_show(show).episodes] == [EXAMPLE_SLUG]


def test_inside_show(tmp_path: Path) -> None:
    """inside_show: None for files (and links) within the show, a reason for links out of it."""
    root = tmp_path / "episodes"
    (root / "a").mkdir(parents=True)
    (root / "a" / "audio.mp3").write_bytes(b"x")
    (tmp_path / "secret").write_bytes(b"x")
    (root / "a" / "inner.mp3").symlink_to(root / "a" / "audio.mp3")
    (root / "a" / "outer.mp3").symlink_to(tmp_path / "secret")
    (root / "linked").symlink_to(tmp_path)
    (root / "a" / "loop").symlink_to(root / "a" / "loop")
    assert inside_show(root / "a" / "audio.mp3", root) is None
    assert inside_show(root / "a" / "inner.mp3", root) is None
    assert inside_show(root / "a" / "missing.mp3", root) is None
    assert inside_show(root / "a" / "outer.mp3", root) == OUT_OF_SHOW
    assert inside_show(root / "linked" / "secret", root) == OUT_OF_SHOW
    assert inside_show(root / "a" / "loop", root) is not None


# (guid as written in YAML, the message at 3:7)
GUID_CASES = [
    ('"a\\tb"', "guid: must be one line with plain spaces only; it holds U+0009, got 'a\\tb'"),
    ('"a\\nb"', "guid: must be one line with plain spaces only; it holds U+000A, got 'a\\nb'"),
]


@pytest.mark.parametrize(("written", "message"), GUID_CASES)
def test_a_guid_with_other_whitespace_is_refused(show: Path, written: str, message: str) -> None:
    """Spaces inside a GUID are kept (published GUIDs have them), but a tab or a line break
    inside is refused at the guid line: apps fold those, and would see another GUID."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909", written)
    assert _messages(_load_fails(show)) == [f"3:7: {message}"]


def test_a_guid_with_plain_spaces_inside_loads(show: Path) -> None:
    """`160 at http://serialpodcast.org`, as Drupal writes GUIDs, is a valid GUID."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909",
        "160 at http://serialpodcast.org",
    )
    loaded = load_show(show)
    assert [e.episode.guid for e in loaded.episodes] == ["160 at http://serialpodcast.org"]
